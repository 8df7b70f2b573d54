"""Each page's <title>: its own title, then the portal's and the city's names, 「 | 」 between.

The home page has no title of its own: its <title> is the portal's and the city's names alone,
whatever the language (it was 「ホーム協働のまちづくりポータル | みどり野市」, the separator lost).
"""

import re

import pytest
from django.conf import settings

from tests.factories import CouncilFactory, DistrictFactory

pytestmark = pytest.mark.django_db

PORTAL = {"ja": "協働のまちづくりポータル", "en": "Community Collaboration Portal"}


def title_of(client, url: str, language: str, *, status: int = 200) -> str:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(url)
    assert response.status_code == status
    titles = re.findall(r"<title>(.*?)</title>", response.content.decode(), flags=re.S)
    # The first <title> is the document's (maps and charts carry their own inside <svg>).
    return titles[0]


def city(language: str) -> str:
    return settings.CITY_NAME if language == "ja" else settings.CITY_NAME_EN


@pytest.mark.parametrize("language", ["ja", "en"])
def test_the_home_page_is_titled_with_the_portal_and_the_city(client, language):
    CouncilFactory()
    assert title_of(client, "/", language) == f"{PORTAL[language]} | {city(language)}"


@pytest.mark.parametrize(
    ("language", "own"),
    [("ja", "校区"), ("en", "Districts")],
)
def test_a_page_title_comes_first_with_the_separator(client, language, own):
    assert title_of(client, "/districts/", language) == (
        f"{own} | {PORTAL[language]} | {city(language)}"
    )


@pytest.mark.parametrize("language", ["ja", "en"])
def test_titles_of_a_district_the_grants_and_a_missing_page(client, language):
    district = DistrictFactory(name="桜台小学校区", name_kana="さくらだいしょうがっこうく")
    not_found = {"ja": "ページが見つかりません", "en": "Page not found"}[language]
    # An English title cannot mark Japanese text, so it carries the name's reading in romaji.
    name = {"ja": "桜台小学校区", "en": "Sakuradai Shōgakkōku"}[language]
    expected = {
        district.get_absolute_url(): name,
        "/no/such/page/": not_found,
    }
    for url, own in expected.items():
        status = 404 if url.startswith("/no/") else 200
        assert title_of(client, url, language, status=status) == (
            f"{own} | {PORTAL[language]} | {city(language)}"
        )
    grants = title_of(client, "/grants/", language)
    own, portal, town = grants.split(" | ")
    assert own.strip() and own == own.strip()
    assert (portal, town) == (PORTAL[language], city(language))


def test_no_title_has_a_lost_or_doubled_separator(client):
    DistrictFactory(name="桜台小学校区")
    for language in ("ja", "en"):
        for url in ("/", "/districts/", "/organizations/", "/meetings/", "/grants/", "/search/"):
            title = title_of(client, url, language)
            assert title.endswith(f"{PORTAL[language]} | {city(language)}"), title
            assert f"{PORTAL[language]} | " in title
            parts = title.split(" | ")
            assert all(part and part == part.strip() for part in parts), title
            assert not re.search(rf"\S{PORTAL[language]}", title), title
