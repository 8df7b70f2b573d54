"""A liaison officer records a meeting in the admin: one page, decisions and action items inline.

Staff work in the admin on a PC, so the page is driven at desktop width. axe-core is not run on
Django's own admin; the test does fail on any script error or refused resource (a
Content-Security-Policy violation would break the admin's widgets).
"""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from plans.models import Meeting
from tests.factories import PASSWORD, CouncilFactory, DistrictFactory, StaffUserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ADD_MEETING = "/admin/plans/meeting/add/"


@pytest.fixture
def liaison(live_server):
    """A liaison officer of two districts, so the district has to be chosen."""
    sakura = DistrictFactory(name="桜台小学校区", name_kana="さくらだいしょうがっこうく")
    konan = DistrictFactory(name="港南小学校区", name_kana="こうなんしょうがっこうく")
    CouncilFactory(district=sakura, name="桜台まちづくり協議会")
    return StaffUserFactory.liaison(sakura, konan, username="sakura-liaison")


@pytest.fixture
def admin_page(new_page, liaison) -> Page:
    """The add-meeting page, signed in as the liaison officer at /accounts/login/."""
    page = new_page()
    problems: list[str] = []

    def on_console(message):
        # Failed loads are reported with their address by on_response.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            problems.append(f"console: {message.text}")

    def on_response(response):
        # The browser's own favicon request is not the admin's doing.
        if response.status >= 400 and not response.url.endswith("/favicon.ico"):
            problems.append(f"{response.request.resource_type} {response.url}: {response.status}")

    page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    page.on("console", on_console)
    page.on("response", on_response)
    page.problems = problems

    page.goto("/accounts/login/")
    form = page.locator('form:has(input[name="password"])')
    form.locator('input[name="username"]').fill(liaison.username)
    form.locator('input[name="password"]').fill(PASSWORD)
    with page.expect_navigation():
        form.locator('[type="submit"]').click()
    assert "/accounts/login/" not in page.url, "signing in did not leave the form"

    page.goto(ADD_MEETING)
    expect(page.locator("#meeting_form")).to_be_visible()
    return page


def choose_district(page: Page, typed: str, name: str) -> None:
    """Type into the district's autocomplete (select2) and pick the match."""
    page.locator(".field-district .select2-selection").click()
    search = page.locator(".select2-container--open .select2-search__field")
    search.fill(typed)
    option = page.locator(".select2-results__option", has_text=name)
    expect(option).to_have_count(1)
    option.click()
    expect(page.locator(".field-district .select2-selection__rendered")).to_contain_text(name)


def fill_meeting(page: Page, *, title: str, starts: str, ends: str) -> None:
    choose_district(page, "さくらだい", "桜台小学校区")
    page.locator("#id_kind").select_option("board")
    page.locator("#id_title").fill(title)
    page.locator("#id_starts_at_0").fill("2026-05-10")
    page.locator("#id_starts_at_1").fill(starts)
    page.locator("#id_ends_at_0").fill("2026-05-10")
    page.locator("#id_ends_at_1").fill(ends)
    page.locator("#id_place").fill("桜台公民館 会議室")
    page.locator("#id_attendance").fill("14")


def save(page: Page) -> None:
    with page.expect_navigation():
        page.locator('#meeting_form input[name="_save"]').click()


def test_liaison_records_a_meeting_with_a_decision_and_an_action_item(admin_page, liaison):
    page = admin_page
    fill_meeting(page, title="桜台協議会 第3回役員会", starts="14:00", ends="16:00")
    page.locator("#id_minutes").fill("防災訓練の日程と担当を話し合った。")
    page.locator("#id_decisions-0-text").fill("防災訓練を10月12日に行う。")
    page.locator("#id_action_items-0-what").fill("訓練の案内チラシを作る")
    page.locator("#id_action_items-0-owner_role").fill("広報部会")
    page.locator("#id_action_items-0-due_on").fill("2026-06-30")

    save(page)

    expect(page.locator(".messagelist .success")).to_be_visible()
    expect(page.locator(".messagelist .success")).to_contain_text("桜台協議会 第3回役員会")
    meeting = Meeting.objects.get(title="桜台協議会 第3回役員会")
    assert meeting.district.name == "桜台小学校区"
    assert meeting.kind == "board"
    assert timezone.localtime(meeting.starts_at) == timezone.make_aware(
        dt.datetime(2026, 5, 10, 14, 0)
    )
    assert meeting.attendance == 14
    assert not meeting.is_published  # published only when staff say so
    assert [decision.text for decision in meeting.decisions.all()] == ["防災訓練を10月12日に行う。"]
    item = meeting.action_items.get()
    assert (item.what, item.owner_role, item.due_on, item.status) == (
        "訓練の案内チラシを作る",
        "広報部会",
        dt.date(2026, 6, 30),
        "open",
    )
    assert page.problems == []


def test_end_before_start_is_shown_beside_the_end_and_nothing_typed_is_lost(admin_page):
    page = admin_page
    fill_meeting(page, title="桜台協議会 第4回役員会", starts="14:00", ends="13:00")
    page.locator("#id_decisions-0-text").fill("夏祭りは7月に行う。")

    save(page)

    expect(page.locator(".errornote")).to_be_visible()
    expect(page.locator(".field-ends_at .errorlist")).to_be_visible()
    expect(page.locator("#id_title")).to_have_value("桜台協議会 第4回役員会")
    expect(page.locator("#id_decisions-0-text")).to_have_value("夏祭りは7月に行う。")
    expect(page.locator(".field-district .select2-selection__rendered")).to_contain_text(
        "桜台小学校区"
    )
    assert not Meeting.objects.filter(title="桜台協議会 第4回役員会").exists()
    assert page.problems == []
