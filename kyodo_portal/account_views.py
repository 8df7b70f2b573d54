"""Signing in, the account's home and a coordinator's council profile."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from core import roles
from core.forms import LoginForm
from districts.forms import CouncilProfileForm
from districts.permissions import coordinated_councils
from districts.services import update_council_profile
from subsidies.permissions import may_review


def landing_url(user) -> str:
    """Where signing in leads when no page was asked for: where the user's work is.

    Grant officers and approvers: the review queue, which opens on what waits on them.
    Administrators, liaison officers and other staff: the admin, where they keep districts,
    meetings and statistics. Coordinators and everyone else: My page, their dashboard (their
    councils, the profile and the grant), or whom to ask for access.
    """
    if any(roles.has_role(user, group) for group in roles.CITY_WIDE_ROLES):
        return reverse("grants:review_queue")
    if user.is_staff:
        return reverse("admin:index")
    return reverse("account_home")


class SignInView(auth_views.LoginView):
    """Django's sign-in, landing on the user's work; a safe `next` still wins."""

    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_default_redirect_url(self):
        return landing_url(self.request.user)


@require_safe
def account_home(request):
    """Where signing in leads: the user's councils and their grant, the admin for staff."""
    councils = (
        coordinated_councils(request.user)
        .select_related("district")
        .order_by("district__name_kana")
    )
    return render(
        request,
        "accounts/home.html",
        {"councils": councils, "may_review": may_review(request.user)},
    )


@require_http_methods(["GET", "POST"])
def council_profile(request, pk: int):
    """A coordinator edits their council's public profile; any other council is a 404."""
    council = get_object_or_404(
        coordinated_councils(request.user).select_related("district"), pk=pk
    )
    form = CouncilProfileForm(request.POST or None, instance=council)
    if request.method == "POST" and form.is_valid():
        changed = update_council_profile(council=council, by=request.user, data=form.cleaned_data)
        if changed:
            messages.success(request, _("The council's profile has been saved."))
        else:
            messages.info(request, _("Nothing was changed."))
        return redirect(council.district.get_absolute_url() + "#council")
    return render(request, "accounts/council_profile.html", {"council": council, "form": form})
