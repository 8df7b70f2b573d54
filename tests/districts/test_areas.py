"""Areas (通学区域): the in-memory overlap rule, the District admin's inline, and the district
page's list of the towns a district covers."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.text import fold
from districts.models import Area
from districts.selectors import district_areas
from tests.factories import AreaFactory, DistrictFactory, SuperUserFactory

pytestmark = pytest.mark.django_db


def area(**values) -> Area:
    values = {"town": "桜台", "town_kana": "さくらだい", "chome": 2} | values
    return Area(**values)


# The rule, in memory and in the database ------------------------------------------------------


@pytest.mark.parametrize(
    ("first", "second", "expected"),
    [
        ({}, {}, True),
        ({}, {"chome": 3}, False),
        ({}, {"town": "桜町"}, False),
        ({"town": "緑ヶ丘"}, {"town": "緑が丘"}, True),
        ({"chome": None}, {"chome": 5}, True),
        ({"banchi_from": 1, "banchi_to": 12}, {"banchi_from": 13}, False),
        ({"banchi_from": 1, "banchi_to": 12}, {"banchi_from": 12}, True),
        ({"banchi_from": 20}, {"banchi_from": 1, "banchi_to": 19}, False),
        ({"banchi_from": 20}, {"banchi_from": 30, "banchi_to": 40}, True),
        ({}, {"banchi_from": 5, "banchi_to": 6}, True),
    ],
)
def test_overlaps_follows_the_querysets_rule(first, second, expected):
    district = DistrictFactory()
    stored = AreaFactory(district=district, **({"town": "桜台", "chome": 2} | first))
    candidate = area(**second)

    assert stored.overlaps(candidate) is expected
    assert candidate.overlaps(stored) is expected
    candidate.town_key = fold(candidate.town)
    assert Area.objects.overlapping(candidate).exists() is expected


def test_an_area_does_not_overlap_itself():
    stored = AreaFactory(town="桜台", chome=2)
    assert not stored.overlaps(Area.objects.get(pk=stored.pk))


# The inline ------------------------------------------------------------------------------------


def change_url(district) -> str:
    return reverse("admin:districts_district_change", args=[district.pk])


def inline_data(admin_form_data, client, district, rows: dict[int, dict]) -> dict:
    """The change page's data with the area rows set: {index: {field: value}} (extra rows)."""
    data = admin_form_data(client.get(change_url(district)))
    initial = int(data["areas-TOTAL_FORMS"])
    data["areas-TOTAL_FORMS"] = str(max([initial, *[i + 1 for i in rows]]))
    for index, values in rows.items():
        for name, value in values.items():
            data[f"areas-{index}-{name}"] = value
    return data


@pytest.fixture
def signed_in(client):
    client.force_login(SuperUserFactory())
    return client


def test_inline_lists_the_areas_in_address_order(signed_in):
    district = DistrictFactory()
    AreaFactory(district=district, town="緑ヶ丘", town_kana="みどりがおか", chome=None)
    AreaFactory(district=district, town="桜台", town_kana="さくらだい", chome=2)
    AreaFactory(district=district, town="桜台", town_kana="さくらだい", chome=1)

    response = signed_in.get(change_url(district))

    formset = next(
        inline.formset
        for inline in response.context["inline_admin_formsets"]
        if inline.formset.model is Area
    )
    assert [form.instance.label for form in formset.forms] == ["桜台一丁目", "桜台二丁目", "緑ヶ丘"]


def test_inline_adds_areas(signed_in, admin_form_data):
    district = DistrictFactory()
    data = inline_data(
        admin_form_data,
        signed_in,
        district,
        {
            0: {"town": "桜台", "town_kana": "サクラダイ", "chome": "2"},
            1: {"town": "桜台", "town_kana": "さくらだい", "chome": "3", "banchi_from": "1",
                "banchi_to": "12"},
        },
    )  # fmt: skip

    response = signed_in.post(change_url(district), data)

    assert response.status_code == 302, response.context["errors"]
    assert [a.label for a in district.areas.in_address_order()] == [
        "桜台二丁目",
        "桜台三丁目 1～12番地",
    ]
    assert district.areas.get(chome=2).town_kana == "さくらだい"
    assert district.areas.get(chome=2).town_key == "桜台"


def test_inline_refuses_an_area_of_another_district_with_its_name(signed_in, admin_form_data):
    other = DistrictFactory(name="緑ヶ丘小学校区")
    AreaFactory(district=other, town="桜台", town_kana="さくらだい", chome=2)
    district = DistrictFactory()
    AreaFactory(district=district, town="桜台", town_kana="さくらだい", chome=1)
    data = inline_data(
        admin_form_data,
        signed_in,
        district,
        {1: {"town": "桜台", "town_kana": "さくらだい", "chome": "2"}},
    )
    data["summary"] = "変更した紹介文"

    response = signed_in.post(change_url(district), data)

    assert response.status_code == 200
    text = response.content.decode()
    assert "桜台二丁目はすでに緑ヶ丘小学校区に含まれています。" in text
    # Nothing is lost: the rows typed come back, and nothing was saved.
    assert 'value="変更した紹介文"' in text or "変更した紹介文" in text
    assert response.context["inline_admin_formsets"]
    district.refresh_from_db()
    assert district.summary != "変更した紹介文"
    assert district.areas.count() == 1


def test_inline_refuses_two_rows_of_the_form_that_overlap(signed_in, admin_form_data):
    district = DistrictFactory()
    data = inline_data(
        admin_form_data,
        signed_in,
        district,
        {
            0: {"town": "桜台", "town_kana": "さくらだい", "chome": "3", "banchi_from": "1",
                "banchi_to": "20"},
            1: {"town": "桜台", "town_kana": "さくらだい", "chome": "3", "banchi_from": "10"},
        },
    )  # fmt: skip

    response = signed_in.post(change_url(district), data)

    assert response.status_code == 200
    formset = next(
        inline.formset
        for inline in response.context["inline_admin_formsets"]
        if inline.formset.model is Area
    )
    assert formset.forms[0].errors == {}
    assert formset.forms[1].non_field_errors() == [
        "桜台三丁目 10番地以降 は、このフォームの1行目の桜台三丁目 1～20番地と重なっています。"
    ]
    assert Area.objects.count() == 0


def test_inline_rewrites_its_own_rows_in_one_save(signed_in, admin_form_data):
    """Deleting a row and adding the same area again, or swapping two rows' 丁目, is no clash."""
    district = DistrictFactory()
    first = AreaFactory(district=district, town="桜台", town_kana="さくらだい", chome=1)
    second = AreaFactory(district=district, town="桜台", town_kana="さくらだい", chome=2)
    data = inline_data(
        admin_form_data,
        signed_in,
        district,
        {
            0: {"chome": "2"},
            1: {"chome": "1"},
        },
    )

    response = signed_in.post(change_url(district), data)

    assert response.status_code == 302, response.context["errors"]
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.chome, second.chome) == (2, 1)

    data = inline_data(
        admin_form_data,
        signed_in,
        district,
        {0: {"DELETE": "on"}, 2: {"town": "桜台", "town_kana": "さくらだい", "chome": "1"}},
    )
    response = signed_in.post(change_url(district), data)
    assert response.status_code == 302, response.context["errors"]
    assert sorted(district.areas.values_list("chome", flat=True)) == [1, 2]


def test_change_page_queries_do_not_grow_with_areas(signed_in):
    district = DistrictFactory()
    AreaFactory(district=district, town="桜台", town_kana="さくらだい", chome=1)
    signed_in.get(change_url(district))
    with CaptureQueriesContext(connection) as few:
        signed_in.get(change_url(district))
    for chome in range(2, 12):
        AreaFactory(district=district, town="桜台", town_kana="さくらだい", chome=chome)
    with CaptureQueriesContext(connection) as many:
        signed_in.get(change_url(district))
    assert len(many) == len(few)


# The district page -----------------------------------------------------------------------------


def test_district_areas_by_town_in_address_order(django_assert_num_queries):
    district = DistrictFactory()
    for values in (
        {"town": "緑ヶ丘", "town_kana": "みどりがおか", "chome": None},
        {"town": "桜台", "town_kana": "さくらだい", "chome": 3, "banchi_from": 13},
        {"town": "桜台", "town_kana": "さくらだい", "chome": 1},
        {"town": "桜台", "town_kana": "さくらだい", "chome": 3, "banchi_from": 1, "banchi_to": 5},
        {"town": "上野原", "town_kana": "うえのはら", "chome": None, "banchi_from": 1000},
    ):
        AreaFactory(district=district, **values)
    AreaFactory(town="桜台", town_kana="さくらだい", chome=2)  # another district's

    with django_assert_num_queries(1):
        towns = district_areas(district)

    assert [(town.town, town.parts) for town in towns] == [
        ("上野原", ["1000番地以降"]),
        ("桜台", ["一丁目", "三丁目（1～5番地）", "三丁目（13番地以降）"]),
        ("緑ヶ丘", ["全域"]),
    ]


def test_district_page_lists_its_areas(client):
    district = DistrictFactory(slug="sakuradai")
    AreaFactory(district=district, town="桜台", town_kana="さくらだい", chome=1)
    AreaFactory(district=district, town="桜台", town_kana="さくらだい", chome=2, banchi_from=1,
                banchi_to=12)  # fmt: skip
    AreaFactory(district=district, town="桜町", town_kana="さくらまち", chome=None)
    AreaFactory(town="旭", town_kana="あさひ", chome=None)  # another district's

    text = client.get("/districts/sakuradai/").content.decode()

    assert "この校区の町丁目" in text
    assert 'href="#areas"' in text
    assert "一丁目、二丁目（1～12番地）" in text
    assert "桜町" in text and "全域" in text
    assert "旭" not in text


def test_district_page_without_areas_has_no_areas_section(client):
    DistrictFactory(slug="sakuradai")
    text = client.get("/districts/sakuradai/").content.decode()
    assert 'id="areas"' not in text
