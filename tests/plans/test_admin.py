"""The plans admin: pages, liaison-officer scope, read-only roles, bulk publication, bad input."""

import datetime as dt
import json
from dataclasses import dataclass

import pytest
from django import forms
from django.apps import apps
from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.contrib.messages import constants as message_levels
from django.core.exceptions import NON_FIELD_ERRORS
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.dates import fiscal_year
from districts.admin_scope import DistrictScopeMixin
from districts.models import Council, District
from organizations.models import Organization
from plans.admin import MeetingFiscalYearFilter
from plans.models import (
    ActionItem,
    Decision,
    Indicator,
    IndicatorResult,
    Initiative,
    Meeting,
    MeetingAttachment,
    Plan,
    PlanIssue,
    PlanStage,
    Review,
    ReviewRating,
    RoleAssignment,
)
from tests.admin_links import assert_view_on_site_in_scope_only
from tests.factories import (
    CouncilFactory,
    DistrictFactory,
    LiaisonAssignmentFactory,
    OrganizationFactory,
    StaffUserFactory,
)
from tests.plans.factories import (
    PDF,
    PNG,
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

pytestmark = pytest.mark.django_db

MODELS = (
    "plan",
    "planissue",
    "initiative",
    "roleassignment",
    "indicator",
    "indicatorresult",
    "review",
    "reviewrating",
    "meeting",
    "decision",
    "actionitem",
    "meetingattachment",
)


def changelist_url(model: str) -> str:
    return reverse(f"admin:plans_{model}_changelist")


def add_url(model: str) -> str:
    return reverse(f"admin:plans_{model}_add")


def change_url(model: str, pk: int) -> str:
    return reverse(f"admin:plans_{model}_change", args=[pk])


def tokyo(*args) -> dt.datetime:
    return timezone.make_aware(dt.datetime(*args))


def autocomplete_texts(client, model_name: str, field_name: str, term: str = "") -> set[str]:
    response = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "plans", "model_name": model_name, "field_name": field_name, "term": term},
    )
    assert response.status_code == 200
    return {result["text"] for result in response.json()["results"]}


def inline_formset(response, model):
    return next(
        inline.formset
        for inline in response.context["inline_admin_formsets"]
        if inline.formset.model is model
    )


def form_errors(response) -> dict:
    return response.context["adminform"].form.errors


def resubmit_data(response, admin_form_data) -> dict:
    """admin_form_data, with date-and-time fields split as the admin's widget posts them."""
    data = admin_form_data(response)
    form = response.context["adminform"].form
    for name, field in form.fields.items():
        if isinstance(field.widget, forms.MultiWidget) and name in data:
            del data[name]
            for index, part in enumerate(field.widget.decompress(form[name].value())):
                data[f"{name}_{index}"] = "" if part is None else part.isoformat()
    return data


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@dataclass
class Side:
    """Everything one district has in the plans app."""

    district: District
    council: Council
    group: Organization
    plan: Plan
    issue: PlanIssue
    initiative: Initiative
    role: RoleAssignment
    indicator: Indicator
    result: IndicatorResult
    review: Review
    rating: ReviewRating
    meeting: Meeting
    decision: Decision
    action_item: ActionItem
    attachment: MeetingAttachment

    def object(self, model: str):
        return {
            "plan": self.plan,
            "planissue": self.issue,
            "initiative": self.initiative,
            "roleassignment": self.role,
            "indicator": self.indicator,
            "indicatorresult": self.result,
            "review": self.review,
            "reviewrating": self.rating,
            "meeting": self.meeting,
            "decision": self.decision,
            "actionitem": self.action_item,
            "meetingattachment": self.attachment,
        }[model]


def make_side(name: str, kana: str) -> Side:
    district = DistrictFactory(name=f"{name}小学校区", name_kana=f"{kana}しょうがっこうく")
    council = CouncilFactory(district=district, name=f"{name}まちづくり協議会")
    group = OrganizationFactory(name=f"{name}自治会連合会", districts=[district])
    plan = PlanFactory(district=district, title=f"{name}地域づくり計画", start_fy=2024, end_fy=2028)
    issue = PlanIssueFactory(plan=plan, title=f"{name}の避難所運営")
    initiative = InitiativeFactory(plan=plan, title=f"{name}防災訓練", issues=[issue])
    indicator = IndicatorFactory(initiative=initiative, name=f"{name}訓練参加者数")
    review = ReviewFactory(plan=plan, fiscal_year=2024)
    meeting = MeetingFactory(
        district=district,
        council=council,
        title=f"{name}協議会 定期総会",
        minutes=f"{name}の防災訓練について話し合った。",
        plan=plan,
        attending_groups=[group],
    )
    return Side(
        district=district,
        council=council,
        group=group,
        plan=plan,
        issue=issue,
        initiative=initiative,
        role=RoleAssignmentFactory(initiative=initiative, organization=group),
        indicator=indicator,
        result=IndicatorResultFactory(indicator=indicator, fiscal_year=2024),
        review=review,
        rating=ReviewRatingFactory(review=review, initiative=initiative),
        meeting=meeting,
        decision=DecisionFactory(meeting=meeting, text=f"{name}の防災訓練を10月に行う。"),
        action_item=ActionItemFactory(meeting=meeting, what=f"{name}の案内チラシを作る"),
        attachment=MeetingAttachmentFactory(meeting=meeting, title=f"{name}総会資料"),
    )


@dataclass
class World:
    """Two districts; the liaison officer works in Sakuradai only."""

    sakura: Side
    konan: Side


@pytest.fixture
def world(liaison_user, media_root) -> World:
    world = World(sakura=make_side("桜台", "さくらだい"), konan=make_side("港南", "こうなん"))
    LiaisonAssignmentFactory(user=liaison_user, district=world.sakura.district)
    LiaisonAssignmentFactory(district=world.konan.district)
    return world


# Registration ------------------------------------------------------------------------------


def test_every_plans_model_is_registered_and_scoped():
    for model in apps.get_app_config("plans").get_models():
        assert isinstance(admin.site._registry.get(model), DistrictScopeMixin), model
    # Scoped choices of foreign keys need the target's admin to be scoped as well.
    for model in (District, Council, Organization, Plan, Initiative, Meeting):
        assert isinstance(admin.site._registry[model], DistrictScopeMixin), model


# Superuser: every page renders -------------------------------------------------------------


@pytest.mark.parametrize("model", MODELS)
def test_superuser_pages_render(client, superuser, world, model):
    client.force_login(superuser)
    sakura, konan = world.sakura.object(model), world.konan.object(model)

    response = client.get(changelist_url(model))
    assert response.status_code == 200
    assert set(response.context["cl"].result_list) >= {sakura, konan}
    assert client.get(add_url(model)).status_code == 200
    assert client.get(change_url(model, sakura.pk)).status_code == 200
    assert client.get(change_url(model, konan.pk)).status_code == 200


def test_meeting_page_has_decision_action_item_and_attachment_inlines(client, superuser, world):
    client.force_login(superuser)

    response = client.get(change_url("meeting", world.sakura.meeting.pk))

    assert inline_formset(response, Decision).queryset.get() == world.sakura.decision
    assert inline_formset(response, ActionItem).queryset.get() == world.sakura.action_item
    assert inline_formset(response, MeetingAttachment).queryset.get() == world.sakura.attachment


def test_plan_and_initiative_pages_have_their_inlines(client, superuser, world):
    client.force_login(superuser)
    sakura = world.sakura

    response = client.get(change_url("plan", sakura.plan.pk))
    assert inline_formset(response, PlanIssue).queryset.get() == sakura.issue
    assert inline_formset(response, Initiative).queryset.get() == sakura.initiative
    assert inline_formset(response, Review).queryset.get() == sakura.review
    # The initiative's roles and indicators are one click away.
    assert change_url("initiative", sakura.initiative.pk) in response.text

    response = client.get(change_url("initiative", sakura.initiative.pk))
    assert inline_formset(response, RoleAssignment).queryset.get() == sakura.role
    assert inline_formset(response, Indicator).queryset.get() == sakura.indicator
    assert change_url("indicator", sakura.indicator.pk) in response.text

    response = client.get(change_url("indicator", sakura.indicator.pk))
    assert inline_formset(response, IndicatorResult).queryset.get() == sakura.result

    response = client.get(change_url("review", sakura.review.pk))
    assert inline_formset(response, ReviewRating).queryset.get() == sakura.rating


def test_initiative_offers_only_its_plans_issues(client, superuser, world):
    client.force_login(superuser)

    response = client.get(change_url("initiative", world.sakura.initiative.pk))

    assert list(form_errors(response)) == []
    issues = response.context["adminform"].form.fields["issues"].queryset
    assert list(issues) == [world.sakura.issue]


def test_review_rating_offers_only_its_plans_initiatives(client, superuser, world):
    client.force_login(superuser)

    response = client.get(change_url("review", world.sakura.review.pk))

    formset = inline_formset(response, ReviewRating)
    assert list(formset.forms[0].fields["initiative"].queryset) == [world.sakura.initiative]


@pytest.mark.parametrize(
    ("term", "expected"),
    [
        ("港南の防災訓練について", "港南協議会 定期総会"),  # minutes
        ("定期総会", None),  # titles: both
        ("こうなん", "港南協議会 定期総会"),  # the district's reading
        ("コウナン", "港南協議会 定期総会"),  # typed in katakana
    ],
)
def test_meeting_search_in_titles_minutes_and_district(client, superuser, world, term, expected):
    client.force_login(superuser)

    response = client.get(changelist_url("meeting"), {"q": term})

    titles = {meeting.title for meeting in response.context["cl"].result_list}
    assert titles == ({expected} if expected else {"桜台協議会 定期総会", "港南協議会 定期総会"})


def test_meeting_changelist_filters_by_fiscal_year(client, superuser, world):
    client.force_login(superuser)
    march = MeetingFactory(district=world.sakura.district, starts_at=tokyo(2025, 3, 31, 23, 30))
    april = MeetingFactory(district=world.sakura.district, starts_at=tokyo(2025, 4, 1, 0, 30))

    response = client.get(changelist_url("meeting"), {"fiscal_year": "2024"})
    assert march in response.context["cl"].result_list
    assert april not in response.context["cl"].result_list

    response = client.get(changelist_url("meeting"), {"fiscal_year": "2025"})
    assert april in response.context["cl"].result_list
    assert march not in response.context["cl"].result_list

    # Nonsense is refused the way Django refuses any bad filter: back to the list.
    response = client.get(changelist_url("meeting"), {"fiscal_year": "令和"})
    assert response.status_code == 302
    assert response["Location"].endswith("?e=1")


def test_fiscal_year_filter_offers_years_of_in_scope_meetings(client, liaison_user, world):
    client.force_login(liaison_user)
    MeetingFactory(district=world.sakura.district, starts_at=tokyo(2025, 3, 31, 23, 30))
    MeetingFactory(district=world.konan.district, starts_at=tokyo(2019, 6, 1, 10))

    response = client.get(changelist_url("meeting"))

    fiscal_year_filter = next(
        spec
        for spec in response.context["cl"].filter_specs
        if isinstance(spec, MeetingFiscalYearFilter)
    )
    recent = fiscal_year(timezone.localtime(world.sakura.meeting.starts_at).date())
    offered = [value for value, _label in fiscal_year_filter.lookup_choices]
    # Newest first; 2019 is only another district's year.
    assert offered == [str(fy) for fy in sorted({recent, 2024}, reverse=True)]


def test_plan_changelist_filters_by_fiscal_year_covered(client, superuser, world):
    client.force_login(superuser)
    later = PlanFactory(district=world.sakura.district, start_fy=2029, end_fy=2033, draft=True)

    response = client.get(changelist_url("plan"), {"fiscal_year": "2030"})

    assert list(response.context["cl"].result_list) == [later]


def test_meeting_changelist_navigates_by_fiscal_year_not_a_date_hierarchy(client, superuser, world):
    client.force_login(superuser)
    older = MeetingFactory(district=world.konan.district, starts_at=tokyo(2019, 6, 1, 10))

    with CaptureQueriesContext(connection) as captured:
        response = client.get(changelist_url("meeting"))

    changelist = response.context["cl"]
    # No year links above the list: they read the date of every meeting on each page load.
    assert changelist.date_hierarchy is None
    assert 'class="toplinks"' not in response.text
    assert not [query for query in captured if "trunc" in query["sql"].lower()]
    parameters = {name for spec in changelist.filter_specs for name in spec.expected_parameters()}
    assert {"district__id__exact", "kind__exact", "fiscal_year", "is_published__exact"} <= (
        parameters
    )
    # The years are offered by the fiscal-year filter instead, and lead to their meetings.
    fiscal_year_filter = next(
        spec for spec in changelist.filter_specs if isinstance(spec, MeetingFiscalYearFilter)
    )
    recent = fiscal_year(timezone.localtime(world.sakura.meeting.starts_at).date())
    offered = [value for value, _label in fiscal_year_filter.lookup_choices]
    assert {str(recent), "2019"} <= set(offered)
    in_2019 = client.get(changelist_url("meeting"), {"fiscal_year": "2019"})
    assert list(in_2019.context["cl"].result_list) == [older]
    # A link saved from the old year drill-down still filters the list.
    bookmarked = client.get(changelist_url("meeting"), {"starts_at__year": "2019"})
    assert bookmarked.status_code == 200
    assert list(bookmarked.context["cl"].result_list) == [older]


@pytest.mark.parametrize("model", ["meeting", "plan"])
def test_changelist_query_count_does_not_grow(client, liaison_user, world, model):
    client.force_login(liaison_user)
    client.get(changelist_url(model))  # warm caches (content types, sessions)
    with CaptureQueriesContext(connection) as few:
        client.get(changelist_url(model))
    for year in range(2019, 2024):
        PlanFactory(district=world.sakura.district, start_fy=year, end_fy=year, draft=True)
        MeetingFactory(district=world.sakura.district, starts_at=tokyo(year, 6, 1, 10))
    with CaptureQueriesContext(connection) as many:
        response = client.get(changelist_url(model))

    assert len(response.context["cl"].result_list) > 5
    assert len(many) == len(few)


# Liaison officer: only their districts -----------------------------------------------------


@pytest.mark.parametrize("model", MODELS)
def test_liaison_changelist_shows_only_assigned_districts(client, liaison_user, world, model):
    client.force_login(liaison_user)

    response = client.get(changelist_url(model))

    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [world.sakura.object(model)]


@pytest.mark.parametrize("model", ["plan", "meeting"])
def test_liaison_changelist_text_names_only_own_district(client, liaison_user, world, model):
    client.force_login(liaison_user)

    response = client.get(changelist_url(model))

    assert "桜台" in response.text
    assert "港南" not in response.text  # rows and list-filter choices alike


@pytest.mark.parametrize("model", MODELS)
def test_liaison_out_of_scope_object_is_404(client, liaison_user, world, model):
    client.force_login(liaison_user)
    in_scope, out_of_scope = world.sakura.object(model), world.konan.object(model)

    assert client.get(change_url(model, in_scope.pk)).status_code == 200
    assert client.get(change_url(model, out_of_scope.pk)).status_code == 404
    assert client.post(change_url(model, out_of_scope.pk), {}).status_code == 404
    history = reverse(f"admin:plans_{model}_history", args=[out_of_scope.pk])
    assert client.get(history).status_code == 404
    delete = reverse(f"admin:plans_{model}_delete", args=[out_of_scope.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 404
    assert type(out_of_scope).objects.filter(pk=out_of_scope.pk).exists()
    assert client.get(change_url(model, 999999)).status_code == 404
    # The admin's "view on site" link: no redirect that tells another district's record exists.
    assert_view_on_site_in_scope_only(client, in_scope, out_of_scope)


@pytest.mark.parametrize("model", ["plan", "meeting", "initiative"])
def test_liaison_without_current_assignment_sees_nothing(client, world, model):
    retired = StaffUserFactory.liaison()
    LiaisonAssignmentFactory(user=retired, district=world.sakura.district, ended=True)
    client.force_login(retired)

    response = client.get(changelist_url(model))

    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == []


def test_liaison_meeting_form_choices_are_scoped(client, liaison_user, world):
    client.force_login(liaison_user)
    sakura = world.sakura

    response = client.get(add_url("meeting"))

    fields = response.context["adminform"].form.fields
    assert list(fields["district"].queryset) == [sakura.district]
    assert list(fields["council"].queryset) == [sakura.council]
    assert list(fields["plan"].queryset) == [sakura.plan]
    assert list(fields["initiatives"].queryset) == [sakura.initiative]
    assert list(fields["attending_groups"].queryset) == [sakura.group]
    action_items = inline_formset(response, ActionItem)
    assert list(action_items.forms[0].fields["owner_organization"].queryset) == [sakura.group]
    # A liaison officer of one district starts from it.
    assert response.context["adminform"].form.initial["district"] == sakura.district.pk


@pytest.mark.parametrize(
    ("model", "field", "expected"),
    [
        ("plan", "district", "district"),
        ("planissue", "plan", "plan"),
        ("planissue", "source_meeting", "meeting"),
        ("initiative", "plan", "plan"),
        ("roleassignment", "initiative", "initiative"),
        ("roleassignment", "organization", "group"),
        ("indicator", "initiative", "initiative"),
        ("indicatorresult", "indicator", "indicator"),
        ("review", "plan", "plan"),
        ("reviewrating", "review", "review"),
        ("decision", "meeting", "meeting"),
        ("actionitem", "meeting", "meeting"),
        ("actionitem", "owner_organization", "group"),
        ("meetingattachment", "meeting", "meeting"),
    ],
)
def test_liaison_form_choices_exclude_other_districts(
    client, liaison_user, world, model, field, expected
):
    client.force_login(liaison_user)

    response = client.get(add_url(model))

    choices = response.context["adminform"].form.fields[field].queryset
    assert list(choices) == [getattr(world.sakura, expected)]


def new_meeting_data(district, /, **values) -> dict:
    return {
        "district": district.pk,
        "kind": "board",
        "title": "桜台協議会 役員会",
        "starts_at_0": "2026-05-10",
        "starts_at_1": "14:00",
        "ends_at_0": "2026-05-10",
        "ends_at_1": "16:00",
        "place": "桜台公民館",
        "admission": "members",
        "attendance": "12",
        "decisions-TOTAL_FORMS": "0",
        "decisions-INITIAL_FORMS": "0",
        "action_items-TOTAL_FORMS": "0",
        "action_items-INITIAL_FORMS": "0",
        "attachments-TOTAL_FORMS": "0",
        "attachments-INITIAL_FORMS": "0",
        **values,
    }


@pytest.mark.parametrize(
    ("field", "target"),
    [
        ("district", "district"),
        ("council", "council"),
        ("plan", "plan"),
        ("initiatives", "initiative"),
        ("attending_groups", "group"),
    ],
)
def test_liaison_cannot_choose_another_districts_records(
    client, liaison_user, world, field, target
):
    client.force_login(liaison_user)
    value = getattr(world.konan, target).pk
    data = new_meeting_data(world.sakura.district, **{field: value})

    response = client.post(add_url("meeting"), data)

    assert response.status_code == 200
    assert field in form_errors(response)
    assert not Meeting.objects.filter(title="桜台協議会 役員会").exists()


def test_liaison_cannot_give_an_action_item_to_another_districts_group(client, liaison_user, world):
    client.force_login(liaison_user)
    data = new_meeting_data(
        world.sakura.district,
        **{
            "action_items-TOTAL_FORMS": "1",
            "action_items-0-what": "チラシを作る",
            "action_items-0-owner_organization": world.konan.group.pk,
            "action_items-0-status": "open",
        },
    )

    response = client.post(add_url("meeting"), data)

    assert response.status_code == 200
    assert "owner_organization" in inline_formset(response, ActionItem).forms[0].errors
    assert not Meeting.objects.filter(title="桜台協議会 役員会").exists()


@pytest.mark.parametrize(
    ("model", "data", "field"),
    [
        ("plan", {"title": "港南の新計画", "start_fy": "2029", "end_fy": "2033"}, "district"),
        ("initiative", {"title": "港南の新取組", "start_fy": "2025", "end_fy": "2026"}, "plan"),
        ("review", {"fiscal_year": "2025", "summary": "港南の評価"}, "plan"),
    ],
)
def test_liaison_cannot_add_records_to_another_districts_plan(
    client, liaison_user, world, model, data, field
):
    client.force_login(liaison_user)
    target = world.konan.district if field == "district" else world.konan.plan
    payload = {
        **data,
        "stage": "draft",
        "status": "planned",
        "order": "0",
        field: target.pk,
        **{
            f"{prefix}-{suffix}": "0"
            for prefix in ("issues", "initiatives", "reviews", "roles", "indicators", "ratings")
            for suffix in ("TOTAL_FORMS", "INITIAL_FORMS")
        },
    }
    model_class = type(world.konan.object(model))
    before = model_class.objects.count()

    response = client.post(add_url(model), payload)

    assert response.status_code == 200
    assert field in form_errors(response)
    assert model_class.objects.count() == before


def test_liaison_adds_a_plan_in_own_district(client, liaison_user, world):
    client.force_login(liaison_user)

    response = client.post(
        add_url("plan"),
        {
            "district": world.sakura.district.pk,
            "title": "桜台第2期計画",
            "start_fy": "2029",
            "end_fy": "2033",
            "vision": "つながり、支え合うまち",
            "stage": "draft",
            "issues-TOTAL_FORMS": "1",
            "issues-INITIAL_FORMS": "0",
            "issues-0-order": "1",
            "issues-0-title": "担い手の高齢化",
            "issues-0-source": "survey",
            "initiatives-TOTAL_FORMS": "1",
            "initiatives-INITIAL_FORMS": "0",
            "initiatives-0-order": "1",
            "initiatives-0-title": "若い世代の呼びかけ",
            "initiatives-0-start_fy": "2029",
            "initiatives-0-end_fy": "2030",
            "initiatives-0-status": "planned",
            "reviews-TOTAL_FORMS": "0",
            "reviews-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 302, response.context["errors"]
    plan = Plan.objects.get(title="桜台第2期計画")
    assert plan.district == world.sakura.district
    assert [issue.title for issue in plan.issues.all()] == ["担い手の高齢化"]
    assert [initiative.title for initiative in plan.initiatives.all()] == ["若い世代の呼びかけ"]


@pytest.mark.parametrize(
    ("model", "field", "expected"),
    [
        ("meeting", "district", {"桜台小学校区"}),
        ("meeting", "council", {"桜台まちづくり協議会"}),
        ("meeting", "attending_groups", {"桜台自治会連合会"}),
        ("meeting", "initiatives", {"桜台防災訓練"}),
        ("actionitem", "owner_organization", {"桜台自治会連合会"}),
        ("planissue", "source_meeting", {"桜台協議会 定期総会"}),
        ("roleassignment", "initiative", {"桜台防災訓練"}),
        ("indicatorresult", "indicator", {"桜台訓練参加者数"}),
    ],
)
def test_autocomplete_is_scoped(client, liaison_user, world, model, field, expected):
    client.force_login(liaison_user)

    assert autocomplete_texts(client, model, field) == expected
    assert autocomplete_texts(client, model, field, "こうなん") == set()
    assert autocomplete_texts(client, model, field, "港南") == set()


def test_autocomplete_of_plans_is_scoped(client, liaison_user, superuser, world):
    client.force_login(liaison_user)
    assert autocomplete_texts(client, "meeting", "plan") == {str(world.sakura.plan)}

    client.force_login(superuser)
    assert autocomplete_texts(client, "meeting", "plan") == {
        str(world.sakura.plan),
        str(world.konan.plan),
    }


def test_liaison_saving_a_meeting_keeps_other_districts_groups(
    client, liaison_user, world, admin_form_data
):
    client.force_login(liaison_user)
    meeting = world.sakura.meeting
    meeting.attending_groups.add(world.konan.group)  # a guest group from next door
    url = change_url("meeting", meeting.pk)
    data = resubmit_data(client.get(url), admin_form_data)
    assert data["attending_groups"] == [str(world.sakura.group.pk)]
    data["minutes"] = "議事録を追記した。"

    response = client.post(url, data)

    assert response.status_code == 302, response.context["errors"]
    meeting.refresh_from_db()
    assert meeting.minutes == "議事録を追記した。"
    assert set(meeting.attending_groups.all()) == {world.sakura.group, world.konan.group}


# Grant officers: everything, read only -----------------------------------------------------


@pytest.mark.parametrize("model", MODELS)
def test_grant_officer_sees_all_but_cannot_change(client, grant_officer, world, model):
    client.force_login(grant_officer)
    sakura, konan = world.sakura.object(model), world.konan.object(model)

    response = client.get(changelist_url(model))
    assert set(response.context["cl"].result_list) == {sakura, konan}

    url = change_url(model, konan.pk)
    response = client.get(url)
    assert response.status_code == 200
    assert 'name="_save"' not in response.text
    assert client.post(url, {}).status_code == 403
    assert client.get(add_url(model)).status_code == 403
    delete = reverse(f"admin:plans_{model}_delete", args=[konan.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert type(konan).objects.filter(pk=konan.pk).exists()


def test_grant_officer_has_no_publication_actions(client, grant_officer, world):
    client.force_login(grant_officer)
    meeting = MeetingFactory(district=world.konan.district, unpublished=True)

    assert client.get(changelist_url("meeting")).context["action_form"] is None
    response = client.post(
        changelist_url("meeting"), {"action": "publish", "_selected_action": [meeting.pk]}
    )

    assert response.status_code == 200
    meeting.refresh_from_db()
    assert not meeting.is_published


# Publish and unpublish in bulk -------------------------------------------------------------


def run_action(client, action: str, meetings) -> list:
    response = client.post(
        changelist_url("meeting"),
        {"action": action, "_selected_action": [meeting.pk for meeting in meetings]},
        follow=True,
    )
    assert response.status_code == 200
    return list(response.context["messages"])


def test_publish_sets_first_publication_and_leaves_other_districts(client, liaison_user, world):
    client.force_login(liaison_user)
    sakura = world.sakura.district
    never = MeetingFactory(district=sakura, unpublished=True)
    before = MeetingFactory(district=sakura, unpublished=True)
    first_published = tokyo(2025, 6, 1, 9)
    Meeting.objects.filter(pk=before.pk).update(published_at=first_published)
    already = MeetingFactory(district=sakura)
    konan = MeetingFactory(district=world.konan.district, unpublished=True)
    already_published_at = already.published_at

    notes = run_action(client, "publish", [never, before, already, konan])

    assert [note.level for note in notes] == [message_levels.SUCCESS]
    assert "2" in str(notes[0])  # two meetings were newly published
    for meeting in (never, before, already, konan):
        meeting.refresh_from_db()
    assert never.is_published and never.published_at is not None
    assert before.is_published and before.published_at == first_published
    assert already.published_at == already_published_at
    assert not konan.is_published and konan.published_at is None
    # The history of each newly published meeting says who did it.
    logged = LogEntry.objects.filter(user=liaison_user).values_list("object_id", flat=True)
    assert set(logged) == {str(never.pk), str(before.pk)}
    entry = LogEntry.objects.get(object_id=str(never.pk))
    assert json.loads(entry.change_message)[0]["changed"]["fields"]


def test_unpublish_keeps_first_publication_and_leaves_other_districts(client, liaison_user, world):
    client.force_login(liaison_user)
    sakura = world.sakura.meeting
    also = MeetingFactory(district=world.sakura.district)
    konan = world.konan.meeting
    first = sakura.published_at

    notes = run_action(client, "unpublish", [sakura, also, konan])

    assert [note.level for note in notes] == [message_levels.SUCCESS]
    assert "2" in str(notes[0])
    for meeting in (sakura, also, konan):
        meeting.refresh_from_db()
    assert not sakura.is_published and not also.is_published
    assert sakura.published_at == first  # when it was first published stays on record
    assert konan.is_published


def test_publish_with_nothing_to_do_says_so(client, liaison_user, world):
    client.force_login(liaison_user)

    notes = run_action(client, "publish", [world.sakura.meeting])

    assert [note.level for note in notes] == [message_levels.WARNING]


# The plan's rules in the admin -------------------------------------------------------------


def plan_data(district, **values) -> dict:
    return {
        "district": district.pk,
        "title": "桜台第2期計画",
        "start_fy": "2027",
        "end_fy": "2031",
        "stage": "adopted",
        "adopted_on": "2027-03-20",
        **{
            f"{prefix}-{suffix}": "0"
            for prefix in ("issues", "initiatives", "reviews")
            for suffix in ("TOTAL_FORMS", "INITIAL_FORMS")
        },
        **values,
    }


def test_second_adopted_plan_for_the_same_years_is_refused(client, liaison_user, world):
    client.force_login(liaison_user)
    before = Plan.objects.count()

    response = client.post(add_url("plan"), plan_data(world.sakura.district))

    assert response.status_code == 200
    errors = form_errors(response).as_data()[NON_FIELD_ERRORS]
    assert [error.code for error in errors] == ["overlapping_adopted_plan"]
    assert world.sakura.plan.title in response.text  # the message names the plan in force
    assert Plan.objects.count() == before


def test_adopting_a_draft_over_an_adopted_plan_is_refused(
    client, superuser, world, admin_form_data
):
    client.force_login(superuser)
    draft = PlanFactory(district=world.sakura.district, start_fy=2028, end_fy=2032, draft=True)
    url = change_url("plan", draft.pk)
    data = admin_form_data(client.get(url))
    data.update(stage="adopted", adopted_on="2028-03-20")

    response = client.post(url, data)

    assert response.status_code == 200
    assert form_errors(response).as_data()[NON_FIELD_ERRORS][0].code == "overlapping_adopted_plan"
    draft.refresh_from_db()
    assert draft.stage == PlanStage.DRAFT


def test_a_new_plan_may_follow_the_adopted_one(client, superuser, world):
    client.force_login(superuser)

    response = client.post(
        add_url("plan"),
        plan_data(world.sakura.district, start_fy="2029", end_fy="2033", adopted_on="2029-03-20"),
    )

    assert response.status_code == 302, response.context["errors"]


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"start_fy": "2031", "end_fy": "2029"}, "end_fy"),
        ({"stage": "adopted", "adopted_on": ""}, "adopted_on"),
        ({"start_fy": "1800"}, "start_fy"),
    ],
)
def test_plan_rules_show_beside_the_field(client, superuser, world, values, field):
    client.force_login(superuser)
    district = DistrictFactory()

    response = client.post(add_url("plan"), plan_data(district, **values))

    assert response.status_code == 200
    assert field in form_errors(response)
    assert not Plan.objects.filter(district=district).exists()


def test_initiative_outside_the_plan_years_is_refused(client, superuser, world):
    client.force_login(superuser)

    response = client.post(
        add_url("initiative"),
        {
            "plan": world.sakura.plan.pk,
            "title": "延長された取組",
            "start_fy": "2027",
            "end_fy": "2030",  # the plan ends in 2028
            "status": "planned",
            "order": "0",
            "roles-TOTAL_FORMS": "0",
            "roles-INITIAL_FORMS": "0",
            "indicators-TOTAL_FORMS": "0",
            "indicators-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 200
    codes = [error.code for error in form_errors(response).as_data()[NON_FIELD_ERRORS]]
    assert codes == ["initiative_outside_plan"]
    assert not Initiative.objects.filter(title="延長された取組").exists()


def test_initiative_inline_outside_the_plan_years_is_refused(
    client, superuser, world, admin_form_data
):
    client.force_login(superuser)
    url = change_url("plan", world.sakura.plan.pk)
    data = admin_form_data(client.get(url))
    data.update(
        {
            "initiatives-TOTAL_FORMS": "2",
            "initiatives-1-title": "計画の前から始まる取組",
            "initiatives-1-start_fy": "2023",
            "initiatives-1-end_fy": "2025",
            "initiatives-1-status": "planned",
            "initiatives-1-order": "2",
        }
    )

    response = client.post(url, data)

    assert response.status_code == 200
    assert inline_formset(response, Initiative).forms[1].non_field_errors()
    assert not Initiative.objects.filter(title="計画の前から始まる取組").exists()


def test_shortening_a_plan_is_refused_while_initiatives_run_past_it(
    client, superuser, world, admin_form_data
):
    client.force_login(superuser)
    url = change_url("plan", world.sakura.plan.pk)
    data = admin_form_data(client.get(url))
    data["end_fy"] = "2026"

    response = client.post(url, data)

    assert response.status_code == 200
    assert inline_formset(response, Initiative).forms[0].non_field_errors()
    world.sakura.plan.refresh_from_db()
    assert world.sakura.plan.end_fy == 2028


def test_initiative_issues_must_be_the_plans(client, superuser, world, admin_form_data):
    client.force_login(superuser)
    url = change_url("initiative", world.sakura.initiative.pk)
    data = admin_form_data(client.get(url))
    data["issues"] = [str(world.konan.issue.pk)]

    response = client.post(url, data)

    assert response.status_code == 200
    assert "issues" in form_errors(response)
    assert list(world.sakura.initiative.issues.all()) == [world.sakura.issue]


def test_indicator_result_outside_the_plan_years_is_refused(
    client, liaison_user, world, admin_form_data
):
    client.force_login(liaison_user)
    url = change_url("indicator", world.sakura.indicator.pk)
    data = admin_form_data(client.get(url))
    data.update(
        {
            "results-TOTAL_FORMS": "2",
            "results-1-fiscal_year": "2030",
            "results-1-actual_value": "140",
        }
    )

    response = client.post(url, data)

    assert response.status_code == 200
    assert "fiscal_year" in inline_formset(response, IndicatorResult).forms[1].errors
    assert world.sakura.indicator.results.count() == 1

    response = client.post(
        add_url("indicatorresult"),
        {"indicator": world.sakura.indicator.pk, "fiscal_year": "2023", "actual_value": "90"},
    )
    assert response.status_code == 200
    assert "fiscal_year" in form_errors(response)
    assert world.sakura.indicator.results.count() == 1


def test_indicator_result_within_the_plan_is_saved(client, liaison_user, world, admin_form_data):
    client.force_login(liaison_user)
    url = change_url("indicator", world.sakura.indicator.pk)
    data = admin_form_data(client.get(url))
    data.update(
        {
            "results-TOTAL_FORMS": "2",
            "results-1-fiscal_year": "2025",
            "results-1-actual_value": "135.5",
        }
    )

    response = client.post(url, data)

    assert response.status_code == 302, response.context["errors"]
    assert world.sakura.indicator.results.get(fiscal_year=2025).actual_value == 135.5


def test_indicator_add_page_waits_for_the_plan_before_results(client, superuser, world):
    client.force_login(superuser)

    response = client.get(add_url("indicator"))

    assert response.context["inline_admin_formsets"] == []


def test_indicator_target_worse_than_baseline_is_shown_beside_target(client, superuser, world):
    client.force_login(superuser)

    response = client.post(
        add_url("indicator"),
        {
            "initiative": world.sakura.initiative.pk,
            "name": "見守り訪問の件数",
            "unit": "件",
            "baseline_value": "100",
            "baseline_fy": "2023",
            "target_value": "80",
            "target_fy": "2028",
            "direction": "higher",
            "order": "0",
        },
    )

    assert response.status_code == 200
    assert "target_value" in form_errors(response)
    assert not Indicator.objects.filter(name="見守り訪問の件数").exists()


def test_rating_of_another_plans_initiative_is_refused(client, superuser, world):
    client.force_login(superuser)

    response = client.post(
        add_url("reviewrating"),
        {
            "review": world.sakura.review.pk,
            "initiative": world.konan.initiative.pk,
            "rating": "A",
            "reason": "順調",
        },
    )

    assert response.status_code == 200
    assert "initiative" in form_errors(response)
    assert world.sakura.review.ratings.count() == 1


# The meeting page: bad input and one-page entry --------------------------------------------


def test_meeting_with_a_decision_and_an_action_item_is_saved_in_one_post(
    client, liaison_user, world
):
    client.force_login(liaison_user)
    data = new_meeting_data(
        world.sakura.district,
        council=world.sakura.council.pk,
        attending_groups=[world.sakura.group.pk],
        plan=world.sakura.plan.pk,
        initiatives=[world.sakura.initiative.pk],
        agenda="1. 防災訓練\n2. 夏祭り",
        minutes="防災訓練を10月に行うことを決めた。",
        is_published="on",
        **{
            "decisions-TOTAL_FORMS": "1",
            "decisions-0-order": "1",
            "decisions-0-text": "防災訓練を10月に行う。",
            "action_items-TOTAL_FORMS": "1",
            "action_items-0-what": "案内チラシを作る",
            "action_items-0-owner_organization": world.sakura.group.pk,
            "action_items-0-owner_role": "広報部会",
            "action_items-0-due_on": "2026-06-30",
            "action_items-0-status": "open",
        },
    )

    response = client.post(add_url("meeting"), data)

    assert response.status_code == 302, response.context["errors"]
    meeting = Meeting.objects.get(title="桜台協議会 役員会")
    assert meeting.district == world.sakura.district
    assert meeting.starts_at == tokyo(2026, 5, 10, 14)
    assert meeting.ends_at == tokyo(2026, 5, 10, 16)
    assert meeting.is_published and meeting.published_at is not None
    assert [decision.text for decision in meeting.decisions.all()] == ["防災訓練を10月に行う。"]
    item = meeting.action_items.get()
    assert (item.what, item.owner_organization, item.owner_role) == (
        "案内チラシを作る",
        world.sakura.group,
        "広報部会",
    )
    assert item.due_on == dt.date(2026, 6, 30)
    assert list(meeting.initiatives.all()) == [world.sakura.initiative]


def test_meeting_with_attachments_is_saved(client, liaison_user, world, media_root):
    client.force_login(liaison_user)
    data = new_meeting_data(
        world.sakura.district,
        **{
            "attachments-TOTAL_FORMS": "2",
            "attachments-0-title": "次第",
            "attachments-0-file": SimpleUploadedFile("shidai.pdf", PDF, "application/pdf"),
            "attachments-1-title": "会場の写真",
            # The content decides, not the name.
            "attachments-1-file": SimpleUploadedFile("photo.bin", PNG, "application/octet-stream"),
        },
    )

    response = client.post(add_url("meeting"), data)

    assert response.status_code == 302, response.context["errors"]
    meeting = Meeting.objects.get(title="桜台協議会 役員会")
    assert sorted(meeting.attachments.values_list("title", flat=True)) == ["会場の写真", "次第"]
    # Stored under the extension of the type the content shows, not the name sent.
    names = dict(meeting.attachments.values_list("title", "file"))
    assert names["次第"].endswith(".pdf") and names["会場の写真"].endswith(".png")


def assert_nothing_saved(media_root, files_before: set) -> None:
    assert not Meeting.objects.filter(title="桜台協議会 役員会").exists()
    assert not Decision.objects.filter(text="保存されない決定").exists()
    assert set(media_root.rglob("*")) == files_before


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"ends_at_0": "2026-05-10", "ends_at_1": "13:00"}, "ends_at"),  # ends before it starts
        ({"ends_at_0": "2026-05-10", "ends_at_1": "14:00"}, "ends_at"),  # ends as it starts
        ({"attendance": "-3"}, "attendance"),
        ({"attendance": "十二"}, "attendance"),
        ({"starts_at_0": "2026-02-30"}, "starts_at"),
        ({"starts_at_0": "", "starts_at_1": ""}, "starts_at"),
        ({"kind": "party"}, "kind"),
    ],
)
def test_meeting_form_refuses_bad_input_beside_the_field(
    client, liaison_user, world, media_root, values, field
):
    client.force_login(liaison_user)
    files_before = set(media_root.rglob("*"))
    data = new_meeting_data(
        world.sakura.district,
        **{"decisions-TOTAL_FORMS": "1", "decisions-0-text": "保存されない決定"},
        **values,
    )

    response = client.post(add_url("meeting"), data)

    assert response.status_code == 200
    errors = form_errors(response)
    assert field in errors
    assert NON_FIELD_ERRORS not in errors
    assert_nothing_saved(media_root, files_before)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("minutes.pdf", "議事録の本文です。".encode() * 10, "PDF"),  # text named .pdf
        ("script.png", b"<script>alert(1)</script>", "PNG"),
        ("huge.pdf", PDF + b"0" * (10 * 1024 * 1024), "10.0"),
        ("empty.pdf", b"", ""),
    ],
)
def test_meeting_attachment_refused_beside_the_field(
    client, liaison_user, world, media_root, name, content, message
):
    client.force_login(liaison_user)
    files_before = set(media_root.rglob("*"))
    data = new_meeting_data(
        world.sakura.district,
        **{
            "decisions-TOTAL_FORMS": "1",
            "decisions-0-text": "保存されない決定",
            "attachments-TOTAL_FORMS": "1",
            "attachments-0-title": "資料",
            "attachments-0-file": SimpleUploadedFile(name, content, "application/pdf"),
        },
    )

    response = client.post(add_url("meeting"), data)

    assert response.status_code == 200
    errors = inline_formset(response, MeetingAttachment).forms[0].errors
    assert "file" in errors
    assert message in str(errors["file"])
    assert 'id="id_attachments-0-file"' in response.text
    assert_nothing_saved(media_root, files_before)


def test_action_item_without_an_owner_is_refused(client, liaison_user, world):
    client.force_login(liaison_user)
    data = new_meeting_data(
        world.sakura.district,
        **{
            "action_items-TOTAL_FORMS": "1",
            "action_items-0-what": "誰かがやること",
            "action_items-0-status": "open",
        },
    )

    response = client.post(add_url("meeting"), data)

    assert response.status_code == 200
    assert inline_formset(response, ActionItem).forms[0].non_field_errors()
    assert not Meeting.objects.filter(title="桜台協議会 役員会").exists()


@pytest.mark.parametrize(
    ("field", "target"), [("plan", "plan"), ("initiatives", "initiative"), ("council", "council")]
)
def test_meeting_links_must_be_of_its_district(client, superuser, world, field, target):
    client.force_login(superuser)
    other = getattr(world.konan, target).pk

    response = client.post(
        add_url("meeting"), new_meeting_data(world.sakura.district, **{field: other})
    )

    assert response.status_code == 200
    assert field in form_errors(response)
    assert not Meeting.objects.filter(title="桜台協議会 役員会").exists()


def test_editing_a_meeting_with_bad_inline_input_changes_nothing(
    client, liaison_user, world, admin_form_data
):
    client.force_login(liaison_user)
    meeting = world.sakura.meeting
    url = change_url("meeting", meeting.pk)
    data = resubmit_data(client.get(url), admin_form_data)
    data["minutes"] = "書き換えられない議事録"
    data["attendance"] = "-1"
    data["decisions-0-text"] = "書き換えられない決定"

    response = client.post(url, data)

    assert response.status_code == 200
    assert "attendance" in form_errors(response)
    meeting.refresh_from_db()
    assert meeting.minutes != "書き換えられない議事録"
    assert meeting.decisions.get().text == world.sakura.decision.text


def test_editing_a_meeting_adds_a_decision(client, liaison_user, world, admin_form_data):
    client.force_login(liaison_user)
    meeting = world.sakura.meeting
    starts_at, ends_at = meeting.starts_at, meeting.ends_at
    url = change_url("meeting", meeting.pk)
    data = resubmit_data(client.get(url), admin_form_data)
    data["decisions-TOTAL_FORMS"] = "2"
    data["decisions-1-order"] = "2"
    data["decisions-1-text"] = "夏祭りは7月に行う。"

    response = client.post(url, data)

    assert response.status_code == 302, response.context["errors"]
    assert meeting.decisions.count() == 2
    meeting.refresh_from_db()
    assert (meeting.starts_at, meeting.ends_at) == (starts_at, ends_at)
