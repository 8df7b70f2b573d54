"""Staff upload, replace and remove a district's boundary in the admin."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from districts.models import District
from tests.factories import DistrictFactory

pytestmark = pytest.mark.django_db

RING = [[139.25, 35.70], [139.26, 35.70], [139.26, 35.71], [139.25, 35.71], [139.25, 35.70]]
SQUARE = {"type": "Polygon", "coordinates": [RING]}


def geojson_file(data, name="sakuradai.geojson") -> SimpleUploadedFile:
    raw = data if isinstance(data, bytes) else json.dumps(data).encode()
    return SimpleUploadedFile(name, raw, content_type="application/geo+json")


@pytest.fixture
def district():
    return DistrictFactory(name="桜台小学校区", slug="sakuradai", boundary=None)


@pytest.fixture
def staff_client(client, superuser):
    client.force_login(superuser)
    return client


def change_url(district) -> str:
    return reverse("admin:districts_district_change", args=[district.pk])


def post(staff_client, admin_form_data, district, **changes):
    data = admin_form_data(staff_client.get(change_url(district)))
    data.update(changes)
    return staff_client.post(change_url(district), data)


def test_change_page_has_the_upload_and_no_raw_json(staff_client, district):
    page = staff_client.get(change_url(district)).content.decode()
    assert 'name="boundary_file"' in page
    assert 'name="remove_boundary"' in page
    assert 'name="boundary"' not in page
    assert "css/admin-map.css" in page


def test_good_file_is_stored_normalised_and_previewed(staff_client, admin_form_data, district):
    feature = {"type": "Feature", "properties": {}, "geometry": SQUARE}
    response = post(staff_client, admin_form_data, district, boundary_file=geojson_file(feature))
    assert response.status_code == 302
    district.refresh_from_db()
    assert district.boundary == SQUARE
    page = staff_client.get(change_url(district)).content.decode()
    assert 'class="map__svg"' in page
    assert "map-area--current" in page


def test_bad_file_shows_its_message_by_the_field_and_changes_nothing(
    staff_client, admin_form_data, district
):
    district.boundary = SQUARE
    district.save()
    swapped = {"type": "Polygon", "coordinates": [[[y, x] for x, y in RING]]}
    response = post(
        staff_client,
        admin_form_data,
        district,
        name="桜台小学校区（新）",
        boundary_file=geojson_file(swapped),
    )
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert form.errors["boundary_file"][0].startswith(
        "座標が「緯度, 経度」の順になっているようです"
    )
    assert form.errors["boundary_file"].as_data()[0].code == "swapped_axes"
    # What else was typed stays on the form; nothing is saved.
    assert form["name"].value() == "桜台小学校区（新）"
    district.refresh_from_db()
    assert district.name == "桜台小学校区"
    assert district.boundary == SQUARE


def test_not_json_is_refused(staff_client, admin_form_data, district):
    response = post(
        staff_client, admin_form_data, district, boundary_file=geojson_file(b"\x89PNG\r\n")
    )
    assert response.context["adminform"].form.errors["boundary_file"].as_data()[0].code in {
        "not_utf8",
        "not_json",
    }
    district.refresh_from_db()
    assert district.boundary is None


def test_remove_the_boundary(staff_client, admin_form_data, district):
    district.boundary = SQUARE
    district.save()
    response = post(staff_client, admin_form_data, district, remove_boundary="on")
    assert response.status_code == 302
    district.refresh_from_db()
    assert district.boundary is None
    assert (
        "区域はまだ登録されていません。" in staff_client.get(change_url(district)).content.decode()
    )


def test_upload_and_remove_together_is_refused(staff_client, admin_form_data, district):
    response = post(
        staff_client,
        admin_form_data,
        district,
        boundary_file=geojson_file(SQUARE),
        remove_boundary="on",
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["remove_boundary"] == [
        "新しい区域のアップロードか区域の削除か、どちらか一方を選んでください。"
    ]
    assert District.objects.get(pk=district.pk).boundary is None


def test_saving_without_a_file_keeps_the_boundary(staff_client, admin_form_data, district):
    district.boundary = SQUARE
    district.save()
    response = post(staff_client, admin_form_data, district, hub_name="桜台公民館")
    assert response.status_code == 302
    district.refresh_from_db()
    assert district.boundary == SQUARE
    assert district.hub_name == "桜台公民館"


def test_new_district_with_a_boundary(staff_client):
    response = staff_client.post(
        reverse("admin:districts_district_add"),
        {
            "kind": "elementary",
            "name": "若葉小学校区",
            "name_kana": "わかばしょうがっこうく",
            "slug": "wakaba",
            "display_order": "1",
            "boundary_file": geojson_file(SQUARE),
            "council-TOTAL_FORMS": "0",
            "council-INITIAL_FORMS": "0",
            "areas-TOTAL_FORMS": "0",
            "areas-INITIAL_FORMS": "0",
            "statistics-TOTAL_FORMS": "0",
            "statistics-INITIAL_FORMS": "0",
            "liaison_assignments-TOTAL_FORMS": "0",
            "liaison_assignments-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert District.objects.get(slug="wakaba").boundary == SQUARE
