"""Residents find their district with the finder, at phone and desktop widths, in Japanese and
English: by address, by school, and by a 丁目 split by 番地 (asked for, then found).

Every page visited is checked like the public pages (axe-core, the Nu HTML Checker, layout).
"""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.districts.finder_city import make_city

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

LANGUAGES = {"ja": "日本語", "en": "English"}


@pytest.fixture(params=list(LANGUAGES))
def lang(request) -> str:
    return request.param


@pytest.fixture
def city(live_server):
    return make_city()


def open_in(page: Page, path: str, lang: str, switch_language) -> None:
    page.goto(path)
    if lang != "ja":
        switch_language(page, LANGUAGES[lang], lang)


def find(page: Page, text: str) -> None:
    """Type into the finder and send it, as a resident would (Enter in the field)."""
    field = page.locator("#finder-q")
    expect(field).to_be_visible()
    field.fill(text)
    with page.expect_navigation():
        field.press("Enter")


def expect_message(page: Page, text: str) -> None:
    expect(page.get_by_role("status")).to_contain_text(text)


def test_an_address_from_the_home_page(page, city, lang, check_page, switch_language):
    open_in(page, "/", lang, switch_language)
    check_page(page, lang=lang)
    expect(page.get_by_role("search", name=_label(lang))).to_be_visible()

    find(page, "みどり野市桜台１丁目５－３")

    expect(page).to_have_url(re.compile(r"/districts/sakuradai/$"))
    expect(page.locator("h1")).to_contain_text("桜台小学校区")
    expect_message(
        page,
        "桜台一丁目は桜台小学校区です"
        if lang == "ja"
        else "桜台一丁目 is in 桜台小学校区 (Sakuradai Shōgakkōku).",
    )
    check_page(page, lang=lang)
    # Shown once: the page afterwards is the district page as everyone sees it.
    page.reload()
    expect(page.get_by_role("status")).to_have_count(0)


def test_a_school_from_the_district_list(page, city, lang, check_page, switch_language):
    open_in(page, "/districts/", lang, switch_language)
    check_page(page, lang=lang)

    find(page, "東山小")

    expect(page.locator("h1")).to_contain_text("東山小学校区")
    expect_message(
        page,
        "東山小学校は東山小学校区の学校です"
        if lang == "ja"
        else "東山小学校 is the school of 東山小学校区 (Higashiyama Shōgakkōku).",
    )
    check_page(page, lang=lang)


def test_a_split_chome_asks_for_the_banchi(page, city, lang, check_page, switch_language):
    open_in(page, "/", lang, switch_language)
    find(page, "桜台二丁目")

    expect(page.locator("h2#finder-result-heading")).to_contain_text("桜台二丁目")
    expect(page.locator("#finder-q")).to_have_value("桜台二丁目")
    expect(page.get_by_role("table")).to_contain_text("13番地以降" if lang == "ja" else "13")
    check_page(page, lang=lang)

    banchi = page.locator("#banchi-banchi")
    banchi.fill("１５")
    with page.expect_navigation():
        banchi.press("Enter")

    expect(page.locator("h1")).to_contain_text("東山小学校区")
    expect_message(
        page,
        "桜台二丁目15番地は東山小学校区です"
        if lang == "ja"
        else "桜台二丁目15番地 is in 東山小学校区 (Higashiyama Shōgakkōku).",
    )
    check_page(page, lang=lang)


def test_several_none_and_nothing_typed(page, city, lang, check_page, switch_language):
    open_in(page, "/districts/find/", lang, switch_language)
    check_page(page, lang=lang)

    find(page, "桜台")
    expect(page.get_by_role("link", name="桜台小学校区").first).to_be_visible()
    check_page(page, lang=lang)

    find(page, "桜代2丁目")
    suggestion = page.locator(".finder-suggestions").get_by_role("link", name="桜台")
    expect(suggestion).to_be_visible()
    check_page(page, lang=lang)

    find(page, "　")
    expect(page.locator("#finder-q")).to_have_attribute("aria-invalid", "true")
    expect(page.locator(".error-summary a[href='#finder-q']")).to_be_visible()
    check_page(page, lang=lang)

    # A suggested town is a link to its answer.
    find(page, "桜代2丁目")
    with page.expect_navigation():
        page.locator(".finder-suggestions").get_by_role("link", name="桜台").click()
    expect(page.locator("#finder-q")).to_have_value("桜台")
    check_page(page, lang=lang)


def test_the_not_found_page_offers_the_finder(page, city, lang, check_page, switch_language):
    open_in(page, "/districts/no-such-district/", lang, switch_language)
    check_page(page, lang=lang, status=404)

    find(page, "緑ケ丘3-2")

    expect(page.locator("h1")).to_contain_text("緑ヶ丘小学校区")
    expect_message(
        page,
        "緑ヶ丘三丁目は緑ヶ丘小学校区です"
        if lang == "ja"
        else "緑ヶ丘三丁目 is in 緑ヶ丘小学校区 (Midorigaoka Shōgakkōku).",
    )
    check_page(page, lang=lang)


def _label(lang: str) -> str:
    return (
        "住所・町名・学校名から校区を探す"
        if lang == "ja"
        else "Find your school district by address, town or school"
    )
