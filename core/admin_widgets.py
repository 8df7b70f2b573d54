"""Django's admin autocomplete, written as valid HTML for the Nu HTML Checker.

Django draws a single-choice autocomplete as a <select> holding only the chosen option, plus an
empty option when the field may stay empty. The checker refuses both: an empty <option> needs a
label, and a required <select> must start with an empty "placeholder" option. Every
single-choice autocomplete here starts with a labelled empty option; select2, which draws the
box staff see, treats it as its placeholder, and the server still refuses a required field
left empty.
"""

from django.contrib.admin.widgets import AutocompleteSelect
from django.utils.translation import gettext_lazy as _


class LabelledAutocompleteSelect(AutocompleteSelect):
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
    """Single-choice autocompletes of a ModelAdmin or an inline as LabelledAutocompleteSelect."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = LabelledAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
