"""Meetings for residents in a real browser: who may attend, where, the calendar links and the
district page's next-meeting card, at phone and desktop widths.

The meetings are made here with the factories, in a district of their own, with one upcoming
meeting of each kind of admission and the same board meeting title as another district's.
"""

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from plans.models import Admission, MeetingKind
from tests.factories import CouncilFactory
from tests.plans.factories import MeetingFactory, at_two_pm

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SLUG = "browser-asahi"
HUB_ADDRESS = "みどり野市旭町三丁目12番5号"
BOARD_TITLE = "令和8年度第5回役員会"


@dataclass
class MeetingCity:
    open_path: str
    members_path: str
    registration_path: str


@pytest.fixture
def meeting_city() -> MeetingCity:
    district = CouncilFactory(
        established=True,
        name="旭まちづくり協議会",
        district__name="旭小学校区",
        district__slug=SLUG,
        district__hub_name="旭地区公民館",
        district__hub_address=HUB_ADDRESS,
    ).district
    other = CouncilFactory(established=True, district__name="朝日台小学校区").district
    open_meeting = MeetingFactory(
        district=district,
        kind=MeetingKind.DIALOGUE,
        title="住民意見交換会",
        place="旭地区公民館 大会議室",
        admission=Admission.OPEN,
        starts_at=at_two_pm(10),
        upcoming=True,
    )
    members = MeetingFactory(
        district=district,
        kind=MeetingKind.BOARD,
        title=BOARD_TITLE,
        place="旭地区公民館 会議室",
        admission=Admission.MEMBERS,
        starts_at=at_two_pm(12),
        upcoming=True,
    )
    MeetingFactory(district=other, kind=MeetingKind.BOARD, title=BOARD_TITLE, upcoming=True)
    registration = MeetingFactory(
        district=district,
        kind=MeetingKind.WORKSHOP,
        title="防災まち歩き・マップづくりワークショップ",
        place="旭地区公民館 和室",
        admission=Admission.REGISTRATION,
        registration_how="電話・メール、または公民館の窓口で、お名前・人数をお知らせください。",
        registration_contact="旭まちづくり協議会事務局（旭地区公民館内） 電話 0120-000-111",
        registration_deadline=at_two_pm(14).date(),
        starts_at=at_two_pm(21),
        upcoming=True,
    )
    MeetingFactory(
        district=district,
        title="令和8年度第4回役員会",
        starts_at=at_two_pm(-20),
        minutes="前回の議事録を確認し、異議なく承認された。" * 12,
    )
    return MeetingCity(
        open_path=open_meeting.get_absolute_url(),
        members_path=members.get_absolute_url(),
        registration_path=registration.get_absolute_url(),
    )


@pytest.mark.parametrize(
    ("kind", "label", "says"),
    [
        ("open", "公開・誰でも参加可", "申込は不要です"),
        ("members", "会員のみ", "会員以外の方は参加できません"),
        ("registration", "要申込", "事前の申込が必要です"),
    ],
)
def test_the_meeting_page_says_who_may_attend(kind, label, says, page, meeting_city, check_page):
    page.goto(getattr(meeting_city, f"{kind}_path"))
    check_page(page)
    expect(page.locator("h1")).to_contain_text("旭小学校区")
    about = page.get_by_role("region", name="日時と場所")
    expect(about.get_by_text(label, exact=True)).to_be_visible()
    expect(about.get_by_text(HUB_ADDRESS)).to_be_visible()
    attending = page.get_by_role("region", name="参加について")
    expect(attending).to_contain_text(says)
    if kind == "registration":
        expect(attending).to_contain_text("旭まちづくり協議会事務局")
    ics = page.get_by_role("link", name="この会議をカレンダーに追加（.icsファイル）")
    expect(ics).to_be_visible()


def test_the_meeting_list_names_each_district_and_offers_subscriptions(
    page, meeting_city, check_page
):
    page.goto("/meetings/")
    check_page(page)
    upcoming = page.get_by_role("region", name="開催予定の会議")
    expect(upcoming.get_by_role("link", name=f"旭小学校区 {BOARD_TITLE}")).to_have_count(1)
    expect(upcoming.get_by_role("link", name=f"朝日台小学校区 {BOARD_TITLE}")).to_have_count(1)
    subscribe = page.get_by_role("link", name="全校区の会議をカレンダーアプリで購読する")
    expect(subscribe).to_have_attribute("href", re.compile(r"^webcal://"))
    page.get_by_text("カレンダーへの追加方法").click()
    expect(page.locator(".calendar-help p")).to_contain_text("URLで追加")


def test_the_next_meeting_card_is_not_left_half_empty(page, meeting_city, check_page):
    """Beside a long excerpt of the latest minutes, the next-meeting card is as tall as what it
    holds (and the cards stack on a phone)."""
    page.goto(f"/districts/{SLUG}/")
    check_page(page)
    section = page.get_by_role("region", name="会議")
    expect(section.get_by_role("link", name="旭小学校区 住民意見交換会")).to_be_visible()
    cards = section.locator(".meeting-card")
    expect(cards).to_have_count(2)
    gap = cards.first.evaluate(
        """card => {
            const last = card.lastElementChild.getBoundingClientRect();
            return card.getBoundingClientRect().bottom - last.bottom;
        }"""
    )
    assert gap <= 24, f"{gap}px of empty space at the foot of the next-meeting card"
    first, second = cards.first.bounding_box(), cards.nth(1).bounding_box()
    if page.viewport_size["width"] < 768:
        assert second["y"] >= first["y"] + first["height"], "the cards stack on a phone"
    else:
        assert second["y"] == first["y"], "the cards stand side by side on a wide screen"
    webcal = section.get_by_role("link", name="旭小学校区の会議をカレンダーアプリで購読する")
    host = urlsplit(page.url).netloc
    expect(webcal).to_have_attribute("href", f"webcal://{host}/districts/{SLUG}/meetings.ics")


def test_in_english(page: Page, meeting_city, check_page, switch_language):
    page.goto(meeting_city.registration_path)
    switch_language(page, "English", "en")
    check_page(page, lang="en")
    expect(page.get_by_role("region", name="Attending")).to_contain_text(
        "registration is needed beforehand"
    )
