"""The district list and a district's page in English: names, readings and the 50音 index."""

import re

import pytest
from django.conf import settings

from districts.models import CouncilStage
from tests.factories import (
    CouncilFactory,
    DistrictFactory,
    OfficerFactory,
    OrganizationFactory,
)
from tests.populate import populate_city

pytestmark = pytest.mark.django_db


@pytest.fixture
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def districts():
    named = CouncilFactory(
        stage=CouncilStage.ESTABLISHED,
        established_on="2020-04-01",
        name="桜台地区まちづくり協議会",
        name_kana="さくらだいちくまちづくりきょうぎかい",
        district__name="桜台小学校区",
        district__name_kana="さくらだいしょうがっこうく",
        district__name_en="Sakuradai Elementary School District",
        district__slug="sakuradai",
        district__school_name="桜台小学校",
    ).district
    unnamed = DistrictFactory(
        name="本町小学校区", name_kana="ほんまちしょうがっこうく", slug="honmachi"
    )
    other = DistrictFactory(name="泉小学校区", name_kana="いずみしょうがっこうく", slug="izumi")
    return {"named": named, "unnamed": unnamed, "other": other}


def test_the_list_in_english(english, districts):
    text = english.get("/districts/").content.decode()
    index = re.search(r'<nav class="kana-index".*?</nav>', text, re.S)[0]
    assert re.findall(r'<a href="#row-\d">(.*?)</a>', index) == [
        'A <span lang="ja">あ</span>',
        'Sa <span lang="ja">さ</span>',
        'Ha <span lang="ja">は</span>',
    ]
    assert '>A row <span lang="ja">あ行</span></th>' in text
    assert (
        '<a href="/districts/sakuradai/">Sakuradai Elementary School District</a>'
        '<span class="reading"><span lang="ja">桜台小学校区</span></span>' in text
    )
    assert (
        '<a href="/districts/honmachi/"><span lang="ja">本町小学校区</span> '
        "(Hommachi Shōgakkōku)</a></th>" in text
    )
    assert '<td data-label="School"><span lang="ja">桜台小学校</span></td>' in text
    assert 'in the order of their readings (<span lang="ja">50音順</span>)' in text


def test_the_list_in_japanese_as_before(client, districts):
    text = client.get("/districts/").content.decode()
    assert re.findall(r'<a href="#row-\d">(.*?)</a>', text) == ["あ", "さ", "は"]
    assert ">あ行</th>" in text
    assert (
        '<a href="/districts/sakuradai/">桜台小学校区</a>'
        '<span class="reading">さくらだいしょうがっこうく</span>' in text
    )
    assert "（読みがなの50音順）" in text


def test_a_district_page_in_english(english, districts):
    district = districts["named"]
    council = district.council
    OfficerFactory(organization=None, council=council, title_detail="会長", name_is_public=True)
    OrganizationFactory(
        name="桜台一丁目自治会", name_kana="さくらだいいっちょうめじちかい", districts=[district]
    )
    OrganizationFactory(
        name="桜台見守り隊",
        name_kana="さくらだいみまもりたい",
        name_en="Sakuradai Children's Safety Watch",
        districts=[district],
    )
    text = english.get("/districts/sakuradai/").content.decode()
    assert "<title>Sakuradai Elementary School District | " in text
    assert (
        '<h1>Sakuradai Elementary School District <span class="reading">'
        '<span lang="ja">桜台小学校区</span></span></h1>' in text
    )
    assert (
        '<h3><span lang="ja">桜台地区まちづくり協議会</span> '
        "(Sakuradai Chiku Machizukuri Kyōgikai)</h3>" in text
    )
    assert '<tr><th scope="row">Chair</th>' in text
    assert ">Sakuradai Children&#x27;s Safety Watch</a>" in text
    assert '<span lang="ja">桜台一丁目自治会</span> (Sakuradai Itchōme Jichikai)</a>' in text
    assert "Search the groups of Sakuradai Elementary School District" in text


def test_a_district_page_without_english_name(english, districts):
    text = english.get("/districts/honmachi/").content.decode()
    assert "<title>Hommachi Shōgakkōku | " in text
    assert '<h1><span lang="ja">本町小学校区</span> (Hommachi Shōgakkōku)</h1>' in text
    assert (
        '<li><span aria-current="page"><span lang="ja">本町小学校区</span> '
        "(Hommachi Shōgakkōku)</span></li>" in text
    )


def test_a_district_page_in_japanese_as_before(client, districts):
    text = client.get("/districts/sakuradai/").content.decode()
    assert "<title>桜台小学校区 | " in text
    assert '<h1>桜台小学校区 <span class="reading">さくらだいしょうがっこうく</span></h1>' in text
    assert "<h3>桜台地区まちづくり協議会</h3>" in text


def test_the_district_filter_lists_english_names_or_readings(english, districts):
    text = english.get("/organizations/").content.decode()
    options = re.search(r'<select name="district".*?</select>', text, re.S)[0]
    assert '<option value="sakuradai">Sakuradai Elementary School District</option>' in options
    assert '<option value="honmachi">Hommachi Shōgakkōku</option>' in options


def test_query_counts_do_not_change_in_english(english, django_assert_num_queries):
    # The same pin as in Japanese (test_views): the English names are columns of the rows the
    # page reads already.
    populate_city(1)
    with django_assert_num_queries(1):
        english.get("/districts/")
    populate_city(9)
    with django_assert_num_queries(1):
        english.get("/districts/")


def test_the_admin_forms_have_the_english_names(admin_client, districts):
    district = districts["named"]
    text = admin_client.get(f"/admin/districts/district/{district.pk}/change/").content.decode()
    assert 'name="name_en"' in text
    assert 'name="council-0-name_en"' in text or 'name="council-name_en"' in text
    text = admin_client.get(
        f"/admin/districts/council/{district.council.pk}/change/"
    ).content.decode()
    assert 'name="name_en"' in text
