from crispy_forms.helper import FormHelper
from crispy_forms.layout import BaseInput
from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from .text import printable


class LoginForm(AuthenticationForm):
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
