"""Model fields that normalise Japanese input before it is validated.

A model field's to_python() runs before its validators in full_clean(), so a reading typed in
katakana or a phone number typed with full-width digits is accepted and stored normalised.
"""

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

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


class AmountField(forms.IntegerField):
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

    def to_python(self, value):
        if isinstance(value, str):
            value = normalize(value).strip()
            for mark in (",", "、", "円", "¥", "\\", " "):
                value = value.replace(mark, "")
            if value.startswith("-") or value.startswith("−"):
                raise forms.ValidationError(
                    self.error_messages["min_value"] % {"limit_value": self.min_value or 0},
                    code="min_value",
                )
        return super().to_python(value)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.pop("min", None)
        attrs.pop("max", None)
        attrs.pop("step", None)
        attrs.update({"inputmode": "numeric", "autocomplete": "off", "spellcheck": "false"})
        return attrs
