"""The grant's rules (DESIGN.md section 5), each written once and declared as checks.

The budget checks (balance, categories, dates, request ≤ allocation) are functions of a
budget's lines. What an action must pass is declared as data: a tuple of `Check`s per action
(APPLICATION_CHECKS on submitting an application or a change request, REPORT_CHECKS on the
year-end report, PAYMENT_CHECKS, DECISION_CHECKS on approving a grant or a change,
CANCELLATION_CHECKS). The services refuse with the problems of their tuple, the coordinator's
check page lists the same problems before submitting, and the review checklists show every check
as passed or needing attention. A new rule is one more entry in its tuple.
"""

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.dates import fiscal_year_range, format_wareki_date
from core.numbers import format_yen

from .models import (
    Allocation,
    Application,
    ApplicationVersion,
    AttachmentKind,
    IncomeSource,
    PaymentKind,
    ProgramYear,
    RefundHandling,
    Report,
    Side,
    State,
)

yen = format_yen


@dataclass(frozen=True)
class Totals:
    income: int
    expense: int
    grant: int  # the income line(s) from this grant: the amount requested or reported

    @property
    def difference(self) -> int:
        return self.income - self.expense

    @property
    def balanced(self) -> bool:
        return self.income == self.expense


def totals(lines: Iterable) -> Totals:
    """Income, expenses and the grant line of a budget or a report (lines or dicts)."""
    income = expense = grant = 0
    for line in lines:
        side, source, amount = _get(line, "side"), _get(line, "income_source"), _get(line, "amount")
        if side == Side.INCOME:
            income += amount
            if source == IncomeSource.GRANT:
                grant += amount
        else:
            expense += amount
    return Totals(income=income, expense=expense, grant=grant)


def eligible_spending(lines: Iterable) -> int:
    """Expenses in categories the grant may pay for."""
    return sum(
        _get(line, "amount")
        for line in lines
        if _get(line, "side") == Side.EXPENSE and _get(line, "category").eligible
    )


def _get(line, name):
    return line[name] if isinstance(line, dict) else getattr(line, name)


def balance_problems(lines: list) -> list[str]:
    """Income must equal expenses, and there must be both."""
    result = totals(lines)
    problems = []
    if not result.expense:
        problems.append(_("Enter at least one expense."))
    if not result.balanced:
        problems.append(
            _(
                "Income (%(income)s) and expenses (%(expense)s) must be equal: "
                "the difference is %(difference)s."
            )
            % {
                "income": yen(result.income),
                "expense": yen(result.expense),
                "difference": yen(abs(result.difference)),
            }
        )
    return problems


def category_problems(lines: list, *, program_year) -> list[str]:
    """No line in a category that is not eligible, or that belongs to another year."""
    problems = []
    for line in lines:
        category = _get(line, "category")
        if _get(line, "side") != Side.EXPENSE or category is None:
            continue
        if category.program_year_id != program_year.pk:
            problems.append(
                _("“%(category)s” is not a category of this year.") % {"category": category.name}
            )
        elif not category.eligible:
            problems.append(
                _("“%(category)s” cannot be paid from the grant: %(note)s")
                % {"category": category.name, "note": category.note or _("not eligible")}
            )
    return problems


def date_problems(lines: list, *, fiscal_year: int) -> list[str]:
    """Report expenses must be dated, inside the fiscal year (April 1 to March 31)."""
    first, last = fiscal_year_range(fiscal_year)
    expenses = [line for line in lines if _get(line, "side") == Side.EXPENSE]
    problems = []
    if any(_get(line, "spent_on") is None for line in expenses):
        problems.append(_("Enter the date each expense was paid."))
    outside = [
        line
        for line in expenses
        if _get(line, "spent_on") is not None and not first <= _get(line, "spent_on") <= last
    ]
    if not outside:
        return problems
    return [
        *problems,
        _("Expenses must be paid between %(first)s and %(last)s: %(lines)s.")
        % {
            "first": format_wareki_date(first),
            "last": format_wareki_date(last),
            "lines": "、".join(
                f"{_get(line, 'description') or _get(line, 'category').name} "
                f"({format_wareki_date(_get(line, 'spent_on'))})"
                for line in outside
            ),
        },
    ]


def allocation_for(application: Application) -> Allocation | None:
    return Allocation.objects.filter(
        program_year_id=application.program_year_id,
        district_id=application.council.district_id,
    ).first()


def request_problems(requested: int, allocation: Allocation | None) -> list[str]:
    """The request is more than nothing and no more than the district's allocation."""
    if allocation is None:
        return [_("The allocation for this district has not been computed yet.")]
    if requested <= 0:
        return [_("Enter the amount requested from the grant as an income line.")]
    if requested > allocation.amount:
        return [
            _(
                "The request of %(requested)s is more than the district's allocation of "
                "%(allocation)s."
            )
            % {"requested": yen(requested), "allocation": yen(allocation.amount)}
        ]
    return []


# Declared checks -------------------------------------------------------------------------------
#
# Each action's rules are a tuple of checks. A check reads one small object holding what is
# being checked (a Filing, a ReportFiling, a PaymentEntry, a GrantDecision, a Cancellation),
# built from the rows a page has already fetched or from the database inside a service, and
# returns the problems it finds as the user-facing messages.


def _nothing(_subject) -> list[str]:
    return []


def _today() -> dt.date:
    return timezone.localdate()


@dataclass(frozen=True)
class Check:
    """One rule an action must pass.

    `problems` stop the action: the service refuses with them and the coordinator's check page
    lists them. `advice` never refuses; it only draws the reviewer's eye (an activity not linked
    to the district plan). `field` is the form field a problem stands beside: a field shows the
    first problem its checks find, in the order declared (an empty amount is not also over the
    grant). The label is what the review checklist shows; it may be a function of the subject
    when it names figures.
    """

    key: str
    label: Promise | str | Callable[[Any], str]
    problems: Callable[[Any], list] = _nothing
    advice: Callable[[Any], list] = _nothing
    field: str | None = None

    def label_for(self, subject) -> str:
        return str(self.label(subject) if callable(self.label) else self.label)


@dataclass(frozen=True)
class Outcome:
    """A check as a checklist shows it: passed, or needing attention with the reasons."""

    key: str
    label: str
    problems: list[str]
    advice: list[str]

    @property
    def passed(self) -> bool:
        return not self.problems and not self.advice

    @property
    def details(self) -> list[str]:
        return [*self.problems, *self.advice]


def checklist(checks: Iterable[Check], subject) -> list[Outcome]:
    """Every check, passed or needing attention, in the order declared."""
    return [
        Outcome(
            key=check.key,
            label=check.label_for(subject),
            problems=[str(problem) for problem in check.problems(subject)],
            advice=[str(problem) for problem in check.advice(subject)],
        )
        for check in checks
    ]


def problems(checks: Iterable[Check], subject) -> list:
    """What stops the action, in the order declared (advice is left out)."""
    return [problem for check in checks for problem in check.problems(subject)]


def refuse(checks: Iterable[Check], subject, *, code: str) -> None:
    """Raise a ValidationError with the problems the checks find, if any.

    Where the checks name fields, the error is keyed by field (a field gets the first problem
    its checks find; the others are the form's non-field errors); otherwise it is a list.
    """
    checks = tuple(checks)
    by_field: dict[str, Any] = {}
    general: list = []
    for check in checks:
        if check.field is None:
            general += check.problems(subject)
        elif check.field not in by_field and (found := check.problems(subject)):
            by_field[check.field] = found[0]
    if general and any(check.field for check in checks):
        by_field[NON_FIELD_ERRORS] = general
    if by_field:
        raise ValidationError(by_field, code=code)
    if general:
        raise ValidationError(general, code=code)


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


# An application or a change request ------------------------------------------------------------


@dataclass(frozen=True)
class Filing:
    """A version of the plan and budget as it is (or would be) filed: what APPLICATION_CHECKS
    read."""

    application: Application
    version: ApplicationVersion
    plan_rows: Sequence  # PlanRow, with their initiatives where advice is read
    lines: Sequence  # BudgetLine, with their categories
    attachments: Sequence  # the application's files (not the report's receipts)
    allocation: Allocation | None
    today: dt.date = field(default_factory=_today)

    @property
    def year(self) -> ProgramYear:
        return self.application.program_year

    @property
    def requested(self) -> int:
        return totals(self.lines).grant

    @property
    def filed_on(self) -> dt.date | None:
        """The day the application was first filed; None while it never has been."""
        submitted = self.application.submitted_at
        return timezone.localdate(submitted) if submitted else None


def _purpose(filing: Filing) -> list:
    return [] if filing.version.purpose.strip() else [NO_PURPOSE]


def _has_activities(filing: Filing) -> list[str]:
    return [] if filing.plan_rows else [_("Add at least one activity to the business plan.")]


def _unlinked_activities(filing: Filing) -> list[str]:
    return [
        _("“%(activity)s” is not linked to an initiative of the district plan.")
        % {"activity": row.activity}
        for row in filing.plan_rows
        if not row.initiatives.all()
    ]


def _request_label(filing: Filing) -> str:
    return _("The request of %(requested)s is within the allocation of %(allocation)s") % {
        "requested": yen(filing.requested),
        "allocation": yen(filing.allocation.amount) if filing.allocation else "—",
    }


def _minutes(filing: Filing) -> list[str]:
    """The first version is filed with the general meeting's decision; a change needs none."""
    if filing.version.number != 1 or any(
        item.kind == AttachmentKind.MINUTES for item in filing.attachments
    ):
        return []
    return [_("Attach the general meeting's minutes or resolution (総会資料).")]


def _application_period(year: ProgramYear) -> str:
    return _("from %(opens)s to %(closes)s") % {
        "opens": format_wareki_date(year.application_opens_on),
        "closes": format_wareki_date(year.application_closes_on),
    }


def _window_label(filing: Filing) -> str:
    return _("Filed within the application period (%(window)s)") % {
        "window": _application_period(filing.year)
    }


def _in_window(year: ProgramYear, day: dt.date) -> bool:
    return year.application_opens_on <= day <= year.application_closes_on


def _window_open(filing: Filing) -> list[str]:
    """A first filing comes inside the period; a correction after a return may come later."""
    year = filing.year
    if filing.filed_on is not None or _in_window(year, filing.today):
        return []
    return [
        _("Applications are accepted from %(opens)s to %(closes)s.")
        % {
            "opens": format_wareki_date(year.application_opens_on),
            "closes": format_wareki_date(year.application_closes_on),
        }
    ]


def _filed_in_window(filing: Filing) -> list[str]:
    if filing.filed_on is None or _in_window(filing.year, filing.filed_on):
        return []
    return [_("Filed on %(date)s.") % {"date": format_wareki_date(filing.filed_on)}]


APPLICATION_CHECKS: tuple[Check, ...] = (
    Check("purpose", gettext_lazy("The purpose and outline are described"), _purpose),
    Check(
        "plan",
        gettext_lazy("Every activity is linked to an initiative of the district plan"),
        _has_activities,
        advice=_unlinked_activities,
    ),
    Check(
        "balance",
        gettext_lazy("Income and expenses balance"),
        lambda filing: balance_problems(filing.lines),
    ),
    Check(
        "categories",
        gettext_lazy("No expense is in an ineligible category"),
        lambda filing: category_problems(filing.lines, program_year=filing.year),
    ),
    Check(
        "request",
        _request_label,
        lambda filing: request_problems(filing.requested, filing.allocation),
    ),
    Check(
        "minutes",
        gettext_lazy("The general meeting's minutes or resolution are attached"),
        _minutes,
    ),
    Check("window", _window_label, _window_open, advice=_filed_in_window),
)


# The year-end report ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ReportFiling:
    """The report (実績報告) as it is (or would be) filed: what REPORT_CHECKS read."""

    application: Application
    report: Report
    lines: Sequence  # ReportLine, with their categories
    receipts: Sequence  # the files filed with the report

    @property
    def year(self) -> ProgramYear:
        return self.application.program_year


def _summary(filing: ReportFiling) -> list[str]:
    return [] if filing.report.summary.strip() else [_("Describe what was done.")]


def _receipts(filing: ReportFiling) -> list[str]:
    if any(item.kind == AttachmentKind.RECEIPT for item in filing.receipts):
        return []
    return [_("Attach the receipts (領収書).")]


REPORT_CHECKS: tuple[Check, ...] = (
    Check("summary", gettext_lazy("What was done is described"), _summary),
    Check(
        "balance",
        gettext_lazy("Actual income and expenses balance"),
        lambda filing: balance_problems(filing.lines),
    ),
    Check(
        "categories",
        gettext_lazy("No expense is in an ineligible category"),
        lambda filing: category_problems(filing.lines, program_year=filing.year),
    ),
    Check(
        "dates",
        gettext_lazy("Every expense was paid within the fiscal year"),
        lambda filing: date_problems(filing.lines, fiscal_year=filing.year.fiscal_year),
    ),
    Check("receipts", gettext_lazy("Receipts are attached"), _receipts),
)


# Payments --------------------------------------------------------------------------------------


def advance_limit(application: Application) -> int:
    """The most that may be paid in advance: the year's ratio of the grant, in whole yen."""
    return (application.granted_amount or 0) * application.program_year.advance_ratio_percent // 100


@dataclass(frozen=True)
class PaymentEntry:
    """A payment about to be recorded: what PAYMENT_CHECKS read."""

    application: Application
    kind: str
    amount: int
    paid_on: dt.date
    paid: int  # paid so far
    advances: int  # of which advances
    today: dt.date = field(default_factory=_today)

    @property
    def settled(self) -> bool:
        return self.application.state == State.SETTLED

    @property
    def ceiling(self) -> int:
        """What may be paid in all: the confirmed amount after settlement, else the grant."""
        application = self.application
        return (application.confirmed_amount if self.settled else application.granted_amount) or 0


def _known_kind(entry: PaymentEntry) -> list:
    return [] if entry.kind in PaymentKind.values else [UNKNOWN_PAYMENT_KIND]


def _kind_for_stage(entry: PaymentEntry) -> list[str]:
    if entry.settled and entry.kind != PaymentKind.FINAL:
        return [_("After settlement only the final payment can be recorded.")]
    if not entry.settled and entry.kind == PaymentKind.FINAL:
        return [_("The final payment comes after the amount is confirmed.")]
    return []


def _positive_amount(entry: PaymentEntry) -> list[str]:
    return [] if entry.amount > 0 else [_("Enter an amount of at least ¥1.")]


def _within_ceiling(entry: PaymentEntry) -> list[str]:
    if entry.paid + entry.amount <= entry.ceiling:
        return []
    return [
        _(
            "Payments would total %(total)s, more than the %(what)s of %(ceiling)s "
            "(%(paid)s paid so far)."
        )
        % {
            "total": yen(entry.paid + entry.amount),
            "what": _("confirmed amount") if entry.settled else _("grant"),
            "ceiling": yen(entry.ceiling),
            "paid": yen(entry.paid),
        }
    ]


def _full_pays_the_rest(entry: PaymentEntry) -> list[str]:
    """Otherwise a part payment called "in full" would get round the advance ratio."""
    if entry.kind != PaymentKind.FULL or entry.paid + entry.amount == entry.ceiling:
        return []
    return [
        _(
            "A payment in full pays the rest of the grant of %(ceiling)s: %(left)s "
            "(%(paid)s paid so far)."
        )
        % {
            "ceiling": yen(entry.ceiling),
            "left": yen(entry.ceiling - entry.paid),
            "paid": yen(entry.paid),
        }
    ]


def _advances_within_ratio(entry: PaymentEntry) -> list[str]:
    limit = advance_limit(entry.application)
    if entry.kind != PaymentKind.ADVANCE or entry.advances + entry.amount <= limit:
        return []
    return [
        _(
            "Advances would total %(total)s; at most %(limit)s (%(ratio)s%% of the grant) "
            "may be paid in advance."
        )
        % {
            "total": yen(entry.advances + entry.amount),
            "limit": yen(limit),
            "ratio": entry.application.program_year.advance_ratio_percent,
        }
    ]


def _after_the_decision(entry: PaymentEntry) -> list[str]:
    decided_on = entry.application.decided_on
    if decided_on is None or entry.paid_on >= decided_on:
        return []
    return [
        _("A payment cannot come before the decision of %(date)s.")
        % {"date": format_wareki_date(decided_on)}
    ]


def _not_in_the_future(entry: PaymentEntry) -> list[str]:
    if entry.paid_on <= entry.today:
        return []
    return [_("Enter the date the money was paid, not a future date.")]


PAYMENT_CHECKS: tuple[Check, ...] = (
    Check(
        "kind", gettext_lazy("The kind of payment is one of the list"), _known_kind, field="kind"
    ),
    Check(
        "kind_for_stage",
        gettext_lazy("The final payment, and only it, comes after settlement"),
        _kind_for_stage,
        field="kind",
    ),
    Check("amount", gettext_lazy("The amount is at least ¥1"), _positive_amount, field="amount"),
    Check(
        "within_ceiling",
        gettext_lazy("Payments together stay within the grant (the confirmed amount once settled)"),
        _within_ceiling,
        field="amount",
    ),
    Check(
        "full_pays_the_rest",
        gettext_lazy("A payment in full pays the rest of the grant"),
        _full_pays_the_rest,
        field="amount",
    ),
    Check(
        "advance_ratio",
        gettext_lazy("Advances stay within the year's advance ratio of the grant"),
        _advances_within_ratio,
        field="amount",
    ),
    Check(
        "after_decision",
        gettext_lazy("The payment does not come before the decision"),
        _after_the_decision,
        field="paid_on",
    ),
    Check(
        "not_in_future",
        gettext_lazy("The payment is not dated in the future"),
        _not_in_the_future,
        field="paid_on",
    ),
)


# The decision: a grant (交付決定) or an approved change ------------------------------------------


@dataclass(frozen=True)
class GrantDecision:
    """A grant being decided, or a change being approved: what DECISION_CHECKS read."""

    application: Application
    year: ProgramYear  # read under its lock, with the budget and categories as they are now
    amount: int  # to be granted
    requested: int  # what the version decided on asks for
    allocation: Allocation | None
    granted_elsewhere: int  # the year's other grants together
    lines: Sequence  # the budget decided on, with its categories
    paid: int = 0  # paid so far (a change after payment)
    decision_number: str | None = None  # None: a change keeps the decision's number
    number_taken: bool = False  # another application of the year has this number


def _granted(decision: GrantDecision) -> list:
    return [] if decision.amount > 0 else [NO_GRANTED_AMOUNT]


def _within_request(decision: GrantDecision) -> list[str]:
    if decision.amount <= decision.requested:
        return []
    return [
        _("The grant cannot exceed the request of %(requested)s.")
        % {"requested": yen(decision.requested)}
    ]


def _within_allocation(decision: GrantDecision) -> list[str]:
    allocation = decision.allocation
    if allocation is not None and decision.amount <= allocation.amount:
        return []
    return [
        _("The grant cannot exceed the district's allocation of %(allocation)s.")
        % {"allocation": yen(allocation.amount if allocation else 0)}
    ]


def _within_budget(decision: GrantDecision) -> list[str]:
    total = decision.granted_elsewhere + decision.amount
    budget = decision.year.budget
    if total <= budget:
        return []
    return [
        _("Grants this year would total %(total)s, %(over)s over the budget of %(budget)s.")
        % {"total": yen(total), "over": yen(total - budget), "budget": yen(budget)}
    ]


def _not_below_paid(decision: GrantDecision) -> list[str]:
    if decision.amount >= decision.paid:
        return []
    return [
        _("%(paid)s has already been paid; the grant cannot be less.")
        % {"paid": yen(decision.paid)}
    ]


def _still_eligible(decision: GrantDecision) -> list[str]:
    """A category may have been made ineligible after the budget was filed."""
    return category_problems(decision.lines, program_year=decision.year)


def _numbered(decision: GrantDecision) -> list:
    if decision.decision_number is None or decision.decision_number.strip():
        return []
    return [NO_DECISION_NUMBER]


def _number_once_a_year(decision: GrantDecision) -> list[str]:
    return [_("This decision number is already used this year.")] if decision.number_taken else []


DECISION_CHECKS: tuple[Check, ...] = (
    Check("granted", gettext_lazy("An amount is granted"), _granted, field="granted_amount"),
    Check(
        "within_request",
        gettext_lazy("The grant is within the request"),
        _within_request,
        field="granted_amount",
    ),
    Check(
        "within_allocation",
        gettext_lazy("The grant is within the district's allocation"),
        _within_allocation,
        field="granted_amount",
    ),
    Check(
        "within_budget",
        gettext_lazy("The year's grants together stay within its budget"),
        _within_budget,
        field="granted_amount",
    ),
    Check(
        "not_below_paid",
        gettext_lazy("The grant is not less than what has been paid"),
        _not_below_paid,
        field="granted_amount",
    ),
    Check(
        "categories",
        gettext_lazy("No expense is in an ineligible category"),
        _still_eligible,
    ),
    Check(
        "decision_number",
        gettext_lazy("The decision has a number"),
        _numbered,
        field="decision_number",
    ),
    Check(
        "decision_number_once",
        gettext_lazy("The decision number is used once a year"),
        _number_once_a_year,
        field="decision_number",
    ),
)


# Cancellation (取消) ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Cancellation:
    """A grant being cancelled: what CANCELLATION_CHECKS read."""

    application: Application
    comment: str
    return_amount: int
    paid: int  # paid so far


def _cancellation_reason(cancellation: Cancellation) -> list:
    return [] if cancellation.comment.strip() else [NO_CANCELLATION_REASON]


def _return_amount_given(cancellation: Cancellation) -> list:
    return [] if cancellation.return_amount >= 0 else [NO_RETURN_AMOUNT]


def _returns_at_most_paid(cancellation: Cancellation) -> list[str]:
    if cancellation.return_amount <= cancellation.paid:
        return []
    return [
        _("The council has been paid %(paid)s; it cannot return more.")
        % {"paid": yen(cancellation.paid)}
    ]


CANCELLATION_CHECKS: tuple[Check, ...] = (
    Check(
        "reason",
        gettext_lazy("The cancellation says why"),
        _cancellation_reason,
        field="comment",
    ),
    Check(
        "return_amount",
        gettext_lazy("An amount to return is given"),
        _return_amount_given,
        field="return_amount",
    ),
    Check(
        "returns_at_most_paid",
        gettext_lazy("The council returns no more than it was paid"),
        _returns_at_most_paid,
        field="return_amount",
    ),
)


def settlement_amounts(granted: int, eligible: int, paid: int) -> dict[str, int]:
    """The settlement (額の確定): confirmed = min(granted, eligible spending); what was paid
    beyond it is refunded, what it leaves unpaid is the final payment."""
    confirmed = min(granted, eligible)
    return {
        "confirmed": confirmed,
        "refund": max(paid - confirmed, 0),
        "final_payment": max(confirmed - paid, 0),
    }


def offsets_refund(year: ProgramYear, refund: int) -> bool:
    """Whether a refund is offset against the next year's grant rather than paid back."""
    return bool(refund) and year.refund_handling == RefundHandling.OFFSET
