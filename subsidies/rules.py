"""The grant's invariants as checks (DESIGN.md section 5), each written once.

The services refuse an action with these messages, the coordinator's check-your-answers page
lists them before submitting, and the review checklist shows them to grant staff.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from core.dates import fiscal_year_range, format_wareki_date
from core.numbers import format_yen

from .models import Allocation, Application, IncomeSource, Side

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


def settlement_amounts(granted: int, eligible: int, paid: int) -> dict[str, int]:
    """The settlement (額の確定): confirmed = min(granted, eligible spending); what was paid
    beyond it is refunded, what it leaves unpaid is the final payment."""
    confirmed = min(granted, eligible)
    return {
        "confirmed": confirmed,
        "refund": max(paid - confirmed, 0),
        "final_payment": max(confirmed - paid, 0),
    }
