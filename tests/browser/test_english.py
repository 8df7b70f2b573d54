"""English pages in the browser: names in English or with their romaji, Japanese text marked,
the 50音 index usable, at phone and desktop widths (axe-core and the Nu HTML Checker)."""

import pytest
from playwright.sync_api import expect

from organizations.models import Organization
from plans.models import Meeting, Plan
from subsidies.models import ProgramYear

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_an_english_reader_finds_a_group_by_its_sound(page, demo_data, check_page, switch_language):
    page.goto("/organizations/")
    switch_language(page, "English", "en")
    index = page.get_by_role("navigation", name="Index of groups by reading")
    with page.expect_navigation():
        index.get_by_role("link", name="Ka か").click()
    expect(index.get_by_role("link", name="Ka か")).to_have_attribute("aria-current", "true")
    first = page.locator(".result__title a").first
    # A group without an English name: its Japanese name, marked, and the reading in romaji.
    expect(first.locator('span[lang="ja"]')).to_have_count(1)
    expect(first).to_contain_text("(K")
    check_page(page, lang="en")


def test_english_pages_with_japanese_records(page, demo_data, check_page, switch_language):
    unnamed = Organization.objects.published().filter(name_en="").order_by("pk").first()
    meeting = Meeting.objects.published().exclude(minutes="").order_by("-starts_at").first()
    paths = [
        "/districts/",
        "/districts/sakuradai/",
        "/districts/honmachi/",
        unnamed.get_absolute_url(),
        Plan.objects.public().order_by("pk").first().get_absolute_url(),
        meeting.get_absolute_url(),
        f"/grants/{ProgramYear.objects.order_by('-fiscal_year').first().fiscal_year}/",
    ]
    page.goto(paths[0])
    switch_language(page, "English", "en")
    for path in paths:
        page.goto(path)
        check_page(page, lang="en")
    page.goto("/districts/honmachi/")
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text("本町小学校区 (Hommachi Shōgakkōku)")
    expect(heading.locator('span[lang="ja"]')).to_have_text("本町小学校区")
