"""Signing in, passwords, the account's home, e-mail settings and a coordinator's council
profile.

The templates of the password pages are in templates/accounts/, not registration/: the admin
keeps its own registration/password_change_form.html for its "change password" page.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from core import roles, throttle
from core.forms import (
    LoginForm,
    MailSettingsForm,
    PasswordChangeForm,
    PasswordResetForm,
    SetPasswordForm,
    sign_in_paused,
)
from core.models import MailSettings
from districts.forms import CouncilProfileForm
from districts.permissions import coordinated_councils
from districts.services import update_council_profile
from subsidies.policy import may_review, staff_roles


def landing_url(user) -> str:
    """Where signing in leads when no page was asked for: where the user's work is.

    Grant officers and approvers: the review queue, which opens on what waits on them.
    Administrators, liaison officers and other staff: the admin, where they keep districts,
    meetings and statistics. Coordinators and everyone else: My page, their dashboard (their
    councils, the profile and the grant), or whom to ask for access.
    """
    if roles.group_names(user) & roles.city_wide_roles():
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

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if sign_in_paused(form):
            response.status_code = 429
        return response


class PasswordResetView(auth_views.PasswordResetView):
    """Asks for an e-mail address and sends a reset link to the account that has it, if any;
    the answer is the same either way. Requests are limited (core.throttle)."""

    form_class = PasswordResetForm
    template_name = "accounts/password_reset.html"
    subject_template_name = "accounts/password_reset_subject.txt"
    email_template_name = "accounts/password_reset_email.txt"

    def form_valid(self, form):
        if not throttle.reset_request_allowed(self.request, form.cleaned_data["email"]):
            form.add_error(None, throttle.too_many_reset_requests())
            return self.render_to_response(self.get_context_data(form=form), status=429)
        # Links are built on the portal's configured address, never on the request's Host.
        self.extra_email_context = {
            "site_url": settings.SITE_URL.rstrip("/"),
            "valid_hours": settings.PASSWORD_RESET_TIMEOUT // 3600,
        }
        return super().form_valid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = SetPasswordForm
    template_name = "accounts/password_reset_confirm.html"


class PasswordChangeView(auth_views.PasswordChangeView):
    """Any signed-in user changes their own password; the session stays signed in."""

    form_class = PasswordChangeForm
    template_name = "accounts/password_change.html"


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


@require_http_methods(["GET", "POST"])
def mail_settings(request):
    """The language of the user's e-mail and, for grant staff, notices one by one or weekly."""
    chosen = MailSettings.objects.filter(user=request.user).first()
    form = MailSettingsForm(
        request.POST or None,
        instance=chosen or MailSettings(user=request.user),
        digest=bool(staff_roles(request.user)),
    )
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your e-mail settings have been saved."))
        return redirect("account_home")
    return render(request, "accounts/mail_settings.html", {"form": form})
