"""The grant staff's forms: the queue's filters and one form per review action.

Each action form turns its cleaned data into its service's arguments (`arguments()`);
subsidies.actions names the service, the service decides, and its refusals are shown beside the
fields they concern (core.forms.add_service_errors).
"""

from crispy_forms.layout import Fieldset, Layout
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.dates import current_fiscal_year, format_fiscal_year
from core.fields import AmountField, JapaneseDateField, validate_record_date
from core.forms import form_helper
from districts.forms import DistrictFilterField

from .. import rules
from ..models import PaymentKind, State
from ..parts import APPLICATION_PARTS, REPORT_PARTS
from ..selectors.review import SHOW_ALL, SHOW_MINE, STAFF_STATES
from . import ActionForm

# The queue ------------------------------------------------------------------------------------


class QueueFilterForm(forms.Form):
    """The queue's filters. A bad value is reported beside its field and ignored, never a 500."""

    fiscal_year = forms.TypedChoiceField(
        label=_("Fiscal year"),
        coerce=int,
        required=False,
        empty_value=None,
        error_messages={"invalid_choice": _("Choose a fiscal year from the list.")},
    )
    state = forms.ChoiceField(
        label=_("State"),
        required=False,
        choices=[("", _("All states")), *((state.value, state.label) for state in STAFF_STATES)],
        error_messages={"invalid_choice": _("Choose a state from the list.")},
    )
    # Its districts are the user's (set in __init__).
    district = DistrictFilterField()
    # 自分の対応待ち or everything: chosen by the links above the list, kept when filtering.
    show = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, data=None, *, fiscal_years, districts, **kwargs):
        self.default_fiscal_year = current_fiscal_year()
        if data is not None:
            data = data.copy()
            if not data.get("fiscal_year"):
                data["fiscal_year"] = str(self.default_fiscal_year)
        super().__init__(data, **kwargs)
        years = sorted({*fiscal_years, self.default_fiscal_year}, reverse=True)
        self.fields["fiscal_year"].choices = [
            (year, format_fiscal_year(year, western=True)) for year in years
        ]
        self.fields["district"].queryset = districts
        self.helper = form_helper(
            submit_label=_("Show applications"),
            method="get",
            required_note=False,
            form_class="form form--filters",
        )

    def filters(self) -> dict:
        """The valid filters; the fiscal year falls back to the current one."""
        self.is_valid()
        cleaned = self.cleaned_data
        return {
            "fiscal_year": cleaned.get("fiscal_year") or self.default_fiscal_year,
            "state": cleaned.get("state") or "",
            "district": cleaned.get("district"),
            # Anything else is no choice: the queue decides (see selectors.review_queue).
            "show": cleaned.get("show") if cleaned.get("show") in (SHOW_MINE, SHOW_ALL) else "",
        }


# Review actions -------------------------------------------------------------------------------


def _comment(*, required: bool = False, label=None, required_message=None) -> forms.CharField:
    return forms.CharField(
        label=label or (_("Comment") if not required else _("Reason")),
        required=required,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": required_message} if required_message else None,
    )


def _date(label) -> JapaneseDateField:
    return JapaneseDateField(
        label=label,
        initial=timezone.localdate,
        validators=[validate_record_date],
        error_messages={"required": _("Enter the date.")},
    )


class ReviewActionForm(ActionForm):
    """One review action's form, with the button the workflow's row names."""

    parts: dict = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(submit_label=str(self.transition.label))
        if self.transition.style == "danger":
            self.helper.inputs[0].field_classes = "button--primary button--danger"


class ReasonsForm(ReviewActionForm):
    """A return for correction: what to correct, beside each part it concerns."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, label in self.parts.items():
            self.fields[name] = forms.CharField(
                label=label,
                required=False,
                max_length=1000,
                widget=forms.Textarea(attrs={"rows": 3}),
            )
        self.fields["comment"] = _comment(label=_("Message to the council"))
        self.helper.layout = Layout(
            Fieldset(_("What to correct, by part (at least one)"), *self.parts),
            "comment",
        )

    def arguments(self) -> dict:
        return {
            "reasons": {name: self.cleaned_data.get(name, "") for name in self.parts},
            "comment": self.cleaned_data.get("comment", ""),
        }


class ReturnForm(ReasonsForm):
    parts = APPLICATION_PARTS


class ReturnReportForm(ReasonsForm):
    parts = REPORT_PARTS


class RecommendForm(ReviewActionForm):
    comment = _comment()


class ApproveForm(ReviewActionForm):
    granted_amount = AmountField(
        label=_("Granted amount (yen)"),
        error_messages={"required": rules.NO_GRANTED_AMOUNT},
    )
    decision_number = forms.CharField(
        label=_("Decision number"),
        max_length=50,
        help_text=_("As on the notice, such as 「み協第123号」."),
        error_messages={"required": rules.NO_DECISION_NUMBER},
    )
    decided_on = _date(_("Decided on"))
    conditions = forms.CharField(
        label=_("Conditions of the grant"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["granted_amount"].initial = self.application.requested_amount


class RejectForm(ReviewActionForm):
    comment = _comment(required=True, required_message=rules.NO_REJECTION_REASON)


class PayForm(ReviewActionForm):
    kind = forms.ChoiceField(
        label=_("Kind of payment"),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose the kind of payment."),
            "invalid_choice": rules.UNKNOWN_PAYMENT_KIND,
        },
    )
    amount = AmountField(
        label=_("Amount paid (yen)"), error_messages={"required": _("Enter the amount paid.")}
    )
    paid_on = _date(_("Paid on"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        kinds = (
            (PaymentKind.FINAL,)
            if self.application.state == State.SETTLED
            else (PaymentKind.ADVANCE, PaymentKind.FULL)
        )
        self.fields["kind"].choices = [(kind.value, kind.label) for kind in kinds]
        if len(kinds) == 1:
            self.fields["kind"].initial = kinds[0].value
        left = self.facts.get("left_to_pay")
        if left:
            self.fields["amount"].initial = left


class ApproveChangeForm(ReviewActionForm):
    granted_amount = AmountField(
        label=_("New granted amount (yen)"),
        error_messages={"required": rules.NO_GRANTED_AMOUNT},
    )
    comment = _comment()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        proposed = self.facts.get("proposed")
        if proposed is not None:
            self.fields["granted_amount"].initial = proposed.version.requested_amount


class RefuseChangeForm(ReviewActionForm):
    comment = _comment(required=True, required_message=rules.NO_CHANGE_REFUSAL_REASON)


class AcceptReportForm(ReviewActionForm):
    comment = _comment()


class SettleForm(ReviewActionForm):
    settled_on = _date(_("Confirmed on"))
    comment = _comment()


class CancelForm(ReviewActionForm):
    return_amount = AmountField(
        label=_("Amount to return (yen)"),
        help_text=_("What the council must pay back; at most what it has been paid."),
        error_messages={"required": rules.NO_RETURN_AMOUNT},
    )
    cancelled_on = _date(_("Cancelled on"))
    comment = _comment(required=True, required_message=rules.NO_CANCELLATION_REASON)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["return_amount"].initial = self.facts.get("paid", 0)
