"""Every public page, in Japanese and in English, at phone and desktop widths.

Each page must answer with its status, have an <h1> and the right <html lang>, fit a 375px
screen without sideways scrolling, pass axe-core (WCAG 2.1 AA and best practices) and the Nu
HTML Checker (see conftest.check_page).
"""

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from districts.models import CouncilStage, District
from organizations.models import Organization
from subsidies.models import Application, State

pytestmark = [
    pytest.mark.browser,
    # serialized_rollback: the rows migrations create (role groups, activity fields) come back
    # after the previous live-server test emptied the database.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def established_district_path() -> str:
    district = (
        District.objects.filter(council__stage=CouncilStage.ESTABLISHED)
        .order_by("display_order", "name_kana")
        .first()
    )
    assert district is not None, "the demo data has no district with an established council"
    return f"/districts/{district.slug}/"


def settled_grant() -> Application:
    """The demo's settled grant with the most recent year: its page shows every figure."""
    application = (
        Application.objects.filter(state=State.SETTLED)
        .select_related("program_year", "council__district")
        .order_by("-program_year__fiscal_year", "pk")
        .first()
    )
    assert application is not None, "the demo data has no settled grant"
    return application


def grant_year_path() -> str:
    return f"/grants/{settled_grant().program_year.fiscal_year}/"


def grant_district_year_path() -> str:
    application = settled_grant()
    return (
        f"/grants/{application.program_year.fiscal_year}/districts/"
        f"{application.council.district.slug}/"
    )


def grant_district_history_path() -> str:
    return f"/grants/districts/{settled_grant().council.district.slug}/"


def published_group_path() -> str:
    group = Organization.objects.published().order_by("name_kana", "pk").first()
    assert group is not None, "the demo data has no published group"
    return f"/organizations/{group.pk}/"


JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")

# name -> (address or a function giving it from the demo data, expected HTTP status)
PAGES = {
    "overview": ("/", 200),
    "district-list": ("/districts/", 200),
    "district": (established_district_path, 200),
    "directory": ("/organizations/", 200),
    "group": (published_group_path, 200),
    "grants": ("/grants/", 200),
    "grant-year": (grant_year_path, 200),
    "grant-district-year": (grant_district_year_path, 200),
    "grant-district-history": (grant_district_history_path, 200),
    "search": ("/search/?q=%E9%98%B2%E7%81%BD", 200),
    "accessibility": ("/accessibility/", 200),
    "sign-in": ("/accounts/login/", 200),
    "not-found": ("/districts/no-such-district/", 404),
}


def page_address(name: str) -> tuple[str, int]:
    address, status = PAGES[name]
    return (address() if callable(address) else address), status


def language_button(page, name: str):
    return page.get_by_role("banner").get_by_role("link", name=name, exact=True)


@pytest.mark.parametrize("name", PAGES)
def test_page_in_japanese(name, page, demo_data, check_page):
    path, status = page_address(name)
    page.goto(path)
    check_page(page, lang="ja", status=status)
    # Message ids are English: an English heading here means a missing translation.
    expect(page.locator("h1").first).to_have_text(JAPANESE)
    expect(language_button(page, "English")).to_be_visible()


@pytest.mark.parametrize("name", PAGES)
def test_page_in_english(name, page, demo_data, check_page, switch_language):
    path, status = page_address(name)
    page.goto(path)
    switch_language(page, "English", "en")
    address = urlsplit(page.url)._replace(scheme="", netloc="").geturl()
    assert address == path, "the language switch should stay on the same page"
    check_page(page, lang="en", status=status)
    expect(language_button(page, "日本語")).to_be_visible()


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_every_page_fits_the_narrowest_phone(lang, new_page, demo_data, switch_language):
    """At 320px (the narrowest screen residents use), nothing scrolls sideways."""
    page = new_page({"width": 320, "height": 640})
    if lang == "en":
        page.goto("/")
        switch_language(page, "English", "en")
    too_wide = {}
    for name in PAGES:
        path, _status = page_address(name)
        page.goto(path)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 321:
            too_wide[name] = width
    assert too_wide == {}, f"pages wider than 320px: {too_wide}"
