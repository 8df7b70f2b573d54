"""The demo city of `manage.py seed_demo`: its size, its spread and its demo accounts."""

import datetime as dt
import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import Count
from django.utils import timezone

from core import roles
from core.dates import fiscal_year
from districts.models import (
    Council,
    CouncilStage,
    District,
    DistrictKind,
    DistrictStatistic,
    LiaisonAssignment,
)
from organizations.models import Membership, Officer, Organization, OrganizationKind
from plans.models import (
    ActionItem,
    Decision,
    Direction,
    Indicator,
    IndicatorResult,
    Initiative,
    InitiativeStatus,
    IssueSource,
    Meeting,
    MeetingKind,
    Plan,
    PlanIssue,
    PlanStage,
    Review,
    ReviewRating,
    RoleAssignment,
    RoleKind,
    RoleParty,
    Sector,
)

PASSWORD = "kyodo-demo-2026"
DEMO_USERS = {
    # username: (group, is_staff, is_superuser)
    "demo-coordinator": (roles.COORDINATORS, False, False),
    "demo-coordinator2": (roles.COORDINATORS, False, False),
    "demo-liaison": (roles.LIAISON, True, False),
    "demo-officer": (roles.GRANT_OFFICERS, True, False),
    "demo-approver": (roles.GRANT_APPROVERS, True, False),
    "demo-admin": (None, True, True),
}


def seed() -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    models = (
        District,
        Council,
        DistrictStatistic,
        LiaisonAssignment,
        Organization,
        Membership,
        Officer,
        get_user_model(),
        Organization.districts.through,
        Organization.fields.through,
        Council.coordinators.through,
        Plan,
        PlanIssue,
        Initiative,
        Initiative.issues.through,
        RoleAssignment,
        Indicator,
        IndicatorResult,
        Review,
        ReviewRating,
        Meeting,
        Meeting.attending_groups.through,
        Meeting.initiatives.through,
        Decision,
        ActionItem,
    )
    return {model._meta.label: model.objects.count() for model in models}


@pytest.fixture
def seeded(db):
    seed()


def test_running_twice_keeps_the_same_rows(db):
    seed()
    first = counts()
    first_ids = {
        model: set(model.objects.values_list("pk", flat=True))
        for model in (Organization, Plan, Initiative, Indicator, Meeting)
    }
    output = seed()
    assert counts() == first
    for model, ids in first_ids.items():  # addresses of plans and meetings stay the same
        assert set(model.objects.values_list("pk", flat=True)) == ids, model
    assert PASSWORD in output
    for username in DEMO_USERS:
        assert username in output


def test_quiet_with_verbosity_zero(db):
    out = io.StringIO()
    call_command("seed_demo", verbosity=0, stdout=out)
    assert out.getvalue() == ""


def test_districts_cover_every_stage(seeded):
    assert 10 <= District.objects.count() <= 14
    assert set(District.objects.values_list("kind", flat=True)) >= {
        DistrictKind.ELEMENTARY,
        DistrictKind.JUNIOR_HIGH,
    }
    assert set(Council.objects.values_list("stage", flat=True)) == set(CouncilStage.values)
    assert District.objects.filter(council__isnull=True).exists()
    assert not Council.objects.filter(stage=CouncilStage.ESTABLISHED, established_on=None).exists()
    for district in District.objects.all():
        assert district.hub_phone.startswith("0000-")
        assert district.hub_address.startswith("みどり野市")
        district.full_clean()  # kana reading, slug, phone


def test_every_district_has_a_mix_of_groups(seeded):
    for district in District.objects.annotate(n=Count("organizations")):
        assert 15 <= district.n <= 40, district
        kinds = set(district.organizations.values_list("kind", flat=True))
        assert {
            OrganizationKind.NEIGHBORHOOD,
            OrganizationKind.SOCIAL_WELFARE,
            OrganizationKind.WELFARE_VOLUNTEERS,
            OrganizationKind.PTA,
        } <= kinds
        households = district.statistics.latest().households
        members = district.organizations.filter(member_households__isnull=False)
        assert members.count() >= 3
        assert sum(members.values_list("member_households", flat=True)) < households
    assert set(Organization.objects.values_list("kind", flat=True)) == set(OrganizationKind.values)


def test_groups_look_real(seeded):
    groups = Organization.objects.all()
    assert (
        not groups.exclude(kind=OrganizationKind.NEIGHBORHOOD)
        .filter(member_households__isnull=False)
        .exists()
    )
    unpublished = groups.filter(is_published=False).count()
    assert 0.03 <= unpublished / groups.count() <= 0.12
    assert groups.annotate(n=Count("districts")).filter(n__gte=2).exists()
    assert groups.filter(website__startswith="https://example.jp/").exists()
    assert groups.filter(email__endswith="@example.jp").exists()
    assert not groups.filter(fields__isnull=True).exists()
    for group in groups:
        group.full_clean()  # kana reading, URL, e-mail


def test_statistics_are_plausible(seeded):
    for district in District.objects.all():
        rows = list(district.statistics.order_by("as_of"))
        assert len(rows) >= 5
        for row in rows:
            assert 3000 <= row.population <= 15000
            assert row.households < row.population
            assert row.under_15 + row.aged_65_over <= row.population
        assert rows[-1].aging_rate > rows[0].aging_rate


def test_officers_have_past_and_current_terms(seeded):
    officers = Officer.objects.all()
    current = officers.current()
    assert current.exists()
    assert officers.filter(term_end__lt="2026-01-01").exists()
    for council in Council.objects.all():
        assert council.officers.current().filter(role="chair").count() == 1, council
    assert Organization.objects.filter(officers__isnull=False).distinct().count() >= 100
    public_share = officers.filter(name_is_public=True).count() / officers.count()
    assert 0.55 <= public_share <= 0.8
    assert not officers.filter(private_phone="").exists()
    assert all(" " in name for name in officers.values_list("person_name", flat=True))


def test_memberships_belong_to_the_councils_district(seeded):
    memberships = Membership.objects.select_related("council", "organization")
    assert memberships.filter(end_on__isnull=False).exists()
    for council in Council.objects.exclude(stage=CouncilStage.NOT_STARTED):
        assert council.memberships.current().count() >= 10, council
    for membership in memberships:
        assert membership.organization.districts.filter(pk=membership.council.district_id).exists()


def test_demo_accounts(seeded):
    users = get_user_model().objects
    for username, (group, is_staff, is_superuser) in DEMO_USERS.items():
        user = users.get(username=username)
        assert user.check_password(PASSWORD)
        assert (user.is_staff, user.is_superuser, user.is_active) == (is_staff, is_superuser, True)
        assert list(user.groups.values_list("name", flat=True)) == ([group] if group else [])
        assert user.last_name and user.first_name

    first = users.get(username="demo-coordinator").coordinated_councils.get()
    second = users.get(username="demo-coordinator2").coordinated_councils.get()
    assert first != second
    assert {first.stage, second.stage} <= {CouncilStage.ESTABLISHED, CouncilStage.MODEL}


def test_liaison_assignments(seeded):
    liaison = get_user_model().objects.get(username="demo-liaison")
    mine = LiaisonAssignment.objects.current().filter(user=liaison)
    assert mine.count() == 3
    assert not mine.filter(public_name="").exists()
    assert not mine.filter(public_phone="").exists()
    assert not mine.filter(public_email="").exists()
    for council in Council.objects.all():
        assert LiaisonAssignment.objects.current().filter(district=council.district_id).exists()
    assert LiaisonAssignment.objects.filter(end_on__isnull=False).exists()
    others = LiaisonAssignment.objects.exclude(user=liaison).values_list("user", flat=True)
    for user in get_user_model().objects.filter(pk__in=others):
        assert user.is_staff and not user.has_usable_password()
        assert user.groups.filter(name=roles.LIAISON).exists()


# --- Plans and meetings ------------------------------------------------------------------------


def current_fy() -> int:
    return fiscal_year(timezone.localdate())


def meeting_day(meeting: Meeting) -> dt.date:
    return timezone.localtime(meeting.starts_at).date()


def test_summary_counts_plans_and_meetings(db):
    output = seed()
    for label, count in (
        ("plans", Plan.objects.count()),
        ("plan initiatives", Initiative.objects.count()),
        ("meetings", Meeting.objects.count()),
    ):
        assert re.search(rf"^  {label} +{count}  ", output, re.MULTILINE), label
    assert f"unpublished {Meeting.objects.filter(is_published=False).count()}" in output


def test_every_established_and_model_district_has_a_plan_in_force(seeded):
    fy = current_fy()
    councils = Council.objects.filter(stage__in=[CouncilStage.ESTABLISHED, CouncilStage.MODEL])
    assert councils.count() >= 4
    for council in councils:
        plan = Plan.objects.filter(district=council.district_id, stage=PlanStage.ADOPTED)
        plan = plan.covering(fy).get()
        assert plan.vision and plan.adopted_on, plan
        assert 4 <= plan.issues.count() <= 7, plan
        assert plan.issues.filter(field__isnull=False).values("field").distinct().count() >= 3
        initiatives = plan.initiatives.all()
        assert 4 <= initiatives.count() <= 8, plan
        for initiative in initiatives:
            assert initiative.issues.exists(), initiative
            assert initiative.roles.filter(role=RoleKind.LEAD).exists(), initiative
            assert 1 <= initiative.indicators.count() <= 3, initiative
        results = IndicatorResult.objects.filter(indicator__initiative__plan=plan)
        years = set(results.values_list("fiscal_year", flat=True))
        assert years == set(range(plan.start_fy, fy)), plan  # every year that is over
        assert len(years) >= 2, plan
        reviews = plan.reviews.all()
        assert reviews.exists(), plan
        assert set(reviews.values_list("fiscal_year", flat=True)) <= years
        for review in reviews:
            assert review.summary and review.next_steps
            assert review.ratings.exists()
            assert not review.ratings.filter(reason="").exists()


def test_plans_show_the_whole_range_of_the_model(seeded):
    adopted = Initiative.objects.filter(plan__stage=PlanStage.ADOPTED)
    assert set(adopted.values_list("status", flat=True)) == set(InitiativeStatus.values)
    roles = RoleAssignment.objects.all()
    assert set(roles.values_list("party", flat=True)) == set(RoleParty.values)
    assert set(roles.values_list("role", flat=True)) == set(RoleKind.values)
    assert set(roles.values_list("sector", flat=True)) == set(Sector.values)
    departments = set(roles.filter(party=RoleParty.CITY).values_list("department", flat=True))
    assert {"危機管理課", "地域福祉課", "道路維持課"} <= departments
    for role in roles.filter(party=RoleParty.GROUP).select_related("organization", "initiative"):
        assert role.organization.is_published
        assert role.organization.districts.filter(pk=role.initiative.plan.district_id).exists()
    assert set(Indicator.objects.values_list("direction", flat=True)) == set(Direction.values)
    assert set(PlanIssue.objects.values_list("source", flat=True)) >= {
        IssueSource.SURVEY,
        IssueSource.MEETING,
        IssueSource.WORKSHOP,
    }
    assert set(ReviewRating.objects.values_list("rating", flat=True)) == {"A", "B", "C", "D"}
    assert {"人", "件", "%"} <= set(Indicator.objects.values_list("unit", flat=True))


def test_one_indicator_misses_a_year(seeded):
    """Progress charts must cope with a gap: one indicator has no result for a year in between."""
    gaps = []
    for indicator in Indicator.objects.filter(initiative__plan__stage=PlanStage.ADOPTED):
        years = sorted(indicator.results.values_list("fiscal_year", flat=True))
        if years and len(years) < years[-1] - years[0] + 1:
            gaps.append(indicator)
    assert len(gaps) == 1


def test_older_draft_and_discussed_plans(seeded):
    superseded = Plan.objects.get(stage=PlanStage.SUPERSEDED)
    assert superseded.district.council.stage == CouncilStage.ESTABLISHED
    in_force = superseded.district.plans.get(stage=PlanStage.ADOPTED)
    assert superseded.end_fy < in_force.start_fy
    assert superseded.reviews.count() == superseded.end_fy - superseded.start_fy + 1

    draft = Plan.objects.get(stage=PlanStage.DRAFT)
    assert draft.district.council.stage == CouncilStage.MODEL
    assert draft not in Plan.objects.public()
    assert not Meeting.objects.filter(plan__stage=PlanStage.DRAFT).exists()

    discussed = Plan.objects.get(stage=PlanStage.DISCUSSION)
    assert discussed.district.council.stage == CouncilStage.PREPARING
    assert discussed.adopted_on is None
    assert discussed.initiatives.filter(status=InitiativeStatus.PLANNED).count() >= 3


def test_meetings_span_three_fiscal_years_in_every_kind(seeded):
    fy = current_fy()
    meetings = list(Meeting.objects.all())
    years = {fiscal_year(meeting_day(meeting)) for meeting in meetings}
    assert {fy - 2, fy - 1, fy} <= years
    assert {meeting.kind for meeting in meetings} == set(MeetingKind.values)
    for council in Council.objects.all():
        assert Meeting.objects.filter(district=council.district_id, council=council).exists()
    for council in Council.objects.filter(stage=CouncilStage.PREPARING):
        assert council.meetings.filter(kind=MeetingKind.PREPARATORY).exists(), council
    assert not Meeting.objects.filter(district__council__isnull=True).exists()


def test_some_meetings_are_unpublished_and_some_announced(seeded):
    today = timezone.localdate()
    meetings = Meeting.objects.all()
    unpublished = meetings.filter(is_published=False)
    assert 0.05 <= unpublished.count() / meetings.count() <= 0.15
    assert unpublished.upcoming().exists()
    assert unpublished.past().exists()
    assert meetings.published().upcoming().exists()
    assert meetings.published().filter(starts_at__lte=timezone.now() + dt.timedelta(days=14))
    assert not meetings.filter(is_published=True, published_at__isnull=True).exists()
    assert not meetings.filter(is_published=False, published_at__isnull=False).exists()
    assert meetings.filter(starts_at__date__gt=today + dt.timedelta(days=30)).exists()


def test_meetings_read_like_real_records(seeded):
    today = timezone.localdate()
    meetings = Meeting.objects.select_related("district", "council").prefetch_related(
        "attending_groups__districts", "decisions", "action_items"
    )
    for meeting in meetings:
        start, end = timezone.localtime(meeting.starts_at), timezone.localtime(meeting.ends_at)
        assert start.hour >= 8 and end.hour <= 22 and end > start, meeting
        assert start.date() == end.date()
        if meeting.kind == MeetingKind.BOARD:
            assert start.hour >= 18 and start.weekday() < 5, meeting
        if meeting.kind in (MeetingKind.GENERAL, MeetingKind.FORUM):
            assert start.weekday() >= 5, meeting
        assert meeting.district.hub_name in meeting.place
        assert meeting.agenda.count("\n") >= 3
        assert meeting.council.district_id == meeting.district_id
        groups = list(meeting.attending_groups.all())
        assert groups
        for group in groups:
            assert group.is_published
            assert meeting.district in group.districts.all()
        decisions = list(meeting.decisions.all())
        if start.date() < today:
            assert meeting.attendance and meeting.minutes.count("\n\n") >= 1, meeting
            assert 1 <= len(decisions) <= 4, meeting
            assert [decision.order for decision in decisions] == list(range(1, len(decisions) + 1))
            assert meeting.action_items.all(), meeting
        else:
            assert meeting.attendance is None and meeting.minutes == "" and not decisions
    assert Meeting.objects.filter(plan__isnull=False).exists()
    assert Meeting.objects.filter(initiatives__isnull=False).exists()
    items = ActionItem.objects.all()
    assert items.filter(owner_organization__isnull=False).exists()
    assert items.filter(owner_role="事務局").exists()
    assert set(items.values_list("status", flat=True)) >= {"done", "in_progress"}
    assert PlanIssue.objects.filter(source_meeting__is_published=True).exists()
    assert not PlanIssue.objects.filter(source_meeting__is_published=False).exists()


def test_the_data_obeys_the_model_rules(seeded):
    for model in (
        Plan,
        PlanIssue,
        Initiative,
        RoleAssignment,
        Indicator,
        IndicatorResult,
        Review,
        ReviewRating,
        Meeting,
        Decision,
        ActionItem,
    ):
        for row in model.objects.all():
            row.full_clean()


def test_plans_follow_the_calendar(db, monkeypatch):
    """Run in a later year, the demo still has plans in force and meetings ahead."""
    later = dt.date(2031, 2, 20)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: later)
    seed()
    first = counts()
    seed()
    assert counts() == first
    fy = fiscal_year(later)
    for council in Council.objects.filter(stage__in=[CouncilStage.ESTABLISHED, CouncilStage.MODEL]):
        plan = Plan.objects.get(district=council.district_id, stage=PlanStage.ADOPTED)
        assert plan.covers(fy)
        assert plan.reviews.filter(fiscal_year=fy - 1).exists()
    days = [meeting_day(meeting) for meeting in Meeting.objects.all()]
    assert max(days) > later and fiscal_year(max(days)) == fy + 1
    assert min(days) >= dt.date(fy - 2, 4, 1)
    for row in Plan.objects.all():
        row.full_clean()
