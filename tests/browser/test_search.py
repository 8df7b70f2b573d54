"""The header's search box on every page, the results page and a result, at phone and desktop
widths, in Japanese and English; every page visited passes check_page."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

LABELS = {
    "ja": {"box": "サイト内を検索", "button": "検索", "meetings": "会議", "search": "サイト内検索"},
    "en": {"box": "Search the portal", "button": "Search", "meetings": "Meetings",
           "search": "Site search"},
}  # fmt: skip


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_search_from_the_header_and_open_a_meeting(
    lang, page, demo_data, check_page, switch_language
):
    labels = LABELS[lang]
    page.goto("/")
    if lang == "en":
        switch_language(page, "English", "en")
    box = page.get_by_role("search", name=labels["search"]).get_by_role(
        "searchbox", name=labels["box"]
    )
    box.fill("防災")
    with page.expect_navigation():
        box.press("Enter")
    assert re.search(r"/search/\?q=%E9%98%B2%E7%81%BD$", page.url)
    check_page(page, lang=lang)
    meetings = page.locator("#search-meeting")
    expect(meetings.get_by_role("heading", name=re.compile(labels["meetings"]))).to_be_visible()
    expect(meetings.locator("mark").first).to_have_text("防災")
    first = meetings.get_by_role("link").first
    title = first.inner_text()
    with page.expect_navigation():
        first.click()
    assert re.search(r"/meetings/\d+/$", page.url)
    check_page(page, lang=lang)
    expect(page.locator("h1")).to_contain_text(title.strip()[:8])


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_one_kind_by_keyboard_and_the_filters(lang, page, demo_data, check_page, switch_language):
    page.goto("/search/?q=%E9%98%B2%E7%81%BD&kind=meeting")
    if lang == "en":
        switch_language(page, "English", "en")
    check_page(page, lang=lang)
    results = page.locator(".results .result")
    expect(results.first).to_be_visible()
    form = page.locator("#search-form")
    form.get_by_role("combobox").first.select_option("group")
    with page.expect_navigation():
        form.get_by_role("button").press("Enter")
    assert "kind=group" in page.url
    check_page(page, lang=lang)
    expect(page.locator(".results mark").first).to_be_visible()
