from django import forms
from django.utils.translation import gettext_lazy as _

from core.dates import format_fiscal_year
from core.forms import form_helper
from districts.forms import DistrictFilterField

from . import selectors
from .models import MeetingKind


class MeetingFilterForm(forms.Form):
    """The meeting list's filters. Invalid values are reported and ignored, never a server error."""

    district = DistrictFilterField()
    kind = forms.ChoiceField(
        label=_("Kind of meeting"),
        required=False,
        choices=[("", _("All kinds")), *MeetingKind.choices],
        error_messages={"invalid_choice": _("Choose a kind of meeting from the list.")},
    )
    fiscal_year = forms.TypedChoiceField(
        label=_("Fiscal year"),
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": _("Choose a fiscal year from the list.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fiscal_year"].choices = [
            ("", _("All years")),
            *(
                (fy, format_fiscal_year(fy, western=True))
                for fy in selectors.meeting_fiscal_years()
            ),
        ]
        self.helper = form_helper(
            submit_label=_("Show meetings"),
            method="get",
            required_note=False,
            form_class="form form--filters",
        )

    def filters(self) -> dict:
        """The valid filters only; a bad value in one filter does not discard the others."""
        self.is_valid()
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if value is not None and value != ""
        }
