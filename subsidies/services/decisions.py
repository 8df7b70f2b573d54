"""The workflow's moves: one function per action of workflow.TRANSITIONS.

Each runs in one transaction with the application's row locked (and the year's row first where
the year's rules are read: two approvals cannot both take the last yen, and a change of the
year's rules in services.program_year waits for the decision, payment or settlement), checks the
declaration and the invariants, writes one history entry, and e-mails whoever acts next once the
transaction has committed.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.dates import format_wareki_date

from .. import notifications, rules, workflow
from ..models import (
    Application,
    ApplicationVersion,
    Payment,
    PaymentKind,
    ProgramYear,
    Report,
    State,
    VersionStatus,
)
from .applications import in_record_language, lock, record_event
from .program_year import granted_total, lock_year

# The refusals a form also gives beside its field (a required field left empty, a choice not in
# the list): written once here, so the page reads the same whichever of the two finds it.
NO_PURPOSE = gettext_lazy("Describe the purpose and outline of the activities.")
NO_GRANTED_AMOUNT = gettext_lazy("Enter the amount granted.")
NO_DECISION_NUMBER = gettext_lazy("Enter the decision number.")
NO_REJECTION_REASON = gettext_lazy("Say why the application is rejected.")
NO_CHANGE_REFUSAL_REASON = gettext_lazy("Say why the change is refused.")
NO_CANCELLATION_REASON = gettext_lazy("Say why the grant is cancelled.")
NO_RETURN_AMOUNT = gettext_lazy("Enter the amount to return (0 if none).")
UNKNOWN_PAYMENT_KIND = gettext_lazy("Choose the kind of payment from the list.")

yen = rules.yen


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
    # robust: a mail server that fails is logged; it must not turn a committed move into an error.
    transaction.on_commit(_notify(event.pk), robust=True)
    return application


def _notify(event_id: int):
    def send_notice():
        notifications.send_for_event(event_id)

    return send_notice


def _begin(action: str, application: Application, by) -> tuple[Application, workflow.Transition]:
    locked = lock(application)
    return locked, workflow.transition_for(action, locked, by)


def _lock_year(application: Application) -> ProgramYear:
    return lock_year(application.program_year_id)


def _refuse(problems: list[str], code: str) -> None:
    if problems:
        raise ValidationError(problems, code=code)


def submission_problems(application: Application, version: ApplicationVersion) -> list[str]:
    """Everything that stops a version from being filed: used on submit and on the check page."""
    lines = list(version.budget_lines.select_related("category"))
    problems = []
    if not version.purpose.strip():
        problems.append(NO_PURPOSE)
    if not version.plan_rows.exists():
        problems.append(_("Add at least one activity to the business plan."))
    problems += rules.balance_problems(lines)
    problems += rules.category_problems(lines, program_year=application.program_year)
    problems += rules.request_problems(rules.totals(lines).grant, rules.allocation_for(application))
    if version.number == 1 and not application.attachments.filter(kind="minutes").exists():
        problems.append(_("Attach the general meeting's minutes or resolution (総会資料)."))
    return problems


# Coordinators --------------------------------------------------------------------------------


@transaction.atomic
def submit(*, application: Application, by) -> Application:
    """File the application (or file it again after a return)."""
    application, transition = _begin("submit", application, by)
    today = timezone.localdate()
    year = application.program_year
    if application.state == State.DRAFT and not (
        year.application_opens_on <= today <= year.application_closes_on
    ):
        raise ValidationError(
            _("Applications are accepted from %(opens)s to %(closes)s.")
            % {
                "opens": format_wareki_date(year.application_opens_on),
                "closes": format_wareki_date(year.application_closes_on),
            },
            code="window",
        )
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
    lines = list(report.lines.select_related("category"))
    problems = []
    if not report.summary.strip():
        problems.append(_("Describe what was done."))
    problems += rules.balance_problems(lines)
    problems += rules.category_problems(lines, program_year=application.program_year)
    problems += rules.date_problems(lines, fiscal_year=application.program_year.fiscal_year)
    if not application.attachments.filter(for_report=True, kind="receipt").exists():
        problems.append(_("Attach the receipts (領収書)."))
    _refuse(problems, "incomplete")
    report.submitted_at = timezone.now()
    report.save(update_fields=["submitted_at", "updated_at"])
    return _move(application, transition, by=by, amount_after=rules.totals(lines).expense)


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


def advance_limit(application: Application) -> int:
    """The most that may be paid in advance: the year's ratio of the grant, in whole yen."""
    return (application.granted_amount or 0) * application.program_year.advance_ratio_percent // 100


@transaction.atomic
def record_payment(
    *, application: Application, by, kind: str, amount: int, paid_on: dt.date
) -> Payment:
    """Record money paid: an advance up to the ratio or in full; after settlement the rest."""
    # The year first, as approvals take it: a change of the advance ratio waits for this.
    _lock_year(application)
    application, transition = _begin("pay", application, by)
    paid = _payments_total(application)
    settled = application.state == State.SETTLED
    ceiling = application.confirmed_amount if settled else application.granted_amount
    errors = {}
    if kind not in PaymentKind.values:
        errors["kind"] = UNKNOWN_PAYMENT_KIND
    elif settled and kind != PaymentKind.FINAL:
        errors["kind"] = _("After settlement only the final payment can be recorded.")
    elif not settled and kind == PaymentKind.FINAL:
        errors["kind"] = _("The final payment comes after the amount is confirmed.")
    if amount <= 0:
        errors["amount"] = _("Enter an amount of at least ¥1.")
    elif paid + amount > ceiling:
        errors["amount"] = _(
            "Payments would total %(total)s, more than the %(what)s of %(ceiling)s "
            "(%(paid)s paid so far)."
        ) % {
            "total": yen(paid + amount),
            "what": _("confirmed amount") if settled else _("grant"),
            "ceiling": yen(ceiling),
            "paid": yen(paid),
        }
    elif kind == PaymentKind.FULL and paid + amount != ceiling:
        # Otherwise a part payment called "in full" would get round the advance ratio.
        errors["amount"] = _(
            "A payment in full pays the rest of the grant of %(ceiling)s: %(left)s "
            "(%(paid)s paid so far)."
        ) % {"ceiling": yen(ceiling), "left": yen(ceiling - paid), "paid": yen(paid)}
    elif kind == PaymentKind.ADVANCE:
        advances = application.payments.advances().total()
        if advances + amount > advance_limit(application):
            errors["amount"] = _(
                "Advances would total %(total)s; at most %(limit)s (%(ratio)s%% of the grant) "
                "may be paid in advance."
            ) % {
                "total": yen(advances + amount),
                "limit": yen(advance_limit(application)),
                "ratio": application.program_year.advance_ratio_percent,
            }
    if application.decided_on and paid_on < application.decided_on:
        errors["paid_on"] = _("A payment cannot come before the decision of %(date)s.") % {
            "date": format_wareki_date(application.decided_on)
        }
    elif paid_on > timezone.localdate():
        errors["paid_on"] = _("Enter the date the money was paid, not a future date.")
    if errors:
        raise ValidationError(errors, code="payment")
    payment = Payment.objects.create(
        application=application, kind=kind, amount=amount, paid_on=paid_on, recorded_by=by
    )
    _move(
        application,
        transition,
        by=by,
        amount_before=paid,
        amount_after=paid + amount,
        comment=in_record_language(payment.get_kind_display),
    )
    return payment


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


def _category_problems(version, year: ProgramYear) -> dict:
    """The budget decided on holds no line the year no longer pays for: a category may have
    been made ineligible after the budget was filed (read under the year's lock, which a
    change of the year's categories takes too)."""
    problems = rules.category_problems(
        list(version.budget_lines.select_related("category")), program_year=year
    )
    return {"__all__": problems} if problems else {}


def _grant_problems(application: Application, year: ProgramYear, amount: int, requested: int):
    """granted ≤ requested, ≤ the allocation, and the year's grants within its budget."""
    if amount <= 0:
        return {"granted_amount": NO_GRANTED_AMOUNT}
    if amount > requested:
        return {
            "granted_amount": _("The grant cannot exceed the request of %(requested)s.")
            % {"requested": yen(requested)}
        }
    allocation = rules.allocation_for(application)
    if allocation is None or amount > allocation.amount:
        return {
            "granted_amount": _(
                "The grant cannot exceed the district's allocation of %(allocation)s."
            )
            % {"allocation": yen(allocation.amount if allocation else 0)}
        }
    others = granted_total(year, excluding=application)
    if others + amount > year.budget:
        return {
            "granted_amount": _(
                "Grants this year would total %(total)s, %(over)s over the budget of %(budget)s."
            )
            % {
                "total": yen(others + amount),
                "over": yen(others + amount - year.budget),
                "budget": yen(year.budget),
            }
        }
    return {}


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
    errors = _grant_problems(application, year, granted_amount, application.requested_amount)
    errors |= _category_problems(application.versions.get(status=VersionStatus.CURRENT), year)
    if not decision_number.strip():
        errors["decision_number"] = NO_DECISION_NUMBER
    elif (
        year.applications.filter(decision_number=decision_number.strip())
        .exclude(pk=application.pk)
        .exists()
    ):
        errors["decision_number"] = _("This decision number is already used this year.")
    if errors:
        raise ValidationError(errors, code="decision")
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
        raise ValidationError({"comment": NO_REJECTION_REASON}, code="no_reason")
    return _move(application, transition, by=by, comment=comment.strip())


@transaction.atomic
def approve_change(
    *, application: Application, by, granted_amount: int, comment: str = ""
) -> Application:
    """Approve the change request: its version becomes current, with the new decided amount."""
    year = _lock_year(application)
    application, transition = _begin("approve_change", application, by)
    proposed = application.versions.get(status=VersionStatus.PROPOSED)
    errors = _grant_problems(application, year, granted_amount, proposed.requested_amount)
    errors |= _category_problems(proposed, year)
    paid = _payments_total(application)
    if not errors and granted_amount < paid:
        errors["granted_amount"] = _(
            "%(paid)s has already been paid; the grant cannot be less."
        ) % {"paid": yen(paid)}
    if errors:
        raise ValidationError(errors, code="decision")
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
        raise ValidationError({"comment": NO_CHANGE_REFUSAL_REASON}, code="no_reason")
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
    from ..models import RefundHandling

    # The year first: its eligible categories and refund handling stay as read until this ends.
    _lock_year(application)
    application, transition = _begin("settle", application, by)
    figures = settlement_figures(application)
    application.confirmed_amount = figures["confirmed"]
    application.refund_amount = figures["refund"]
    application.refund_offset = bool(figures["refund"]) and (
        application.program_year.refund_handling == RefundHandling.OFFSET
    )
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
    errors = {}
    if not comment.strip():
        errors["comment"] = NO_CANCELLATION_REASON
    if return_amount < 0:
        errors["return_amount"] = NO_RETURN_AMOUNT
    elif return_amount > paid:
        errors["return_amount"] = _(
            "The council has been paid %(paid)s; it cannot return more."
        ) % {"paid": yen(paid)}
    if errors:
        raise ValidationError(errors, code="cancel")
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
