"""Signed-in pages: the account's home and a coordinator's council profile."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from districts.forms import CouncilProfileForm
from districts.permissions import coordinated_councils
from districts.services import update_council_profile
from subsidies.permissions import may_review


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
