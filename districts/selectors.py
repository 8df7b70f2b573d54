"""The queries the public pages need about districts, each returning all its template uses."""

from dataclasses import dataclass
from decimal import Decimal
from itertools import groupby

from django.db.models import Sum
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _

from core.english import KanaRow
from core.links import address_of
from core.numbers import percent
from core.text import gojuon_row, kanji_numeral

from .models import (
    Area,
    CouncilStage,
    District,
    DistrictStatistic,
    FactKind,
    LiaisonAssignment,
)


def district_list():
    """All districts in 50音 order, with council, stage, the latest population figures and the
    address of each district's page (`url`). Not the boundaries: the maps read and cache
    those themselves (districts.maps)."""
    return (
        District.objects.select_related("council")
        .defer("boundary")
        .with_latest_figures()
        .annotate(url=address_of("district_detail", "slug"))
        .in_kana_order()
    )


@dataclass(frozen=True)
class StageCount:
    stage: CouncilStage
    count: int
    percent: int


def stage_counts(districts) -> list[StageCount]:
    """How many districts are at each rollout stage, in stage order (from `district_list()`)."""
    totals = {stage: 0 for stage in CouncilStage}
    for district in districts:
        totals[district.rollout_stage] += 1
    whole = sum(totals.values()) or 1
    return [
        StageCount(stage, count, int(percent(count, whole, places=0)))
        for stage, count in totals.items()
    ]


def districts_by_stage(districts) -> list[tuple[StageCount, list[District]]]:
    """The districts under each stage, furthest stage first, with that stage's count."""
    return [
        (count, [d for d in districts if d.rollout_stage == count.stage])
        for count in reversed(stage_counts(districts))
    ]


def kana_rows(districts) -> list[tuple[str, list[District]]]:
    """Districts (already in 50音 order) under the row of the kana table they start with."""
    return [
        (KanaRow(row), list(members))
        for row, members in groupby(districts, key=lambda d: gojuon_row(d.name_kana))
    ]


@dataclass(frozen=True)
class CitySummary:
    as_of: object
    population: int
    households: int
    under_15: int
    aged_65_over: int

    @property
    def aging_rate(self) -> Decimal | None:
        return percent(self.aged_65_over, self.population)


def city_summary() -> CitySummary | None:
    """The city's totals over each district's latest figures, and the newest date among them."""
    latest = DistrictStatistic.objects.latest_per_district()
    totals = latest.aggregate(
        population=Sum("population"),
        households=Sum("households"),
        under_15=Sum("under_15"),
        aged_65_over=Sum("aged_65_over"),
    )
    if totals["population"] is None:
        return None
    as_of = latest.order_by("-as_of").values_list("as_of", flat=True).first()
    return CitySummary(as_of=as_of, **totals)


def district_for_page(slug: str) -> District:
    """One district with its council, or 404."""
    return get_object_or_404(District.objects.select_related("council"), slug=slug)


@dataclass(frozen=True)
class FactValue:
    label: str
    kind: FactKind
    value: object


def district_facts(district: District) -> list[FactValue]:
    """The district's facts (District.FACTS) the page lists, in order: a name always (「—」
    while there is none), anything else once it has a value. No query."""
    found = [
        FactValue(fact.page_label, fact.kind, getattr(district, fact.field))
        for fact in District.FACTS
    ]
    return [fact for fact in found if fact.value or fact.kind == FactKind.NAME]


# The district page charts and tabulates the latest figures; the CSV has every one.
STATISTICS_ON_PAGE = 10


def district_statistics(
    district: District, *, latest: int | None = None
) -> list[DistrictStatistic]:
    """The district's figures, oldest first: every one, or the `latest` few."""
    if latest is None:
        return list(district.statistics.order_by("as_of"))
    return list(reversed(district.statistics.order_by("-as_of")[:latest]))


def current_liaisons(district: District) -> list[LiaisonAssignment]:
    """Who the district's liaison officers are today, with their public contact."""
    return list(
        LiaisonAssignment.objects.current()
        .filter(district=district)
        .select_related("user")
        .order_by("start_on")
    )


@dataclass(frozen=True)
class TownAreas:
    """One town of a district and the parts of it the district covers, in address order."""

    town: str
    town_kana: str
    areas: list[Area]

    @property
    def parts(self) -> list[str]:
        """「一丁目」「三丁目（1～12番地）」, or 「全域」 for the whole town."""
        labels = []
        for area in self.areas:
            chome = f"{kanji_numeral(area.chome)}丁目" if area.chome is not None else ""
            banchi = area.banchi_label
            if chome and banchi:
                labels.append(f"{chome}（{banchi}）")
            else:
                labels.append(chome or banchi or str(_("whole town")))
        return labels


def district_areas(district: District) -> list[TownAreas]:
    """The district's areas (通学区域) by town, in address order: one query."""
    areas = sorted(
        Area.objects.filter(district=district).only(
            "town", "town_kana", "chome", "banchi_from", "banchi_to"
        ),
        # In Python: the whole town first on every database (NULL sorts differently in each).
        key=lambda a: (a.town_kana, a.town, a.chome or 0, a.banchi_from or 0),
    )
    return [
        TownAreas(town=town, town_kana=kana, areas=list(parts))
        for (kana, town), parts in groupby(areas, key=lambda a: (a.town_kana, a.town))
    ]
