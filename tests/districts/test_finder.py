"""The district finder: what residents type, what they get back, and what it costs.

The fixture city is tests/districts/finder_city.py (桜台 with a 丁目 split by 番地, 新桜台, 緑ヶ丘,
小川 without 丁目, 大原 split by 番地, 一本松, four schools).
"""

from urllib.parse import quote

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import resolve, reverse

from districts import finder
from districts.finder import Outcome
from districts.forms import BanchiForm, FinderForm
from tests.districts.finder_city import make_city
from tests.factories import AreaFactory, DistrictFactory

FIND_URL = "/districts/find/"
ASK = "ask for the 番地"
SEVERAL = "several"
NONE = "no match"
POSTAL = "postal code only"


@pytest.fixture
def city(db, settings):
    settings.CITY_NAME = "みどり野市"
    return make_city()


# Ways residents write where they live, and where each leads: a district's slug, or ASK (the
# 丁目 is split: ask for the 番地), SEVERAL (a list to choose from), NONE or POSTAL.
ADDRESSES = [
    # 丁目 in every script and width
    ("桜台一丁目", "sakuradai"),
    ("桜台1丁目", "sakuradai"),
    ("桜台１丁目", "sakuradai"),
    ("桜台三丁目", "sakuradai"),
    ("桜台1-5-3", "sakuradai"),
    ("桜台１－５－３", "sakuradai"),
    ("桜台一丁目5番3号", "sakuradai"),
    ("桜台1丁目5番地3", "sakuradai"),
    ("  桜台1丁目  ", "sakuradai"),
    ("桜台　１丁目", "sakuradai"),
    # the split 丁目: 1～12番地 and 13番地以降
    ("桜台二丁目", ASK),
    ("桜台2丁目", ASK),
    ("桜台２", ASK),
    ("桜台2丁目5番地", "sakuradai"),
    ("桜台2-5-3", "sakuradai"),
    ("桜台２ー５", "sakuradai"),
    ("桜台二の五", "sakuradai"),
    ("桜台二丁目十二番地", "sakuradai"),
    ("桜台二丁目十五番地", "higashiyama"),
    ("桜台2-13", "higashiyama"),
    ("桜台２－１３－１", "higashiyama"),
    ("桜台2丁目13番", "higashiyama"),
    ("桜台　２丁目　１３", "higashiyama"),
    ("桜台2丁目99999番地", "higashiyama"),
    # with the prefecture, the city and the postal code
    ("みどり野市桜台三丁目", "sakuradai"),
    ("みどり野市 桜台1-2-3", "sakuradai"),
    ("埼玉県みどり野市桜台1丁目2-3", "sakuradai"),
    ("三重県みどり野市桜台一丁目", "sakuradai"),
    ("〒123-4567 みどり野市桜台3-1-1", "sakuradai"),
    ("〒１２３－４５６７　桜台三丁目", "sakuradai"),
    ("1234567 桜台3丁目", "sakuradai"),
    ("郵便番号123-4567みどり野市桜台二丁目13-1", "higashiyama"),
    ("みどり野市桜台2-5-3 グリーンハイツ新桜台101号", "sakuradai"),
    # one town's name inside another's
    ("新桜台1丁目", "higashiyama"),
    ("新桜台二丁目3-4", "higashiyama"),
    ("新桜台", "higashiyama"),
    ("みどり野市新桜台2-1", "higashiyama"),
    # ヶ・ケ・が
    ("緑ヶ丘2丁目", "midorigaoka"),
    ("緑ケ丘2丁目", "midorigaoka"),
    ("緑が丘二丁目", "midorigaoka"),
    ("緑ｹ丘2-1", "midorigaoka"),
    ("緑ヶ丘", "midorigaoka"),
    # a town without 丁目, whole or split by 番地
    ("小川", "honmachi"),
    ("小川123", "honmachi"),
    ("小川123番地", "honmachi"),
    ("小川１２３－４", "honmachi"),
    ("大原", ASK),
    ("大原300番地", "honmachi"),
    ("大原501-2", "higashiyama"),
    ("大原６００", "higashiyama"),
    ("栄町", "honmachi"),
    # kanji numerals in the town's own name
    ("一本松2丁目", "higashiyama"),
    ("1本松二丁目", "higashiyama"),
    ("本町3丁目", "honmachi"),
    # schools and districts
    ("桜台小学校", "sakuradai"),
    ("桜台小", "sakuradai"),
    ("桜台小学校区", "sakuradai"),
    ("市立桜台小学校", "sakuradai"),
    ("みどり野市立桜台小学校", "sakuradai"),
    ("東山小", "higashiyama"),
    ("緑ヶ丘小学校", "midorigaoka"),
    ("緑ケ丘小", "midorigaoka"),
    ("本町", "honmachi"),
    ("東山", "higashiyama"),
    # readings, hiragana or katakana, full or half width
    ("ひがしやま", "higashiyama"),
    ("ヒガシヤマ", "higashiyama"),
    ("ﾋｶﾞｼﾔﾏ", "higashiyama"),
    ("おがわ", "honmachi"),
    ("オガワ123", "honmachi"),
    ("しんさくらだい", "higashiyama"),
    ("ほんまち2丁目", "honmachi"),
    ("さくらだい2ちょうめ13", "higashiyama"),
    ("みどりがおか", "midorigaoka"),
    # several to choose from
    ("桜台", SEVERAL),
    ("さくらだい", SEVERAL),
    ("桜台7丁目", SEVERAL),
    ("桜台5番3号", SEVERAL),
    # nothing to find
    ("桜代2丁目", NONE),
    ("横浜市中区山下町1", NONE),
    ("東京都千代田区千代田1-1", NONE),
    ("Sakuradai 2-5", NONE),
    ("原田小学校", NONE),
    ("2-5-3", NONE),
    ("〒123-4567", POSTAL),
    ("1234567", POSTAL),
    ("123-4567", POSTAL),
]


def outcome_of(result) -> str:
    if result.outcome is Outcome.FOUND:
        return result.district.slug
    return {
        Outcome.ASK_BANCHI: ASK,
        Outcome.SEVERAL: SEVERAL,
        Outcome.NONE: NONE,
        Outcome.POSTAL_CODE: POSTAL,
    }[result.outcome]


def test_the_table_is_long_enough():
    assert len(ADDRESSES) >= 50
    assert len({text for text, _expected in ADDRESSES}) == len(ADDRESSES)


@pytest.mark.parametrize(("text", "expected"), ADDRESSES)
def test_what_residents_type(city, text, expected):
    assert outcome_of(finder.find_district(text)) == expected


class TestReadingTheText:
    """The pure steps, without the database."""

    def test_prefecture_city_and_postal_code_are_dropped(self):
        query = finder.read_query("〒123-4567 三重県みどり野市 桜台2-5-3", city_name="みどり野市")
        assert (query.key, query.postal_code) == ("桜台2-5-3", "1234567")

    def test_another_city_is_kept(self):
        assert finder.read_query("横浜市桜台2", city_name="みどり野市").key == "横浜市桜台2"

    def test_overlong_text_is_cut_not_refused(self):
        query = finder.read_query("桜台" * 200, city_name="みどり野市")
        assert len(query.text) == finder.MAX_QUERY_LENGTH

    @pytest.mark.parametrize(
        ("tail", "has_chome", "expected"),
        [
            ("2丁目5番3号", True, (2, 5)),
            ("2-5-3", True, (2, 5)),
            ("2", True, (2, None)),
            ("5番地", True, (None, 5)),
            ("2の5", True, (2, 5)),
            ("123-4", False, (None, 123)),
            ("123番地", False, (None, 123)),
            ("2丁目13", False, (2, 13)),
            ("", True, (None, None)),
        ],
    )
    def test_numbers_after_the_town(self, tail, has_chome, expected):
        numbers = finder.read_numbers(tail, town_has_chome=has_chome)
        assert (numbers.chome, numbers.banchi) == expected

    @pytest.mark.parametrize(
        "name", ["桜台小学校区", "桜台小学校", "桜台小", "市立桜台小学校", "桜台校区", "桜台"]
    )
    def test_school_and_district_names_meet_at_their_stem(self, name):
        assert finder.name_stem(name) == "桜台"

    def test_the_town_found_starts_first_and_is_longest_there(self):
        index = finder.FinderIndex.build(
            [("桜台", "桜台", "さくらだい"), ("新桜台", "新桜台", "しんさくらだい")], []
        )
        assert finder.find_town("新桜台2", index).town_keys == {"新桜台"}
        assert finder.find_town("桜台2新桜台3", index).town_keys == {"桜台"}

    def test_a_town_inside_another_word_is_not_an_address(self):
        index = finder.FinderIndex.build([("原", "原", "はら")], [])
        assert finder.find_town("原田小学校", index) is None
        assert finder.find_town("原3", index).tail == "3"


class TestWhatTheResidentIsTold:
    def test_found_says_how(self, city):
        result = finder.find_district("桜台二丁目5-3")
        assert result.message == "桜台二丁目5番地は桜台小学校区です"

    def test_found_by_chome(self, city):
        assert finder.find_district("桜台1丁目").message == "桜台一丁目は桜台小学校区です"

    def test_found_by_school(self, city):
        result = finder.find_district("東山小")
        assert result.message == "東山小学校は東山小学校区の学校です"

    def test_found_by_reading(self, city):
        result = finder.find_district("ひがしやま")
        # The town 東山 and the district agree: the town is named.
        assert result.message == "東山は東山小学校区です"

    def test_found_by_district_reading(self, db):
        DistrictFactory(name="北部地区", school_name="", name_kana="ほくぶちく")
        message = finder.find_district("ほくぶ").message
        assert message == "読み「ほくぶちく」から北部地区を見つけました"

    def test_elementary_or_junior_high_school_of_one_name(self, city):
        DistrictFactory(
            slug="sakuradai-jh",
            kind="junior_high",
            name="桜台中学校区",
            school_name="桜台中学校",
            name_kana="さくらだいちゅうがっこうく",
        )
        assert finder.find_district("桜台中").district.slug == "sakuradai-jh"
        assert finder.find_district("桜台小").district.slug == "sakuradai"
        assert finder.find_district("桜台中学校区").district.slug == "sakuradai-jh"
        assert finder.find_district("桜台校区").outcome is Outcome.SEVERAL

    def test_split_chome_lists_its_ranges(self, city):
        result = finder.find_district("桜台2丁目")
        assert result.place == "桜台二丁目"
        assert [(c.label, c.district.slug) for c in result.choices] == [
            ("桜台二丁目 1～12番地", "sakuradai"),
            ("桜台二丁目 13番地以降", "higashiyama"),
        ]

    def test_banchi_from_the_form_completes_the_address(self, city):
        result = finder.find_district("桜台2丁目", banchi=13)
        assert (result.district.slug, result.place) == ("higashiyama", "桜台二丁目13番地")

    def test_banchi_outside_every_range_is_asked_again(self, city):
        AreaFactory(district=city["sakuradai"], town="若葉", town_kana="わかば", chome=1,
                    banchi_from=1, banchi_to=10)  # fmt: skip
        AreaFactory(district=city["honmachi"], town="若葉", town_kana="わかば", chome=1,
                    banchi_from=20, banchi_to=30)  # fmt: skip
        result = finder.find_district("若葉1-15")
        assert (result.outcome, result.banchi_not_found) == (Outcome.ASK_BANCHI, 15)
        assert finder.find_district("若葉1-25").district.slug == "honmachi"

    def test_unknown_chome_is_named(self, city):
        result = finder.find_district("桜台7丁目")
        assert (result.town, result.chome_not_found) == ("桜台", 7)
        assert {c.district.slug for c in result.choices} == {"sakuradai", "higashiyama"}

    def test_town_and_district_of_one_name_are_both_offered(self, city):
        labels = [c.label for c in finder.find_district("桜台").choices]
        assert labels[0] == "桜台小学校区"
        assert "桜台二丁目 13番地以降" in labels

    def test_closest_towns_are_suggested(self, city):
        assert [town.name for town in finder.find_district("桜代2丁目").suggestions] == ["桜台"]
        names = [town.name for town in finder.find_district("しんさくら").suggestions]
        assert names[0] == "新桜台"


# The view ----------------------------------------------------------------------------------


def test_finder_address_resolves_ahead_of_district_pages():
    assert reverse("districts:find") == FIND_URL
    assert resolve(FIND_URL).view_name == "districts:find"


class TestFinderPage:
    def test_found_redirects_to_the_district_with_the_message(self, client, city):
        response = client.get(FIND_URL, {"q": "桜台二丁目5-3"})
        assert response.status_code == 302
        assert response["Location"] == "/districts/sakuradai/"
        page = client.get(response["Location"])
        assert "桜台二丁目5番地は桜台小学校区です" in page.content.decode()

    def test_the_message_is_shown_though_the_district_page_is_cached(self, client, city):
        # An anonymous visitor's district page, stored in the page cache …
        assert client.get("/districts/higashiyama/").status_code == 200
        response = client.get(FIND_URL, {"q": "東山小"}, follow=True)
        text = response.content.decode()
        # … is rendered afresh while a message waits, and the message is shown once.
        assert "東山小学校は東山小学校区の学校です" in text
        again = client.get("/districts/higashiyama/").content.decode()
        assert "東山小学校は東山小学校区の学校です" not in again

    def test_the_message_page_is_not_stored_for_others(self, client, city):
        client.get(FIND_URL, {"q": "東山小"}, follow=True)
        client.cookies.clear()
        text = client.get("/districts/higashiyama/").content.decode()
        assert "東山小学校区の学校です" not in text

    def test_several_are_listed(self, client, city):
        response = client.get(FIND_URL, {"q": "桜台"})
        assert response.status_code == 200
        text = response.content.decode()
        assert "「桜台」に当てはまる校区が複数あります" in text
        assert 'href="/districts/sakuradai/"' in text and 'href="/districts/higashiyama/"' in text
        assert 'value="桜台"' in text  # the field keeps what was typed

    def test_split_chome_asks_for_the_banchi_keeping_the_address(self, client, city):
        text = client.get(FIND_URL, {"q": "桜台2丁目"}).content.decode()
        assert "桜台二丁目は番地によって校区が分かれています" in text
        assert '<input type="hidden" name="q" value="桜台2丁目" id="banchi-q">' in text
        assert 'name="banchi"' in text and 'inputmode="numeric"' in text
        response = client.get(FIND_URL, {"q": "桜台2丁目", "banchi": "１５番地"})
        assert response["Location"] == "/districts/higashiyama/"

    def test_a_banchi_that_is_not_a_number_is_asked_again(self, client, city):
        text = client.get(FIND_URL, {"q": "大原", "banchi": "0"}).content.decode()
        assert 'aria-invalid="true"' in text and "番地を数字で入力してください" in text

    def test_none_says_so_with_suggestions_and_whom_to_ask(self, client, city, settings):
        settings.CITY_CONTACT_PHONE = "0000-11-2222"
        text = client.get(FIND_URL, {"q": "桜代2丁目"}).content.decode()
        assert "「桜代2丁目」に当てはまる町名・学校名は見つかりませんでした" in text
        assert f'href="{FIND_URL}?q={quote("桜台")}"' in text
        assert "市民協働推進課" in text and "0000-11-2222" in text

    def test_postal_code_alone_is_explained(self, client, city):
        text = client.get(FIND_URL, {"q": "〒123-4567"}).content.decode()
        assert "郵便番号だけでは校区を探せません" in text

    def test_without_a_query_the_page_shows_the_form(self, client, city):
        response = client.get(FIND_URL)
        assert response.status_code == 200
        assert 'id="finder-q"' in response.content.decode()

    def test_english(self, client, city):
        client.cookies["django_language"] = "en"
        response = client.get(FIND_URL, {"q": "桜台1丁目"}, follow=True)
        assert (
            '<span lang="ja">桜台一丁目</span> is in <span lang="ja">桜台小学校区</span>'
            in response.content.decode()
        )

    @pytest.mark.parametrize("path", ["/", "/districts/", "/districts/no-such-district/"])
    def test_the_form_is_on_the_home_list_and_404_pages(self, client, city, path):
        text = client.get(path).content.decode()
        assert f'<form class="finder" action="{FIND_URL}" method="get" role="search"' in text
        assert 'aria-labelledby="finder-q-label"' in text
        assert '<label class="form-field__label" id="finder-q-label" for="finder-q">' in text


# Hostile input: each a clear answer, never a server error ----------------------------------

HOSTILE = [
    ("overlong", "桜台1丁目" + "あ" * 5000, "found"),
    ("nul byte", "桜台\x001丁目", "found"),
    ("sql", "'; DROP TABLE districts_area; --", "none"),
    ("like wildcards", "%", "empty"),
    ("like wildcards in a word", "桜%_\\", "none"),
    ("underscore", "_", "empty"),
    ("backslash", "\\", "empty"),
    ("only spaces", "　 　 ", "empty"),
    ("only punctuation", "・、。！？-ー", "empty"),
    ("emoji", "🌸🏠", "empty"),
    ("emoji in an address", "桜台🌸1丁目", "found"),
    ("mixed scripts", "Sakuradai桜台1丁目", "found"),
    ("cyrillic", "Сакурадай", "none"),
    ("html", "<script>alert(1)</script>", "none"),
    ("huge numbers", "桜台" + "9" * 80, "several"),
]


@pytest.mark.parametrize(("name", "text", "expected"), HOSTILE, ids=[h[0] for h in HOSTILE])
def test_hostile_input(client, city, name, text, expected):
    response = client.get(FIND_URL, {"q": text})
    if expected == "found":
        assert response.status_code == 302
        return
    assert response.status_code == 200
    page = response.content.decode()
    if expected == "empty":
        assert "error-summary" in page and 'aria-invalid="true"' in page
    elif expected == "none":
        assert "に当てはまる町名・学校名は見つかりませんでした" in page
        assert "<script>alert" not in page
    else:
        assert "校区が複数あります" in page


def test_lone_surrogates_in_the_query_string(client, city):
    response = client.get(f"{FIND_URL}?q=%ED%A0%80%E6%A1%9C%E5%8F%B0")  # surrogate, then 桜台
    assert response.status_code == 200
    assert "校区が複数あります" in response.content.decode()
    response = client.get(f"{FIND_URL}?q=%ED%A0%80&banchi=%ED%A0%80")
    assert response.status_code == 200


def test_overlong_text_is_cut_in_the_form():
    form = FinderForm({"q": "桜" * 500})
    assert form.is_valid()
    assert form.cleaned_data["q"] == "桜" * finder.MAX_QUERY_LENGTH


def test_surrogates_and_nul_never_reach_the_page():
    form = FinderForm({"q": "\ud800桜\x00台"})
    assert form.is_valid() and form.cleaned_data["q"] == "桜台"
    assert form["q"].value() == "桜台"
    assert BanchiForm({"q": "\ud800", "banchi": "\ud800"})["q"].value() == ""


# The reserved address -------------------------------------------------------------------


class TestReservedSlug:
    def test_a_district_cannot_be_called_find(self, db):
        district = DistrictFactory.build(slug="find")
        with pytest.raises(ValidationError) as raised:
            district.full_clean()
        assert "slug" in raised.value.message_dict

    def test_the_database_refuses_it_too(self, db):
        with pytest.raises(IntegrityError), transaction.atomic():
            DistrictFactory(slug="find")

    def test_any_other_slug_is_fine(self, db):
        DistrictFactory.build(slug="finder").full_clean()


# Query counts: pinned, and the same at ten times the data --------------------------------


def grow(copies: int) -> None:
    for copy in range(1, copies):
        make_city(copy)


@pytest.mark.parametrize("copies", [1, 10])
class TestQueryCounts:
    """The index (towns and districts) costs two queries once per public records version; the
    areas of the town found, one query. A school or reading needs none once the index is in."""

    def test_address(self, client, city, copies, django_assert_num_queries):
        grow(copies)
        with django_assert_num_queries(3):  # index: towns, districts; the town's areas
            assert client.get(FIND_URL, {"q": "桜台2-5-3"}).status_code == 302
        with django_assert_num_queries(1):  # the index is cached: the town's areas
            assert client.get(FIND_URL, {"q": "桜台2-13-1"}).status_code == 302

    def test_school(self, client, city, copies, django_assert_num_queries):
        grow(copies)
        finder.finder_index()
        with django_assert_num_queries(0):
            assert client.get(FIND_URL, {"q": "緑ヶ丘小学校"}).status_code == 302

    def test_several_and_ask(self, client, city, copies, django_assert_num_queries):
        grow(copies)
        finder.finder_index()
        with django_assert_num_queries(1):
            assert client.get(FIND_URL, {"q": "桜台"}).status_code == 200
        with django_assert_num_queries(1):
            assert client.get(FIND_URL, {"q": "大原"}).status_code == 200

    def test_none(self, client, city, copies, django_assert_num_queries):
        grow(copies)
        finder.finder_index()
        with django_assert_num_queries(0):
            assert client.get(FIND_URL, {"q": "桜代2丁目"}).status_code == 200

    def test_a_change_to_the_areas_is_seen_at_once(self, client, city, copies):
        grow(copies)
        assert client.get(FIND_URL, {"q": "栄町"})["Location"] == "/districts/honmachi/"
        AreaFactory(district=city["higashiyama"], town="若葉", town_kana="わかば", chome=None)
        assert client.get(FIND_URL, {"q": "若葉"})["Location"] == "/districts/higashiyama/"
