"""The allocation formula against the examples published in city rules (DESIGN.md section 5)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from districts.models import CouncilStage
from subsidies.models import (
    Allocation,
    ComponentKind,
    FormulaComponent,
    Program,
    ProgramYear,
    Rounding,
    UnitCount,
)
from subsidies.services import adjust_allocation, compute_allocations
from tests.factories import CouncilFactory, DistrictFactory, DistrictStatisticFactory

pytestmark = pytest.mark.django_db


def make_year(budget=100_000_000, **extra) -> ProgramYear:
    program = Program.objects.create(name="地域づくり一括交付金")
    values = {
        "program": program,
        "fiscal_year": 2026,
        "budget": budget,
        "application_opens_on": dt.date(2026, 4, 1),
        "application_closes_on": dt.date(2026, 5, 31),
        "report_due_on": dt.date(2027, 4, 30),
    }
    values.update(extra)
    return ProgramYear.objects.create(**values)


def component(year, kind, *, rate=None, pool=None, unit_name="", label="") -> FormulaComponent:
    return FormulaComponent.objects.create(
        program_year=year,
        kind=kind,
        rate=rate,
        pool=pool,
        unit_name=unit_name,
        label=label or str(kind),
    )


def district_with(
    population,
    households=0,
    aged_65_over=0,
    *,
    as_of=dt.date(2026, 4, 1),
    stage=CouncilStage.ESTABLISHED,
):
    council = CouncilFactory(
        stage=stage,
        established_on=dt.date(2020, 4, 1) if stage == CouncilStage.ESTABLISHED else None,
    )
    DistrictStatisticFactory(
        district=council.district,
        as_of=as_of,
        population=population,
        households=households,
        under_15=0,
        aged_65_over=aged_65_over,
    )
    return council.district


def amounts(allocations) -> list[int]:
    for allocation in allocations:
        allocation.refresh_from_db()
    return [allocation.amount for allocation in allocations]


def test_pool_split_70_percent_by_population_and_30_percent_equally_over_15_districts():
    year = make_year(budget=35_000_000)
    component(year, ComponentKind.POOL_POPULATION, pool=24_500_000, label="人口割")
    component(year, ComponentKind.POOL_EQUAL, pool=10_500_000, label="均等割")
    big = [district_with(6_667) for _ in range(14)]
    small = district_with(6_662)

    allocations = {a.district_id: a for a in compute_allocations(program_year=year)}

    # 24,500,000 × 6,667 / 100,000 = 1,633,415; + 10,500,000 / 15 = 700,000 → 2,333,415
    # → 1,000円未満切り捨て → 2,333,000.
    assert all(allocations[d.pk].computed_amount == 2_333_000 for d in big)
    # 24,500,000 × 6,662 / 100,000 = 1,632,190; + 700,000 = 2,332,190 → 2,332,000.
    assert allocations[small.pk].computed_amount == 2_332_000
    breakdown = {
        c.component.label: (c.quantity, c.amount)
        for c in allocations[small.pk].components.select_related("component")
    }
    assert breakdown == {"人口割": (6_662, 1_632_190), "均等割": (1, 700_000)}


def test_fixed_per_district_plus_rate_per_household():
    year = make_year()
    component(year, ComponentKind.FIXED, rate=100_000, label="均等割")
    component(year, ComponentKind.PER_HOUSEHOLD, rate=600, label="世帯割")
    district = district_with(3_000, households=1_234)

    [allocation] = compute_allocations(program_year=year)

    # 100,000 + 600 × 1,234 = 840,400 → 840,000.
    assert allocation.computed_amount == 840_000
    assert (allocation.population, allocation.households) == (3_000, 1_234)
    assert allocation.district == district


def test_fixed_plus_per_resident_plus_aged_70_and_street_light_additions():
    year = make_year()
    component(year, ComponentKind.FIXED, rate=30_000, label="均等割")
    component(year, ComponentKind.PER_RESIDENT, rate=50, label="人口割")
    aged_70 = component(
        year, ComponentKind.PER_UNIT, rate=1_000, unit_name="70歳以上", label="敬老加算"
    )
    lights = component(
        year, ComponentKind.PER_UNIT, rate=1_000, unit_name="防犯灯", label="防犯灯加算"
    )
    district = district_with(5_432)
    UnitCount.objects.create(component=aged_70, district=district, count=987)
    UnitCount.objects.create(component=lights, district=district, count=123)

    [allocation] = compute_allocations(program_year=year)

    # 30,000 + 50 × 5,432 + 1,000 × 987 + 1,000 × 123 = 1,411,600 → 1,411,000.
    assert allocation.computed_amount == 1_411_000
    assert sorted(allocation.components.values_list("amount", flat=True)) == sorted(
        [30_000, 271_600, 987_000, 123_000]
    )


@pytest.mark.parametrize(
    ("rounding", "unit", "expected"),
    [
        (Rounding.DOWN, 1_000, 840_000),
        (Rounding.UP, 1_000, 841_000),
        (Rounding.HALF_UP, 1_000, 840_000),
        (Rounding.HALF_UP, 100, 840_400),
        (Rounding.DOWN, 1, 840_400),
    ],
)
def test_rounding_rules(rounding, unit, expected):
    year = make_year(rounding=rounding, rounding_unit=unit)
    component(year, ComponentKind.FIXED, rate=100_000)
    component(year, ComponentKind.PER_HOUSEHOLD, rate=600)
    district_with(3_000, households=1_234)
    [allocation] = compute_allocations(program_year=year)
    assert allocation.computed_amount == expected


def test_half_up_rounds_the_half_upwards():
    year = make_year(rounding=Rounding.HALF_UP, rounding_unit=1_000)
    component(year, ComponentKind.FIXED, rate=840_500)
    district_with(1_000)
    [allocation] = compute_allocations(program_year=year)
    assert allocation.computed_amount == 841_000


def test_cap_per_district():
    year = make_year(cap_per_district=500_000)
    component(year, ComponentKind.PER_RESIDENT, rate=100)
    capped, under = district_with(8_000), district_with(3_000)
    allocations = {a.district_id: a for a in compute_allocations(program_year=year)}
    assert allocations[capped.pk].computed_amount == 500_000
    assert allocations[under.pk].computed_amount == 300_000


def test_over_budget_is_refused_saying_by_how_much_and_changes_nothing():
    year = make_year(budget=1_000_000)
    component(year, ComponentKind.FIXED, rate=600_000)
    district_with(1_000)
    district_with(1_000)
    with pytest.raises(ValidationError) as refused:
        compute_allocations(program_year=year)
    assert refused.value.code == "over_budget"
    assert "200,000" in refused.value.message % refused.value.params
    assert not Allocation.objects.exists()


def test_counts_are_those_of_april_first_of_the_year():
    year = make_year()
    component(year, ComponentKind.PER_RESIDENT, rate=10)
    district = district_with(1_000, as_of=dt.date(2025, 10, 1))
    DistrictStatisticFactory(
        district=district,
        as_of=dt.date(2026, 4, 2),
        population=9_999,
        households=0,
        under_15=0,
        aged_65_over=0,
    )
    [allocation] = compute_allocations(program_year=year)
    assert allocation.counts_as_of == dt.date(2025, 10, 1)
    assert allocation.computed_amount == 10_000


def test_a_district_without_figures_is_named_and_nothing_is_computed():
    year = make_year()
    component(year, ComponentKind.FIXED, rate=100_000)
    district_with(1_000)
    late = district_with(1_000, as_of=dt.date(2026, 6, 1))
    with pytest.raises(ValidationError) as refused:
        compute_allocations(program_year=year)
    assert late.name in refused.value.message % refused.value.params
    assert not Allocation.objects.exists()


def test_only_formed_councils_receive_the_grant():
    year = make_year()
    component(year, ComponentKind.FIXED, rate=100_000)
    model = district_with(1_000, stage=CouncilStage.MODEL)
    district_with(1_000, stage=CouncilStage.PREPARING)
    DistrictFactory()  # no council at all
    assert [a.district for a in compute_allocations(program_year=year)] == [model]


def test_recomputing_keeps_adjustments_and_replaces_the_breakdown():
    year = make_year(budget=10_000_000)
    fixed = component(year, ComponentKind.FIXED, rate=100_000)
    district_with(1_000)
    [allocation] = compute_allocations(program_year=year)
    adjust_allocation(allocation=allocation, adjustment=50_000, reason="災害復旧の特例")
    fixed.rate = 200_000
    fixed.save()
    [allocation] = compute_allocations(program_year=year)
    allocation.refresh_from_db()
    assert (allocation.computed_amount, allocation.adjustment, allocation.amount) == (
        200_000,
        50_000,
        250_000,
    )
    assert allocation.components.count() == 1


def test_adjustment_needs_a_reason_and_stays_within_the_budget():
    year = make_year(budget=300_000)
    component(year, ComponentKind.FIXED, rate=100_000)
    district_with(1_000)
    district_with(1_000)
    first, _second = compute_allocations(program_year=year)
    with pytest.raises(ValidationError) as no_reason:
        adjust_allocation(allocation=first, adjustment=10_000, reason="  ")
    assert "adjustment_reason" in no_reason.value.error_dict
    with pytest.raises(ValidationError) as over:
        adjust_allocation(allocation=first, adjustment=100_001, reason="特例")
    assert "1" in str(over.value.error_dict["adjustment"])
    with pytest.raises(ValidationError):
        adjust_allocation(allocation=first, adjustment=-100_001, reason="返還相殺")
    adjusted = adjust_allocation(allocation=first, adjustment=100_000, reason="特例")
    assert adjusted.amount == 200_000
    assert sum(amounts(Allocation.objects.all())) == 300_000


def test_database_refuses_an_adjustment_without_reason():
    year = make_year()
    component(year, ComponentKind.FIXED, rate=100_000)
    district_with(1_000)
    [allocation] = compute_allocations(program_year=year)
    with pytest.raises(IntegrityError), transaction.atomic():
        Allocation.objects.filter(pk=allocation.pk).update(adjustment=1)


@pytest.mark.parametrize(
    ("kind", "rate", "pool", "unit_name"),
    [
        (ComponentKind.FIXED, None, 1_000, ""),
        (ComponentKind.POOL_EQUAL, 1_000, None, ""),
        (ComponentKind.PER_UNIT, 1_000, None, ""),
        (ComponentKind.PER_RESIDENT, 50, None, "人"),
    ],
)
def test_component_fields_match_its_kind(kind, rate, pool, unit_name):
    year = make_year()
    with pytest.raises(IntegrityError), transaction.atomic():
        component(year, kind, rate=rate, pool=pool, unit_name=unit_name)
