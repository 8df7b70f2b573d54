"""Business actions of the consolidated grant, shared by the admin and the grant screens."""

import datetime as dt
from collections.abc import Iterable, Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import OuterRef, Subquery, Sum
from django.utils.translation import gettext as _

from core.dates import fiscal_year_range
from districts.models import CouncilStage, District, DistrictStatistic

from .. import formula
from ..models import (
    Allocation,
    AllocationComponent,
    ExpenseCategory,
    FormulaComponent,
    ProgramYear,
    UnitCount,
)
from ..rules import yen
from .program_year import lock_year

# Councils that receive the grant: formed ones, not preparatory bodies.
GRANTED_STAGES = (CouncilStage.MODEL, CouncilStage.ESTABLISHED)


def refuse_once_decided(year: ProgramYear) -> None:
    """Allocations are fixed once the city has decided any application of the year."""
    if year.applications.decided().exists():
        raise ValidationError(
            _(
                "Applications of this year have been decided, so the allocations can no longer "
                "be changed."
            ),
            code="decided",
        )


def allocation_rows(
    year: ProgramYear,
    components: Iterable[FormulaComponent],
    counted: Sequence[tuple[District, dt.date, int, int, int]],
    unit_counts: Iterable[UnitCount],
) -> list[tuple[Allocation, list[AllocationComponent]]]:
    """The districts' allocations by the year's formula, with their components, not saved: from
    each one's (district, day counted, population, households, aged 65 and over) and unit counts."""
    units: dict[int, dict[int, int]] = {}
    for row in unit_counts:
        units.setdefault(row.district_id, {})[row.component_id] = row.count
    districts = [
        formula.DistrictCounts(d.pk, *counts, units.get(d.pk, {})) for d, _day, *counts in counted
    ]
    results = formula.compute(
        [formula.Term(c.kind, c.rate, c.pool, c.pk) for c in components],
        districts,
        rounding_unit=year.rounding_unit,
        rounding=year.rounding,
        cap=year.cap_per_district,
    )
    rows = []
    for (district, as_of, *_figures), counts, result in zip(
        counted, districts, results, strict=True
    ):
        allocation = Allocation(
            program_year=year,
            district=district,
            counts_as_of=as_of,
            population=counts.population,
            households=counts.households,
            computed_amount=result.amount,
        )
        shares = [
            AllocationComponent(
                allocation=allocation,
                component_id=share.component_id,
                quantity=share.quantity,
                amount=share.amount,
            )
            for share in result.shares
        ]
        rows.append((allocation, shares))
    return rows


@transaction.atomic
def compute_allocations(*, program_year: ProgramYear) -> list[Allocation]:
    """Compute every eligible district's allocation from the formula and the April 1 counts.

    Refuses, changing nothing, when a district has no figures by April 1 or when the total
    would exceed the year's budget (saying by how much). Staff adjustments are kept.
    """
    year = lock_year(program_year.pk)
    refuse_once_decided(year)
    as_of = fiscal_year_range(year.fiscal_year)[0]
    latest = DistrictStatistic.objects.filter(district=OuterRef("pk"), as_of__lte=as_of).order_by(
        "-as_of"
    )
    districts = list(
        District.objects.filter(council__stage__in=GRANTED_STAGES)
        .annotate(
            **{
                f"basis_{name}": Subquery(latest.values(name)[:1])
                for name in ("as_of", "population", "households", "aged_65_over")
            }
        )
        .order_by("name_kana")
    )
    missing = [d.name for d in districts if d.basis_as_of is None]
    if missing:
        raise ValidationError(
            _("These districts have no population figures on or before %(date)s: %(names)s."),
            code="no_counts",
            params={"date": as_of.isoformat(), "names": "、".join(missing)},
        )
    computed = allocation_rows(
        year,
        year.components.all(),
        [
            (d, d.basis_as_of, d.basis_population, d.basis_households, d.basis_aged_65_over)
            for d in districts
        ],
        UnitCount.objects.filter(component__program_year=year),
    )
    adjustments = dict(
        Allocation.objects.filter(program_year=year).values_list("district_id", "adjustment")
    )
    total = sum(a.computed_amount + adjustments.get(a.district_id, 0) for a, _ in computed)
    if total > year.budget:
        raise ValidationError(
            _("The allocations total %(total)s, %(over)s over the budget of %(budget)s."),
            code="over_budget",
            params={
                "total": yen(total),
                "over": yen(total - year.budget),
                "budget": yen(year.budget),
            },
        )
    Allocation.objects.filter(program_year=year).exclude(district__in=districts).delete()
    allocations = []
    for new, shares in computed:
        allocation, _created = Allocation.objects.update_or_create(
            program_year=year,
            district=new.district,
            defaults={
                name: getattr(new, name)
                for name in ("counts_as_of", "population", "households", "computed_amount")
            },
        )
        allocation.components.all().delete()
        for share in shares:
            share.allocation = allocation
        AllocationComponent.objects.bulk_create(shares)
        allocations.append(allocation)
    return allocations


def check_adjustment(*, allocation: Allocation, adjustment: int, reason: str) -> None:
    """Refuse an adjustment without a reason, below zero or beyond the year's budget."""
    if adjustment and not reason.strip():
        raise ValidationError(
            {"adjustment_reason": _("Record the reason for the adjustment.")}, code="no_reason"
        )
    if allocation.computed_amount + adjustment < 0:
        raise ValidationError(
            {"adjustment": _("An adjustment cannot make the allocation negative.")},
            code="negative",
        )
    year = allocation.program_year
    others = (
        Allocation.objects.filter(program_year=year)
        .exclude(pk=allocation.pk)
        .aggregate(total=Sum("amount"))["total"]
        or 0
    )
    total = others + allocation.computed_amount + adjustment
    if total > year.budget:
        raise ValidationError(
            {
                "adjustment": _(
                    "The allocations would total %(total)s, %(over)s over the budget of %(budget)s."
                )
                % {
                    "total": yen(total),
                    "over": yen(total - year.budget),
                    "budget": yen(year.budget),
                }
            },
            code="over_budget",
        )


@transaction.atomic
def adjust_allocation(*, allocation: Allocation, adjustment: int, reason: str) -> Allocation:
    """Change one allocation by hand, with a recorded reason, within the year's budget."""
    year = lock_year(allocation.program_year_id)
    refuse_once_decided(year)
    locked = (
        Allocation.objects.select_for_update().select_related("program_year").get(pk=allocation.pk)
    )
    check_adjustment(allocation=locked, adjustment=adjustment, reason=reason)
    locked.adjustment = adjustment
    locked.adjustment_reason = reason.strip() if adjustment else ""
    locked.save(update_fields=["adjustment", "adjustment_reason", "computed_at"])
    locked.refresh_from_db(fields=["amount"])
    return locked


def move_year(year: ProgramYear, fiscal_year: int) -> None:
    """Move a year's rules, not saved, to another fiscal year: its dates move with it."""
    shift = fiscal_year - year.fiscal_year
    for name in ("application_opens_on", "application_closes_on", "report_due_on"):
        day = getattr(year, name)
        try:
            day = day.replace(year=day.year + shift)
        except ValueError:  # 29 February
            day = day.replace(year=day.year + shift, day=28)
        setattr(year, name, day)
    year.fiscal_year = fiscal_year


@transaction.atomic
def copy_program_year(*, program_year: ProgramYear, fiscal_year: int) -> ProgramYear:
    """Set a new year up from an earlier one: rules, formula, unit counts and expense categories,
    dates moved on.

    Allocations are not copied: they are computed from the new year's April 1 counts.
    """
    if ProgramYear.objects.filter(program=program_year.program, fiscal_year=fiscal_year).exists():
        raise ValidationError(_("The program already has this fiscal year."), code="year_exists")
    source_components = list(program_year.components.prefetch_related("unit_counts"))
    source_categories = list(program_year.expense_categories.all())
    new_year = ProgramYear.objects.get(pk=program_year.pk)
    new_year.pk = None
    move_year(new_year, fiscal_year)
    new_year.save()
    for source in source_components:
        counts = list(source.unit_counts.all())
        source.pk = None
        source.program_year = new_year
        source.save()
        UnitCount.objects.bulk_create(
            UnitCount(component=source, district_id=row.district_id, count=row.count)
            for row in counts
        )
    ExpenseCategory.objects.bulk_create(
        ExpenseCategory(
            program_year=new_year,
            name=category.name,
            eligible=category.eligible,
            note=category.note,
            order=category.order,
        )
        for category in source_categories
    )
    return new_year
