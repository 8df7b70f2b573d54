"""The workflow's moves: one function per action of workflow.TRANSITIONS.

Each runs in one transaction with the application's row locked (and the year's row first where
the year's rules are read: two approvals cannot both take the last yen, and a change of the
year's rules in services.program_year waits for the decision, payment or settlement), checks
the action's rules as rules.py declares them (read from the database under those locks), writes
one history entry, and e-mails whoever acts next once the transaction has committed.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import tasks

from .. import notifications, rules, workflow
from ..models import (
    Application,
    ApplicationVersion,
    Payment,
    ProgramYear,
    Report,
    VersionStatus,
)
from .applications import in_record_language, lock, record_event
from .program_year import granted_total, lock_year


def _move(
    application: Application,
    transition: workflow.Transition,
    *,
    by,
    comment: str = "",
    reasons: dict | None = None,
    amount_before: int | None = None,
    amount_after: int | None = None,
    update_fields: tuple[str, ...] = (),
) -> Application:
    """Save the new state and the fields the action set, record it, and notify after commit."""
    from_state = application.state
    application.state = transition.moves_to(from_state)
    application.save(update_fields=["state", "updated_at", *update_fields])
    event = record_event(
        application=application,
        by=by,
        action=transition.action,
        from_state=from_state,
        to_state=application.state,
        amount_before=amount_before,
        amount_after=amount_after,
        comment=comment,
        reasons=reasons,
    )
    tasks.after_commit(notifications.notify, event_id=event.pk)
    return application


def _begin(action: str, application: Application, by) -> tuple[Application, workflow.Transition]:
    locked = lock(application)
    return locked, workflow.transition_for(action, locked, by)


def _lock_year(application: Application) -> ProgramYear:
    return lock_year(application.program_year_id)


def _refuse(problems: list[str], code: str) -> None:
    if problems:
        raise ValidationError(problems, code=code)


def _filing(application: Application, version: ApplicationVersion) -> rules.Filing:
    """The version as the database holds it now, for rules.APPLICATION_CHECKS."""
    return rules.Filing(
        application=application,
        version=version,
        plan_rows=list(version.plan_rows.all()),
        lines=list(version.budget_lines.select_related("category")),
        attachments=list(application.attachments.filter(for_report=False)),
        allocation=rules.allocation_for(application),
    )


def submission_problems(application: Application, version: ApplicationVersion) -> list[str]:
    """Everything that stops a version from being filed (rules.APPLICATION_CHECKS), read now."""
    return rules.problems(rules.APPLICATION_CHECKS, _filing(application, version))


# Coordinators --------------------------------------------------------------------------------


@transaction.atomic
def submit(*, application: Application, by) -> Application:
    """File the application (or file it again after a return)."""
    application, transition = _begin("submit", application, by)
    version = application.versions.get(status=VersionStatus.CURRENT)
    _refuse(submission_problems(application, version), "incomplete")
    if application.submitted_at is None:
        application.submitted_at = timezone.now()
    return _move(
        application,
        transition,
        by=by,
        amount_after=application.requested_amount,
        update_fields=("submitted_at",),
    )


@transaction.atomic
def withdraw(*, application: Application, by, comment: str = "") -> Application:
    """Take the application back; the council may then start a new one."""
    application, transition = _begin("withdraw", application, by)
    return _move(application, transition, by=by, comment=comment)


@transaction.atomic
def request_change(*, application: Application, by) -> Application:
    """File the prepared change request (変更申請) for the approver."""
    application, transition = _begin("request_change", application, by)
    try:
        version = application.versions.get(status=VersionStatus.PROPOSED)
    except ApplicationVersion.DoesNotExist as missing:
        raise ValidationError(_("Prepare the change request first."), code="no_change") from missing
    _refuse(submission_problems(application, version), "incomplete")
    return _move(
        application,
        transition,
        by=by,
        comment=version.change_reason,
        amount_before=application.requested_amount,
        amount_after=version.requested_amount,
    )


@transaction.atomic
def submit_report(*, application: Application, by) -> Application:
    """File the year-end report (実績報告) with the actual budget."""
    application, transition = _begin("submit_report", application, by)
    report = Report.objects.filter(application=application).first()
    if report is None:
        raise ValidationError(_("Write the report first."), code="no_report")
    filed = _report_filing(application, report)
    rules.refuse(rules.REPORT_CHECKS, filed, code="incomplete")
    report.submitted_at = timezone.now()
    report.save(update_fields=["submitted_at", "updated_at"])
    return _move(application, transition, by=by, amount_after=rules.totals(filed.lines).expense)


def _report_filing(application: Application, report: Report) -> rules.ReportFiling:
    """The report as the database holds it now, for rules.REPORT_CHECKS."""
    return rules.ReportFiling(
        application=application,
        report=report,
        lines=list(report.lines.select_related("category")),
        receipts=list(application.attachments.filter(for_report=True)),
    )


# Grant officers ------------------------------------------------------------------------------


def _reasons(reasons: dict[str, str]) -> dict[str, str]:
    cleaned = {part: text.strip() for part, text in reasons.items() if text and text.strip()}
    if not cleaned:
        raise ValidationError(
            _("Say what needs correcting, beside the part it concerns."), code="no_reasons"
        )
    return cleaned


@transaction.atomic
def return_for_correction(
    *, application: Application, by, reasons: dict[str, str], comment: str = ""
) -> Application:
    """Send the application back to the council with what to correct, part by part."""
    application, transition = _begin("return", application, by)
    return _move(application, transition, by=by, reasons=_reasons(reasons), comment=comment.strip())


@transaction.atomic
def recommend(*, application: Application, by, comment: str = "") -> Application:
    """Pass the application to an approver; the recommender may not decide it."""
    application, transition = _begin("recommend", application, by)
    application.recommended_by = by
    return _move(
        application,
        transition,
        by=by,
        comment=comment.strip(),
        amount_after=application.requested_amount,
        update_fields=("recommended_by",),
    )


def _payments_total(application: Application) -> int:
    """Paid so far, read now (under the application's lock in the services that write)."""
    return application.payments.total()


@transaction.atomic
def record_payment(
    *, application: Application, by, kind: str, amount: int, paid_on: dt.date
) -> Payment:
    """Record money paid: an advance up to the ratio or in full; after settlement the rest."""
    # The year first, as approvals take it: a change of the advance ratio waits for this.
    _lock_year(application)
    application, transition = _begin("pay", application, by)
    entry = _payment(application, kind=kind, amount=amount, paid_on=paid_on)
    rules.refuse(rules.PAYMENT_CHECKS, entry, code="payment")
    payment = Payment.objects.create(
        application=application, kind=kind, amount=amount, paid_on=paid_on, recorded_by=by
    )
    _move(
        application,
        transition,
        by=by,
        amount_before=entry.paid,
        amount_after=entry.paid + amount,
        comment=in_record_language(payment.get_kind_display),
    )
    return payment


def _payment(
    application: Application, *, kind: str, amount: int, paid_on: dt.date
) -> rules.PaymentEntry:
    """The payment with what has been paid so far, read now, for rules.PAYMENT_CHECKS."""
    # Both sums are read under the application's lock: no payment comes between them.
    advances = application.payments.advances().total()
    return rules.PaymentEntry(
        application=application,
        kind=kind,
        amount=amount,
        paid_on=paid_on,
        paid=_payments_total(application),
        advances=advances,
    )


@transaction.atomic
def return_report(
    *, application: Application, by, reasons: dict[str, str], comment: str = ""
) -> Application:
    """Send the report back with what to correct."""
    application, transition = _begin("return_report", application, by)
    return _move(application, transition, by=by, reasons=_reasons(reasons), comment=comment.strip())


@transaction.atomic
def accept_report(*, application: Application, by, comment: str = "") -> Application:
    """Accept the report; its indicator results become the plan's results for the year."""
    from plans.models import IndicatorResult

    application, transition = _begin("accept_report", application, by)
    report = application.report
    for row in report.indicator_results.all():
        IndicatorResult.objects.update_or_create(
            indicator_id=row.indicator_id,
            fiscal_year=application.program_year.fiscal_year,
            defaults={
                "actual_value": row.actual_value,
                "note": row.note or _("From the grant report"),
            },
        )
    return _move(application, transition, by=by, comment=comment.strip())


# Grant approvers -----------------------------------------------------------------------------


def _decision(
    application: Application,
    year: ProgramYear,
    version: ApplicationVersion,
    *,
    amount: int,
    requested: int,
    decision_number: str | None = None,
) -> rules.GrantDecision:
    """The decision with the year's other grants, the allocation, the budget decided on and what
    has been paid, read now (under the year's lock, which a change of its categories takes too),
    for rules.DECISION_CHECKS."""
    number = (decision_number or "").strip()
    return rules.GrantDecision(
        application=application,
        year=year,
        amount=amount,
        requested=requested,
        allocation=rules.allocation_for(application),
        granted_elsewhere=granted_total(year, excluding=application),
        lines=list(version.budget_lines.select_related("category")),
        paid=_payments_total(application),
        decision_number=decision_number,
        number_taken=bool(number)
        and year.applications.filter(decision_number=number).exclude(pk=application.pk).exists(),
    )


@transaction.atomic
def approve(
    *,
    application: Application,
    by,
    granted_amount: int,
    decision_number: str,
    decided_on: dt.date,
    conditions: str = "",
) -> Application:
    """Decide the grant (交付決定) with an amount, a decision number and any conditions."""
    year = _lock_year(application)
    application, transition = _begin("approve", application, by)
    decision = _decision(
        application,
        year,
        application.versions.get(status=VersionStatus.CURRENT),
        amount=granted_amount,
        requested=application.requested_amount,
        decision_number=decision_number,
    )
    rules.refuse(rules.DECISION_CHECKS, decision, code="decision")
    application.granted_amount = granted_amount
    application.decision_number = decision_number.strip()
    application.decided_on = decided_on
    application.decision_conditions = conditions.strip()
    application.decided_by = by
    return _move(
        application,
        transition,
        by=by,
        amount_before=application.requested_amount,
        amount_after=granted_amount,
        comment=conditions.strip(),
        update_fields=(
            "granted_amount",
            "decision_number",
            "decided_on",
            "decision_conditions",
            "decided_by",
        ),
    )


@transaction.atomic
def reject(*, application: Application, by, comment: str) -> Application:
    """Refuse the application, saying why."""
    application, transition = _begin("reject", application, by)
    if not comment.strip():
        raise ValidationError({"comment": rules.NO_REJECTION_REASON}, code="no_reason")
    return _move(application, transition, by=by, comment=comment.strip())


@transaction.atomic
def approve_change(
    *, application: Application, by, granted_amount: int, comment: str = ""
) -> Application:
    """Approve the change request: its version becomes current, with the new decided amount."""
    year = _lock_year(application)
    application, transition = _begin("approve_change", application, by)
    proposed = application.versions.get(status=VersionStatus.PROPOSED)
    decision = _decision(
        application, year, proposed, amount=granted_amount, requested=proposed.requested_amount
    )
    rules.refuse(rules.DECISION_CHECKS, decision, code="decision")
    application.versions.filter(status=VersionStatus.CURRENT).update(
        status=VersionStatus.SUPERSEDED
    )
    ApplicationVersion.objects.filter(pk=proposed.pk).update(status=VersionStatus.CURRENT)
    before = application.granted_amount
    application.requested_amount = proposed.requested_amount
    application.granted_amount = granted_amount
    return _move(
        application,
        transition,
        by=by,
        amount_before=before,
        amount_after=granted_amount,
        comment=comment.strip()
        or in_record_language(
            lambda: _("Version %(number)s approved") % {"number": proposed.number}
        ),
        update_fields=("requested_amount", "granted_amount"),
    )


@transaction.atomic
def refuse_change(*, application: Application, by, comment: str) -> Application:
    """Refuse the change request; the current version and grant stay as they were."""
    application, transition = _begin("refuse_change", application, by)
    if not comment.strip():
        raise ValidationError({"comment": rules.NO_CHANGE_REFUSAL_REASON}, code="no_reason")
    application.versions.filter(status=VersionStatus.PROPOSED).update(status=VersionStatus.REFUSED)
    return _move(application, transition, by=by, comment=comment.strip())


def settlement_figures(application: Application) -> dict[str, int]:
    """confirmed = min(granted, eligible actual spending); refund or final payment from paid."""
    lines = list(application.report.lines.select_related("category"))
    eligible = rules.eligible_spending(lines)
    paid = _payments_total(application)
    amounts = rules.settlement_amounts(application.granted_amount or 0, eligible, paid)
    return {"eligible": eligible, "paid": paid, **amounts}


@transaction.atomic
def settle(*, application: Application, by, settled_on: dt.date, comment: str = "") -> Application:
    """Confirm the amount (額の確定); what was overpaid is returned or offset next year."""
    # The year first: its eligible categories and refund handling stay as read until this ends.
    _lock_year(application)
    application, transition = _begin("settle", application, by)
    figures = settlement_figures(application)
    application.confirmed_amount = figures["confirmed"]
    application.refund_amount = figures["refund"]
    application.refund_offset = rules.offsets_refund(application.program_year, figures["refund"])
    application.settled_on = settled_on
    return _move(
        application,
        transition,
        by=by,
        amount_before=application.granted_amount,
        amount_after=figures["confirmed"],
        comment=comment.strip(),
        update_fields=("confirmed_amount", "refund_amount", "refund_offset", "settled_on"),
    )


@transaction.atomic
def cancel(
    *, application: Application, by, return_amount: int, cancelled_on: dt.date, comment: str
) -> Application:
    """Cancel the grant (取消) for misuse, with the amount the council must return."""
    application, transition = _begin("cancel", application, by)
    paid = _payments_total(application)
    rules.refuse(
        rules.CANCELLATION_CHECKS,
        rules.Cancellation(
            application=application, comment=comment, return_amount=return_amount, paid=paid
        ),
        code="cancel",
    )
    # A change being prepared or filed will never be decided now; it stays readable as refused.
    application.versions.filter(status=VersionStatus.PROPOSED).update(status=VersionStatus.REFUSED)
    application.refund_amount = return_amount
    application.refund_offset = False
    application.cancelled_on = cancelled_on
    return _move(
        application,
        transition,
        by=by,
        amount_before=paid,
        amount_after=return_amount,
        comment=comment.strip(),
        update_fields=("refund_amount", "refund_offset", "cancelled_on"),
    )
