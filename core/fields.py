"""Fields that normalise Japanese input before it is validated.

A model field's to_python() runs before its validators in full_clean(), so a reading typed in
katakana or a phone number typed with full-width digits is accepted and stored normalised.

The form fields for dates, times and e-mail addresses read what people type (core.date_input;
「令和8年12月6日」, 「１９時」, 「sakuradai＠example．jp」). The admin uses them for every model
field of those kinds (core.admin_input); the portal's forms name them.
"""

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.forms.utils import from_current_timezone
from django.utils.html import format_html, format_html_join
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from .date_input import (
    DATE_FORMAT_HINT,
    DATETIME_FORMAT_HINT,
    TIME_FORMAT_HINT,
    DateInputError,
    parse_date,
    parse_time,
)
from .numbers import has_foreign_digits
from .text import normalize, normalize_kana

phone_validator = RegexValidator(
    r"^[0-9]{2,5}-?[0-9]{1,4}-?[0-9]{3,4}$",
    _("Enter a phone number in digits and hyphens, such as 0000-00-0000."),
)
kana_validator = RegexValidator(
    r"^[\u3041-\u309f\u30fb\u30fc ]+$",
    _("Enter the reading in kana (hiragana or katakana)."),
)


def normalize_phone(value: str) -> str:
    # ー and − typed with an IME are hyphens here.
    return normalize(value).replace("ー", "-").replace("−", "-")


class NormalizingCharField(forms.CharField):
    """A form field that normalises what was typed before validating it."""

    def __init__(self, *, normalizer, **kwargs):
        self.normalizer = normalizer
        super().__init__(**kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        return self.normalizer(value) if value else value


class KanaReadingField(models.CharField):
    """A reading (読みがな), stored in hiragana with single spaces."""

    default_validators = [kana_validator]

    def to_python(self, value):
        value = super().to_python(value)
        return normalize_kana(value) if value else value

    def formfield(self, **kwargs):
        kwargs.setdefault("form_class", NormalizingCharField)
        kwargs.setdefault("normalizer", normalize_kana)
        return super().formfield(**kwargs)


class PhoneNumberField(models.CharField):
    """A Japanese phone number, stored with half-width digits and hyphens."""

    default_validators = [phone_validator]

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 20)
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        return normalize_phone(value) if value else value

    def formfield(self, **kwargs):
        kwargs.setdefault("form_class", NormalizingCharField)
        kwargs.setdefault("normalizer", normalize_phone)
        return super().formfield(**kwargs)


class WebsiteField(models.URLField):
    """A web address; one typed without a scheme is taken as https://."""

    def formfield(self, **kwargs):
        kwargs.setdefault("assume_scheme", "https")
        return super().formfield(**kwargs)


class FiscalYearField(models.PositiveSmallIntegerField):
    """A fiscal year (年度) as its western starting year: 2026 is 令和8年度 (April–March)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("validators", [MinValueValidator(1989), MaxValueValidator(2100)])
        kwargs.setdefault("help_text", _("The year the fiscal year starts in: 2026 for 令和8年度."))
        super().__init__(*args, **kwargs)


def validate_record_date(value) -> None:
    """Dates of records the portal keeps fall in 1989–2100 (a year like 1026 is a typo)."""
    from django.core.exceptions import ValidationError

    if value is not None and not 1989 <= value.year <= 2100:
        raise ValidationError(_("Enter a date between 1989 and 2100."), code="date_out_of_range")


class StrictDigitsMixin:
    """For an IntegerField or a DecimalField: digits 0-9 typed half- or full-width, nothing else.

    Django's number fields read any script's digits through int() and Decimal(), so 「٣٤٥」
    and 「²」 would be saved as numbers nobody typed; they are refused with the field's message.
    """

    def to_python(self, value):
        if isinstance(value, str):
            if has_foreign_digits(value) or "_" in value:
                raise ValidationError(self.error_messages["invalid"], code="invalid")
            value = self.read_typed(normalize(value))
        return super().to_python(value)

    def read_typed(self, value: str) -> str:
        """What was typed, normalised (NFKC), as the number for Django's field to read."""
        return value


class WholeNumberField(StrictDigitsMixin, forms.IntegerField):
    """A whole number (the admin's field for every integer column)."""


class DecimalNumberField(StrictDigitsMixin, forms.DecimalField):
    """A decimal number (the admin's field for every decimal column)."""


class AmountField(WholeNumberField):
    """Whole yen as people type it: 「１２，０００円」, 「¥12,000」 and 「12000」 are all 12000.

    Rendered as text with inputmode="numeric" (not type="number"), so commas and full-width
    digits reach the server and are normalised here instead of being refused by the browser.
    """

    widget = forms.TextInput
    default_error_messages = {
        "invalid": _("Enter the amount in yen, in digits (commas may be used)."),
        "min_value": _("Enter an amount of at least %(limit_value)s yen."),
        "max_value": _("Enter an amount of at most %(limit_value)s yen."),
    }

    def __init__(self, *, min_value=0, max_value=10**12, **kwargs):
        super().__init__(min_value=min_value, max_value=max_value, **kwargs)

    def read_typed(self, value):
        for mark in (",", "、", "円", "¥", "\\", " "):
            value = value.replace(mark, "")
        if value.startswith("-") or value.startswith("−"):
            raise forms.ValidationError(
                self.error_messages["min_value"] % {"limit_value": self.min_value or 0},
                code="min_value",
            )
        return value

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.pop("min", None)
        attrs.pop("max", None)
        attrs.pop("step", None)
        attrs.update({"inputmode": "numeric", "autocomplete": "off", "spellcheck": "false"})
        return attrs


# Dates, times and e-mail addresses as typed ----------------------------------------------------

# What a date or time box shows: how Japanese forms write them, and read back by the parser.
DATE_WIDGET_FORMAT = "%Y/%m/%d"
TIME_WIDGET_FORMAT = "%H:%M"

# A date or a time is typed, not picked from a browser's suggestions, and not spell-checked.
# No inputmode: a phone's numeric keypad has no 「/」, 「:」, 年 or 令和 to type them with.
TYPED_ENTRY_ATTRS = {"autocomplete": "off", "spellcheck": "false", "autocapitalize": "off"}


def with_hint(help_text, hint):
    """The field's own help text followed by the format hint, or the hint alone."""
    if not hint:
        return help_text
    return format_lazy("{} {}", help_text, hint) if help_text else hint


class DateTextInput(forms.DateInput):
    """A text box for a date: 「2026/12/10」 shown, anything core.date_input reads accepted.

    Not the browser's date picker (type="date"): it takes neither 和暦 nor full-width digits,
    sends nothing at all for a date typed half-way (so nothing typed could be shown again with
    its message), and its look and order differ by browser.
    """

    def __init__(self, attrs=None, format=None):
        super().__init__(
            {**TYPED_ENTRY_ATTRS, **(attrs or {})}, format=format or DATE_WIDGET_FORMAT
        )


class SecondsWhenAnyMixin:
    """A saved time shown as 19:00, with its seconds only when it has some (19:00:30), so that
    saving the form again does not change it."""

    def format_value(self, value):
        if isinstance(value, dt.time) and value.second:
            return value.strftime("%H:%M:%S")
        return super().format_value(value)


class TimeTextInput(SecondsWhenAnyMixin, forms.TimeInput):
    """A text box for a time: 「19:00」 shown, anything core.date_input reads accepted."""

    def __init__(self, attrs=None, format=None):
        super().__init__(
            {**TYPED_ENTRY_ATTRS, **(attrs or {})}, format=format or TIME_WIDGET_FORMAT
        )


class SplitDateTimeTextWidget(forms.SplitDateTimeWidget):
    """A date box and a time box, each with its own label; the field's label is the legend of
    the fieldset the site's field template puts around them (use_fieldset)."""

    def __init__(self, attrs=None):
        forms.MultiWidget.__init__(self, (DateTextInput(), TimeTextInput()), attrs)

    def render(self, name, value, attrs=None, renderer=None):
        subwidgets = self.get_context(name, value, attrs)["widget"]["subwidgets"]
        parts = format_html_join(
            " ",
            '<span class="split-datetime__part"><label for="{}">{}</label> {}</span>',
            (
                (
                    sub["attrs"].get("id", ""),
                    label,
                    widget.render(sub["name"], sub["value"], sub["attrs"], renderer),
                )
                for widget, sub, label in zip(
                    self.widgets, subwidgets, (_("Date"), _("Time")), strict=True
                )
            ),
        )
        return format_html('<span class="split-datetime">{}</span>', parts)


def _parsed(parse, value):
    try:
        return parse(str(value))
    except DateInputError as error:
        raise ValidationError(error.message, code=error.code) from None


class JapaneseDateField(forms.DateField):
    """A date as people in Japan type it: 2026/12/10, ２０２６／１２／１０, 令和8年12月6日, R8.12.6.

    Its help text ends with an example of the format (hint=False leaves it out); a refusal says
    what was wrong and how to write the date.
    """

    widget = DateTextInput

    def __init__(self, *, hint=True, help_text="", **kwargs):
        kwargs.pop("input_formats", None)
        super().__init__(help_text=with_hint(help_text, DATE_FORMAT_HINT if hint else ""), **kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        return _parsed(parse_date, value)


class JapaneseTimeField(forms.TimeField):
    """A time of day as people type it: 19:00, １９時, 19時半, 午後7時 …"""

    widget = TimeTextInput

    def __init__(self, *, hint=True, help_text="", **kwargs):
        kwargs.pop("input_formats", None)
        super().__init__(help_text=with_hint(help_text, TIME_FORMAT_HINT if hint else ""), **kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, dt.time):
            return value
        return _parsed(parse_time, value)


class JapaneseSplitDateTimeField(forms.SplitDateTimeField):
    """A moment typed as a date and a time (a meeting's start), each read as above."""

    widget = SplitDateTimeTextWidget
    default_error_messages = {
        "invalid_date": _("Enter the date as well."),
        "invalid_time": _("Enter the time as well."),
    }

    def __init__(self, *, hint=True, help_text="", **kwargs):
        kwargs.pop("input_date_formats", None)
        kwargs.pop("input_time_formats", None)
        errors = {**self.default_error_messages, **kwargs.pop("error_messages", {})}
        fields = (JapaneseDateField(hint=False), JapaneseTimeField(hint=False))
        forms.MultiValueField.__init__(
            self,
            fields,
            error_messages=errors,
            help_text=with_hint(help_text, DATETIME_FORMAT_HINT if hint else ""),
            **kwargs,
        )

    def clean(self, value):
        # One half typed, the other not: say which is missing (Django would call the whole
        # field required).
        if isinstance(value, (list, tuple)) and len(value) == 2:
            date_part, time_part = value
            if date_part in self.empty_values and time_part not in self.empty_values:
                raise ValidationError(self.error_messages["invalid_date"], code="invalid_date")
            if time_part in self.empty_values and date_part not in self.empty_values:
                raise ValidationError(self.error_messages["invalid_time"], code="invalid_time")
        return super().clean(value)

    def compress(self, data_list):
        if not data_list:
            return None
        return from_current_timezone(dt.datetime.combine(*data_list))


def normalize_email(value: str) -> str:
    """An e-mail address typed with an IME, as it is sent: 「sakuradai＠example．jp」 (full-width
    marks and letters, a 「。」 for the dot, 「ー」 for the hyphen, spaces) becomes
    「sakuradai@example.jp」; the domain in lower case (the part before @ is kept as typed)."""
    value = "".join(normalize(value).split())
    for typed, meant in (("。", "."), ("ー", "-"), ("−", "-"), ("‐", "-")):
        value = value.replace(typed, meant)
    local, at, domain = value.rpartition("@")
    return f"{local}@{domain.lower()}" if at else value


class EmailAddressInput(forms.TextInput):
    """An e-mail box: the phone's e-mail keyboard, no spell checking or capitals.

    type="text" with inputmode="email" rather than type="email": the browser sends what was
    typed, full-width marks included, for the server to normalise; and the page stays valid
    HTML when it shows a refused address again.
    """

    def __init__(self, attrs=None):
        super().__init__(
            {
                "inputmode": "email",
                "autocomplete": "email",
                "autocapitalize": "none",
                "spellcheck": "false",
                **(attrs or {}),
            }
        )


class EmailAddressField(forms.EmailField):
    """An e-mail address, normalised (normalize_email) before it is checked."""

    widget = EmailAddressInput

    def to_python(self, value):
        value = super().to_python(value)
        return normalize_email(value) if value else value
