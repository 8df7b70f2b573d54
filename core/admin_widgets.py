"""Django's admin autocomplete, written as valid HTML for the Nu HTML Checker.

Django draws a single-choice autocomplete as a <select> holding only the chosen option, plus an
empty option when the field may stay empty. The checker refuses both: an empty <option> needs a
label, and a required <select> must start with an empty "placeholder" option. Every
single-choice autocomplete here starts with a labelled empty option; select2, which draws the
box staff see, treats it as its placeholder, and the server still refuses a required field
left empty.

A form shown again with a value that is not a record's key (「abc」 posted by hand) shows the
field empty with its error: Django's widget would look the value up and fail with a 500.
"""

from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def can_be_key(column, value) -> bool:
    """Whether a posted value could be a key of the column (a model field), checked before it
    is looked up: 「abc」, NUL, or a number too large for the column is no key of any record."""
    if "\x00" in str(value):
        return False
    try:
        column.run_validators(column.to_python(value))
    except (ValidationError, ValueError, TypeError):
        return False
    return True


class KeysOnlyMixin:
    """Look up only the posted values the target column can hold."""

    def optgroups(self, name, value, attr=None):
        remote_opts = self.field.remote_field.model._meta
        column = remote_opts.get_field(
            getattr(self.field.remote_field, "field_name", remote_opts.pk.attname)
        )
        keys = [item for item in value if can_be_key(column, item)]
        return super().optgroups(name, keys, attr)


class CheckedAutocompleteSelectMultiple(KeysOnlyMixin, AutocompleteSelectMultiple):
    pass


class LabelledAutocompleteSelect(KeysOnlyMixin, AutocompleteSelect):
    def optgroups(self, name, value, attr=None):
        groups = super().optgroups(name, value, attr)
        options = groups[0][1]
        if not options or options[0]["value"] != "":
            options.insert(0, self.create_option(name, "", "", False, 0))
            for index, option in enumerate(options):
                option["index"] = str(index)
        options[0]["attrs"]["label"] = str(_("Not chosen"))
        return groups


class LabelledAutocompleteMixin:
    """Single-choice autocompletes of a ModelAdmin or an inline as LabelledAutocompleteSelect,
    many-choice ones as CheckedAutocompleteSelectMultiple."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = LabelledAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = CheckedAutocompleteSelectMultiple(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)
