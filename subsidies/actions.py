"""How the pages take each workflow action: its form, the service it calls, and what is said after.

workflow.TRANSITIONS says who may take an action and from which states; this registry says how a
page takes it. The coordinator's pages and the grant staff's review pages both take every action
through one path (views.actions.act), which checks the table, binds the form, calls the service
with the form's `arguments()`, and puts the service's refusals beside the fields they concern.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from . import workflow
from .forms import ActionForm
from .forms import coordinator as council_forms
from .forms import review as review_forms
from .services import decisions


@dataclass(frozen=True)
class Action:
    form: type[ActionForm]
    # Called as service(application=…, by=…, **form.arguments()); it checks the workflow again.
    service: Callable
    done_message: Promise


ACTIONS: dict[str, Action] = {
    # The coordinator's filings.
    "submit": Action(
        council_forms.FilingForm,
        decisions.submit,
        _("The application has been submitted. The city will review it."),
    ),
    "withdraw": Action(
        council_forms.WithdrawForm,
        decisions.withdraw,
        _("The application has been withdrawn."),
    ),
    "request_change": Action(
        council_forms.FilingForm,
        decisions.request_change,
        _("The change request has been submitted. The city will decide on it."),
    ),
    "submit_report": Action(
        council_forms.FilingForm,
        decisions.submit_report,
        _("The report has been submitted. The city will check it."),
    ),
    # The grant staff's review, decision, payments and settlement.
    "return": Action(
        review_forms.ReturnForm,
        decisions.return_for_correction,
        _("The application was returned to the council for correction."),
    ),
    "recommend": Action(
        review_forms.RecommendForm,
        decisions.recommend,
        _("The application was recommended to the approvers."),
    ),
    "approve": Action(review_forms.ApproveForm, decisions.approve, _("The grant was decided.")),
    "reject": Action(review_forms.RejectForm, decisions.reject, _("The application was rejected.")),
    "pay": Action(review_forms.PayForm, decisions.record_payment, _("The payment was recorded.")),
    "approve_change": Action(
        review_forms.ApproveChangeForm,
        decisions.approve_change,
        _("The change was approved; its version is now the current one."),
    ),
    "refuse_change": Action(
        review_forms.RefuseChangeForm,
        decisions.refuse_change,
        _("The change was refused; the grant stays as decided."),
    ),
    "return_report": Action(
        review_forms.ReturnReportForm,
        decisions.return_report,
        _("The report was returned to the council for correction."),
    ),
    "accept_report": Action(
        review_forms.AcceptReportForm, decisions.accept_report, _("The report was accepted.")
    ),
    "settle": Action(review_forms.SettleForm, decisions.settle, _("The amount was confirmed.")),
    "cancel": Action(review_forms.CancelForm, decisions.cancel, _("The grant was cancelled.")),
}


def taken_by_councils(action: str) -> bool:
    """Whether the action is the coordinator's (its pages) or the grant staff's (the review's)."""
    return any(
        row.role == workflow.COORDINATOR for row in workflow.TRANSITIONS if row.action == action
    )
