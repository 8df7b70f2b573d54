"""The districts admin: pages, liaison-officer scope, read-only roles and bad input."""

import datetime as dt
from dataclasses import dataclass

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.names import person_name
from districts.models import (
    Area,
    Council,
    CouncilStage,
    District,
    DistrictStatistic,
    LiaisonAssignment,
)
from tests.admin_links import assert_view_on_site_in_scope_only
from tests.factories import (
    CouncilFactory,
    DistrictFactory,
    DistrictStatisticFactory,
    LiaisonAssignmentFactory,
    StaffUserFactory,
)

pytestmark = pytest.mark.django_db

MODELS = ("district", "council", "districtstatistic", "liaisonassignment")


def changelist_url(model: str) -> str:
    return reverse(f"admin:districts_{model}_changelist")


def add_url(model: str) -> str:
    return reverse(f"admin:districts_{model}_add")


def change_url(model: str, pk: int) -> str:
    return reverse(f"admin:districts_{model}_change", args=[pk])


def autocomplete(client, model_name: str, field_name: str, term: str = "") -> set[str]:
    response = client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "districts",
            "model_name": model_name,
            "field_name": field_name,
            "term": term,
        },
    )
    assert response.status_code == 200
    return {result["text"] for result in response.json()["results"]}


@dataclass
class World:
    """Two districts with everything in them; the liaison officer works in the first only."""

    sakura: District
    konan: District
    kitayama: District
    sakura_council: Council
    konan_council: Council
    sakura_stat: DistrictStatistic
    konan_stat: DistrictStatistic
    sakura_assignment: LiaisonAssignment
    konan_assignment: LiaisonAssignment

    def objects(self, model: str):
        """(in-scope object, out-of-scope object, text shown only for each) for a model."""
        return {
            "district": (self.sakura, self.konan, "桜台小学校区", "港南小学校区"),
            "council": (
                self.sakura_council,
                self.konan_council,
                "桜台まちづくり協議会",
                "港南まちづくり協議会",
            ),
            "districtstatistic": (
                self.sakura_stat,
                self.konan_stat,
                "桜台小学校区",
                "港南小学校区",
            ),
            "liaisonassignment": (
                self.sakura_assignment,
                self.konan_assignment,
                "桜台小学校区",
                "港南小学校区",
            ),
        }[model]


@pytest.fixture
def world(liaison_user) -> World:
    sakura = DistrictFactory(
        name="桜台小学校区", name_kana="さくらだいしょうがっこうく", slug="sakuradai"
    )
    konan = DistrictFactory(name="港南小学校区", name_kana="こうなんしょうがっこうく", slug="konan")
    kitayama = DistrictFactory(
        name="北山小学校区", name_kana="きたやましょうがっこうく", slug="kitayama"
    )
    other_liaison = StaffUserFactory.liaison(last_name="港南担当")
    world = World(
        sakura=sakura,
        konan=konan,
        kitayama=kitayama,
        sakura_council=CouncilFactory(district=sakura, name="桜台まちづくり協議会"),
        konan_council=CouncilFactory(district=konan, name="港南まちづくり協議会"),
        sakura_stat=DistrictStatisticFactory(
            district=sakura,
            as_of=dt.date(2025, 4, 1),
            population=5000,
            households=2000,
            under_15=600,
            aged_65_over=1500,
        ),
        konan_stat=DistrictStatisticFactory(district=konan, as_of=dt.date(2025, 4, 1)),
        sakura_assignment=LiaisonAssignmentFactory(user=liaison_user, district=sakura),
        konan_assignment=LiaisonAssignmentFactory(user=other_liaison, district=konan),
    )
    # An assignment that has ended gives no access.
    LiaisonAssignmentFactory(user=liaison_user, district=kitayama, ended=True)
    return world


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


@pytest.mark.parametrize("model", MODELS)
def test_changelist_search_by_kana_reading(client, superuser, world, model):
    client.force_login(superuser)

    response = client.get(changelist_url(model), {"q": "さくらだい"})

    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [world.objects(model)[0]]


def test_district_changelist_shows_stage_aging_rate_and_liaison(
    client, superuser, liaison_user, world
):
    client.force_login(superuser)

    response = client.get(changelist_url("district"))

    model_admin = response.context["cl"].model_admin
    rows = {district.pk: district for district in response.context["cl"].result_list}
    sakura, kitayama = rows[world.sakura.pk], rows[world.kitayama.pk]
    assert model_admin.latest_aging_rate(sakura) == "30.0%"
    assert model_admin.latest_aging_rate(kitayama) == "—"
    assert model_admin.current_stage(sakura) == CouncilStage.PREPARING.label
    assert model_admin.current_stage(kitayama) == CouncilStage.NOT_STARTED.label
    assert model_admin.liaison_officers(sakura) == person_name(liaison_user)  # family name first
    assert model_admin.liaison_officers(kitayama) == ""  # the assignment has ended
    assert "30.0%" in response.text


def test_district_changelist_query_count_does_not_grow(client, superuser, world):
    client.force_login(superuser)
    client.get(changelist_url("district"))  # warm caches (content types, sessions)
    with CaptureQueriesContext(connection) as few:
        client.get(changelist_url("district"))
    for _ in range(5):
        district = DistrictFactory()
        CouncilFactory(district=district)
        DistrictStatisticFactory(district=district)
        LiaisonAssignmentFactory(district=district)
    with CaptureQueriesContext(connection) as many:
        client.get(changelist_url("district"))

    assert len(many) == len(few)


def test_district_change_page_has_council_area_statistic_and_liaison_inlines(
    client, superuser, world
):
    client.force_login(superuser)

    response = client.get(change_url("district", world.sakura.pk))

    inline_models = {inline.formset.model for inline in response.context["inline_admin_formsets"]}
    assert inline_models == {Council, Area, DistrictStatistic, LiaisonAssignment}
    assert "30.0%" in response.text  # the statistic inline's read-only aging rate


# Liaison officer: only their districts -----------------------------------------------------


@pytest.mark.parametrize("model", MODELS)
def test_liaison_changelist_shows_only_assigned_districts(client, liaison_user, world, model):
    client.force_login(liaison_user)
    in_scope, out_of_scope, in_text, out_text = world.objects(model)

    response = client.get(changelist_url(model))

    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [in_scope]
    assert in_text in response.text
    assert out_text not in response.text
    assert "北山小学校区" not in response.text  # the ended assignment's district


@pytest.mark.parametrize("model", MODELS)
def test_liaison_out_of_scope_object_is_404(client, liaison_user, world, model):
    client.force_login(liaison_user)
    in_scope, out_of_scope, *_ = world.objects(model)

    assert client.get(change_url(model, in_scope.pk)).status_code == 200
    assert client.get(change_url(model, out_of_scope.pk)).status_code == 404
    assert client.post(change_url(model, out_of_scope.pk), {}).status_code == 404
    history = reverse(f"admin:districts_{model}_history", args=[out_of_scope.pk])
    assert client.get(history).status_code == 404
    delete = reverse(f"admin:districts_{model}_delete", args=[out_of_scope.pk])
    assert client.get(delete).status_code == 404
    # A missing record looks the same as another district's record.
    assert client.get(change_url(model, 999999)).status_code == 404
    # The admin's "view on site" link: no redirect that tells another district's record exists.
    assert_view_on_site_in_scope_only(client, in_scope, out_of_scope)


def test_ended_assignment_gives_no_access(client, liaison_user, world):
    client.force_login(liaison_user)

    assert client.get(change_url("district", world.kitayama.pk)).status_code == 404


@pytest.mark.parametrize("model", MODELS)
def test_liaison_without_current_assignment_sees_nothing(client, world, model):
    retired = StaffUserFactory.liaison()
    LiaisonAssignmentFactory(user=retired, district=world.sakura, ended=True)
    client.force_login(retired)

    response = client.get(changelist_url(model))

    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == []


@pytest.mark.parametrize("model", ["district", "liaisonassignment"])
def test_liaison_may_not_create_districts_or_assignments(client, liaison_user, world, model):
    client.force_login(liaison_user)

    assert client.get(add_url(model)).status_code == 403


def test_liaison_sees_assignment_read_only(client, liaison_user, world):
    client.force_login(liaison_user)
    url = change_url("liaisonassignment", world.sakura_assignment.pk)

    assert client.get(url).status_code == 200
    assert client.post(url, {"public_name": "changed"}).status_code == 403


def test_liaison_adds_statistic_in_own_district(client, liaison_user, world):
    client.force_login(liaison_user)

    response = client.post(
        add_url("districtstatistic"),
        {
            "district": world.sakura.pk,
            "as_of": "2026-04-01",
            "population": "5100",
            "households": "2050",
            "under_15": "590",
            "aged_65_over": "1550",
        },
    )

    assert response.status_code == 302
    assert world.sakura.statistics.filter(as_of=dt.date(2026, 4, 1)).exists()


def test_liaison_cannot_choose_another_district(client, liaison_user, world):
    client.force_login(liaison_user)

    response = client.post(
        add_url("districtstatistic"),
        {
            "district": world.konan.pk,
            "as_of": "2026-04-01",
            "population": "5100",
            "households": "2050",
            "under_15": "590",
            "aged_65_over": "1550",
        },
    )

    assert response.status_code == 200
    assert "district" in response.context["adminform"].form.errors
    assert not world.konan.statistics.filter(as_of=dt.date(2026, 4, 1)).exists()


def test_liaison_cannot_move_statistic_to_another_district(
    client, liaison_user, world, admin_form_data
):
    client.force_login(liaison_user)
    url = change_url("districtstatistic", world.sakura_stat.pk)
    data = admin_form_data(client.get(url))
    data["district"] = world.konan.pk

    response = client.post(url, data)

    assert response.status_code == 200
    assert "district" in response.context["adminform"].form.errors
    world.sakura_stat.refresh_from_db()
    assert world.sakura_stat.district == world.sakura


def test_liaison_district_choices_exclude_other_districts(client, liaison_user, world):
    client.force_login(liaison_user)

    response = client.get(add_url("districtstatistic"))

    choices = response.context["adminform"].form.fields["district"].queryset
    assert list(choices) == [world.sakura]


def test_autocomplete_lists_only_assigned_districts(client, liaison_user, world):
    client.force_login(liaison_user)

    assert autocomplete(client, "districtstatistic", "district") == {"桜台小学校区"}
    assert autocomplete(client, "districtstatistic", "district", "こうなん") == set()


def test_autocomplete_lists_every_district_for_superuser(client, superuser, world):
    client.force_login(superuser)

    assert autocomplete(client, "districtstatistic", "district") == {
        "桜台小学校区",
        "港南小学校区",
        "北山小学校区",
    }


def test_liaison_edits_own_district_with_inline_statistic(
    client, liaison_user, world, admin_form_data
):
    client.force_login(liaison_user)
    url = change_url("district", world.sakura.pk)
    data = admin_form_data(client.get(url))
    data["summary"] = "駅の北側の校区です。"
    data.update(
        {
            "statistics-TOTAL_FORMS": "2",
            "statistics-1-as_of": "2026-04-01",
            "statistics-1-population": "5200",
            "statistics-1-households": "2100",
            "statistics-1-under_15": "580",
            "statistics-1-aged_65_over": "1600",
        }
    )

    response = client.post(url, data)

    assert response.status_code == 302, response.context["errors"]
    world.sakura.refresh_from_db()
    assert world.sakura.summary == "駅の北側の校区です。"
    assert world.sakura.statistics.count() == 2
    # The council inline was left as it was; the liaison may edit it but not add another.
    assert Council.objects.filter(district=world.sakura).count() == 1


def test_liaison_cannot_pick_coordinator_accounts(client, liaison_user, world):
    client.force_login(liaison_user)

    response = client.get(change_url("council", world.sakura_council.pk))

    assert "coordinators" not in response.context["adminform"].form.fields


# Grant officers: everything, read only -----------------------------------------------------


@pytest.mark.parametrize("model", MODELS)
def test_grant_officer_sees_all_but_cannot_change(
    client, grant_officer, world, model, admin_form_data
):
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


@pytest.mark.parametrize("url", ["/admin/", "/admin/districts/district/"])
def test_coordinator_is_sent_to_admin_login(client, coordinator, url):
    client.force_login(coordinator)

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_anonymous_is_sent_to_login(client, db):
    response = client.get(changelist_url("district"))

    # LoginRequiredMiddleware answers first, with the site's login page.
    assert response.status_code == 302
    assert "login" in response["Location"]
    assert "next=/admin/districts/district/" in response["Location"]


# Bad input ---------------------------------------------------------------------------------

GOOD_STATISTIC = {
    "as_of": "2026-04-01",
    "population": "5000",
    "households": "2000",
    "under_15": "600",
    "aged_65_over": "1500",
}


@pytest.mark.parametrize(
    ("change", "error_field"),
    [
        ({"population": "-1"}, "population"),
        ({"households": "-5"}, "households"),
        ({"population": "１千"}, "population"),
        ({"under_15": "3000", "aged_65_over": "2500"}, "__all__"),
        ({"households": "6000"}, "__all__"),
        ({"as_of": "2025-04-01"}, "__all__"),  # the district already has figures for that day
        ({"as_of": "2026-02-30"}, "as_of"),
    ],
)
def test_statistic_form_refuses_bad_input(client, superuser, world, change, error_field):
    client.force_login(superuser)
    before = DistrictStatistic.objects.count()

    response = client.post(
        add_url("districtstatistic"), {"district": world.sakura.pk, **GOOD_STATISTIC, **change}
    )

    assert response.status_code == 200
    assert error_field in response.context["adminform"].form.errors
    assert DistrictStatistic.objects.count() == before


@pytest.mark.parametrize(
    "change",
    [
        {"population": "-1"},
        {"under_15": "3000", "aged_65_over": "2500"},
        {"households": "9000"},
    ],
)
def test_statistic_inline_refuses_bad_input(client, liaison_user, world, admin_form_data, change):
    client.force_login(liaison_user)
    url = change_url("district", world.sakura.pk)
    data = admin_form_data(client.get(url))
    data["summary"] = "not saved"
    data["statistics-TOTAL_FORMS"] = "2"
    data.update(
        {f"statistics-1-{name}": value for name, value in {**GOOD_STATISTIC, **change}.items()}
    )

    response = client.post(url, data)

    assert response.status_code == 200
    statistics = next(
        inline.formset
        for inline in response.context["inline_admin_formsets"]
        if inline.formset.model is DistrictStatistic
    )
    assert statistics.forms[1].errors
    world.sakura.refresh_from_db()
    assert world.sakura.summary != "not saved"
    assert world.sakura.statistics.count() == 1


def test_liaison_inline_refuses_end_before_start(client, superuser, world, admin_form_data):
    client.force_login(superuser)
    url = change_url("district", world.konan.pk)
    data = admin_form_data(client.get(url))
    data["liaison_assignments-TOTAL_FORMS"] = "2"
    data.update(
        {
            "liaison_assignments-1-user": world.sakura_assignment.user.pk,
            "liaison_assignments-1-start_on": "2026-04-01",
            "liaison_assignments-1-end_on": "2026-03-31",
        }
    )

    response = client.post(url, data)

    assert response.status_code == 200
    assignments = next(
        inline.formset
        for inline in response.context["inline_admin_formsets"]
        if inline.formset.model is LiaisonAssignment
    )
    assert assignments.forms[1].non_field_errors()
    assert world.konan.liaison_assignments.count() == 1


def test_assignment_form_refuses_end_before_start(client, superuser, world):
    client.force_login(superuser)

    response = client.post(
        add_url("liaisonassignment"),
        {
            "district": world.kitayama.pk,
            "user": superuser.pk,
            "start_on": "2026-04-01",
            "end_on": "2025-04-01",
        },
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.non_field_errors()
    assert not LiaisonAssignment.objects.filter(user=superuser).exists()


def test_council_form_refuses_established_without_date(client, superuser, world, admin_form_data):
    client.force_login(superuser)
    url = change_url("council", world.konan_council.pk)
    data = admin_form_data(client.get(url))
    data["stage"] = "established"
    data.pop("established_on", None)

    response = client.post(url, data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors
    world.konan_council.refresh_from_db()
    assert world.konan_council.stage != "established"


PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("bylaws.pdf", b"MZ\x90\x00 this is a program renamed to .pdf", "PDF"),
        ("bylaws.pdf", b"", "空"),  # Django: the submitted file is empty
        ("photo.pdf", b"\x89PNG\r\n\x1a\n" + b"0" * 64, "PDF"),
        ("huge.pdf", PDF + b"0" * (10 * 1024 * 1024), "10.0"),
    ],
)
def test_council_bylaws_refuse_what_is_not_a_pdf_or_too_large(
    client, superuser, world, admin_form_data, media_root, name, content, message
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(superuser)
    url = change_url("council", world.konan_council.pk)
    data = admin_form_data(client.get(url))
    data["bylaws"] = SimpleUploadedFile(name, content, content_type="application/pdf")

    response = client.post(url, data)

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "bylaws" in errors
    assert message in str(errors["bylaws"])
    world.konan_council.refresh_from_db()
    assert not world.konan_council.bylaws
    assert not any(media_root.rglob("*.pdf"))


def test_council_bylaws_accept_a_pdf_and_the_district_page_links_it(
    client, superuser, world, admin_form_data, media_root
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(superuser)
    url = change_url("council", world.konan_council.pk)
    data = admin_form_data(client.get(url))
    data["bylaws"] = SimpleUploadedFile("規約.pdf", PDF, content_type="application/octet-stream")

    response = client.post(url, data)

    assert response.status_code == 302
    world.konan_council.refresh_from_db()
    stored = world.konan_council.bylaws.name
    assert stored.startswith("councils/bylaws/") and stored.endswith(".pdf")
    assert "規約" not in stored  # stored under a random name, not the uploaded one
    district = world.konan_council.district
    page = client.get(district.get_absolute_url()).content.decode()
    link = f"/districts/{district.slug}/bylaws/"
    assert link in page
    client.logout()
    response = client.get(link)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF
