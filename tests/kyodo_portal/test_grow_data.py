"""`manage.py grow_data`: the volumes it promises, the models' rules kept, and one run only."""

import datetime as dt
import io
import re
from collections import Counter
from collections.abc import Iterator
from typing import NamedTuple

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.test.utils import override_settings
from django.utils import timezone

from core.text import fold
from districts.models import Area, Council, CouncilStage, District, DistrictStatistic
from kyodo_portal.management.commands._scale import (
    LARGE,
    Seeds,
    Targets,
    area_rows,
    at,
    lay_out,
    parse_scale,
)
from organizations.models import Officer, Organization
from plans.models import Meeting, Plan
from subsidies import rules
from subsidies.categories import STANDARD_EXPENSE_CATEGORIES
from subsidies.models import (
    CLOSED_STATES,
    DECIDED_STATES,
    Allocation,
    AllocationComponent,
    Application,
    ApplicationEvent,
    BudgetLine,
    ComponentKind,
    ExpenseCategory,
    FormulaComponent,
    PaymentKind,
    Program,
    ProgramYear,
    State,
    VersionStatus,
)
from subsidies.services.decisions import settlement_figures, submission_problems

FACTOR = 0.002
AS_OF = dt.date(2026, 10, 1)
EXISTING_BUDGET = 10_000_000
EXISTING_FIXED = 123_000
KANA = re.compile(r"^[\u3041-\u309f\u30fb\u30fc ]+$")


def grow(*options: str) -> str:
    out = io.StringIO()
    call_command("grow_data", f"--scale={FACTOR}", f"--as-of={AS_OF}", *options, stdout=out)
    return out.getvalue()


def row_counts() -> dict[str, int]:
    models = (District, Organization, Officer, Meeting, Plan, Application, BudgetLine)
    return {model._meta.label: model.objects.count() for model in models} | {
        "years": ProgramYear.objects.count(),
        "events": ApplicationEvent.objects.count(),
    }


def fingerprint() -> tuple:
    """What a run wrote, without the primary keys the database hands out."""
    return (
        sorted(District.objects.values_list("name", "name_kana", "slug")),
        sorted(Area.objects.values_list("town", "chome", "banchi_from", "district__slug")),
        sorted(Organization.objects.values_list("name", "kind", "is_published")),
        sorted(Meeting.objects.values_list("title", "starts_at", "is_published")),
        sorted(Application.objects.values_list("state", "requested_amount", "granted_amount")),
        sorted(BudgetLine.objects.values_list("description", "amount")),
        sorted(ApplicationEvent.objects.values_list("action", "at", "amount_after")),
    )


def make_existing_year() -> ProgramYear:
    """A year the program already has, as on the demo database: its rules must be kept."""
    program = Program.objects.create(name="地域づくり一括交付金")
    year = ProgramYear.objects.create(
        program=program,
        fiscal_year=AS_OF.year,
        budget=EXISTING_BUDGET,
        application_opens_on=dt.date(AS_OF.year, 4, 1),
        application_closes_on=dt.date(AS_OF.year, 6, 30),
        report_due_on=dt.date(AS_OF.year + 1, 4, 30),
    )
    ExpenseCategory.objects.bulk_create(
        ExpenseCategory(program_year=year, name=name, eligible=eligible, note=note, order=n)
        for n, (name, eligible, note) in enumerate(STANDARD_EXPENSE_CATEGORIES)
    )
    FormulaComponent.objects.create(
        program_year=year, kind=ComponentKind.FIXED, label="均等割", rate=EXISTING_FIXED, order=1
    )
    FormulaComponent.objects.create(
        program_year=year, kind=ComponentKind.PER_HOUSEHOLD, label="世帯割", rate=600, order=2
    )
    return year


class Grown(NamedTuple):
    output: str
    existing_year: ProgramYear
    rehearsal: tuple  # the fingerprint of an earlier run with the same seed, rolled back


@pytest.fixture(scope="module")
def grown(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[Grown]:
    """One run for the whole module (each test rolls back its own changes), after a rehearsal
    with the same seed that is undone."""
    media = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media), transaction.atomic():
        year = make_existing_year()
        with transaction.atomic():
            assert grow("--seed=5", "--verbosity=0") == ""
            rehearsal = fingerprint()
            transaction.set_rollback(True)
        assert not District.objects.exists()
        yield Grown(grow("--seed=5"), year, rehearsal)
        transaction.set_rollback(True)


def test_scales():
    assert parse_scale("large") == 1.0
    assert parse_scale("small") == 0.01
    assert parse_scale("0.5") == 0.5
    assert Targets.scaled(1.0) == Targets(**LARGE)
    assert Targets.scaled(1.0).budget_lines == 400_000
    assert Targets.scaled(0.01).meetings == 2_000
    for wrong in ("huge", "0", "-1", "nan", "11"):
        with pytest.raises(ValueError):
            parse_scale(wrong)


def test_refuses_a_scale_it_does_not_know(db):
    before = District.objects.count()
    with pytest.raises(CommandError, match="large, small or a number"):
        call_command("grow_data", "--scale=huge", stdout=io.StringIO())
    with pytest.raises(CommandError, match="future"):
        call_command("grow_data", "--as-of=2999-01-01", stdout=io.StringIO())
    assert District.objects.count() == before


def test_adds_the_counts_of_the_scale(grown, db):
    targets = Targets.scaled(FACTOR)
    districts = District.objects.filter(slug__startswith="scale-")
    assert districts.count() == targets.districts
    assert (
        Organization.objects.filter(districts__in=districts).distinct().count()
        == targets.organizations
    )
    assert (
        Officer.objects.filter(
            Q(council__district__in=districts) | Q(organization__districts__in=districts)
        )
        .distinct()
        .count()
        == targets.officers
    )
    assert Meeting.objects.filter(district__in=districts).count() == targets.meetings
    assert Plan.objects.filter(district__in=districts).count() == targets.plans
    applications = Application.objects.filter(council__district__in=districts)
    assert applications.count() == targets.applications
    assert (
        BudgetLine.objects.filter(version__application__in=applications).count()
        == targets.budget_lines
    )
    for name in ("plans.Meeting", "subsidies.BudgetLine", "subsidies.ApplicationEvent"):
        assert name in grown.output
    assert "Grew the database at scale 0.002" in grown.output
    # Statistics for every district and year of the grant history, on April 1.
    years = set(ProgramYear.objects.values_list("fiscal_year", flat=True))
    for district in districts:
        assert set(district.statistics.values_list("as_of__year", flat=True)) >= years | {
            AS_OF.year - 2
        }
        district.full_clean()  # slug, kana reading, phone number
    for organization in Organization.objects.all():
        assert KANA.match(organization.name_kana), organization.name_kana


def test_each_grown_district_has_its_areas(grown, db):
    for district in District.objects.filter(slug__startswith="scale-"):
        assert 22 <= district.areas.count() <= 29
        for area in district.areas.all():
            assert area.town_key == fold(area.town)
            area.full_clean()  # reading, range, and no address claimed twice


def test_areas_at_scale_are_about_25_per_district_with_some_split(db):
    """The generator alone, on a city of twenty districts (nothing written)."""
    city = lay_out(Targets.scaled(0.05), Seeds(3), AS_OF)
    districts = {layout.index: District(slug=layout.slug) for layout in city.layouts}
    Area.objects.create(
        district=District.objects.create(name="既存", name_kana="きそん", slug="existing"),
        town=city.layouts[0].seed.base,
        town_kana=city.layouts[0].seed.base_kana,
    )

    rows = area_rows(city, districts, Seeds(3))

    per_district = Counter(row.district.slug for row in rows)
    assert len(per_district) == len(city.layouts) == 20
    assert all(22 <= count <= 29 for count in per_district.values()), per_district
    assert 20 * 22 <= len(rows) <= 20 * 29
    by_town: dict[str, list[Area]] = {}
    for row in rows:
        assert row.town_key == fold(row.town) and KANA.match(row.town_kana)
        by_town.setdefault(row.town_key, []).append(row)
    assert fold(city.layouts[0].seed.base) not in by_town  # the town already in the database
    for town_rows in by_town.values():
        for index, row in enumerate(town_rows):
            assert not any(row.overlaps(other) for other in town_rows[:index]), row.label
    split = [row for row in rows if row.banchi_from is not None]
    assert len(split) >= 8
    assert {row.district.slug for row in split} != {split[0].district.slug}


def test_keeps_the_years_the_program_already_has(grown, db):
    existing_year = grown.existing_year
    added = Allocation.objects.filter(program_year=existing_year).aggregate(t=Sum("amount"))["t"]
    existing_year.refresh_from_db()
    assert added and existing_year.budget == EXISTING_BUDGET + added
    assert Program.objects.count() == 1
    assert ProgramYear.objects.filter(fiscal_year=AS_OF.year).count() == 1
    assert existing_year.expense_categories.count() == len(STANDARD_EXPENSE_CATEGORIES)
    # The year's own formula: 均等割 and 世帯割, not the one new years get.
    assert existing_year.components.count() == 2
    for allocation in existing_year.allocations.all():
        shares = {
            share.component.kind: share.amount
            for share in AllocationComponent.objects.filter(allocation=allocation)
        }
        assert shares == {
            ComponentKind.FIXED: EXISTING_FIXED,
            ComponentKind.PER_HOUSEHOLD: 600 * allocation.households,
        }
        # Rounded down to whole thousands, the year's default rule.
        assert allocation.amount == (EXISTING_FIXED + 600 * allocation.households) // 1000 * 1000
    assert existing_year.applications.exists()
    for year in ProgramYear.objects.all():
        allocated = year.allocations.aggregate(t=Sum("amount"))["t"] or 0
        granted = (
            year.applications.filter(state__in=DECIDED_STATES)
            .exclude(state=State.CANCELLED)
            .aggregate(t=Sum("granted_amount"))["t"]
            or 0
        )
        assert granted <= allocated <= year.budget, year


def test_budgets_balance_and_follow_the_versions(grown, db):
    allocations = {
        (row.program_year_id, row.district_id): row.amount for row in Allocation.objects.all()
    }
    applications = Application.objects.select_related("council").prefetch_related(
        "versions__budget_lines__category"
    )
    for application in applications:
        versions = list(application.versions.all())
        current = [v for v in versions if v.status == VersionStatus.CURRENT]
        assert len(current) == 1, application
        for version in versions:
            lines = list(version.budget_lines.all())
            totals = rules.totals(lines)
            assert totals.balanced, version
            assert totals.grant == version.requested_amount, version
            assert not rules.category_problems(lines, program_year=application.program_year)
        assert application.requested_amount == current[0].requested_amount
        key = (application.program_year_id, application.council.district_id)
        assert application.requested_amount <= allocations[key]
    open_ones = Counter(
        Application.objects.exclude(state__in=CLOSED_STATES).values_list(
            "council_id", "program_year_id"
        )
    )
    assert max(open_ones.values()) == 1


def test_history_matches_each_state(grown, db):
    moment = at(AS_OF, 17)
    applications = Application.objects.select_related("program_year", "council").prefetch_related(
        "events", "payments", "attachments", "versions"
    )
    states = Counter()
    for application in applications:
        states[application.state] += 1
        events = sorted(application.events.all(), key=lambda event: (event.at, event.pk))
        assert events and events[0].action == "create", application
        assert events[0].from_state == State.DRAFT
        assert application.created_at == events[0].at
        for earlier, later in zip(events, events[1:], strict=False):
            assert earlier.to_state == later.from_state, (application, later.action)
        assert events[-1].to_state == application.state
        assert events[-1].at <= moment
        filed = [event for event in events if event.action == "submit"]
        if application.state != State.DRAFT and filed:
            year = application.program_year
            first = timezone.localtime(filed[0].at).date()
            assert year.application_opens_on <= first <= year.application_closes_on
            assert application.submitted_at == filed[0].at
            version = next(v for v in application.versions.all() if v.status == "current")
            assert submission_problems(application, version) == [], application
        elif application.state != State.DRAFT:
            assert application.state == State.WITHDRAWN  # withdrawn while a draft

        paid = sum(payment.amount for payment in application.payments.all())
        if application.state in DECIDED_STATES:
            assert application.decision_number and application.decided_on
            assert application.granted_amount <= application.requested_amount
            assert paid <= application.granted_amount
            advances = sum(
                p.amount for p in application.payments.all() if p.kind == PaymentKind.ADVANCE
            )
            ratio = application.program_year.advance_ratio_percent
            assert advances <= application.granted_amount * ratio // 100
        else:
            assert application.granted_amount is None and not paid
        pay_events = [event for event in events if event.action == "pay"]
        assert len(pay_events) == len(application.payments.all())
        for payment in application.payments.all():
            assert application.decided_on <= payment.paid_on <= AS_OF

        if application.state in (
            State.REPORTED,
            State.REPORT_RETURNED,
            State.REPORT_ACCEPTED,
            State.SETTLED,
        ):
            lines = list(application.report.lines.select_related("category"))
            assert not rules.balance_problems(lines)
            assert not rules.date_problems(lines, fiscal_year=application.program_year.fiscal_year)
            assert application.attachments.filter(for_report=True, kind="receipt").exists()
        if application.state == State.SETTLED:
            assert application.confirmed_amount == settlement_figures(application)["confirmed"]
            assert paid == application.confirmed_amount + application.refund_amount
        if application.state == State.CANCELLED:
            assert application.refund_amount == paid
    assert states[State.SETTLED] > states[State.CANCELLED]
    assert states[State.WITHDRAWN] + states[State.REJECTED] < len(applications)


def test_councils_plans_and_meetings_look_real(grown, db):
    councils = Council.objects.all()
    assert not councils.filter(stage=CouncilStage.ESTABLISHED, established_on=None).exists()
    # One adopted plan at a time, and the established councils' plan covers this year.
    adopted = Plan.objects.filter(stage="adopted")
    assert not adopted.values("district").annotate(n=Count("pk")).filter(n__gt=1).exists()
    for council in councils.filter(stage=CouncilStage.ESTABLISHED):
        assert adopted.filter(district=council.district).covering(AS_OF.year).exists()
    moment = at(AS_OF, 17)
    meetings = Meeting.objects.annotate(
        decided=Count("decisions", distinct=True), actions=Count("action_items", distinct=True)
    )
    held = [meeting for meeting in meetings if meeting.starts_at < moment]
    assert held and all(1 <= m.decided <= 4 and 1 <= m.actions <= 3 for m in held)
    assert all(m.minutes and m.attendance for m in held)
    upcoming = [meeting for meeting in meetings if meeting.starts_at >= moment]
    assert all(not m.decided and not m.minutes for m in upcoming)
    assert {m.starts_at.year for m in meetings} <= {AS_OF.year - 2, AS_OF.year - 1, AS_OF.year}
    published = sum(meeting.is_published for meeting in meetings)
    assert published > 0.8 * len(meetings)
    assert all(m.published_at for m in meetings if m.is_published)
    assert DistrictStatistic.objects.filter(population__lt=1).count() == 0


def test_a_second_run_refuses_and_changes_nothing(grown, db):
    before = row_counts()
    with pytest.raises(CommandError, match="earlier run"):
        grow()
    assert row_counts() == before


def test_the_same_seed_builds_the_same_city(grown, db):
    assert fingerprint() == grown.rehearsal
    assert len(grown.rehearsal[0]) == Targets.scaled(FACTOR).districts


def test_the_grown_city_is_in_the_search_index(grown, db):
    from core import search
    from core.models import SearchChange, SearchEntry

    assert not SearchChange.objects.exists()
    assert SearchEntry.objects.filter(kind="meeting").count() == (
        Meeting.objects.filter(is_published=True).count()
    )
    assert search.matching(search.query_words("防災")).exists()


def test_grown_districts_have_boundaries_that_pass_the_uploads_checks(grown, db):
    from districts.geojson import normalise_boundary
    from kyodo_portal.management.commands._scale import SLUG_PREFIX

    districts = District.objects.filter(slug__startswith=SLUG_PREFIX)
    assert districts.exists()
    for boundary in districts.values_list("boundary", flat=True):
        assert normalise_boundary(boundary) == boundary
