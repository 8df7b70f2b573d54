"""The district selectors: list order and figures, rollout stages, city totals, liaisons."""

import datetime as dt
from decimal import Decimal

import pytest
from django.http import Http404
from django.utils import timezone

from districts.models import CouncilStage
from districts.selectors import (
    city_summary,
    current_liaisons,
    district_for_page,
    district_list,
    district_statistics,
    stage_counts,
)
from tests.factories import (
    CouncilFactory,
    DistrictFactory,
    DistrictStatisticFactory,
    LiaisonAssignmentFactory,
)

pytestmark = pytest.mark.django_db


def days_from_today(days: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=days)


# district_list ----------------------------------------------------------------------------


def test_district_list_is_in_kana_order_not_display_order():
    wakaba = DistrictFactory(name_kana="わかばしょうがっこうく", display_order=1)
    aoba = DistrictFactory(name_kana="あおばしょうがっこうく", display_order=4)
    sakura = DistrictFactory(name_kana="さくらしょうがっこうく", display_order=2)
    kasuga = DistrictFactory(name_kana="かすがしょうがっこうく", display_order=3)

    assert list(district_list()) == [aoba, kasuga, sakura, wakaba]


def test_district_list_same_reading_falls_back_to_name():
    second = DistrictFactory(name="みどり第2小学校区", name_kana="みどりしょうがっこうく")
    first = DistrictFactory(name="みどり第1小学校区", name_kana="みどりしょうがっこうく")

    assert list(district_list()) == [first, second]


def test_district_list_carries_the_latest_figures():
    sakura, konan = DistrictFactory(), DistrictFactory()
    DistrictStatisticFactory(
        district=sakura, as_of=dt.date(2025, 4, 1), population=5200, households=2100
    )
    DistrictStatisticFactory(
        district=sakura, as_of=dt.date(2024, 4, 1), population=5000, households=2000
    )
    DistrictStatisticFactory(
        district=sakura, as_of=dt.date(2023, 4, 1), population=4800, households=1900
    )

    rows = {district.pk: district for district in district_list()}

    assert rows[sakura.pk].latest_population == 5200
    assert rows[sakura.pk].latest_households == 2100
    assert rows[sakura.pk].latest_as_of == dt.date(2025, 4, 1)
    assert rows[konan.pk].latest_population is None
    assert rows[konan.pk].latest_households is None
    assert rows[konan.pk].latest_as_of is None


@pytest.mark.parametrize("district_count", [1, 8])
def test_district_list_is_one_query_whatever_the_number_of_districts(
    django_assert_num_queries, district_count
):
    for n in range(district_count):
        district = DistrictFactory()
        DistrictStatisticFactory(district=district)
        DistrictStatisticFactory(district=district)
        if n % 2:
            CouncilFactory(district=district)

    with django_assert_num_queries(1):
        districts = list(district_list())
        for district in districts:
            assert district.latest_population == 8000
            assert district.latest_as_of is not None
            district.rollout_stage  # noqa: B018 - touches the council
            district.council_or_none  # noqa: B018
        counts = stage_counts(districts)

    assert len(districts) == district_count
    assert sum(count.count for count in counts) == district_count


# stage_counts -----------------------------------------------------------------------------


def test_stage_counts_count_districts_without_council_as_not_started():
    DistrictFactory()
    DistrictFactory()
    CouncilFactory(stage=CouncilStage.NOT_STARTED)
    CouncilFactory(stage=CouncilStage.PREPARING)
    CouncilFactory(stage=CouncilStage.ESTABLISHED, established_on=dt.date(2024, 4, 1))
    CouncilFactory(stage=CouncilStage.ESTABLISHED, established_on=dt.date(2025, 4, 1))

    counts = stage_counts(district_list())

    assert [(count.stage, count.count, count.percent) for count in counts] == [
        (CouncilStage.NOT_STARTED, 3, 50),
        (CouncilStage.PREPARING, 1, 17),
        (CouncilStage.MODEL, 0, 0),
        (CouncilStage.ESTABLISHED, 2, 33),
    ]


def test_stage_shares_round_halves_up():
    CouncilFactory(stage=CouncilStage.MODEL)
    for _ in range(7):
        DistrictFactory()

    counts = {count.stage: count.percent for count in stage_counts(district_list())}

    assert counts[CouncilStage.MODEL] == 13  # 12.5% shown as 13%, not 12%


def test_stage_counts_of_no_districts_are_all_zero():
    counts = stage_counts(district_list())

    assert [count.stage for count in counts] == list(CouncilStage)
    assert all(count.count == 0 and count.percent == 0 for count in counts)


# city_summary ------------------------------------------------------------------------------


def test_city_summary_is_none_without_figures():
    DistrictFactory()

    assert city_summary() is None


def test_city_summary_adds_up_each_districts_latest_figures_only():
    sakura, konan = DistrictFactory(), DistrictFactory()
    DistrictFactory()  # no figures yet
    DistrictStatisticFactory(
        district=sakura,
        as_of=dt.date(2024, 4, 1),
        population=9999,
        households=9999,
        under_15=1,
        aged_65_over=1,
    )
    DistrictStatisticFactory(
        district=sakura,
        as_of=dt.date(2025, 4, 1),
        population=5000,
        households=2000,
        under_15=600,
        aged_65_over=1500,
    )
    DistrictStatisticFactory(
        district=konan,
        as_of=dt.date(2024, 10, 1),
        population=3000,
        households=1300,
        under_15=300,
        aged_65_over=1000,
    )
    DistrictStatisticFactory(
        district=konan,
        as_of=dt.date(2023, 10, 1),
        population=9999,
        households=9999,
        under_15=1,
        aged_65_over=1,
    )

    summary = city_summary()

    assert summary.population == 8000
    assert summary.households == 3300
    assert summary.under_15 == 900
    assert summary.aged_65_over == 2500
    assert summary.as_of == dt.date(2025, 4, 1)
    assert summary.aging_rate == Decimal("31.3")  # 31.25 rounds up


def test_city_summary_aging_rate_is_none_without_residents():
    DistrictStatisticFactory(population=0, households=0, under_15=0, aged_65_over=0)

    summary = city_summary()

    assert summary.population == 0
    assert summary.aging_rate is None


# One district -----------------------------------------------------------------------------


def test_district_for_page_by_slug_or_404():
    council = CouncilFactory(district=DistrictFactory(slug="sakuradai"))

    assert district_for_page("sakuradai").council_or_none == council
    with pytest.raises(Http404):
        district_for_page("nowhere")


def test_district_statistics_oldest_first_of_that_district_only():
    sakura = DistrictFactory()
    newer = DistrictStatisticFactory(district=sakura, as_of=dt.date(2025, 4, 1))
    older = DistrictStatisticFactory(district=sakura, as_of=dt.date(2024, 4, 1))
    DistrictStatisticFactory(as_of=dt.date(2024, 10, 1))

    assert district_statistics(sakura) == [older, newer]


def test_current_liaisons_of_the_district_today_in_start_order():
    sakura = DistrictFactory()
    later = LiaisonAssignmentFactory(district=sakura, start_on=days_from_today(0))
    earlier = LiaisonAssignmentFactory(
        district=sakura, start_on=days_from_today(-400), end_on=days_from_today(0)
    )
    LiaisonAssignmentFactory(district=sakura, ended=True)
    LiaisonAssignmentFactory(district=sakura, start_on=days_from_today(1))
    LiaisonAssignmentFactory()  # another district

    assert current_liaisons(sakura) == [earlier, later]
    assert current_liaisons(DistrictFactory()) == []
