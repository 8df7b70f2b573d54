"""Admin change lists over large tables: the paginator's counts, the cheap filters, and query
counts that stay fixed as the data grows (docs/performance.md)."""

import datetime as dt
import re

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.admin_paging import LargeTablePaginator
from plans.admin import MeetingFiscalYearFilter
from plans.models import Meeting
from tests.factories import (
    CouncilFactory,
    DistrictFactory,
    DistrictStatisticFactory,
    LiaisonAssignmentFactory,
    MembershipFactory,
    OfficerFactory,
    OrganizationFactory,
)
from tests.plans.factories import (
    ActionItemFactory,
    DecisionFactory,
    IndicatorFactory,
    IndicatorResultFactory,
    InitiativeFactory,
    MeetingAttachmentFactory,
    MeetingFactory,
    PlanFactory,
    PlanIssueFactory,
    ReviewFactory,
    ReviewRatingFactory,
    RoleAssignmentFactory,
)

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL's planner statistics"
)
on_sqlite = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite only")


def tokyo(*args) -> dt.datetime:
    return timezone.make_aware(dt.datetime(*args))


def count_queries(captured) -> list[str]:
    return [query["sql"] for query in captured if "COUNT(" in query["sql"].upper()]


def analyze(model) -> None:
    """Refresh the planner's statistics of the model's table, as autovacuum would."""
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


class EagerEstimates(LargeTablePaginator):
    """Trusts the planner's figure from ten rows up, so small test tables take that path."""

    estimate_threshold = 10


class SmallExactLimit(LargeTablePaginator):
    exact_count_limit = 5


# The paginator ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_counts_small_tables_and_filtered_lists_exactly():
    district, other = DistrictFactory(), DistrictFactory()
    MeetingFactory.create_batch(4, district=district)
    MeetingFactory.create_batch(3, district=other)

    everything = LargeTablePaginator(Meeting.objects.all(), 3)
    one_district = LargeTablePaginator(Meeting.objects.filter(district=district), 3)

    assert (everything.count, everything.num_pages) == (7, 3)
    assert (one_district.count, one_district.num_pages) == (4, 2)
    assert [m.district for m in one_district.page(2).object_list] == [district]


@pytest.mark.django_db
def test_counts_a_list_that_is_not_a_queryset():
    assert LargeTablePaginator(list(range(25)), 10).num_pages == 3


@on_sqlite
@pytest.mark.django_db
def test_on_sqlite_it_counts_exactly_as_djangos_paginator_does():
    district = DistrictFactory()
    MeetingFactory.create_batch(12, district=district)
    queryset = Meeting.objects.filter(district=district)

    with CaptureQueriesContext(connection) as ours:
        ours_count = EagerEstimates(queryset, 5).count
        whole_table = EagerEstimates(Meeting.objects.all(), 5).count
    with CaptureQueriesContext(connection) as djangos:
        djangos_count = Paginator(queryset, 5).count
        Paginator(Meeting.objects.all(), 5).count  # noqa: B018

    assert (ours_count, whole_table) == (djangos_count, 12) == (12, 12)
    assert [q["sql"] for q in ours] == [q["sql"] for q in djangos]


@on_postgresql
@pytest.mark.django_db
def test_whole_table_is_counted_from_the_planners_statistics():
    district = DistrictFactory()
    meetings = MeetingFactory.create_batch(30, district=district)
    analyze(Meeting)
    # Deleted after the statistics were taken: an exact count would say 20.
    Meeting.objects.filter(pk__in=[m.pk for m in meetings[:10]]).delete()

    with CaptureQueriesContext(connection) as captured:
        paginator = EagerEstimates(Meeting.objects.all(), 10)
        count = paginator.count

    assert count == 30
    assert paginator.num_pages == 3
    assert count_queries(captured) == []
    assert len(captured) == 1
    assert "pg_class" in captured[0]["sql"]


@on_postgresql
@pytest.mark.django_db
def test_whole_table_below_the_threshold_is_counted_exactly():
    district = DistrictFactory()
    meetings = MeetingFactory.create_batch(30, district=district)
    analyze(Meeting)
    Meeting.objects.filter(pk__in=[m.pk for m in meetings[:10]]).delete()

    # 30 rows by the statistics is well under the 10,000 worth estimating.
    assert LargeTablePaginator(Meeting.objects.all(), 10).count == 20


@on_postgresql
@pytest.mark.django_db
def test_filtered_list_is_counted_exactly_through_a_limited_subquery():
    district = DistrictFactory()
    MeetingFactory.create_batch(4, district=district)
    MeetingFactory.create_batch(3)

    with CaptureQueriesContext(connection) as captured:
        count = SmallExactLimit(Meeting.objects.filter(district=district), 2).count

    assert count == 4
    [sql] = count_queries(captured)
    assert re.search(r"LIMIT 6\b", sql)
    assert "WHERE" in sql


@on_postgresql
@pytest.mark.django_db
def test_filtered_list_past_the_limit_stops_counting_and_estimates():
    district = DistrictFactory()
    MeetingFactory.create_batch(9, district=district)
    analyze(Meeting)

    with CaptureQueriesContext(connection) as captured:
        count = SmallExactLimit(Meeting.objects.filter(district=district), 2).count

    # At least what was counted (6, one past the limit); the planner's estimate beyond that.
    assert count >= 6
    [sql] = count_queries(captured)
    assert re.search(r"LIMIT 6\b", sql)
    assert any(query["sql"].startswith("EXPLAIN (FORMAT JSON)") for query in captured)


@on_postgresql
@pytest.mark.django_db
def test_meeting_changelist_never_counts_the_whole_table(client, superuser, monkeypatch):
    district = DistrictFactory()
    MeetingFactory.create_batch(12, district=district)
    analyze(Meeting)
    monkeypatch.setattr(LargeTablePaginator, "estimate_threshold", 10)
    client.force_login(superuser)

    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("admin:plans_meeting_changelist"))

    assert response.status_code == 200
    assert response.context["cl"].result_count == 12
    # Neither the paginator nor Django's "(N total)" count reads the table.
    assert count_queries(captured) == []
    assert response.context["cl"].full_result_count is None


# Query counts that stay fixed as the data grows ---------------------------------------------

# model → (superuser, liaison officer) queries on SQLite. The superuser's whole-table list asks
# PostgreSQL for its statistics first: one query more there.
CHANGELIST_QUERIES = {
    # Without a date hierarchy: no first/last date and no DISTINCT years of every meeting.
    ("plans", "meeting"): (7, 10),
    ("plans", "decision"): (5, 8),
    ("plans", "actionitem"): (5, 8),
    ("plans", "meetingattachment"): (5, 8),
    ("plans", "plan"): (6, 9),
    ("plans", "planissue"): (6, 9),
    ("plans", "initiative"): (6, 9),
    ("plans", "roleassignment"): (4, 7),
    ("plans", "indicator"): (5, 8),
    ("plans", "indicatorresult"): (5, 8),
    ("plans", "review"): (5, 8),
    ("plans", "reviewrating"): (4, 7),
    ("organizations", "organization"): (7, 10),
    ("organizations", "membership"): (5, 8),
    ("organizations", "officer"): (4, 7),
    ("districts", "districtstatistic"): (7, 10),
}


def add_records(district, council, times: int) -> None:
    """`times` rows of every large list in the district, the meetings across fiscal years."""
    for n in range(times):
        group = OrganizationFactory(districts=[district])
        MembershipFactory(organization=group, council=council)
        OfficerFactory(organization=group)
        OfficerFactory(organization=None, council=council)
        DistrictStatisticFactory(district=district)
        plan = PlanFactory(district=district, start_fy=2019 + n % 5, end_fy=2028, draft=True)
        issue = PlanIssueFactory(plan=plan)
        initiative = InitiativeFactory(plan=plan, issues=[issue])
        RoleAssignmentFactory(initiative=initiative, organization=group)
        indicator = IndicatorFactory(initiative=initiative)
        IndicatorResultFactory(indicator=indicator)
        review = ReviewFactory(plan=plan)
        ReviewRatingFactory(review=review, initiative=initiative)
        meeting = MeetingFactory(
            district=district,
            starts_at=tokyo(2019 + n % 7, 6, 1, 10),
            plan=plan,
            attending_groups=[group],
            initiatives=[initiative],
        )
        DecisionFactory(meeting=meeting)
        ActionItemFactory(meeting=meeting, owner_organization=group)
        MeetingAttachmentFactory(meeting=meeting)


@pytest.fixture
def two_districts(liaison_user, settings, tmp_path):
    """The liaison officer's district and another one, with a record of every kind each."""
    settings.MEDIA_ROOT = tmp_path
    home, away = CouncilFactory(), CouncilFactory()
    LiaisonAssignmentFactory(user=liaison_user, district=home.district)
    add_records(home.district, home, 1)
    add_records(away.district, away, 1)
    return home, away


@pytest.mark.parametrize(("app", "model"), list(CHANGELIST_QUERIES))
@pytest.mark.parametrize("who", ["superuser", "liaison_user"])
def test_large_changelist_query_count_is_pinned_and_does_not_grow(
    request, client, two_districts, app, model, who
):
    user = request.getfixturevalue(who)
    client.force_login(user)
    url = reverse(f"admin:{app}_{model}_changelist")
    client.get(url)  # content types and the session, cached from here on
    superuser_queries, liaison_queries = CHANGELIST_QUERIES[app, model]
    if who == "superuser":
        expected = superuser_queries + (connection.vendor == "postgresql")
    else:
        expected = liaison_queries

    with CaptureQueriesContext(connection) as once:
        response = client.get(url)
    rows_once = response.context["cl"].result_count
    for council in two_districts:
        add_records(council.district, council, 9)
    with CaptureQueriesContext(connection) as ten_times:
        response = client.get(url)

    assert response.status_code == 200
    assert response.context["cl"].result_count >= 10 * rows_once > 0
    assert len(once) == expected, [query["sql"] for query in once]
    assert len(ten_times) == expected, [query["sql"] for query in ten_times]


# Cheap filters ------------------------------------------------------------------------------


def district_choices(response) -> list[str]:
    spec = next(
        spec
        for spec in response.context["cl"].filter_specs
        if getattr(spec, "lookup_kwarg", "") == "district__id__exact"
    )
    return [label for _pk, label in spec.lookup_choices]


@pytest.mark.django_db
def test_district_filter_offers_the_scope_without_reading_the_rows(client, superuser):
    with_meetings, without = (
        DistrictFactory(name="桜台小学校区"),
        DistrictFactory(name="港南小学校区"),
    )
    MeetingFactory(district=with_meetings)
    client.force_login(superuser)

    response = client.get(reverse("admin:plans_meeting_changelist"))

    # City-wide staff may filter by any district, including one with no meetings yet.
    assert district_choices(response) == [with_meetings.name, without.name]


@pytest.mark.django_db
def test_district_filter_offers_a_liaison_officer_their_districts_only(client, liaison_user):
    home, second, other = DistrictFactory(), DistrictFactory(), DistrictFactory()
    for district in (home, second):
        LiaisonAssignmentFactory(user=liaison_user, district=district)
    for district in (home, second, other):
        MeetingFactory(district=district)
    client.force_login(liaison_user)

    response = client.get(reverse("admin:plans_meeting_changelist"))

    assert district_choices(response) == [home.name, second.name]
    assert other.name not in response.text


@pytest.mark.django_db
def test_fiscal_year_filter_skips_years_without_meetings(client, superuser):
    district = DistrictFactory()
    MeetingFactory(district=district, starts_at=tokyo(2019, 6, 1, 10))
    MeetingFactory(district=district, starts_at=tokyo(2025, 3, 31, 23, 30))  # FY2024
    MeetingFactory(district=district, starts_at=tokyo(2025, 4, 1, 0, 30))  # FY2025
    client.force_login(superuser)

    response = client.get(reverse("admin:plans_meeting_changelist"))

    spec = next(
        spec
        for spec in response.context["cl"].filter_specs
        if isinstance(spec, MeetingFiscalYearFilter)
    )
    assert [value for value, _label in spec.lookup_choices] == ["2025", "2024", "2019"]


@pytest.mark.django_db
def test_fiscal_year_filter_is_hidden_without_meetings(client, superuser):
    client.force_login(superuser)

    response = client.get(reverse("admin:plans_meeting_changelist"))

    assert not any(
        isinstance(spec, MeetingFiscalYearFilter) for spec in response.context["cl"].filter_specs
    )
