from django import forms
from django.utils.translation import gettext_lazy as _

from core.english import KanaRow, kana_rows
from core.forms import SearchQueryField, form_helper
from districts.forms import DistrictFilterField

from .models import FieldCode, OrganizationKind


class DirectoryFilterForm(forms.Form):
    """The directory's filters. Invalid values are reported and ignored, never a server error."""

    q = SearchQueryField(
        label=_("Name or reading"),
        max_length=100,
        help_text=_("Part of the name or its reading in kana, or a word from the description."),
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=[("", _("All kinds")), *OrganizationKind.choices],
        error_messages={"invalid_choice": _("Choose a kind from the list.")},
    )
    district = DistrictFilterField()
    field = forms.ChoiceField(
        label=_("Activity field"),
        required=False,
        choices=[("", _("All fields")), *FieldCode.choices],
        error_messages={"invalid_choice": _("Choose an activity field from the list.")},
    )
    # The row of the 50音 index chosen with its links, kept when the other filters change.
    row = forms.ChoiceField(
        required=False,
        choices=[("", ""), *((row, row) for row in kana_rows())],
        widget=forms.HiddenInput,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.attrs.update({"autocomplete": "off"})
        self.helper = form_helper(
            submit_label=_("Show groups"),
            method="get",
            required_note=False,
            form_class="form form--filters",
        )

    def filters(self) -> dict:
        """The valid filters only; a bad value in one filter does not discard the others."""
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value}

    def clean_row(self) -> KanaRow | str:
        row = self.cleaned_data["row"]
        return KanaRow(row) if row else ""
