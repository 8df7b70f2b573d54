"""The district list residents use to find their district."""

import datetime as dt

import pytest

from districts.models import CouncilStage
from tests.factories import CouncilFactory, DistrictFactory, DistrictStatisticFactory
from tests.populate import populate_city

pytestmark = pytest.mark.django_db


def test_districts_in_kana_order_with_stage_and_population(client):
    DistrictFactory(name="若葉小学校区", name_kana="わかばしょうがっこうく")
    aoba = CouncilFactory(
        stage=CouncilStage.MODEL,
        district__name="青葉小学校区",
        district__name_kana="あおばしょうがっこうく",
        district__display_order=99,
    ).district
    DistrictFactory(name="桜台小学校区", name_kana="さくらだいしょうがっこうく")
    DistrictStatisticFactory(district=aoba, as_of=dt.date(2025, 4, 1), population=7000)
    DistrictStatisticFactory(district=aoba, as_of=dt.date(2026, 4, 1), population=12345)
    response = client.get("/districts/")
    text = response.content.decode()
    assert response.status_code == 200
    assert text.index("青葉小学校区") < text.index("桜台小学校区") < text.index("若葉小学校区")
    assert "12,345" in text and "7,000" not in text
    assert [row for row, _ in response.context["rows"]] == ["あ", "さ", "わ"]
    assert "badge--model" in text and "badge--not_started" in text


def test_empty_list_says_so(client):
    response = client.get("/districts/")
    assert response.status_code == 200
    assert response.context["total"] == 0


def test_post_is_refused(client):
    assert client.post("/districts/").status_code == 405


def test_query_count_does_not_grow_with_data(client, django_assert_num_queries):
    populate_city(1)
    with django_assert_num_queries(1):
        client.get("/districts/")
    populate_city(9)
    with django_assert_num_queries(1):
        response = client.get("/districts/")
    assert response.context["total"] == 50
