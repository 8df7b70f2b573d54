"""Dates, times, e-mail addresses and numbers in the admin, typed the way city staff type them.

Every ModelAdmin and every inline of the site includes TypedInputAdminMixin (through the district
scope's bases or in its own class statement; a test walks the registry). Model fields of those
kinds get the form fields of core.fields: 「令和8年12月6日」, 「R8.12.6」, 「１９時」 and
「sakuradai＠example．jp」 are accepted, an impossible date is refused with the reason. Numbers
are digits, half- or full-width; other scripts' digits (「٣٤٥」, 「²」) are refused. Django's
calendar and clock buttons stay: they write 2026/12/10 and 19:00 (DATE_INPUT_FORMATS and
TIME_INPUT_FORMATS in the settings), which is also how saved values are shown.
"""

from django import forms
from django.contrib.admin import widgets as admin_widgets
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from .admin_widgets import can_be_key
from .fields import (
    DATE_WIDGET_FORMAT,
    TIME_WIDGET_FORMAT,
    TYPED_ENTRY_ATTRS,
    DecimalNumberField,
    EmailAddressField,
    EmailAddressInput,
    JapaneseDateField,
    JapaneseSplitDateTimeField,
    JapaneseTimeField,
    SecondsWhenAnyMixin,
    WholeNumberField,
)


class _DateEntryAttrs:
    """A date box wide enough for 「令和8年12月10日」, showing dates as staff type them."""

    def __init__(self, attrs=None, format=None):
        super().__init__(
            {"size": "16", **TYPED_ENTRY_ATTRS, **(attrs or {})},
            format=format or DATE_WIDGET_FORMAT,
        )


class _TimeEntryAttrs(SecondsWhenAnyMixin):
    """A time box wide enough for 「午後7時30分」."""

    def __init__(self, attrs=None, format=None):
        super().__init__(
            {"size": "10", **TYPED_ENTRY_ATTRS, **(attrs or {})},
            format=format or TIME_WIDGET_FORMAT,
        )


class AdminDateEntry(_DateEntryAttrs, admin_widgets.AdminDateWidget):
    """The admin's date box, with its calendar button."""


class AdminTimeEntry(_TimeEntryAttrs, admin_widgets.AdminTimeWidget):
    """The admin's time box, with its clock button."""


# Inside a date-and-time pair the boxes are the bare inputs (Django's Base… widgets): the pair's
# own template wraps them, and the standalone widgets' <p> would nest inside the pair's <p>.
class _PairDateEntry(_DateEntryAttrs, admin_widgets.BaseAdminDateWidget):
    pass


class _PairTimeEntry(_TimeEntryAttrs, admin_widgets.BaseAdminTimeWidget):
    pass


class AdminSplitDateTimeEntry(admin_widgets.AdminSplitDateTime):
    """Date and time boxes one above the other, each named for screen readers
    (「開始日時（日付）」): the admin's label of the row and its 「日付:」 「時刻:」 are text, not
    labels of the boxes."""

    def __init__(self, attrs=None):
        forms.MultiWidget.__init__(self, (_PairDateEntry(), _PairTimeEntry()), attrs)

    def name_boxes(self, label) -> None:
        """Name the boxes after the field; called as the admin builds the form, per request,
        so in the language of the page."""
        for widget, part in zip(self.widgets, (_("Date"), _("Time")), strict=True):
            widget.attrs["aria-label"] = _("%(field)s (%(part)s)") % {"field": label, "part": part}


class AdminEmailEntry(EmailAddressInput):
    """An e-mail box in the admin's width; staff type other people's addresses, so the
    browser offers none of its own."""

    def __init__(self, attrs=None):
        super().__init__({"class": "vTextField", "autocomplete": "off", **(attrs or {})})


# Model field → what the admin's form uses for it. DateTimeField before DateField: the admin
# looks a field's classes up in this order (its MRO), and a DateTimeField is a DateField too.
TYPED_INPUT_OVERRIDES = {
    models.DateTimeField: {
        "form_class": JapaneseSplitDateTimeField,
        "widget": AdminSplitDateTimeEntry,
    },
    models.DateField: {"form_class": JapaneseDateField, "widget": AdminDateEntry},
    models.TimeField: {"form_class": JapaneseTimeField, "widget": AdminTimeEntry},
    models.EmailField: {"form_class": EmailAddressField, "widget": AdminEmailEntry},
    # Integer columns keep the admin's own number boxes (BigIntegerField has its own entry in
    # the admin's defaults, so it is named too); only the field reading them changes.
    models.BigIntegerField: {"form_class": WholeNumberField},
    models.IntegerField: {"form_class": WholeNumberField},
    models.DecimalField: {"form_class": DecimalNumberField},
}


class TypedInputAdminMixin:
    """For a ModelAdmin or an InlineModelAdmin: date, time, e-mail and number fields read as
    typed, and what is posted by hand (a key that is no key, a year no calendar has) refused as
    bad input rather than failing the page.

    Applied to formfield_overrides when the admin is created, so an admin whose class sets
    formfield_overrides of its own (short text areas, say) keeps them and gets these too; what
    a class sets for one of these model fields wins over the default here.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        declared = type(self).formfield_overrides
        for db_field, options in TYPED_INPUT_OVERRIDES.items():
            self.formfield_overrides[db_field] = {
                **self.formfield_overrides.get(db_field, {}),
                **options,
                **declared.get(db_field, {}),
            }

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if formfield is not None and isinstance(formfield.widget, AdminSplitDateTimeEntry):
            formfield.widget.name_boxes(formfield.label)
        if isinstance(formfield, WholeNumberField):
            # The column's limits (its own, and what the database can hold) checked by the form
            # field, so a number out of range never reaches the record the page is drawn from.
            limits = [
                validator
                for validator in db_field.validators
                if isinstance(validator, MinValueValidator | MaxValueValidator)
            ]
            formfield.validators += [v for v in limits if v not in formfield.validators]
        return formfield

    def get_changelist(self, request, **kwargs):
        changelist = super().get_changelist(request, **kwargs)
        return CheckedChangeList if changelist is ChangeList else changelist

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        kwargs.setdefault("form_class", KeyCheckedMultipleChoiceField)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class KeyCheckedMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Many choices, each posted key checked against the column before it is looked up.

    Django looks the keys up together with an IN query, which fails on SQLite for a number too
    large for the column (「999…」 posted by hand) instead of refusing it as an invalid choice.
    """

    def _check_values(self, value):
        opts = self.queryset.model._meta
        column = opts.get_field(self.to_field_name) if self.to_field_name else opts.pk
        for item in value if isinstance(value, list | tuple | set | frozenset) else ():
            if not can_be_key(column, item):
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": item},
                )
        return super()._check_values(value)


class CheckedChangeList(ChangeList):
    """A change list whose date links refuse a year no calendar has (「?as_of__year=999…」)
    as they refuse any other bad filter, instead of failing while building the dates."""

    def get_filters(self, request):
        try:
            return super().get_filters(request)
        except OverflowError as error:
            raise IncorrectLookupParameters(error) from error
