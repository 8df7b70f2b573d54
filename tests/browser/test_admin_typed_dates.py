"""City staff type a meeting's dates in the admin the way they write them (和暦, full-width, 19時),
and the admin's calendar and clock buttons write what the page shows: 2026/12/06 and 19:00."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from plans.models import Meeting
from tests.browser.test_admin_meeting import admin_page, choose_district, liaison, save

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

__all__ = ["admin_page", "liaison"]  # fixtures used here


def fill_details(page, title: str) -> None:
    choose_district(page, "さくらだい", "桜台小学校区")
    page.locator("#id_kind").select_option("board")
    page.locator("#id_title").fill(title)
    page.locator("#id_place").fill("桜台公民館")


def test_a_meeting_typed_in_wareki_and_full_width_is_saved(admin_page):
    page = admin_page
    fill_details(page, "桜台協議会 第5回役員会")
    page.locator("#id_starts_at_0").fill("令和8年12月6日")
    page.locator("#id_starts_at_1").fill("１９時")
    page.locator("#id_ends_at_0").fill("R8.12.6")
    page.locator("#id_ends_at_1").fill("20時半")
    page.locator("#id_action_items-0-what").fill("チラシを作る")
    page.locator("#id_action_items-0-owner_role").fill("広報部会")
    page.locator("#id_action_items-0-due_on").fill("８年１２月２０日")

    save(page)

    expect(page.locator(".messagelist .success")).to_be_visible()
    meeting = Meeting.objects.get(title="桜台協議会 第5回役員会")
    assert timezone.localtime(meeting.starts_at) == timezone.make_aware(
        dt.datetime(2026, 12, 6, 19, 0)
    )
    assert timezone.localtime(meeting.ends_at) == timezone.make_aware(
        dt.datetime(2026, 12, 6, 20, 30)
    )
    assert meeting.action_items.get().due_on == dt.date(2026, 12, 20)
    assert page.problems == []


def test_an_impossible_date_is_refused_beside_it_and_kept(admin_page):
    page = admin_page
    fill_details(page, "桜台協議会 第6回役員会")
    page.locator("#id_starts_at_0").fill("令和8年2月30日")
    page.locator("#id_starts_at_1").fill("19:00")

    save(page)

    expect(page.locator(".field-starts_at .errorlist")).to_contain_text(
        "令和8年2月30日はありません（その月は28日までです）。"
    )
    expect(page.get_by_role("textbox", name="開始日時（日付）")).to_have_value("令和8年2月30日")
    assert not Meeting.objects.filter(title="桜台協議会 第6回役員会").exists()
    assert page.problems == []


def test_the_calendar_and_clock_buttons_write_what_the_page_shows(admin_page):
    page = admin_page
    fill_details(page, "桜台協議会 第7回役員会")
    shortcuts = page.locator(".field-starts_at .datetimeshortcuts")
    shortcuts.nth(0).get_by_role("link", name="今日").click()
    shortcuts.nth(1).get_by_role("link", name="現在").click()

    today = timezone.localdate()
    expect(page.locator("#id_starts_at_0")).to_have_value(f"{today:%Y/%m/%d}")
    expect(page.locator("#id_starts_at_1")).to_have_value(re.compile(r"^\d{2}:\d{2}$"))
    save(page)

    expect(page.locator(".messagelist .success")).to_be_visible()
    meeting = Meeting.objects.get(title="桜台協議会 第7回役員会")
    assert timezone.localtime(meeting.starts_at).date() == today
    assert page.problems == []
