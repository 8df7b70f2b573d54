"""The allocation formula (交付限度額), as pure arithmetic on counts: no database here.

Each district's amount is the sum of the year's components, computed exactly (fractions of a
yen included), then rounded once by the year's rule and capped. Each component's share is kept,
floored to whole yen, for the breakdown residents see.
"""

from dataclasses import dataclass, field
from fractions import Fraction

from .models import ComponentKind, Rounding


@dataclass(frozen=True)
class DistrictCounts:
    district_id: int
    population: int
    households: int
    aged_65_over: int
    units: dict[int, int] = field(default_factory=dict)  # component id -> unit count


@dataclass(frozen=True)
class Term:
    kind: str
    rate: int | None
    pool: int | None
    component_id: int


@dataclass(frozen=True)
class ComponentShare:
    component_id: int
    quantity: int
    exact: Fraction

    @property
    def amount(self) -> int:
        return int(self.exact)  # floor: shares are non-negative


@dataclass(frozen=True)
class DistrictAmount:
    district_id: int
    shares: list[ComponentShare]
    amount: int


def round_yen(value: Fraction, *, unit: int, rule: str) -> int:
    """Round a non-negative amount to a multiple of `unit` yen by the year's rule."""
    units = value / unit
    if rule == Rounding.DOWN:
        whole = units.numerator // units.denominator
    elif rule == Rounding.UP:
        whole = -(-units.numerator // units.denominator)
    else:
        whole = int(units + Fraction(1, 2))
    return whole * unit


def compute(
    terms: list[Term],
    districts: list[DistrictCounts],
    *,
    rounding_unit: int,
    rounding: str,
    cap: int | None,
) -> list[DistrictAmount]:
    """Every district's share of every term, and its rounded, capped total."""
    count = len(districts)
    total_population = sum(d.population for d in districts)
    results = []
    for counts in districts:
        shares = []
        for term in terms:
            quantity, exact = _share(term, counts, count, total_population)
            shares.append(ComponentShare(term.component_id, quantity, exact))
        amount = round_yen(
            sum((s.exact for s in shares), Fraction(0)), unit=rounding_unit, rule=rounding
        )
        if cap is not None:
            amount = min(amount, cap)
        results.append(DistrictAmount(counts.district_id, shares, amount))
    return results


def _share(term: Term, counts: DistrictCounts, district_count: int, total_population: int):
    if term.kind == ComponentKind.FIXED:
        return 1, Fraction(term.rate)
    if term.kind == ComponentKind.POOL_EQUAL:
        return 1, Fraction(term.pool, district_count)
    if term.kind == ComponentKind.PER_RESIDENT:
        return counts.population, Fraction(term.rate * counts.population)
    if term.kind == ComponentKind.PER_HOUSEHOLD:
        return counts.households, Fraction(term.rate * counts.households)
    if term.kind == ComponentKind.PER_AGED_65:
        return counts.aged_65_over, Fraction(term.rate * counts.aged_65_over)
    if term.kind == ComponentKind.POOL_POPULATION:
        if not total_population:
            return counts.population, Fraction(0)
        return counts.population, Fraction(term.pool * counts.population, total_population)
    if term.kind == ComponentKind.PER_UNIT:
        units = counts.units.get(term.component_id, 0)
        return units, Fraction(term.rate * units)
    raise ValueError(f"Unknown formula component kind: {term.kind}")
