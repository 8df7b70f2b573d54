"""Changes to a program year's rules, formula and expense categories, checked and recorded.

Every change runs with the year's row locked: the lock the approvals, payments, settlements and
allocation services take, so a rule change and a decision never both pass their checks against
each other's old figures. Before the year's first decision its setup is free to change. After
it, a change may not contradict what is decided or paid: the budget stays above what is granted,
the advance ratio above what was advanced, the formula and rounding that fixed the allocations
stay as they were, and a category used by decided budgets or reports keeps its eligibility.
Filed applications stay inside the application period. Every accepted change is written to the
year's history (ProgramYearEvent).

The admin's forms call the check_… functions to show a refusal beside its field; the saving
functions check again under the same lock before they write.
"""

import datetime as dt
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Model, Sum
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.dates import format_fiscal_year, format_wareki_date
from core.numbers import format_count, format_yen

from ..categories import STANDARD_EXPENSE_CATEGORIES
from ..models import (
    CLOSED_STATES,
    DECIDED_STATES,
    Application,
    BudgetLine,
    ExpenseCategory,
    FormulaComponent,
    ProgramYear,
    ProgramYearEvent,
    ReportLine,
    State,
    UnitCount,
    YearEventAction,
)

# The year's own fields that staff set.
RULE_FIELDS = (
    "program",
    "fiscal_year",
    "budget",
    "rounding_unit",
    "rounding",
    "cap_per_district",
    "advance_ratio_percent",
    "application_opens_on",
    "application_closes_on",
    "report_due_on",
    "refund_handling",
    "remind_after_days",
)
# What fixed the allocations: after the first decision the allocations cannot be recomputed, so
# these stay as the allocations were computed with.
FIXED_ONCE_DECIDED = ("program", "fiscal_year", "rounding_unit", "rounding")
COMPONENT_FIELDS = (
    "order",
    "kind",
    "label",
    "label_en",
    "rate",
    "pool",
    "unit_name",
    "unit_name_en",
)
# The labels, units and order of a component only change how it reads; these change amounts.
COMPONENT_AMOUNT_FIELDS = ("kind", "rate", "pool")
UNIT_COUNT_FIELDS = ("district", "count")
CATEGORY_FIELDS = ("order", "name", "eligible", "note")
YEN_FIELDS = ("budget", "rounding_unit", "cap_per_district", "rate", "pool")

# Every refusal of this module, in one place. The admin shows each beside its field.
REFUSALS = {
    "fixed": gettext_lazy(
        "Applications of this year have been decided and its allocations are fixed, so this can "
        "no longer be changed."
    ),
    "budget_below_granted": gettext_lazy(
        "The budget cannot be less than the grants already decided, which total %(total)s."
    ),
    "budget_below_allocations": gettext_lazy(
        "The budget cannot be less than the allocations, which total %(total)s and can no "
        "longer be recomputed."
    ),
    "budget_below_allocations_setup": gettext_lazy(
        "The budget cannot be less than the allocations, which total %(total)s. Lower the "
        "allocations first: change the formula and compute them again."
    ),
    "cap_below_granted": gettext_lazy(
        "The cap cannot be less than the largest grant decided, %(amount)s (%(council)s)."
    ),
    "cap_below_allocation": gettext_lazy(
        "The cap cannot be less than the largest allocation, %(amount)s, fixed by the decisions."
    ),
    "advance_ratio_below_paid": gettext_lazy(
        "%(council)s has been paid %(paid)s in advance on a grant of %(granted)s, so the ratio "
        "cannot be less than %(ratio)s%%."
    ),
    "refund_handling_settled": gettext_lazy(
        "Grants of this year have been settled with this handling of unspent money, so it can "
        "no longer be changed."
    ),
    "opens_after_filed": gettext_lazy(
        "An application was filed on %(date)s, so applications cannot open later than that."
    ),
    "closes_before_filed": gettext_lazy(
        "An application was filed on %(date)s, so applications cannot close earlier than that."
    ),
    "report_due_brought_forward": gettext_lazy(
        "The decision notices give %(date)s as the report deadline: it may be extended, not "
        "brought forward."
    ),
    "formula_fixed": gettext_lazy(
        "Applications of this year have been decided, so its formula (amounts, rates, pools and "
        "unit counts) can no longer be changed."
    ),
    "category_ineligible_in_use": gettext_lazy(
        "“%(category)s” is used in decided budgets or reports, so it cannot be made ineligible."
    ),
    "category_renamed_in_use": gettext_lazy(
        "“%(category)s” is used in decided budgets or reports, so it cannot be renamed."
    ),
    "category_deleted_in_use": gettext_lazy(
        "“%(category)s” is used in budgets or reports, so it cannot be deleted."
    ),
}


def refusal(key: str, **params) -> str:
    return str(REFUSALS[key]) % params if params else str(REFUSALS[key])


def lock_year(pk: int) -> ProgramYear:
    """The year re-read under the row lock every service that checks its rules takes."""
    return ProgramYear.objects.select_for_update().get(pk=pk)


def _raise(problems: dict) -> None:
    if problems:
        raise ValidationError(problems, code="year_rules")


# What the year has decided, paid and filed -------------------------------------------------


def granted_total(year: ProgramYear, *, excluding: Application | None = None) -> int:
    """Σ granted of the year's decisions in force (what the budget must cover)."""
    grants = year.applications.in_force()
    if excluding is not None:
        grants = grants.exclude(pk=excluding.pk)
    return grants.aggregate(total=Sum("granted_amount"))["total"] or 0


def is_decided(year: ProgramYear) -> bool:
    return year.applications.decided().exists()


def _changed(current, values: dict, names: Iterable[str]) -> dict:
    """{name: (before, after)} for the names whose new value differs from the stored one."""
    result = {}
    for name in names:
        if name not in values:
            continue
        before, after = getattr(current, name), values[name]
        if before != after:
            result[name] = (before, after)
    return result


def _year_problems(year: ProgramYear, changed: dict) -> dict[str, str]:
    problems: dict[str, str] = {}
    if not changed:
        return problems
    if {"application_opens_on", "application_closes_on"} & changed.keys():
        problems |= _window_problems(year, changed)
    if (
        "refund_handling" in changed
        and year.applications.filter(state=State.SETTLED, refund_amount__gt=0).exists()
    ):
        problems["refund_handling"] = refusal("refund_handling_settled")
    decided = is_decided(year)
    if "budget" in changed:
        # Σ allocations ≤ budget always holds; before a decision the allocations can still be
        # lowered (formula changed, computed again) ahead of the budget.
        budget = changed["budget"][1]
        granted = granted_total(year) if decided else 0
        allocated = year.allocations.aggregate(total=Sum("amount"))["total"] or 0
        if budget < granted:
            problems["budget"] = refusal("budget_below_granted", total=format_yen(granted))
        elif budget < allocated:
            problems["budget"] = refusal(
                "budget_below_allocations" if decided else "budget_below_allocations_setup",
                total=format_yen(allocated),
            )
    if not decided:
        return problems
    for name in FIXED_ONCE_DECIDED:
        if name in changed:
            problems[name] = refusal("fixed")
    if "cap_per_district" in changed and changed["cap_per_district"][1] is not None:
        problems |= _cap_problems(year, changed["cap_per_district"][1])
    if "advance_ratio_percent" in changed:
        problems |= _advance_problems(year, changed["advance_ratio_percent"][1])
    if "report_due_on" in changed:
        before, after = changed["report_due_on"]
        if after < before:
            problems["report_due_on"] = refusal(
                "report_due_brought_forward", date=format_wareki_date(before)
            )
    return problems


def _window_problems(year: ProgramYear, changed: dict) -> dict[str, str]:
    """Filed applications stay inside the application period (the review checks they are)."""
    filed = (
        year.applications.exclude(state__in=CLOSED_STATES)
        .filter(submitted_at__isnull=False)
        .order_by("submitted_at")
        .values_list("submitted_at", flat=True)
    )
    first, last = filed.first(), filed.last()
    if first is None:
        return {}
    problems = {}
    opens = changed.get("application_opens_on", (None, year.application_opens_on))[1]
    closes = changed.get("application_closes_on", (None, year.application_closes_on))[1]
    if "application_opens_on" in changed and opens > timezone.localdate(first):
        problems["application_opens_on"] = refusal(
            "opens_after_filed", date=format_wareki_date(timezone.localdate(first))
        )
    if "application_closes_on" in changed and closes < timezone.localdate(last):
        problems["application_closes_on"] = refusal(
            "closes_before_filed", date=format_wareki_date(timezone.localdate(last))
        )
    return problems


def _cap_problems(year: ProgramYear, cap: int) -> dict[str, str]:
    largest = (
        year.applications.in_force()
        .select_related("council")
        .order_by("-granted_amount", "pk")
        .only("granted_amount", "council__name")
        .first()
    )
    if largest is not None and cap < largest.granted_amount:
        return {
            "cap_per_district": refusal(
                "cap_below_granted",
                amount=format_yen(largest.granted_amount),
                council=largest.council.name,
            )
        }
    allocated = year.allocations.aggregate(largest=Max("amount"))["largest"]
    if allocated is not None and cap < allocated:
        return {"cap_per_district": refusal("cap_below_allocation", amount=format_yen(allocated))}
    return {}


def required_advance_ratio(granted: int, advances: int) -> int:
    """The smallest whole percentage r with granted × r // 100 ≥ advances (decisions'
    advance_limit), so the advances already paid stay within the ratio."""
    return -(-advances * 100 // granted)


def _advance_problems(year: ProgramYear, ratio: int) -> dict[str, str]:
    grants = (
        year.applications.in_force()
        .filter(granted_amount__gt=0)
        .with_advances()
        .filter(advance_total__gt=0)
        .select_related("council")
    )
    worst = max(
        grants,
        key=lambda a: required_advance_ratio(a.granted_amount, a.advance_total),
        default=None,
    )
    if worst is None:
        return {}
    needed = required_advance_ratio(worst.granted_amount, worst.advance_total)
    if ratio >= needed:
        return {}
    return {
        "advance_ratio_percent": refusal(
            "advance_ratio_below_paid",
            council=worst.council.name,
            paid=format_yen(worst.advance_total),
            granted=format_yen(worst.granted_amount),
            ratio=needed,
        )
    }


# The history ---------------------------------------------------------------------------------


def _shown(model, name: str, value) -> str:
    """A value as the history shows it, in the city's language."""
    field = model._meta.get_field(name)
    if value is None or value == "":
        return "—"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, dt.date):
        return format_wareki_date(value)
    if name == "fiscal_year":
        return format_fiscal_year(value)
    if name in YEN_FIELDS:
        return format_yen(value)
    if name == "advance_ratio_percent":
        return f"{value}%"
    if isinstance(value, int):
        return format_count(value)
    return str(value)


def _record(
    year: ProgramYear, *, by, action: str, subject, model=None, changed: dict | None = None
) -> ProgramYearEvent:
    with translation.override(settings.LANGUAGE_CODE):
        rows = [
            {
                "field": str(model._meta.get_field(name).verbose_name),
                "before": _shown(model, name, before),
                "after": _shown(model, name, after),
            }
            for name, (before, after) in (changed or {}).items()
        ]
        text = str(subject())
    return ProgramYearEvent.objects.create(
        program_year=year, actor=by, action=action, subject=text[:200], changes=rows
    )


def _as_added(instance, names) -> dict:
    """Every value a new row was given (a box left empty is left out)."""
    return {
        name: (None, getattr(instance, name))
        for name in names
        if getattr(instance, name) not in (None, "")
    }


def _as_deleted(instance, names) -> dict:
    return {name: (after, before) for name, (before, after) in _as_added(instance, names).items()}


# The year's own rules ------------------------------------------------------------------------


@transaction.atomic
def check_year_change(*, program_year: ProgramYear, values: dict) -> None:
    """Refuse new rule values that contradict what the year has decided, paid or filed."""
    year = lock_year(program_year.pk)
    _raise(_year_problems(year, _changed(year, values, RULE_FIELDS)))


@transaction.atomic
def change_year(*, program_year: ProgramYear, by, values: dict) -> ProgramYear:
    """Save new rule values for the year, checked under its lock, with a history entry."""
    year = lock_year(program_year.pk)
    changed = _changed(year, values, RULE_FIELDS)
    _raise(_year_problems(year, changed))
    if not changed:
        return year
    for name, (_before, after) in changed.items():
        setattr(year, name, after)
    year.save(update_fields=list(changed))
    _record(
        year,
        by=by,
        action=YearEventAction.CHANGED,
        subject=lambda: _("Rules of the year"),
        model=ProgramYear,
        changed=changed,
    )
    return year


# The year's parts: formula components, unit counts, expense categories -----------------------


@dataclass(frozen=True)
class _YearPart:
    """What checking, saving and deleting one kind of the year's parts depends on."""

    model: type[Model]
    fields: tuple[str, ...]  # what staff set, and what the history records
    year_of: Callable[[Any], int]  # the pk of the year the part belongs to
    # (year, stored part or None when new, new values or None when deleted) -> refusals
    problems: Callable[[ProgramYear, Any, dict | None], dict]
    subject: Callable[[Any], Callable[[], str]]  # how the history names the part


def _stored(part: _YearPart, instance):
    return part.model.objects.get(pk=instance.pk) if instance.pk else None


@transaction.atomic
def _check(part: _YearPart, instance, values: dict | None) -> None:
    year = lock_year(part.year_of(instance))
    _raise(part.problems(year, _stored(part, instance), values))


@transaction.atomic
def _save(part: _YearPart, instance, *, by):
    year = lock_year(part.year_of(instance))
    stored = _stored(part, instance)
    values = {name: getattr(instance, name) for name in part.fields}
    _raise(part.problems(year, stored, values))
    changed = _changed(stored, values, part.fields) if stored else _as_added(instance, part.fields)
    instance.save()
    if changed:
        _record(
            year,
            by=by,
            action=YearEventAction.CHANGED if stored else YearEventAction.ADDED,
            subject=part.subject(instance),
            model=part.model,
            changed=changed,
        )
    return instance


@transaction.atomic
def _delete(part: _YearPart, instance, *, by) -> None:
    year = lock_year(part.year_of(instance))
    _raise(part.problems(year, instance, None))
    changed = _as_deleted(instance, part.fields)
    instance.delete()
    _record(
        year,
        by=by,
        action=YearEventAction.DELETED,
        subject=part.subject(instance),
        model=part.model,
        changed=changed,
    )


# The formula ---------------------------------------------------------------------------------


def _component_subject(component: FormulaComponent):
    return lambda: _("Formula component “%(label)s”") % {"label": component.label}


def _count_subject(count: UnitCount):
    return lambda: (
        _("Count of “%(component)s” in %(district)s")
        % {
            "component": count.component.label,
            "district": count.district.name,
        }
    )


def _formula_problems(year, stored, values: dict | None, *, amount_fields) -> dict:
    """Once decided, no component or count is added or deleted, and nothing that sets an amount
    (a component's kind, rate or pool; a district's count) changes."""
    if not is_decided(year):
        return {}
    if stored is None or values is None:
        return {"__all__": refusal("formula_fixed")}
    return {name: refusal("formula_fixed") for name in _changed(stored, values, amount_fields)}


def _year_of_count(count: UnitCount) -> int:
    return FormulaComponent.objects.values_list("program_year_id", flat=True).get(
        pk=count.component_id
    )


_COMPONENT = _YearPart(
    model=FormulaComponent,
    fields=COMPONENT_FIELDS,
    year_of=lambda component: component.program_year_id,
    problems=partial(_formula_problems, amount_fields=COMPONENT_AMOUNT_FIELDS),
    subject=_component_subject,
)
_UNIT_COUNT = _YearPart(
    model=UnitCount,
    fields=UNIT_COUNT_FIELDS,
    year_of=_year_of_count,
    problems=partial(_formula_problems, amount_fields=UNIT_COUNT_FIELDS),
    subject=_count_subject,
)


def check_component(*, component: FormulaComponent, values: dict | None) -> None:
    """Refuse a change (values), an addition (no pk) or a deletion (values None)."""
    _check(_COMPONENT, component, values)


def save_component(*, component: FormulaComponent, by) -> FormulaComponent:
    """Add or change a formula component, checked under the year's lock, with history."""
    return _save(_COMPONENT, component, by=by)


def delete_component(*, component: FormulaComponent, by) -> None:
    """Delete a formula component (and its unit counts) while no decision has fixed them."""
    _delete(_COMPONENT, component, by=by)


def check_unit_count(*, unit_count: UnitCount, values: dict | None) -> None:
    """Refuse a change (values), an addition (no pk) or a deletion (values None)."""
    _check(_UNIT_COUNT, unit_count, values)


def save_unit_count(*, unit_count: UnitCount, by) -> UnitCount:
    """Add or change a district's count for a per-unit addition, with history."""
    return _save(_UNIT_COUNT, unit_count, by=by)


def delete_unit_count(*, unit_count: UnitCount, by) -> None:
    """Delete a district's count while no decision has fixed the formula."""
    _delete(_UNIT_COUNT, unit_count, by=by)


# Expense categories --------------------------------------------------------------------------


def _category_subject(category: ExpenseCategory):
    return lambda: _("Expense category “%(name)s”") % {"name": category.name}


def _lines_using(category: ExpenseCategory, *, states=None) -> bool:
    budgets = BudgetLine.objects.filter(category=category)
    reports = ReportLine.objects.filter(category=category)
    if states is not None:
        budgets = budgets.filter(version__application__state__in=states)
        reports = reports.filter(report__application__state__in=states)
    return budgets.exists() or reports.exists()


def _category_problems(_year, stored: ExpenseCategory | None, values: dict | None) -> dict:
    """A category used by decided budgets or reports keeps its name and stays eligible (budgets
    and reports never hold ineligible lines, so making one eligible contradicts nothing); one
    used by any budget or report is not deleted."""
    if stored is None:
        return {}  # a new category contradicts nothing
    name = {"category": stored.name}
    if values is None:
        if _lines_using(stored):
            return {"__all__": refusal("category_deleted_in_use", **name)}
        return {}
    changed = _changed(stored, values, ("name", "eligible"))
    if not changed:
        return {}
    problems = {}
    if _lines_using(stored, states=DECIDED_STATES):
        if "name" in changed:
            problems["name"] = refusal("category_renamed_in_use", **name)
        if changed.get("eligible", (None, True))[1] is False:
            problems["eligible"] = refusal("category_ineligible_in_use", **name)
    return problems


_CATEGORY = _YearPart(
    model=ExpenseCategory,
    fields=CATEGORY_FIELDS,
    year_of=lambda category: category.program_year_id,
    problems=_category_problems,
    subject=_category_subject,
)


def check_category(*, category: ExpenseCategory, values: dict | None) -> None:
    """Refuse a change (values) or a deletion (values None) that contradicts decided lines."""
    _check(_CATEGORY, category, values)


def save_category(*, category: ExpenseCategory, by) -> ExpenseCategory:
    """Add or change an expense category, checked under the year's lock, with history."""
    return _save(_CATEGORY, category, by=by)


def delete_category(*, category: ExpenseCategory, by) -> None:
    """Delete an expense category no budget or report uses."""
    _delete(_CATEGORY, category, by=by)


def standard_categories(
    year: ProgramYear, *, leaving_out: Collection[str] = (), start: int = 1
) -> list[ExpenseCategory]:
    """The standard expense categories (subsidies.categories) for a year, not saved, numbered from
    `start`; those named in `leaving_out` left out."""
    rows = [row for row in STANDARD_EXPENSE_CATEGORIES if row[0] not in leaving_out]
    return [
        ExpenseCategory(program_year=year, name=name, eligible=eligible, note=note, order=order)
        for order, (name, eligible, note) in enumerate(rows, start=start)
    ]


@transaction.atomic
def add_standard_categories(*, program_year: ProgramYear, by) -> tuple[int, int]:
    """Add the standard expense categories the year lacks; returns (added, already there)."""
    year = lock_year(program_year.pk)
    existing = set(year.expense_categories.values_list("name", flat=True))
    start = year.expense_categories.aggregate(last=Max("order"))["last"]
    start = 0 if start is None else start + 1
    missing = standard_categories(year, leaving_out=existing, start=start)
    for category in missing:
        save_category(category=category, by=by)
    return len(missing), len(STANDARD_EXPENSE_CATEGORIES) - len(missing)
