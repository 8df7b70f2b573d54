"""Rules of the plan and meeting models, in the database and in full_clean()."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from plans.models import (
    ActionItem,
    Admission,
    Direction,
    Indicator,
    IndicatorResult,
    Initiative,
    Meeting,
    MeetingKind,
    Plan,
    PlanStage,
    RoleAssignment,
    RoleKind,
    RoleParty,
    Sector,
)
from tests.factories import CouncilFactory, DistrictFactory, OrganizationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def make_plan(district=None, *, start=2024, end=2028, stage=PlanStage.ADOPTED, **extra):
    return Plan.objects.create(
        district=district or DistrictFactory(),
        title=extra.pop("title", "桜台地域づくり計画"),
        start_fy=start,
        end_fy=end,
        stage=stage,
        adopted_on=dt.date(start, 5, 20) if stage == PlanStage.ADOPTED else None,
        **extra,
    )


def make_initiative(plan, **extra):
    return Initiative.objects.create(
        plan=plan,
        title=extra.pop("title", "防災訓練"),
        start_fy=extra.pop("start_fy", plan.start_fy),
        end_fy=extra.pop("end_fy", plan.end_fy),
        **extra,
    )


def make_indicator(initiative, **extra):
    values = {
        "name": "防災訓練の参加者数",
        "unit": "人",
        "baseline_value": Decimal("100"),
        "baseline_fy": initiative.plan.start_fy - 1,
        "target_value": Decimal("200"),
        "target_fy": initiative.plan.end_fy,
        "direction": Direction.HIGHER,
    }
    values.update(extra)
    return Indicator.objects.create(initiative=initiative, **values)


def codes(error: ValidationError) -> set[str]:
    return {e.code for errors in error.error_dict.values() for e in errors}


# The one-adopted-plan rule ----------------------------------------------------------------


def test_a_second_adopted_plan_covering_the_same_year_is_refused():
    first = make_plan(start=2024, end=2028)
    second = Plan(
        district=first.district,
        title="新計画",
        start_fy=2028,
        end_fy=2032,
        stage=PlanStage.ADOPTED,
        adopted_on=dt.date(2028, 5, 1),
    )
    with pytest.raises(ValidationError) as refused:
        second.full_clean()
    assert "overlapping_adopted_plan" in codes(refused.value)
    # The save itself refuses too, whatever skipped full_clean().
    with pytest.raises(ValidationError):
        second.save()
    assert Plan.objects.count() == 1


def test_adjacent_or_other_district_or_unadopted_plans_are_allowed():
    first = make_plan(start=2019, end=2023)
    make_plan(first.district, start=2024, end=2028).full_clean()
    make_plan(start=2020, end=2024)  # another district
    draft = Plan(
        district=first.district, title="案", start_fy=2020, end_fy=2022, stage=PlanStage.DRAFT
    )
    draft.full_clean()
    draft.save()


def test_superseding_then_adopting_the_successor_works():
    old = make_plan(start=2019, end=2024)
    new = make_plan(old.district, start=2024, end=2028, stage=PlanStage.DISCUSSION)
    new.stage, new.adopted_on = PlanStage.ADOPTED, dt.date(2024, 6, 1)
    with pytest.raises(ValidationError):
        new.full_clean()
    old.stage = PlanStage.SUPERSEDED
    old.save()
    new.full_clean()
    new.save()


def test_plan_span_and_adoption_date_in_the_database():
    district = DistrictFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Plan.objects.create(district=district, title="x", start_fy=2026, end_fy=2025)
    with pytest.raises(IntegrityError), transaction.atomic():
        Plan.objects.bulk_create(
            [Plan(district=district, title="x", start_fy=2024, end_fy=2025, stage="adopted")]
        )


def test_plan_labels_in_japanese_era():
    plan = make_plan(start=2024, end=2028)
    with translation.override("ja"):
        assert plan.span_label == "令和6年度〜令和10年度"
    assert list(plan.fiscal_years) == [2024, 2025, 2026, 2027, 2028]


def test_public_plans_leave_out_drafts():
    draft = make_plan(stage=PlanStage.DRAFT)
    discussed = make_plan(stage=PlanStage.DISCUSSION)
    assert list(Plan.objects.public()) == [discussed]
    assert draft not in Plan.objects.public()


# Initiatives and results stay inside the plan's years --------------------------------------


def test_initiative_years_must_be_inside_the_plan():
    plan = make_plan(start=2024, end=2028)
    outside = Initiative(plan=plan, title="x", start_fy=2023, end_fy=2025)
    with pytest.raises(ValidationError) as refused:
        outside.full_clean()
    assert "initiative_outside_plan" in codes(refused.value)
    Initiative(plan=plan, title="x", start_fy=2025, end_fy=2028).full_clean()


def test_result_year_must_be_inside_the_plan():
    indicator = make_indicator(make_initiative(make_plan(start=2024, end=2028)))
    with pytest.raises(ValidationError) as refused:
        IndicatorResult(indicator=indicator, fiscal_year=2029, actual_value=5).full_clean()
    assert "result_outside_plan" in codes(refused.value)
    IndicatorResult(indicator=indicator, fiscal_year=2026, actual_value=5).full_clean()


def test_one_result_per_indicator_and_year_in_the_database():
    indicator = make_indicator(make_initiative(make_plan()))
    IndicatorResult.objects.create(indicator=indicator, fiscal_year=2025, actual_value=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        IndicatorResult.objects.create(indicator=indicator, fiscal_year=2025, actual_value=2)


# Progress toward the target is computed --------------------------------------------------


@pytest.mark.parametrize(
    ("direction", "baseline", "target", "actual", "progress", "achieved"),
    [
        (Direction.HIGHER, 100, 200, 150, Decimal("50.0"), False),
        (Direction.HIGHER, 100, 200, 200, Decimal("100.0"), True),
        (Direction.HIGHER, 100, 200, 230, Decimal("130.0"), True),
        (Direction.HIGHER, 100, 200, 80, Decimal("-20.0"), False),
        (Direction.LOWER, 40, 20, 30, Decimal("50.0"), False),
        (Direction.LOWER, 40, 20, 20, Decimal("100.0"), True),
        (Direction.LOWER, 40, 20, 45, Decimal("-25.0"), False),
        (Direction.LOWER, 40, 20, 10, Decimal("150.0"), True),
        (Direction.HIGHER, 80, 80, 80, Decimal("100"), True),  # keep the level
        (Direction.HIGHER, 80, 80, 79, Decimal("0"), False),
        (Direction.LOWER, 5, 5, 4, Decimal("100"), True),
        (Direction.HIGHER, 100, 200, None, None, False),  # year not recorded
    ],
)
def test_progress_for_both_directions(direction, baseline, target, actual, progress, achieved):
    indicator = Indicator(
        direction=direction, baseline_value=Decimal(baseline), target_value=Decimal(target)
    )
    value = None if actual is None else Decimal(actual)
    assert indicator.progress(value) == progress
    assert indicator.achieved(value) is achieved


def test_target_must_not_be_worse_than_the_baseline():
    initiative = make_initiative(make_plan())
    with pytest.raises(IntegrityError), transaction.atomic():
        make_indicator(initiative, direction=Direction.LOWER, baseline_value=10, target_value=20)
    with pytest.raises(IntegrityError), transaction.atomic():
        make_indicator(initiative, baseline_fy=2026, target_fy=2025)


# Roles -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("party", "with_group", "department", "valid"),
    [
        (RoleParty.GROUP, True, "", True),
        (RoleParty.GROUP, False, "", False),
        (RoleParty.COUNCIL, False, "", True),
        (RoleParty.COUNCIL, True, "", False),
        (RoleParty.CITY, False, "危機管理課", True),
        (RoleParty.CITY, False, "", False),
        (RoleParty.CITY, True, "危機管理課", False),
    ],
)
def test_role_names_exactly_the_party_it_says(party, with_group, department, valid):
    initiative = make_initiative(make_plan())
    role = RoleAssignment(
        initiative=initiative,
        party=party,
        department=department,
        role=RoleKind.LEAD,
        sector=Sector.MUTUAL,
        organization=OrganizationFactory() if with_group else None,
    )
    if valid:
        role.full_clean()
        role.save()
    else:
        with pytest.raises(ValidationError):
            role.full_clean()
        with pytest.raises(IntegrityError), transaction.atomic():
            role.save()


def test_role_party_names():
    initiative = make_initiative(make_plan())
    group = OrganizationFactory(name="桜台一丁目自治会")
    assert (
        RoleAssignment(initiative=initiative, party=RoleParty.GROUP, organization=group).party_name
        == "桜台一丁目自治会"
    )
    assert RoleAssignment(party=RoleParty.CITY, department="危機管理課").party_name == "危機管理課"
    assert RoleAssignment(party=RoleParty.COUNCIL).party_name == "The council"


# Meetings --------------------------------------------------------------------------------


def make_meeting(**extra):
    start = timezone.make_aware(dt.datetime(2026, 5, 24, 10, 0))
    values = {
        "kind": MeetingKind.GENERAL,
        "title": "令和8年度 総会",
        "starts_at": start,
        "admission": Admission.MEMBERS,
    }
    values.update(extra)
    district = values.pop("district", None) or DistrictFactory()
    return Meeting(district=district, **values)


def test_meeting_must_end_after_it_starts():
    meeting = make_meeting()
    meeting.ends_at = meeting.starts_at
    with pytest.raises(ValidationError):
        meeting.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        meeting.save()


def test_meeting_attendance_is_not_negative():
    meeting = make_meeting(attendance=-1)
    with pytest.raises(ValidationError):
        meeting.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        Meeting.objects.bulk_create([meeting])


def test_meeting_council_must_be_the_districts():
    council = CouncilFactory()
    meeting = make_meeting(council=council)  # a different, new district
    with pytest.raises(ValidationError) as refused:
        meeting.full_clean()
    assert "council" in refused.value.error_dict
    make_meeting(district=council.district, council=council).full_clean()


def test_publishing_stamps_the_first_publication_time_once():
    meeting = make_meeting()
    meeting.save()
    assert meeting.published_at is None
    meeting.is_published = True
    meeting.save()
    first = meeting.published_at
    assert first is not None
    meeting.is_published = False
    meeting.save()
    meeting.is_published = True
    meeting.save()
    assert meeting.published_at == first


def test_upcoming_and_past():
    now = timezone.now()
    district = DistrictFactory()
    past = make_meeting(district=district, starts_at=now - dt.timedelta(days=1))
    soon = make_meeting(district=district, starts_at=now + dt.timedelta(days=1))
    later = make_meeting(district=district, starts_at=now + dt.timedelta(days=9))
    Meeting.objects.bulk_create([later, past, soon])
    assert [m.title for m in Meeting.objects.upcoming()] == [soon.title, later.title]
    assert Meeting.objects.past().count() == 1
    assert Meeting.objects.get(pk=past.pk).is_upcoming is False


def test_action_item_needs_an_owner():
    meeting = make_meeting()
    meeting.save()
    nobody = ActionItem(meeting=meeting, what="名簿を更新する")
    with pytest.raises(ValidationError):
        nobody.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        nobody.save()
    role_only = ActionItem(meeting=meeting, what="名簿を更新する", owner_role="事務局")
    role_only.full_clean()
    assert role_only.owner == "事務局"
    group = OrganizationFactory(name="桜台一丁目自治会")
    both = ActionItem(meeting=meeting, what="x", owner_organization=group, owner_role="会長")
    assert both.owner == "桜台一丁目自治会・会長"


def test_meeting_plan_must_be_the_districts():
    plan = make_plan()
    meeting = make_meeting(plan=plan)  # a different, new district
    with pytest.raises(ValidationError) as refused:
        meeting.full_clean()
    assert "plan" in refused.value.error_dict
    make_meeting(district=plan.district, plan=plan).full_clean()


def test_review_year_must_be_inside_the_plan():
    from plans.models import Review

    plan = make_plan(start=2024, end=2028)
    with pytest.raises(ValidationError) as refused:
        Review(plan=plan, fiscal_year=2029, summary="振り返り").full_clean()
    assert "review_outside_plan" in codes(refused.value)
    Review(plan=plan, fiscal_year=2025, summary="振り返り").full_clean()
