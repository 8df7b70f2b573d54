"""The directory and a group's page in English: names, the 50音 index, officer titles."""

import re

import pytest
from django.conf import settings
from django.utils import translation

from organizations.models import Officer, OfficerRole
from tests.factories import (
    CouncilFactory,
    DistrictFactory,
    MembershipFactory,
    OfficerFactory,
    OrganizationFactory,
)
from tests.populate import populate_city

pytestmark = pytest.mark.django_db


@pytest.fixture
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def index_of(response) -> str:
    return re.search(r'<nav class="kana-index".*?</nav>', response.content.decode(), re.S)[0]


def titles(response) -> list[str]:
    return re.findall(
        r'<h3 class="result__title"><a [^>]*>(.*?)</a></h3>', response.content.decode()
    )


class TestDirectoryIndex:
    @pytest.fixture
    def groups(self):
        return {
            "asahi": OrganizationFactory(name="旭町内会", name_kana="あさひちょうないかい"),
            "kawa": OrganizationFactory(name="川北自治会", name_kana="かわきたじちかい"),
            "gotō": OrganizationFactory(name="後藤商店", name_kana="ごとうしょうてん"),
            "sakura": OrganizationFactory(
                name="桜台自治会", name_kana="さくらだいじちかい", name_en="Sakuradai Residents"
            ),
            "wakaba": OrganizationFactory(name="若葉会", name_kana="わかばかい"),
            "violin": OrganizationFactory(
                name="ヴァイオリン教室", name_kana="ゔぁいおりんきょうしつ"
            ),
        }

    def test_english_readers_see_each_row_by_its_sound_with_the_kana(self, english, groups):
        index = index_of(english.get("/organizations/"))
        assert 'aria-label="Index of groups by reading"' in index
        assert 'aria-current="true">All</a>' in index
        for label in ("A", "Ka", "Sa", "Ta", "Na", "Ha", "Ma", "Ya", "Ra", "Wa"):
            assert f'>{label} <span lang="ja">' in index
        assert '<a href="?row=%E3%81%8B">Ka <span lang="ja">か</span></a>' in index

    def test_japanese_readers_see_the_kana(self, client, groups):
        index = index_of(client.get("/organizations/"))
        assert 'aria-label="団体の50音索引"' in index
        assert '<a href="?row=%E3%81%8B">か</a>' in index
        assert "すべて" in index

    def test_a_row_lists_the_groups_whose_reading_starts_in_it(self, client, groups):
        response = client.get("/organizations/", {"row": "か"})
        assert titles(response) == ["川北自治会", "後藤商店"]  # voiced が行 with か
        assert '<a href="?row=%E3%81%8B" aria-current="true">か</a>' in index_of(response)
        assert titles(client.get("/organizations/", {"row": "あ"})) == [
            "旭町内会",
            "ヴァイオリン教室",
        ]
        assert titles(client.get("/organizations/", {"row": "わ"})) == ["若葉会"]
        assert titles(client.get("/organizations/", {"row": "な"})) == []

    def test_the_row_is_kept_with_the_other_filters_and_dropped_when_bad(self, client, groups):
        response = client.get("/organizations/", {"row": "さ", "kind": "neighborhood"})
        assert titles(response) == ["桜台自治会"]
        assert '<input type="hidden" name="row" value="さ"' in response.content.decode()
        # An index link keeps the other filters and starts again from page 1.
        assert 'href="?row=%E3%81%82&amp;kind=neighborhood"' in index_of(response)
        # A row that is not one is ignored, never an error.
        response = client.get("/organizations/", {"row": "x"})
        assert response.status_code == 200
        assert len(titles(response)) == len(groups)

    def test_english_names_or_readings_in_the_list(self, english, groups):
        names = titles(english.get("/organizations/", {"row": "さ"}))
        assert names == ["Sakuradai Residents"]
        names = titles(english.get("/organizations/", {"row": "か"}))
        assert names == [
            '<span lang="ja">川北自治会</span> (Kawakita Jichikai)',
            '<span lang="ja">後藤商店</span> (Gotōshōten)',
        ]

    def test_query_count_with_a_row_does_not_grow_with_data(
        self, client, django_assert_num_queries
    ):
        populate_city(1)
        with django_assert_num_queries(5):
            client.get("/organizations/", {"row": "み", "field": "disaster"})
        populate_city(9)
        with django_assert_num_queries(5):
            client.get("/organizations/", {"row": "み", "field": "disaster"})


class TestGroupPage:
    @pytest.fixture
    def group(self):
        district = DistrictFactory(
            name="本町小学校区", name_kana="ほんまちしょうがっこうく", name_en=""
        )
        group = OrganizationFactory(
            name="本町一丁目自治会",
            name_kana="ほんまちいっちょうめじちかい",
            description="回覧板で情報を共有しています。",
            districts=[district],
        )
        council = CouncilFactory(
            district=district, name="本町まちづくり協議会", name_en="Honmachi Community Council"
        )
        MembershipFactory(organization=group, council=council)
        for role, detail, name in (
            (OfficerRole.CHAIR, "", "山田 太郎"),
            (OfficerRole.OTHER, "書記", "佐藤 花子"),
            (OfficerRole.DIVISION_HEAD, "防災部会長", "鈴木 一郎"),
            (OfficerRole.OTHER, "委員", "高橋 次郎"),
        ):
            OfficerFactory(
                organization=group, role=role, title_detail=detail, person_name=name,
                name_is_public=True,
            )  # fmt: skip
        return group

    def test_in_english(self, english, group):
        text = english.get(group.get_absolute_url()).content.decode()
        assert "<title>Hommachi Itchōme Jichikai | " in text
        assert (
            '<h1><span lang="ja">本町一丁目自治会</span> (Hommachi Itchōme Jichikai)</h1>' in text
        )
        assert '<div class="prose" lang="ja"><p>回覧板で情報を共有しています。</p></div>' in text
        assert '<span lang="ja">本町小学校区</span> (Hommachi Shōgakkōku)</a>' in text
        assert ">Honmachi Community Council</a> (Member group)</li>" in text
        # Standard titles in English, the rest as written and marked as Japanese.
        rows = re.findall(r'<tr><th scope="row">(.*?)</th><td>(.*?)</td></tr>', text)
        assert rows == [
            ("Chair", '<span lang="ja">山田 太郎</span>'),
            ('<span lang="ja">防災部会長</span>', '<span lang="ja">鈴木 一郎</span>'),
            ("Secretary", '<span lang="ja">佐藤 花子</span>'),
            ("Committee member", '<span lang="ja">高橋 次郎</span>'),
        ]

    def test_in_japanese_as_before(self, client, group):
        text = client.get(group.get_absolute_url()).content.decode()
        assert (
            '<h1>本町一丁目自治会 <span class="reading">ほんまちいっちょうめじちかい</span></h1>'
            in text
        )
        assert ">本町まちづくり協議会</a>（構成団体）</li>" in text
        assert '<th scope="row">書記</th>' in text and '<th scope="row">会長</th>' in text
        assert 'lang="ja"' not in text.split("<body", 1)[1].split('class="language-switch"')[0]


@pytest.mark.parametrize(
    ("written", "english"),
    [("会長", "Chair"), ("副会長", "Vice-chair"), ("会計", "Treasurer"), ("書記", "Secretary"),
     ("監事", "Auditor"), ("事務局長", "Secretary general"), ("理事", "Director"),
     ("委員", "Committee member"), ("　顧問 ", "Advisor")],
)  # fmt: skip
def test_standard_titles_as_written_read_in_english(written, english):
    officer = Officer(role=OfficerRole.OTHER, title_detail=written)
    with translation.override("en"):
        assert officer.display_title == english
    with translation.override("ja"):
        assert officer.display_title == written


def test_titles_without_detail_and_free_titles():
    with translation.override("en"):
        assert Officer(role=OfficerRole.TREASURER).display_title == "Treasurer"
        assert Officer(role=OfficerRole.OTHER, title_detail="広報担当").display_title == (
            '<span lang="ja">広報担当</span>'
        )
    with translation.override("ja"):
        assert Officer(role=OfficerRole.TREASURER).display_title == "会計"


def test_the_admin_form_has_the_english_name(admin_client):
    group = OrganizationFactory()
    text = admin_client.get(f"/admin/organizations/organization/{group.pk}/change/").content
    assert b'name="name_en"' in text
