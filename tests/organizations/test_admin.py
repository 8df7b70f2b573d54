"""The groups admin: pages, liaison-officer scope, read-only roles and bad input."""

import datetime as dt
import json
from dataclasses import dataclass

import pytest
from django.contrib.admin.models import LogEntry
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from districts.models import Council, District
from organizations.models import Field, Membership, Officer, Organization
from tests.admin_links import assert_view_on_site_in_scope_only
from tests.factories import (
    CouncilFactory,
    DistrictFactory,
    LiaisonAssignmentFactory,
    MembershipFactory,
    OfficerFactory,
    OrganizationFactory,
    StaffUserFactory,
)

pytestmark = pytest.mark.django_db

MODELS = ("organization", "membership", "officer")


def changelist_url(model: str) -> str:
    return reverse(f"admin:organizations_{model}_changelist")


def add_url(model: str) -> str:
    return reverse(f"admin:organizations_{model}_add")


def change_url(model: str, pk: int) -> str:
    return reverse(f"admin:organizations_{model}_change", args=[pk])


def autocomplete(client, app_label: str, model_name: str, field_name: str, term: str = ""):
    return client.get(
        reverse("admin:autocomplete"),
        {"app_label": app_label, "model_name": model_name, "field_name": field_name, "term": term},
    )


def autocomplete_texts(client, *args) -> set[str]:
    response = autocomplete(client, *args)
    assert response.status_code == 200
    return {result["text"] for result in response.json()["results"]}


def inline_formset(response, model, fk_name=None):
    return next(
        inline.formset
        for inline in response.context["inline_admin_formsets"]
        if inline.formset.model is model and (fk_name is None or inline.formset.fk.name == fk_name)
    )


@dataclass
class World:
    """Two districts with groups, seats and officers; the liaison officer works in Sakuradai."""

    sakura: District
    konan: District
    sakura_council: Council
    konan_council: Council
    sakura_group: Organization
    konan_group: Organization
    shared_group: Organization
    sakura_membership: Membership
    konan_membership: Membership
    shared_konan_membership: Membership
    sakura_officer: Officer
    konan_officer: Officer
    sakura_council_officer: Officer
    konan_council_officer: Officer

    def objects(self, model: str):
        """(in-scope object, out-of-scope object, text shown only for each) for a model."""
        return {
            "organization": (self.sakura_group, self.konan_group, "桜台一丁目自治会", "港南防災会"),
            "membership": (
                self.sakura_membership,
                self.konan_membership,
                "桜台一丁目自治会",
                "港南防災会",
            ),
            "officer": (self.sakura_officer, self.konan_officer, "佐藤 花子", "鈴木 次郎"),
        }[model]


@pytest.fixture
def world(liaison_user) -> World:
    sakura = DistrictFactory(name="桜台小学校区", name_kana="さくらだいしょうがっこうく")
    konan = DistrictFactory(name="港南小学校区", name_kana="こうなんしょうがっこうく")
    sakura_council = CouncilFactory(district=sakura, name="桜台まちづくり協議会")
    konan_council = CouncilFactory(district=konan, name="港南まちづくり協議会")
    sakura_group = OrganizationFactory(
        name="桜台一丁目自治会",
        name_kana="さくらだいいっちょうめじちかい",
        districts=[sakura],
        fields=["disaster"],
    )
    konan_group = OrganizationFactory(
        name="港南防災会",
        name_kana="こうなんぼうさいかい",
        districts=[konan],
        kind="volunteer",
    )
    shared_group = OrganizationFactory(
        name="みどり野子ども会",
        name_kana="みどりのこどもかい",
        districts=[sakura, konan],
        kind="children",
    )
    LiaisonAssignmentFactory(user=liaison_user, district=sakura)
    LiaisonAssignmentFactory(district=konan)
    return World(
        sakura=sakura,
        konan=konan,
        sakura_council=sakura_council,
        konan_council=konan_council,
        sakura_group=sakura_group,
        konan_group=konan_group,
        shared_group=shared_group,
        sakura_membership=MembershipFactory(organization=sakura_group, council=sakura_council),
        konan_membership=MembershipFactory(organization=konan_group, council=konan_council),
        shared_konan_membership=MembershipFactory(organization=shared_group, council=konan_council),
        sakura_officer=OfficerFactory(
            organization=sakura_group,
            person_name="佐藤 花子",
            person_name_kana="さとう はなこ",
            private_phone="090-1111-2222",
        ),
        konan_officer=OfficerFactory(
            organization=konan_group, person_name="鈴木 次郎", person_name_kana="すずき じろう"
        ),
        sakura_council_officer=OfficerFactory(
            of_council=True, council=sakura_council, person_name="高橋 一郎"
        ),
        konan_council_officer=OfficerFactory(
            of_council=True, council=konan_council, person_name="田中 三郎"
        ),
    )


# Superuser: every page renders -------------------------------------------------------------


@pytest.mark.parametrize("model", MODELS)
def test_superuser_pages_render(client, superuser, world, model):
    client.force_login(superuser)
    in_scope, out_of_scope, in_text, out_text = world.objects(model)

    response = client.get(changelist_url(model))
    assert response.status_code == 200
    assert in_text in response.text
    assert out_text in response.text
    assert client.get(add_url(model)).status_code == 200
    assert client.get(change_url(model, in_scope.pk)).status_code == 200
    assert client.get(change_url(model, out_of_scope.pk)).status_code == 200


@pytest.mark.parametrize(
    ("model", "term", "expected"),
    [
        ("organization", "こうなん", "港南防災会"),
        ("organization", "港南防災", "港南防災会"),
        ("membership", "こうなんぼうさい", "港南防災会"),
        ("officer", "すずき", "鈴木 次郎"),
        ("organization", "コウナン", "港南防災会"),  # katakana finds the hiragana reading
        ("organization", "ｺｳﾅﾝ", "港南防災会"),  # so does half-width kana
        ("officer", "スズキ", "鈴木 次郎"),
    ],
)
def test_changelist_search_by_name_and_reading(client, superuser, world, model, term, expected):
    client.force_login(superuser)

    response = client.get(changelist_url(model), {"q": term})

    assert response.status_code == 200
    assert expected in response.text
    assert "桜台一丁目自治会" not in response.text


def test_field_admin_lists_fixed_fields(client, superuser, world):
    client.force_login(superuser)

    response = client.get(reverse("admin:organizations_field_changelist"))

    assert response.status_code == 200
    assert len(response.context["cl"].result_list) == Field.objects.count() == 11
    assert client.get(reverse("admin:organizations_field_add")).status_code == 403
    field = Field.objects.get(code="disaster")
    assert (
        client.get(reverse("admin:organizations_field_change", args=[field.pk])).status_code == 200
    )


def test_organization_page_has_membership_and_officer_inlines(client, superuser, world):
    client.force_login(superuser)

    response = client.get(change_url("organization", world.sakura_group.pk))

    assert inline_formset(response, Membership).queryset.get() == world.sakura_membership
    assert inline_formset(response, Officer).queryset.get() == world.sakura_officer
    assert "090-1111-2222" in response.text  # staff see the officer's private phone


def test_council_page_has_membership_and_officer_inlines(client, superuser, world):
    client.force_login(superuser)

    response = client.get(reverse("admin:districts_council_change", args=[world.konan_council.pk]))

    assert response.status_code == 200
    assert set(inline_formset(response, Membership).queryset) == {
        world.konan_membership,
        world.shared_konan_membership,
    }
    assert inline_formset(response, Officer).queryset.get() == world.konan_council_officer


# Liaison officer: only their districts -----------------------------------------------------


@pytest.mark.parametrize("model", MODELS)
def test_liaison_changelist_shows_only_assigned_districts(client, liaison_user, world, model):
    client.force_login(liaison_user)
    in_scope, out_of_scope, in_text, out_text = world.objects(model)

    response = client.get(changelist_url(model))

    assert response.status_code == 200
    rows = list(response.context["cl"].result_list)
    assert in_scope in rows
    assert out_of_scope not in rows
    assert in_text in response.text
    assert out_text not in response.text


def test_liaison_changelists_row_sets(client, liaison_user, world):
    client.force_login(liaison_user)

    def rows(model):
        return set(client.get(changelist_url(model)).context["cl"].result_list)

    # The shared group appears once, though it works in two districts.
    assert rows("organization") == {world.sakura_group, world.shared_group}
    assert len(client.get(changelist_url("organization")).context["cl"].result_list) == 2
    assert rows("membership") == {world.sakura_membership}
    # Officers of the district's groups (the shared one too) and of its council.
    assert rows("officer") == {world.sakura_officer, world.sakura_council_officer}


def test_liaison_officer_list_unites_group_and_council_officers_once_each(client, world):
    shared_officer = OfficerFactory(organization=world.shared_group, person_name="伊藤 五郎")
    client.force_login(StaffUserFactory.liaison(world.sakura, world.konan))

    with CaptureQueriesContext(connection) as captured:
        response = client.get(changelist_url("officer"))

    changelist = response.context["cl"]
    rows = list(changelist.result_list)
    # The shared group's officer reaches both districts through the group, and is listed once.
    assert len(rows) == changelist.result_count == 5
    assert set(rows) == {
        world.sakura_officer,
        world.konan_officer,
        world.sakura_council_officer,
        world.konan_council_officer,
        shared_officer,
    }
    # Each path to the districts is read on its own and the rows united: one condition ORing
    # both joins makes PostgreSQL join every officer (docs/performance.md).
    [rows_sql] = [
        query["sql"]
        for query in captured
        if query["sql"].startswith('SELECT "organizations_officer"."id"')
    ]
    assert " UNION " in rows_sql


def test_liaison_officer_search_stays_in_scope(client, liaison_user, world):
    OfficerFactory(organization=world.shared_group, person_name="鈴木 花子")
    client.force_login(liaison_user)

    response = client.get(changelist_url("officer"), {"q": "鈴木"})

    # 鈴木 次郎 of Konan's own group is out of scope; the shared group's officer is in.
    assert [row.person_name for row in response.context["cl"].result_list] == ["鈴木 花子"]


@pytest.mark.parametrize("model", MODELS)
def test_liaison_out_of_scope_object_is_404(client, liaison_user, world, model):
    client.force_login(liaison_user)
    in_scope, out_of_scope, *_ = world.objects(model)

    assert client.get(change_url(model, in_scope.pk)).status_code == 200
    assert client.get(change_url(model, out_of_scope.pk)).status_code == 404
    assert client.post(change_url(model, out_of_scope.pk), {}).status_code == 404
    delete = reverse(f"admin:organizations_{model}_delete", args=[out_of_scope.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 404
    assert type(out_of_scope).objects.filter(pk=out_of_scope.pk).exists()
    # The admin's "view on site" link: no redirect that tells another district's record exists.
    assert_view_on_site_in_scope_only(client, in_scope, out_of_scope)


def test_liaison_council_officer_of_other_district_is_404(client, liaison_user, world):
    client.force_login(liaison_user)

    assert client.get(change_url("officer", world.sakura_council_officer.pk)).status_code == 200
    assert client.get(change_url("officer", world.konan_council_officer.pk)).status_code == 404


@pytest.mark.parametrize("model", MODELS)
def test_liaison_without_current_assignment_sees_nothing(client, world, model):
    client.force_login(StaffUserFactory.liaison())

    response = client.get(changelist_url(model))

    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == []


def test_bulk_delete_cannot_reach_other_districts(client, liaison_user, world):
    client.force_login(liaison_user)

    response = client.post(
        changelist_url("membership"),
        {
            "action": "delete_selected",
            "post": "yes",
            "_selected_action": [world.sakura_membership.pk, world.konan_membership.pk],
        },
    )

    assert response.status_code == 302
    assert not Membership.objects.filter(pk=world.sakura_membership.pk).exists()
    assert Membership.objects.filter(pk=world.konan_membership.pk).exists()


@pytest.mark.parametrize("model", MODELS)
def test_liaison_changelist_query_count_does_not_grow(client, liaison_user, world, model):
    client.force_login(liaison_user)
    client.get(changelist_url(model))  # warm caches (content types, sessions)
    with CaptureQueriesContext(connection) as few:
        client.get(changelist_url(model))
    for _ in range(5):
        group = OrganizationFactory(districts=[world.sakura, world.konan])
        MembershipFactory(organization=group, council=world.sakura_council)
        OfficerFactory(organization=group)
    with CaptureQueriesContext(connection) as many:
        response = client.get(changelist_url(model))

    assert len(response.context["cl"].result_list) > 5
    assert len(many) == len(few)


# Liaison officer: form choices -------------------------------------------------------------


def new_group_data(**values) -> dict:
    return {
        "kind": "volunteer",
        "is_published": "on",
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
        "officers-TOTAL_FORMS": "0",
        "officers-INITIAL_FORMS": "0",
        **values,
    }


def test_liaison_adds_group_in_own_district(client, liaison_user, world):
    client.force_login(liaison_user)

    response = client.post(
        add_url("organization"),
        new_group_data(
            name="桜台見守り隊",
            name_kana="さくらだい みまもりたい",
            districts=[world.sakura.pk],
        ),
    )

    assert response.status_code == 302, response.context["errors"]
    group = Organization.objects.get(name="桜台見守り隊")
    assert list(group.districts.all()) == [world.sakura]


def test_group_reading_may_be_typed_in_katakana(client, superuser, world):
    client.force_login(superuser)

    response = client.post(
        add_url("organization"),
        new_group_data(
            name="桜台見守り隊",
            name_kana="サクラダイ ミマモリタイ",
            districts=[world.sakura.pk],
        ),
    )

    assert response.status_code == 302
    assert Organization.objects.get(name="桜台見守り隊").name_kana == "さくらだい みまもりたい"


def test_liaison_cannot_add_group_in_another_district(client, liaison_user, world):
    client.force_login(liaison_user)

    response = client.post(
        add_url("organization"),
        new_group_data(
            name="港南見守り隊",
            name_kana="こうなんみまもりたい",
            districts=[world.konan.pk],
        ),
    )

    assert response.status_code == 200
    assert "districts" in response.context["adminform"].form.errors
    assert not Organization.objects.filter(name="港南見守り隊").exists()


@pytest.mark.parametrize(
    ("model", "field", "target"),
    [
        ("membership", "council", "konan_council"),
        ("membership", "organization", "konan_group"),
        ("officer", "organization", "konan_group"),
        ("officer", "council", "konan_council"),
    ],
)
def test_liaison_cannot_choose_records_of_other_districts(
    client, liaison_user, world, model, field, target
):
    client.force_login(liaison_user)
    data = {
        "membership": {
            "council": world.sakura_council.pk,
            "organization": world.sakura_group.pk,
            "role": "member",
            "start_on": "2026-04-01",
        },
        "officer": {
            "organization": "",
            "council": "",
            "role": "chair",
            "person_name": "伊藤 五郎",
            "term_start": "2026-04-01",
        },
    }[model]
    data[field] = getattr(world, target).pk
    before = type(getattr(world, f"sakura_{model}")).objects.count()

    response = client.post(add_url(model), data)

    assert response.status_code == 200
    assert field in response.context["adminform"].form.errors
    assert type(getattr(world, f"sakura_{model}")).objects.count() == before


def test_liaison_form_choices_are_scoped(client, liaison_user, world):
    client.force_login(liaison_user)

    form = client.get(add_url("membership")).context["adminform"].form

    assert list(form.fields["council"].queryset) == [world.sakura_council]
    assert set(form.fields["organization"].queryset) == {world.sakura_group, world.shared_group}


# Liaison officer: autocomplete -------------------------------------------------------------


def test_autocomplete_lists_only_in_scope_records(client, liaison_user, world):
    client.force_login(liaison_user)

    assert autocomplete_texts(client, "organizations", "organization", "districts") == {
        "桜台小学校区"
    }
    assert autocomplete_texts(client, "organizations", "membership", "organization") == {
        "桜台一丁目自治会",
        "みどり野子ども会",
    }
    assert (
        autocomplete_texts(client, "organizations", "membership", "organization", "ぼうさい")
        == set()
    )
    # The shared group is found by the other district's name too: it works in both.
    assert autocomplete_texts(
        client, "organizations", "membership", "organization", "こうなん"
    ) == {"みどり野子ども会"}
    assert autocomplete_texts(client, "organizations", "membership", "council") == {
        "桜台まちづくり協議会"
    }
    assert autocomplete_texts(client, "districts", "council", "district") == {"桜台小学校区"}


def test_autocomplete_lists_everything_for_superuser(client, superuser, world):
    client.force_login(superuser)

    assert autocomplete_texts(client, "organizations", "membership", "organization") == {
        "桜台一丁目自治会",
        "港南防災会",
        "みどり野子ども会",
    }
    assert autocomplete_texts(client, "districts", "council", "coordinators") >= {"admin"}


def test_autocomplete_of_user_accounts_is_refused_to_liaison(client, liaison_user, world):
    client.force_login(liaison_user)

    assert autocomplete(client, "districts", "council", "coordinators").status_code == 403


# Liaison officer: saving keeps other districts' links --------------------------------------


def test_liaison_saving_shared_group_keeps_other_district(
    client, liaison_user, world, admin_form_data
):
    client.force_login(liaison_user)
    url = change_url("organization", world.shared_group.pk)
    response = client.get(url)
    form = response.context["adminform"].form
    assert list(form.fields["districts"].queryset) == [world.sakura]
    data = admin_form_data(response)
    assert data["districts"] == [str(world.sakura.pk)]
    data["description"] = "毎月第2土曜日に活動しています。"

    response = client.post(url, data)

    assert response.status_code == 302, response.context["errors"]
    world.shared_group.refresh_from_db()
    assert world.shared_group.description == "毎月第2土曜日に活動しています。"
    assert set(world.shared_group.districts.all()) == {world.sakura, world.konan}
    # The log names only what the liaison changed, not the hidden district.
    entry = LogEntry.objects.get(object_id=str(world.shared_group.pk))
    assert len(json.loads(entry.change_message)[0]["changed"]["fields"]) == 1
    # The seat in the other district's council was neither shown nor removed.
    assert Membership.objects.filter(pk=world.shared_konan_membership.pk).exists()


def test_liaison_adding_a_seat_to_shared_group_hides_other_council(
    client, liaison_user, world, admin_form_data
):
    client.force_login(liaison_user)
    url = change_url("organization", world.shared_group.pk)
    response = client.get(url)
    assert not inline_formset(response, Membership).queryset.exists()
    data = admin_form_data(response)
    data.update(
        {
            "memberships-TOTAL_FORMS": "1",
            "memberships-0-council": world.sakura_council.pk,
            "memberships-0-role": "member",
            "memberships-0-start_on": "2026-04-01",
        }
    )

    response = client.post(url, data)

    assert response.status_code == 302, response.context["errors"]
    assert set(world.shared_group.memberships.values_list("council", flat=True)) == {
        world.sakura_council.pk,
        world.konan_council.pk,
    }


def test_liaison_cannot_seat_group_in_other_council_inline(
    client, liaison_user, world, admin_form_data
):
    client.force_login(liaison_user)
    url = change_url("organization", world.sakura_group.pk)
    data = admin_form_data(client.get(url))
    data.update(
        {
            "memberships-TOTAL_FORMS": "2",
            "memberships-1-council": world.konan_council.pk,
            "memberships-1-role": "member",
            "memberships-1-start_on": "2026-04-01",
        }
    )

    response = client.post(url, data)

    assert response.status_code == 200
    assert "council" in inline_formset(response, Membership).forms[1].errors
    assert not world.sakura_group.memberships.filter(council=world.konan_council).exists()


def test_superuser_can_remove_a_district(client, superuser, world, admin_form_data):
    client.force_login(superuser)
    url = change_url("organization", world.shared_group.pk)
    data = admin_form_data(client.get(url))
    data["districts"] = [str(world.sakura.pk)]

    response = client.post(url, data)

    assert response.status_code == 302, response.context["errors"]
    assert list(world.shared_group.districts.all()) == [world.sakura]


# Grant officers: everything, read only -----------------------------------------------------


@pytest.mark.parametrize("model", MODELS)
def test_grant_officer_sees_all_but_cannot_change(client, grant_officer, world, model):
    client.force_login(grant_officer)
    in_scope, out_of_scope, in_text, out_text = world.objects(model)

    response = client.get(changelist_url(model))
    assert in_text in response.text
    assert out_text in response.text

    url = change_url(model, out_of_scope.pk)
    response = client.get(url)
    assert response.status_code == 200
    assert 'name="_save"' not in response.text
    assert client.post(url, {}).status_code == 403
    assert client.get(add_url(model)).status_code == 403


# Non-staff ---------------------------------------------------------------------------------


def test_coordinator_is_sent_to_admin_login(client, coordinator, world):
    client.force_login(coordinator)

    response = client.get(changelist_url("organization"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


# Bad input ---------------------------------------------------------------------------------


def test_membership_inline_refuses_end_before_start(client, liaison_user, world, admin_form_data):
    client.force_login(liaison_user)
    url = reverse("admin:districts_council_change", args=[world.sakura_council.pk])
    data = admin_form_data(client.get(url))
    data.update(
        {
            "memberships-TOTAL_FORMS": "2",
            "memberships-1-organization": world.shared_group.pk,
            "memberships-1-role": "member",
            "memberships-1-start_on": "2026-04-01",
            "memberships-1-end_on": "2025-03-31",
        }
    )

    response = client.post(url, data)

    assert response.status_code == 200
    assert inline_formset(response, Membership).forms[1].non_field_errors()
    assert not world.shared_group.memberships.filter(council=world.sakura_council).exists()


def test_officer_inline_refuses_bad_term_and_kana(client, liaison_user, world, admin_form_data):
    client.force_login(liaison_user)
    url = change_url("organization", world.sakura_group.pk)
    data = admin_form_data(client.get(url))
    data.update(
        {
            "officers-TOTAL_FORMS": "2",
            "officers-1-role": "treasurer",
            "officers-1-person_name": "伊藤 五郎",
            "officers-1-person_name_kana": "Ito Goro",
            "officers-1-term_start": "2026-04-01",
            "officers-1-term_end": "2025-03-31",
            "officers-1-private_phone": "not a phone",
        }
    )

    response = client.post(url, data)

    assert response.status_code == 200
    errors = inline_formset(response, Officer, "organization").forms[1].errors
    assert {"person_name_kana", "private_phone"} <= set(errors)
    assert not Officer.objects.filter(person_name="伊藤 五郎").exists()


def test_officer_inline_refuses_term_end_before_start(client, superuser, world, admin_form_data):
    client.force_login(superuser)
    url = reverse("admin:districts_council_change", args=[world.konan_council.pk])
    data = admin_form_data(client.get(url))
    data.update(
        {
            "officers-TOTAL_FORMS": "2",
            "officers-1-role": "chair",
            "officers-1-person_name": "伊藤 五郎",
            "officers-1-term_start": "2026-04-01",
            "officers-1-term_end": "2025-03-31",
        }
    )

    response = client.post(url, data)

    assert response.status_code == 200
    assert inline_formset(response, Officer, "council").forms[1].non_field_errors()
    assert not Officer.objects.filter(person_name="伊藤 五郎").exists()


@pytest.mark.parametrize("parents", [{}, {"organization": "group", "council": "council"}])
def test_officer_needs_a_group_or_a_council(client, superuser, world, parents):
    client.force_login(superuser)
    data = {"role": "chair", "person_name": "伊藤 五郎", "term_start": "2026-04-01"}
    if parents:
        data.update(organization=world.sakura_group.pk, council=world.sakura_council.pk)

    response = client.post(add_url("officer"), data)

    assert response.status_code == 200
    assert response.context["adminform"].form.non_field_errors()
    assert not Officer.objects.filter(person_name="伊藤 五郎").exists()


def test_group_form_refuses_households_for_non_neighborhood(client, superuser, world):
    client.force_login(superuser)

    response = client.post(
        add_url("organization"),
        new_group_data(
            name="桜台PTA",
            name_kana="さくらだいぴーてぃーえー",
            kind="pta",
            districts=[world.sakura.pk],
            member_households="120",
        ),
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors
    assert not Organization.objects.filter(name="桜台PTA").exists()


def test_group_form_keeps_dates_valid(client, superuser, world):
    client.force_login(superuser)

    response = client.post(
        add_url("membership"),
        {
            "council": world.sakura_council.pk,
            "organization": world.konan_group.pk,
            "role": "member",
            "start_on": "2026-04-01",
            "end_on": "2026-03-31",
        },
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.non_field_errors()
    assert not Membership.objects.filter(start_on=dt.date(2026, 4, 1)).exists()
