"""The queries behind the plan and meeting pages: what they include, leave out and compute."""

import datetime as dt
from decimal import Decimal

import pytest
from django.http import Http404
from django.utils import timezone, translation

from plans import selectors
from plans.models import InitiativeStatus, MeetingKind
from plans.templatetags.plan_tags import format_measure, format_meeting_time
from tests.factories import CouncilFactory, DistrictFactory, OrganizationFactory
from tests.plans.factories import (
    IndicatorFactory,
    IndicatorResultFactory,
    InitiativeFactory,
    MeetingAttachmentFactory,
    MeetingFactory,
    PlanFactory,
    at_two_pm,
)

pytestmark = pytest.mark.django_db


def tokyo(*args) -> dt.datetime:
    return timezone.make_aware(dt.datetime(*args))


# Indicator progress --------------------------------------------------------------------------


def rows(progress) -> list[tuple]:
    return [(row.fiscal_year, row.value, row.progress, row.achieved) for row in progress.years]


def test_progress_higher_is_better_with_a_missing_year():
    plan = PlanFactory(start_fy=2019, end_fy=2023)
    indicator = IndicatorFactory(
        initiative__plan=plan, baseline_value=100, target_value=150, baseline_fy=2018
    )
    IndicatorResultFactory(indicator=indicator, fiscal_year=2019, actual_value=110)
    IndicatorResultFactory(indicator=indicator, fiscal_year=2021, actual_value=160)
    IndicatorResultFactory(indicator=indicator, fiscal_year=2022, actual_value=90)

    progress = selectors.indicator_progress(indicator, plan.fiscal_years)

    assert rows(progress) == [
        (2019, Decimal(110), Decimal("20.0"), False),
        (2020, None, None, False),  # not recorded
        (2021, Decimal(160), Decimal("120.0"), True),
        (2022, Decimal(90), Decimal("-20.0"), False),  # worse than the baseline
        (2023, None, None, False),
    ]
    assert progress.latest.fiscal_year == 2022
    # The chart draws the baseline and the recorded years only.
    # The axis names fiscal years in the table's era style.
    labels = [point.label for point in progress.chart.points]
    assert labels == ["H30年度", "R1年度", "R3年度", "R4年度"]


def test_progress_lower_is_better():
    plan = PlanFactory(start_fy=2019, end_fy=2023)
    indicator = IndicatorFactory(initiative__plan=plan, lower=True)  # 20 → 10
    IndicatorResultFactory(indicator=indicator, fiscal_year=2019, actual_value=18)
    IndicatorResultFactory(indicator=indicator, fiscal_year=2020, actual_value="12.5")
    IndicatorResultFactory(indicator=indicator, fiscal_year=2021, actual_value=10)
    IndicatorResultFactory(indicator=indicator, fiscal_year=2022, actual_value=22)

    progress = selectors.indicator_progress(indicator, plan.fiscal_years)

    assert rows(progress)[:4] == [
        (2019, Decimal(18), Decimal("20.0"), False),
        (2020, Decimal("12.5"), Decimal("75.0"), False),
        (2021, Decimal(10), Decimal("100.0"), True),
        (2022, Decimal(22), Decimal("-20.0"), False),
    ]


def test_no_results_yet_gives_no_chart_and_no_latest():
    plan = PlanFactory(start_fy=2019, end_fy=2020)
    indicator = IndicatorFactory(initiative__plan=plan)
    progress = selectors.indicator_progress(indicator, plan.fiscal_years)
    assert [row.recorded for row in progress.years] == [False, False]
    assert progress.latest is None
    assert progress.chart is None


def test_plan_page_lists_years_up_to_this_fiscal_year_only():
    this_year = selectors.current_fiscal_year()
    plan = PlanFactory(start_fy=this_year - 1, end_fy=this_year + 3)
    IndicatorFactory(initiative__plan=plan)
    detail = selectors.plan_for_page(plan.pk)
    years = [row.fiscal_year for row in detail.initiatives[0].indicators[0].years]
    assert years == [this_year - 1, this_year]


# Plans ---------------------------------------------------------------------------------------


def test_draft_plan_is_not_found():
    plan = PlanFactory(draft=True)
    with pytest.raises(Http404):
        selectors.plan_for_page(plan.pk)


def test_current_plan_prefers_the_adopted_plan_covering_this_year():
    this_year = selectors.current_fiscal_year()
    district = DistrictFactory()
    adopted = PlanFactory(district=district, start_fy=this_year - 2, end_fy=this_year + 2)
    PlanFactory(district=district, discussion=True, start_fy=this_year + 3, end_fy=this_year + 7)
    PlanFactory(district=district, draft=True, start_fy=this_year + 8, end_fy=this_year + 9)
    assert selectors.current_plan(district) == adopted


def test_current_plan_falls_back_to_the_newest_public_plan_and_never_a_draft():
    this_year = selectors.current_fiscal_year()
    district = DistrictFactory()
    PlanFactory(district=district, superseded=True, start_fy=2015, end_fy=2019)
    discussed = PlanFactory(
        district=district, discussion=True, start_fy=this_year + 1, end_fy=this_year + 5
    )
    PlanFactory(district=district, draft=True, start_fy=this_year + 6, end_fy=this_year + 8)
    assert selectors.current_plan(district) == discussed
    only_draft = PlanFactory(draft=True).district
    assert selectors.current_plan(only_draft) is None


def test_superseded_plan_points_to_the_current_adopted_plan():
    this_year = selectors.current_fiscal_year()
    district = DistrictFactory()
    old = PlanFactory(district=district, superseded=True, start_fy=2015, end_fy=2019)
    assert selectors.plan_for_page(old.pk).current_plan is None
    PlanFactory(district=district, discussion=True, start_fy=this_year, end_fy=this_year + 4)
    assert selectors.plan_for_page(old.pk).current_plan is None
    current = PlanFactory(district=district, start_fy=this_year - 1, end_fy=this_year + 3)
    assert selectors.plan_for_page(old.pk).current_plan == current
    assert selectors.plan_for_page(current.pk).current_plan is None


def test_issues_grouped_by_field_with_unfiled_issues_last():
    from organizations.models import FieldCode
    from tests.factories import FieldFactory
    from tests.plans.factories import PlanIssueFactory

    plan = PlanFactory()
    PlanIssueFactory(plan=plan, field=None, title="分野なし")
    PlanIssueFactory(plan=plan, field=FieldFactory(code=FieldCode.WELFARE), title="見守り")
    PlanIssueFactory(plan=plan, field=FieldFactory(code=FieldCode.DISASTER), title="避難所")
    PlanIssueFactory(plan=plan, field=FieldFactory(code=FieldCode.DISASTER), title="備蓄")
    grouped = selectors.plan_for_page(plan.pk).issues_by_field
    assert [
        (bucket.field.code if bucket.field else None, [i.title for i in bucket.issues])
        for bucket in grouped
    ] == [("disaster", ["避難所", "備蓄"]), ("welfare", ["見守り"]), (None, ["分野なし"])]


def test_status_counts_cover_every_status():
    plan = PlanFactory()
    InitiativeFactory(plan=plan, status=InitiativeStatus.DONE)
    InitiativeFactory(plan=plan, status=InitiativeStatus.DONE)
    InitiativeFactory(plan=plan, status=InitiativeStatus.PAUSED)
    summary = selectors.district_plan_summary(plan.district)
    assert {item.status: item.count for item in summary.status_counts} == {
        InitiativeStatus.PLANNED: 0,
        InitiativeStatus.IN_PROGRESS: 0,
        InitiativeStatus.DONE: 2,
        InitiativeStatus.PAUSED: 1,
    }


# Meetings ------------------------------------------------------------------------------------


def titles(meetings) -> list[str]:
    return [meeting.title for meeting in meetings]


def test_upcoming_soonest_first_and_past_newest_first_published_only():
    MeetingFactory(title="来月", starts_at=at_two_pm(30))
    MeetingFactory(title="来週", starts_at=at_two_pm(7))
    MeetingFactory(title="先週", starts_at=at_two_pm(-7))
    MeetingFactory(title="先月", starts_at=at_two_pm(-30))
    MeetingFactory(title="非公開の予定", starts_at=at_two_pm(3), unpublished=True)
    MeetingFactory(title="非公開の記録", starts_at=at_two_pm(-3), unpublished=True)
    assert titles(selectors.upcoming_meetings()) == ["来週", "来月"]
    assert titles(selectors.past_meetings()) == ["先週", "先月"]


def test_meetings_filtered_by_district_kind_and_fiscal_year():
    sakura, aoba = DistrictFactory(), DistrictFactory()
    MeetingFactory(title="桜台 総会", district=sakura, starts_at=tokyo(2025, 5, 10, 14))
    MeetingFactory(
        title="桜台 役員会",
        district=sakura,
        kind=MeetingKind.BOARD,
        starts_at=tokyo(2025, 6, 1, 19),
    )
    MeetingFactory(title="青葉 総会", district=aoba, starts_at=tokyo(2025, 5, 11, 14))
    MeetingFactory(title="前年度末", district=sakura, starts_at=tokyo(2025, 3, 31, 23, 30))
    MeetingFactory(title="翌年度初日", district=sakura, starts_at=tokyo(2026, 4, 1, 0, 0))

    assert titles(selectors.past_meetings(district=sakura, kind=MeetingKind.GENERAL)) == [
        "翌年度初日",
        "桜台 総会",
        "前年度末",
    ]
    assert titles(selectors.past_meetings(fiscal_year=2025)) == [
        "桜台 役員会",
        "青葉 総会",
        "桜台 総会",
    ]
    assert titles(selectors.past_meetings(fiscal_year=2024)) == ["前年度末"]


def test_fiscal_years_of_published_meetings_only():
    MeetingFactory(starts_at=tokyo(2024, 3, 31, 14))
    MeetingFactory(starts_at=tokyo(2025, 4, 1, 10))
    MeetingFactory(starts_at=tokyo(2025, 9, 1, 10))
    MeetingFactory(starts_at=tokyo(2021, 9, 1, 10), unpublished=True)
    assert selectors.meeting_fiscal_years() == [2025, 2023]


def test_meeting_page_leaves_out_unpublished_groups_and_draft_plans():
    shown = OrganizationFactory(name="公開の会")
    hidden = OrganizationFactory(name="非公開の会", is_published=False)
    draft = PlanFactory(draft=True)
    public = PlanFactory()
    meeting = MeetingFactory(
        plan=draft,
        attending_groups=[shown, hidden],
        initiatives=[InitiativeFactory(plan=draft), InitiativeFactory(plan=public, title="公開")],
    )
    detail = selectors.meeting_for_page(meeting.pk)
    assert detail.attending_groups == [shown]
    assert detail.plan is None
    assert [initiative.title for initiative in detail.initiatives] == ["公開"]


def test_unpublished_meeting_is_not_found():
    meeting = MeetingFactory(unpublished=True)
    with pytest.raises(Http404):
        selectors.meeting_for_page(meeting.pk)


def test_attachment_type_and_size_and_a_missing_file(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    attachment = MeetingAttachmentFactory()
    link = selectors.attachment_link(attachment)
    assert (link.type_label, link.size) == ("PDF", attachment.file.size)
    attachment.file.storage.delete(attachment.file.name)
    assert selectors.attachment_link(attachment).size is None


def test_district_meetings_next_and_latest_published():
    council = CouncilFactory()
    district = council.district
    MeetingFactory(district=district, title="次回", starts_at=at_two_pm(10))
    MeetingFactory(
        district=district, title="非公開の次回", starts_at=at_two_pm(5), unpublished=True
    )
    MeetingFactory(district=district, title="前回", starts_at=at_two_pm(-10))
    MeetingFactory(
        district=district, title="非公開の前回", starts_at=at_two_pm(-5), unpublished=True
    )
    MeetingFactory(title="よその前回", starts_at=at_two_pm(-1))
    meetings = selectors.district_meetings(district)
    assert meetings.next_meeting.title == "次回"
    assert meetings.latest_record.title == "前回"


# Formatting ------------------------------------------------------------------------------------


def test_meeting_time_in_japanese_and_english():
    start, end = tokyo(2026, 11, 22, 14), tokyo(2026, 11, 22, 16)
    with translation.override("ja"):
        assert format_meeting_time(start, end) == "令和8年11月22日（日）14:00〜16:00"
        assert format_meeting_time(start) == "令和8年11月22日（日）14:00"
        assert (
            format_meeting_time(start, tokyo(2026, 11, 23, 12))
            == "令和8年11月22日（日）14:00〜令和8年11月23日（月）12:00"
        )
    with translation.override("en"):
        assert format_meeting_time(start, end) == "Sun 22 November 2026, 14:00–16:00"


def test_meeting_time_is_shown_in_tokyo_time_whatever_the_stored_zone():
    start = dt.datetime(2026, 11, 22, 5, 0, tzinfo=dt.UTC)  # 14:00 in Tokyo
    with translation.override("ja"):
        assert format_meeting_time(start) == "令和8年11月22日（日）14:00"


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (Decimal("100.00"), "100"),
        (Decimal("12.50"), "12.5"),
        (Decimal("12345"), "12,345"),
        (None, "—"),
    ],
)
def test_measured_values_are_written_without_trailing_zeros(value, text):
    assert format_measure(value) == text


def test_the_upcoming_list_shows_the_soonest_and_says_there_are_more(monkeypatch):
    monkeypatch.setattr(selectors, "UPCOMING_SHOWN", 2)
    district = DistrictFactory()
    for days in (3, 1, 2, 5):
        MeetingFactory(district=district, starts_at=at_two_pm(days), is_published=True)
    upcoming = selectors.upcoming_meetings()
    assert [m.starts_at for m in upcoming] == [at_two_pm(1), at_two_pm(2)]
    assert upcoming.more
    monkeypatch.setattr(selectors, "UPCOMING_SHOWN", 4)
    assert not selectors.upcoming_meetings().more
