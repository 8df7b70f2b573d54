"""The demo city of `manage.py seed_demo`: its size, its spread and its demo accounts.

The city is seeded once for the module (tests/conftest.py, demo_city); each test rolls back its
own changes. Runs that need an empty database are in test_seed_demo_runs.py.
"""

import datetime as dt
import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import Count, Sum
from django.utils import timezone

from core import roles
from core.dates import fiscal_year, fiscal_year_range
from core.text import fold
from districts.models import (
    Area,
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
    Admission,
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
from subsidies import rules, workflow
from subsidies.models import (
    CLOSED_STATES,
    DECIDED_STATES,
    EDITABLE_STATES,
    Allocation,
    AllocationComponent,
    Application,
    ApplicationEvent,
    ApplicationVersion,
    Attachment,
    AttachmentKind,
    BudgetLine,
    ComponentKind,
    ExpenseCategory,
    FormulaComponent,
    LegacySubsidy,
    Payment,
    PaymentKind,
    PlanRow,
    Program,
    ProgramYear,
    Report,
    ReportIndicator,
    ReportLine,
    Side,
    State,
    UnitCount,
    VersionStatus,
)
from subsidies.policy import councils_applications, reviewable_applications
from subsidies.services import GRANTED_STAGES

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
        *GRANT_MODELS,
    )
    return {model._meta.label: model.objects.count() for model in models}


GRANT_MODELS = (
    Program,
    LegacySubsidy,
    ProgramYear,
    FormulaComponent,
    UnitCount,
    ExpenseCategory,
    Allocation,
    AllocationComponent,
    Application,
    ApplicationVersion,
    PlanRow,
    PlanRow.initiatives.through,
    BudgetLine,
    Attachment,
    Payment,
    Report,
    ReportLine,
    ReportIndicator,
    ApplicationEvent,
)


@pytest.fixture
def seeded(demo_city, db):
    return demo_city


@pytest.fixture
def media_root(demo_city):
    """The grant attachments are real files, kept out of the project's media folder."""
    return demo_city.media


def test_running_twice_keeps_the_same_rows(seeded):
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


def test_summary_counts_plans_and_meetings(seeded):
    output = seeded.output
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


def test_charts_show_every_case_of_the_axis_rules(seeded):
    """An indicator chart across the change of era (平成 → 令和, with 元年), a percentage whose
    target is 100%, counts, and a district with more population figures than a phone labels."""
    from plans.selectors import indicator_progress

    charts = []
    for indicator in Indicator.objects.filter(results__isnull=False).distinct():
        progress = indicator_progress(indicator, indicator.initiative.plan.fiscal_years)
        charts.append((indicator, progress.chart))
    with_labels = [[point.label for point in chart.points] for _, chart in charts]
    assert any("H30年度" in labels and "R1年度" in labels for labels in with_labels)
    assert any(
        indicator.unit == "%" and indicator.target_value == 100 and chart.y_ticks[-1].text == "100%"
        for indicator, chart in charts
    )
    assert any(
        indicator.unit != "%" and all("." not in tick.text for tick in chart.y_ticks)
        for indicator, chart in charts
    )
    most = DistrictStatistic.objects.values("district").annotate(n=Count("pk")).order_by("-n")[0]
    assert most["n"] >= 10


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


def test_meetings_say_who_may_attend_and_where(seeded):
    meetings = Meeting.objects.published().select_related("district")
    assert set(meetings.values_list("admission", flat=True)) == set(Admission.values)
    for meeting in meetings.filter(admission=Admission.REGISTRATION):
        assert meeting.registration_how and meeting.registration_contact, meeting
        assert meeting.registration_deadline < timezone.localdate(meeting.starts_at), meeting
        meeting.full_clean()
    for meeting in meetings.exclude(admission=Admission.REGISTRATION)[:50]:
        assert not meeting.registration_contact and meeting.registration_deadline is None
    assert not District.objects.filter(hub_address="").exists()
    assert all(meeting.address for meeting in meetings[:50])
    # Several districts hold a meeting of one title (「令和8年度第5回役員会」): the lists and
    # calendars must tell them apart by district.
    shared = (
        meetings.filter(kind=MeetingKind.BOARD)
        .values("title")
        .annotate(districts=Count("district", distinct=True))
        .order_by("-districts")
        .first()
    )
    assert shared["districts"] >= 5


def test_every_district_has_its_areas(seeded):
    """The 通学区域 table: every district's 町丁目, no address claimed twice, a few 丁目 split."""
    for district in District.objects.all():
        assert district.areas.exists(), district
    sakuradai = Area.objects.get(town="桜台", chome=2)
    assert sakuradai.district.slug == "sakuradai" and sakuradai.place == "桜台二丁目"
    assert Area.objects.filter(town__contains="ヶ").exists()
    for area in Area.objects.all():
        area.full_clean()  # the reading, the range of 番地, and no overlap with another area
    split = Area.objects.filter(banchi_from__isnull=False)
    assert split.count() >= 6
    for area in split:
        sharing = Area.objects.filter(town_key=area.town_key, chome=area.chome)
        assert sharing.values("district").distinct().count() == 2, area
    # bulk_create skips save(), which sets the key the finder matches addresses on.
    assert all(area.town_key == fold(area.town) for area in Area.objects.all())
    assert Area.objects.get(town="緑ヶ丘台", chome=1).town_key == "緑が丘台"


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


# --- Consolidated grant ------------------------------------------------------------------------

PAST, CURRENT = 2025, 2026


def applications_of(fy: int):
    return Application.objects.filter(program_year__fiscal_year=fy).select_related(
        "council__district", "program_year"
    )


def paid(application: Application) -> int:
    return application.payments.aggregate(total=Sum("amount"))["total"] or 0


def test_grant_applications_cover_every_state(seeded):
    assert Program.objects.get().name == "地域づくり一括交付金"
    assert set(ProgramYear.objects.values_list("fiscal_year", flat=True)) == {PAST, CURRENT}
    assert set(Application.objects.values_list("state", flat=True)) == set(State.values)
    current = set(applications_of(CURRENT).values_list("state", flat=True))
    assert {
        State.DRAFT,
        State.SUBMITTED,
        State.RETURNED,
        State.RECOMMENDED,
        State.APPROVED,
        State.CHANGE_REQUESTED,
    } <= current
    assert {State.SETTLED, State.CANCELLED, State.REJECTED} <= set(
        applications_of(PAST).values_list("state", flat=True)
    )
    granted = Council.objects.filter(stage__in=GRANTED_STAGES)
    for fy in (PAST, CURRENT):
        open_ones = applications_of(fy).exclude(state__in=CLOSED_STATES)
        # Each council that receives the grant holds its one place in both years.
        assert sorted(open_ones.values_list("council", flat=True)) == sorted(
            granted.values_list("pk", flat=True)
        )
    assert not Application.objects.exclude(council__in=granted).exists()


def test_allocations_follow_the_formula(seeded):
    past, current = ProgramYear.objects.order_by("fiscal_year")
    assert (past.application_opens_on, past.application_closes_on) == (
        dt.date(2025, 4, 1),
        dt.date(2025, 5, 31),
    )
    assert past.report_due_on == dt.date(2026, 4, 30)
    assert (current.application_opens_on, current.application_closes_on) == (
        dt.date(2026, 4, 1),
        dt.date(2026, 12, 25),
    )
    assert current.report_due_on == dt.date(2027, 4, 30)
    assert 4 <= LegacySubsidy.objects.count() <= 6
    for year in (past, current):
        assert year.advance_ratio_percent == 50
        assert [(c.kind, c.rate) for c in year.components.all()] == [
            (ComponentKind.FIXED, 300_000),
            (ComponentKind.PER_RESIDENT, 60),
            (ComponentKind.PER_UNIT, 1000),
        ]
        categories = year.expense_categories.all()
        assert categories.count() >= 15
        assert categories.filter(eligible=False).count() == 2
        lights = year.components.get(kind=ComponentKind.PER_UNIT)
        allocations = year.allocations.select_related("district")
        assert sorted(a.district_id for a in allocations) == sorted(
            Council.objects.filter(stage__in=GRANTED_STAGES).values_list("district", flat=True)
        )
        for allocation in allocations:
            units = lights.unit_counts.get(district=allocation.district).count
            formula = 300_000 + 60 * allocation.population + 1000 * units
            assert allocation.computed_amount == formula // 1000 * 1000
            assert allocation.counts_as_of <= fiscal_year_range(year.fiscal_year)[0]
        total = allocations.aggregate(total=Sum("amount"))["total"]
        assert total <= year.budget
    adjusted = current.allocations.exclude(adjustment=0).get()
    assert adjusted.adjustment_reason


def test_grant_amounts_keep_the_invariants(seeded):
    for application in Application.objects.select_related("program_year", "council"):
        for version in application.versions.exclude(status=VersionStatus.SUPERSEDED):
            lines = list(version.budget_lines.select_related("category"))
            totals = rules.totals(lines)
            assert totals.balanced and totals.expense > 0, version
            assert totals.grant == version.requested_amount
            assert not rules.category_problems(lines, program_year=application.program_year)
        current = application.versions.get(status=VersionStatus.CURRENT)
        assert application.requested_amount == current.requested_amount
        assert application.requested_amount <= rules.allocation_for(application).amount
        if application.granted_amount is not None:
            assert application.granted_amount <= application.requested_amount
            assert paid(application) <= application.granted_amount, application
            assert application.recommended_by.username == "demo-officer"
            assert application.decided_by.username == "demo-approver"
        advances = application.payments.filter(kind=PaymentKind.ADVANCE)
        advance_total = advances.aggregate(total=Sum("amount"))["total"] or 0
        assert advance_total <= (application.granted_amount or 0) // 2
        if application.state == State.SETTLED:
            assert paid(application) == application.confirmed_amount
            assert application.payments.filter(kind=PaymentKind.FINAL).exists()
        if application.state == State.CANCELLED:
            assert application.refund_amount == paid(application) > 0
    for year in ProgramYear.objects.all():
        granted = year.applications.filter(state__in=DECIDED_STATES).aggregate(
            total=Sum("granted_amount")
        )["total"]
        assert granted <= year.budget


def test_reports_balance_and_feed_the_plan(seeded):
    reports = Report.objects.select_related("application__program_year")
    assert reports.filter(submitted_at__isnull=True).exists()  # one is still being written
    for report in reports:
        application = report.application
        fy = application.fiscal_year
        lines = list(report.lines.select_related("category"))
        assert rules.totals(lines).balanced and not rules.balance_problems(lines)
        assert not rules.date_problems(lines, fiscal_year=fy)
        assert all(line.spent_on for line in lines if line.side == Side.EXPENSE)
        results = list(report.indicator_results.all())
        assert results, report
        reportable = set(
            application.versions.get(status=VersionStatus.CURRENT)
            .plan_rows.values_list("initiatives__indicators", flat=True)
            .exclude(initiatives__indicators=None)
        )
        for row in results:
            assert row.indicator_id in reportable
            plan_result = IndicatorResult.objects.get(indicator=row.indicator, fiscal_year=fy)
            assert plan_result.actual_value == row.actual_value
        if report.submitted_at:
            assert application.attachments.filter(
                for_report=True, kind=AttachmentKind.RECEIPT
            ).exists()
    settled = Application.objects.get(state=State.SETTLED)
    assert settled.refund_amount == 0
    waiting = Application.objects.get(state=State.REPORT_ACCEPTED)
    spent = rules.eligible_spending(waiting.report.lines.select_related("category"))
    assert spent < waiting.granted_amount == paid(waiting)  # settling it means a refund


def test_business_plans_follow_the_district_plans(seeded):
    rows = PlanRow.objects.select_related("version__application__program_year")
    assert rows.filter(initiatives__isnull=True).exists()  # e.g. 敬老会, not in any plan
    linked = 0
    for row in rows.prefetch_related("initiatives__plan"):
        application = row.version.application
        assert row.schedule and row.expected_effect and row.cost > 0
        for initiative in row.initiatives.all():
            linked += 1
            assert initiative.plan.district_id == application.council.district_id
            assert initiative.plan.covers(application.fiscal_year)
    assert linked >= 50
    for version in ApplicationVersion.objects.all():
        costs = sum(version.plan_rows.values_list("cost", flat=True))
        assert costs == rules.totals(version.budget_lines.all()).expense
    assert ApplicationVersion.objects.filter(status=VersionStatus.PROPOSED).count() == 1
    assert ApplicationVersion.objects.filter(status=VersionStatus.REFUSED).exists()
    assert ApplicationVersion.objects.filter(status=VersionStatus.SUPERSEDED).exists()


def test_attachments_are_small_valid_pdfs(seeded, media_root):
    attachments = Attachment.objects.all()
    assert set(attachments.values_list("kind", flat=True)) == set(AttachmentKind.values)
    for application in Application.objects.all():
        assert application.attachments.filter(kind=AttachmentKind.MINUTES).exists()
    for attachment in attachments:
        content = (media_root / attachment.file.name).read_bytes()
        assert content.startswith(b"%PDF-1.4\n") and content.endswith(b"%%EOF\n")
        xref = int(content.rsplit(b"startxref\n", 1)[1].split(b"\n")[0])
        assert content[xref:].startswith(b"xref\n0 6\n")
        offsets = [int(line[:10]) for line in content[xref:].split(b"\n")[3:8]]
        for number, offset in enumerate(offsets, start=1):
            assert content[offset:].startswith(b"%d 0 obj" % number)


def test_grant_history_is_dated_as_it_happened(seeded):
    now = timezone.now()
    for application in Application.objects.select_related("program_year"):
        events = list(application.events.order_by("pk"))
        times = [event.at for event in events]
        assert times == sorted(times) and times[-1] < now, application
        assert events[0].action == "create"
        year = application.program_year
        first, last = fiscal_year_range(year.fiscal_year)
        if application.submitted_at:
            day = timezone.localtime(application.submitted_at).date()
            assert year.application_opens_on <= day <= year.application_closes_on
        if application.decided_on:
            assert first <= application.decided_on <= last
            approve = application.events.get(action="approve")
            assert timezone.localtime(approve.at).date() == application.decided_on
            assert application.decided_on.weekday() < 5
        for payment in application.payments.all():
            assert application.decided_on <= payment.paid_on < now.date()
    returned = ApplicationEvent.objects.filter(action__in=["return", "return_report"])
    assert {"budget", "attachments", "plan", "receipts", "report_budget"} <= {
        part for event in returned for part in event.reasons
    }
    assert not returned.filter(reasons={}).exists()


def test_demo_accounts_have_grant_work(seeded):
    users = get_user_model().objects
    first = users.get(username="demo-coordinator")
    second = users.get(username="demo-coordinator2")
    mine = councils_applications(first)
    assert {a.council.district.slug for a in mine.select_related("council__district")} == {
        "sakuradai"
    }
    current = mine.get(program_year__fiscal_year=CURRENT)
    assert current.state in EDITABLE_STATES
    assert workflow.can("submit", current, first)
    theirs = councils_applications(second).get(program_year__fiscal_year=CURRENT)
    assert theirs.state != current.state
    assert workflow.available(theirs, second)
    assert not councils_applications(first).filter(pk=theirs.pk).exists()
    officer, approver = users.get(username="demo-officer"), users.get(username="demo-approver")
    assert any(workflow.available(a, officer) for a in Application.objects.all())
    assert any(
        workflow.can("approve", a, approver) for a in Application.objects.all()
    )  # four eyes: the officer recommended it
    liaison = users.get(username="demo-liaison")
    seen = {
        a.council.district.slug
        for a in reviewable_applications(liaison).select_related("council__district")
    }
    assert seen == {"sakuradai", "higashiyama"}
    for council in Council.objects.filter(stage__in=GRANTED_STAGES):
        coordinators = council.coordinators.all()
        assert coordinators.exists(), council
        for user in coordinators.exclude(username__in=["demo-coordinator", "demo-coordinator2"]):
            assert not user.has_usable_password() and not user.is_staff


def test_grants_are_seeded_once(seeded):
    output = seeded.output
    grant_counts = {model: model.objects.count() for model in GRANT_MODELS}
    application_ids = set(Application.objects.values_list("pk", flat=True))
    events = ApplicationEvent.objects.count()
    seed()
    assert {model: model.objects.count() for model in GRANT_MODELS} == grant_counts
    assert set(Application.objects.values_list("pk", flat=True)) == application_ids
    assert ApplicationEvent.objects.count() == events
    for fy in (PAST, CURRENT):
        count = Application.objects.filter(program_year__fiscal_year=fy).count()
        assert re.search(rf"^  applications {fy} +{count}  ", output, re.MULTILINE)


def test_the_demo_city_is_searchable(seeded):
    from core import search
    from core.models import SearchEntry

    search.apply_changes()
    kinds = set(SearchEntry.objects.values_list("kind", flat=True).distinct())
    assert {"district", "group", "meeting", "plan", "grant"} <= kinds
    assert SearchEntry.objects.filter(kind="group").count() == (
        Organization.objects.filter(is_published=True).count()
    )
    found = set(
        search.matching(search.query_words("防災")).values_list("kind", flat=True).distinct()
    )
    assert {"group", "meeting"} <= found


def test_the_demo_has_group_names_written_in_full_width(seeded, client):
    """Staff and residents can try the search on names typed another way."""
    assert Organization.objects.filter(name="桜台２丁目シニアクラブ", is_published=True).exists()
    assert Organization.objects.filter(name="ＮＰＯ法人さくらだい子ども食堂").exists()
    client.force_login(get_user_model().objects.get(username="demo-admin"))
    for typed in ("桜台2丁目", "桜台二丁目", "npo さくらだい"):
        response = client.get("/admin/organizations/organization/", {"q": typed})
        names = {group.name for group in response.context["cl"].result_list}
        assert names & {"桜台２丁目シニアクラブ", "ＮＰＯ法人さくらだい子ども食堂"}, typed
