"""The district maps in a browser: drawn, reached and followed by keyboard, accessible.

On the demo city (seed_demo gives every district a boundary), in Japanese and English, at
375px and 1280px.
"""

import re

import pytest
from django.utils import translation
from playwright.sync_api import Page, expect

from districts.models import District
from tests.browser.conftest import AXE_OPTIONS, _axe_source

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

DEMO_PASSWORD = "kyodo-demo-2026"
MAX_TABS = 80


def tab_into(page: Page, container: str) -> str:
    """Press Tab until the focus is on a link inside `container`; that link's accessible name."""
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        label = page.evaluate(
            """container => {
                const el = document.activeElement;
                return el && el.closest(container) && el.matches('a') ?
                    el.getAttribute('aria-label') : null;
            }""",
            container,
        )
        if label:
            return label
    pytest.fail(f"{MAX_TABS} presses of Tab did not reach a link in {container}")


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_city_map_by_keyboard_to_a_district_page(
    lang, page, demo_data, check_page, switch_language
):
    page.goto("/")
    if lang == "en":
        switch_language(page, "English", "en")
    city_map = page.locator("figure.map--city svg.map__svg")
    expect(city_map).to_be_visible()
    links = city_map.locator("a.map-link")
    expect(links).to_have_count(District.objects.count())
    legend = page.locator(".map-legend")
    expect(legend).to_contain_text("設立済み" if lang == "ja" else "Established")
    check_page(page, lang=lang)

    label = tab_into(page, "figure.map--city")
    # The focused district is outlined: its stroke differs from an unfocused one's.
    focused_stroke = page.evaluate(
        "() => getComputedStyle(document.activeElement.querySelector('path')).strokeWidth"
    )
    assert focused_stroke == "4px"
    name = re.sub(r"\s*[（(].*$", "", label)
    # The map names a district as the page's language does (an English name, or its romaji).
    with translation.override(lang):
        district = next(d for d in District.objects.all() if d.display_name.text == name)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith(f"/districts/{district.slug}/")
    expect(page.locator("h1")).to_contain_text(name)

    district_map = page.locator("#map svg.map__svg")
    expect(district_map).to_be_visible()
    expect(district_map.locator("path.map-area--current")).to_have_count(1)
    neighbours = page.locator("#map .map-neighbours a")
    assert neighbours.count() >= 1
    check_page(page, lang=lang)

    # A neighbour is a link on the map too, reached and followed the same way.
    neighbour = tab_into(page, "figure.map--district")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator("h1")).to_contain_text(re.sub(r"\s*[（(].*$", "", neighbour))


@pytest.fixture
def admin_session(new_page, viewport, demo_data) -> Page:
    page = new_page(viewport)
    page.goto("/accounts/login/")
    form = page.locator('form:has(input[name="password"])')
    form.locator('input[name="username"]').fill("demo-admin")
    form.locator('input[name="password"]').fill(DEMO_PASSWORD)
    with page.expect_navigation():
        form.locator('[type="submit"]').click()
    assert "/accounts/login/" not in page.url, "signing in did not leave the form"
    return page


def map_fieldset_violations(page: Page) -> list[str]:
    """axe-core's findings inside the admin's Map fieldset only.

    Django's own admin markup elsewhere on the page (the tabular inlines' headers and inputs,
    select2, the breadcrumbs) has findings that are not this page's to fix; the project does
    not run axe-core on the admin as a whole (see test_admin_meeting).
    """
    if page.evaluate("typeof window.axe") == "undefined":
        page.evaluate(_axe_source() + "\n;void 0")
    result = page.evaluate(
        """options => window.axe.run(
            document.querySelector('fieldset:has(.field-current_boundary)'), options)""",
        AXE_OPTIONS,
    )
    return [
        f"{violation['id']}: {violation['help']} at "
        + ", ".join(" ".join(map(str, node["target"])) for node in violation["nodes"][:5])
        for violation in result["violations"]
    ]


def test_admin_district_page_shows_the_boundary_preview(admin_session, check_html):
    page = admin_session
    district = District.objects.get(slug="sakuradai")
    page.goto(f"/admin/districts/district/{district.pk}/change/")
    preview = page.locator(".field-current_boundary svg.map__svg")
    expect(preview).to_be_visible()
    expect(preview.locator("path.map-area--current")).to_have_count(1)
    expect(page.locator('input[type="file"][name="boundary_file"]')).to_be_visible()
    expect(page.get_by_label("区域を削除する")).to_be_visible()
    check_html(page)  # the Nu HTML Checker on the whole page
    assert map_fieldset_violations(page) == []
