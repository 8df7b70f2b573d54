from crispy_forms.helper import FormHelper
from crispy_forms.layout import BaseInput
from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.forms.utils import flatatt
from django.template import loader
from django.utils import translation
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from . import tasks, throttle
from .models import MailSettings
from .text import printable


class ThrottledSignInMixin:
    """Refuses a sign-in while the account or the address is paused (core.throttle), before
    the password is checked; counts each failure and forgets the account's on success."""

    def clean(self):
        username = self.cleaned_data.get("username")
        if self.request is None or not username or not self.cleaned_data.get("password"):
            return super().clean()
        if throttle.login_locked(self.request, username):
            raise ValidationError(throttle.too_many_attempts(), code="throttled")
        try:
            cleaned = super().clean()
        except ValidationError:
            throttle.login_failed(self.request, username)
            raise
        throttle.login_succeeded(username)
        return cleaned


def sign_in_paused(form) -> bool:
    """Whether the form was refused because signing in is paused (answered with 429)."""
    return form.has_error(NON_FIELD_ERRORS, "throttled")


class AdminLoginForm(ThrottledSignInMixin, AdminAuthenticationForm):
    """The admin's sign-in, paused like the portal's."""


class LoginForm(ThrottledSignInMixin, AuthenticationForm):
    """Sign-in with the site's messages; the username is kept when the password is wrong."""

    error_messages = {
        "invalid_login": _(
            "The user name or password is not correct. Check both and try again "
            "(the password is case-sensitive)."
        ),
        "inactive": _("This account is not active. Ask the city office."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("User name")
        self.fields["password"].label = _("Password")
        self.fields["username"].widget.attrs.pop("autofocus", None)
        self.fields["username"].error_messages["required"] = _("Enter your user name.")
        self.fields["password"].error_messages["required"] = _("Enter your password.")
        # The page writes the <form> tag itself, to carry the `next` address.
        self.helper = form_helper(submit_label=_("Sign in"))
        self.helper.form_tag = False
        self.helper.disable_csrf = True


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Asks for the account's e-mail address; the same answer whether or not one has it."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        email = self.fields["email"]
        email.label = _("E-mail address")
        email.help_text = _("The address registered with your account.")
        email.error_messages["required"] = _("Enter your e-mail address.")
        email.error_messages["invalid"] = _("Enter the e-mail address in the form name@example.jp.")
        self.helper = form_helper(submit_label=_("Send the link"))

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        """Write the message in Japanese, like every e-mail the portal sends whichever language
        the page was in, and queue it: the page answers without waiting for the mail server,
        and as fast whether or not the address has an account."""
        with translation.override(settings.LANGUAGE_CODE):
            subject = loader.render_to_string(subject_template_name, context)
            body = loader.render_to_string(email_template_name, context)
            html = ""
            if html_email_template_name:
                html = loader.render_to_string(html_email_template_name, context)
        subject = "".join(subject.splitlines())
        tasks.send_email.enqueue(subject=subject, body=body, to=to_email, html=html)


class SetPasswordForm(auth_forms.SetPasswordForm):
    """A new password, typed twice, from the link in the e-mail."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _label_new_passwords(self)
        self.helper = form_helper(submit_label=_("Set the new password"))


class PasswordChangeForm(auth_forms.PasswordChangeForm):
    """A signed-in user's new password, after the current one."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        old = self.fields["old_password"]
        old.label = _("Current password")
        old.widget.attrs.pop("autofocus", None)
        old.error_messages["required"] = _("Enter your current password.")
        self.error_messages = {
            **self.error_messages,
            "password_incorrect": _(
                "The current password is not correct. Enter it again "
                "(the password is case-sensitive)."
            ),
        }
        _label_new_passwords(self)
        self.helper = form_helper(submit_label=_("Change the password"))


def _label_new_passwords(form) -> None:
    form.fields["new_password1"].label = _("New password")
    # Plain text in place of Django's list of the validators, which the field template would
    # put inside a <p>.
    form.fields["new_password1"].help_text = _(
        "At least 8 characters. Not only digits, not a commonly used password and not like "
        "your name, user name or e-mail address."
    )
    form.fields["new_password2"].label = _("New password (again)")
    form.fields["new_password1"].error_messages["required"] = _("Enter a new password.")
    form.fields["new_password2"].error_messages["required"] = _("Enter the new password again.")
    form.fields["new_password1"].widget.attrs.pop("autofocus", None)
    form.error_messages = {
        **form.error_messages,
        "password_mismatch": _("The two new passwords are not the same. Enter them again."),
    }


def add_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Put a service's refusal beside the fields it names, the rest at the top of the form."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


class SubmitButton(BaseInput):
    """The form's main button; it sends no name, so GET forms keep clean addresses."""

    input_type = "submit"
    field_classes = "button--primary"

    def __init__(self, label: str, **kwargs):
        super().__init__(name="", value=label, **kwargs)
        self.id = None


def form_helper(
    *,
    submit_label: str,
    method: str = "post",
    action: str = "",
    required_note: bool = True,
    form_class: str = "form",
) -> FormHelper:
    """A crispy FormHelper rendering with the site's pack: one submit button, the required note."""
    helper = FormHelper()
    helper.form_method = method
    helper.form_action = action
    helper.form_class = form_class
    helper.include_required_note = required_note
    helper.add_input(SubmitButton(submit_label))
    return helper


class LongSelect(forms.Select):
    """A single <select> for long flat lists (the city's four hundred districts), written in
    Python: Django renders each <option> through a template of its own, which took some 13 ms
    of every filter page. Same markup as forms.Select for flat choices; no option groups."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        return format_html(
            '<select name="{}"{}>{}</select>',
            name,
            flatatt(widget["attrs"]),
            self.options_html(set(widget["value"])),
        )

    def options_html(self, selected: set[str]) -> str:
        return format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (choice, mark_safe(" selected") if str(choice) in selected else "", label)
                for choice, label in self.choices
            ),
        )

    def get_context(self, name, value, attrs):
        # The options are written by render(): skip building a dict for each of them.
        return forms.Widget.get_context(self, name, value, attrs)


class SearchQueryField(forms.CharField):
    """What a resident types into a search box. Never refused for its characters or length:
    control characters and broken characters are dropped (core.text.printable) and text past
    the limit is cut; the form shown again carries the cleaned text, never the raw one."""

    widget = forms.SearchInput

    def __init__(self, *, max_length: int = 100, **kwargs):
        self.limit = max_length
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean_text(self, value) -> str:
        return printable(str(value or "")).strip()[: self.limit].strip()

    def to_python(self, value):
        return super().to_python(self.clean_text(value))

    def bound_data(self, data, initial):
        return self.clean_text(data) if isinstance(data, str) else initial

    def was_cut(self, raw) -> bool:
        return len(printable(str(raw or "")).strip()) > self.limit


class MailSettingsForm(forms.ModelForm):
    """The language of one's e-mail and, for grant staff, notices one by one or weekly."""

    class Meta:
        model = MailSettings
        fields = ["language", "weekly_digest"]
        widgets = {"language": forms.RadioSelect}

    def __init__(self, *args, digest: bool, **kwargs):
        super().__init__(*args, **kwargs)
        language = self.fields["language"]
        language.error_messages["invalid_choice"] = _("Choose 日本語 or English.")
        language.error_messages["required"] = _("Choose the language of your e-mail.")
        if not digest:
            del self.fields["weekly_digest"]
        self.helper = form_helper(submit_label=_("Save the settings"), required_note=False)
