"""The plan page, the meeting list and meeting pages in a real browser, in both languages.

Each page goes through conftest.check_page (axe-core, the Nu HTML Checker, no sideways
scrolling) at phone and desktop widths, and fits a 320px screen. The plans and meetings are made
here with the factories, in a district of their own, so the tests do not depend on what the demo
command puts in its plans.
"""

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Page, expect

from core.dates import current_fiscal_year
from organizations.models import FieldCode
from plans.models import (
    ActionStatus,
    InitiativeStatus,
    Meeting,
    MeetingKind,
    Rating,
    RoleKind,
    Sector,
)
from tests.factories import CouncilFactory, FieldFactory, OrganizationFactory
from tests.plans.factories import (
    ActionItemFactory,
    DecisionFactory,
    IndicatorFactory,
    IndicatorResultFactory,
    InitiativeFactory,
    MeetingAttachmentFactory,
    MeetingFactory,
    PlanFactory,
    PlanIssueFactory,
    ReviewFactory,
    ReviewRatingFactory,
    RoleAssignmentFactory,
    at_two_pm,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
SLUG = "browser-hinode"


@dataclass
class PlanCity:
    district_slug: str
    plan_path: str
    past_meeting_path: str
    upcoming_meeting_path: str


@pytest.fixture
def plan_city(demo_data, settings, tmp_path) -> PlanCity:
    """The demo city plus one district with a full plan and meetings, made with the factories."""
    settings.MEDIA_ROOT = tmp_path
    council = CouncilFactory(
        established=True,
        name="日の出まちづくり協議会",
        district__name="日の出小学校区",
        district__name_kana="ひのでしょうがっこうく",
        district__slug=SLUG,
    )
    district = council.district
    this_year = current_fiscal_year()
    group = OrganizationFactory(name="日の出一丁目自治会", districts=[district])
    hidden = OrganizationFactory(name="非公開の会", districts=[district], is_published=False)
    plan = PlanFactory(
        district=district,
        title="日の出地域づくり計画",
        start_fy=this_year - 3,
        end_fy=this_year + 1,
        vision="子どもからお年寄りまで、顔の見える支え合いのまち",
    )
    disaster = FieldFactory(code=FieldCode.DISASTER)
    welfare = FieldFactory(code=FieldCode.WELFARE)
    shelter = PlanIssueFactory(plan=plan, field=disaster, title="避難所を運営する人が足りない")
    watch = PlanIssueFactory(plan=plan, field=welfare, title="一人暮らしの高齢者が増えている")
    drill = InitiativeFactory(
        plan=plan,
        title="合同防災訓練",
        field=disaster,
        issues=[shelter],
        status=InitiativeStatus.IN_PROGRESS,
    )
    visits = InitiativeFactory(
        plan=plan, title="見守り訪問", field=welfare, issues=[watch], status=InitiativeStatus.DONE
    )
    RoleAssignmentFactory(initiative=drill, organization=group)
    RoleAssignmentFactory(initiative=drill, city=True)
    RoleAssignmentFactory(initiative=visits, council=True, role=RoleKind.LEAD, sector=Sector.SELF)
    RoleAssignmentFactory(initiative=visits, organization=hidden, role=RoleKind.SUPPORT)
    participants = IndicatorFactory(
        initiative=drill, name="防災訓練の参加者数", baseline_fy=this_year - 4
    )
    vacancies = IndicatorFactory(initiative=visits, name="見守りが必要な世帯の未訪問数", lower=True)
    for offset, (up, down) in enumerate([(110, 18), (None, 15), (140, 12)]):
        fy = this_year - 3 + offset
        if up is not None:
            IndicatorResultFactory(indicator=participants, fiscal_year=fy, actual_value=up)
        IndicatorResultFactory(indicator=vacancies, fiscal_year=fy, actual_value=down)
    review = ReviewFactory(plan=plan, fiscal_year=this_year - 2)
    ReviewRatingFactory(review=review, initiative=drill, rating=Rating.B)
    ReviewRatingFactory(review=review, initiative=visits, rating=Rating.A)

    past = MeetingFactory(
        district=district,
        title="日の出まちづくり協議会 総会",
        kind=MeetingKind.GENERAL,
        starts_at=at_two_pm(-20),
        minutes="<script>alert('minutes')</script>\n事業計画と予算を承認した。",
        attending_groups=[group, hidden],
        plan=plan,
        initiatives=[drill],
    )
    DecisionFactory(meeting=past, text="防災訓練を10月に行う")
    DecisionFactory(meeting=past, text="会費を据え置く")
    ActionItemFactory(
        meeting=past,
        what="案内チラシを作る",
        owner_organization=group,
        status=ActionStatus.IN_PROGRESS,
    )
    ActionItemFactory(meeting=past, what="備蓄品を点検する", owner_role="防災部会長")
    MeetingAttachmentFactory(meeting=past, title="総会資料")
    MeetingFactory(
        district=district, title="日の出 役員会", kind=MeetingKind.BOARD, starts_at=at_two_pm(-50)
    )
    MeetingFactory(district=district, title="日の出 非公開の会議", unpublished=True)
    upcoming = MeetingFactory(
        district=district,
        title="日の出 防災ワークショップ",
        kind=MeetingKind.WORKSHOP,
        upcoming=True,
        agenda="1. 避難所の運営\n2. 役割分担",
    )
    return PlanCity(
        district_slug=SLUG,
        plan_path=plan.get_absolute_url(),
        past_meeting_path=past.get_absolute_url(),
        upcoming_meeting_path=upcoming.get_absolute_url(),
    )


PAGES = {
    "plan": lambda city: city.plan_path,
    "meetings": lambda city: "/meetings/",
    "past-meeting": lambda city: city.past_meeting_path,
    "upcoming-meeting": lambda city: city.upcoming_meeting_path,
    "district": lambda city: f"/districts/{city.district_slug}/",
}
# Pages whose <h1> is the record's own (Japanese) title, whatever the translations.
TITLED_BY_DATA = {"plan", "past-meeting", "upcoming-meeting", "district"}


def language_button(page: Page, name: str):
    return page.get_by_role("banner").get_by_role("link", name=name, exact=True)


@pytest.mark.parametrize("name", PAGES)
def test_page_in_japanese(name, page, plan_city, check_page):
    page.goto(PAGES[name](plan_city))
    check_page(page, lang="ja")
    if name in TITLED_BY_DATA:
        expect(page.locator("h1").first).to_have_text(JAPANESE)
    expect(language_button(page, "English")).to_be_visible()
    expect(
        page.get_by_role("navigation", name=re.compile("メインメニュー|Main menu")).get_by_role(
            "link", name=re.compile("会議|Meetings")
        )
    ).to_be_visible()


@pytest.mark.parametrize("name", PAGES)
def test_page_in_english(name, page, plan_city, check_page, switch_language):
    path = PAGES[name](plan_city)
    page.goto(path)
    switch_language(page, "English", "en")
    assert urlsplit(page.url).path == path, "the language switch should stay on the same page"
    check_page(page, lang="en")
    expect(language_button(page, "日本語")).to_be_visible()


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_every_page_fits_the_narrowest_phone(lang, new_page, plan_city, switch_language):
    """At 320px (the narrowest screen residents use), nothing scrolls sideways."""
    page = new_page({"width": 320, "height": 640})
    if lang == "en":
        page.goto("/")
        switch_language(page, "English", "en")
    too_wide = {}
    for name, address in PAGES.items():
        page.goto(address(plan_city))
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 321:
            too_wide[name] = width
    assert too_wide == {}, f"pages wider than 320px: {too_wide}"


def test_past_meeting_is_a_record_and_script_stays_text(page, plan_city, check_page):
    page.goto(plan_city.past_meeting_path)
    main = page.get_by_role("main")
    expect(main).to_contain_text("<script>alert('minutes')</script>")
    expect(main).to_contain_text("事業計画と予算を承認した。")
    expect(main.locator("ol li")).to_have_text(["防災訓練を10月に行う", "会費を据え置く"])
    expect(main.get_by_role("link", name="日の出一丁目自治会").first).to_be_visible()
    expect(main).not_to_contain_text("非公開の会")
    expect(main.get_by_role("table")).to_contain_text("案内チラシを作る")
    expect(main.get_by_role("link", name="総会資料")).to_be_visible()
    check_page(page)


def test_upcoming_meeting_is_an_announcement(page, plan_city, check_page):
    page.goto(plan_city.upcoming_meeting_path)
    main = page.get_by_role("main")
    expect(main).to_contain_text("避難所の運営")
    expect(main.locator("#minutes-heading")).to_have_count(0)
    check_page(page)


def meeting_links(page: Page) -> set[str]:
    hrefs = (
        page.get_by_role("main")
        .locator('.results a[href^="/meetings/"]')
        .evaluate_all("links => links.map(link => link.getAttribute('href'))")
    )
    return {href for href in hrefs if re.fullmatch(r"/meetings/\d+/", href)}


def submit(page: Page) -> None:
    with page.expect_navigation():
        page.locator('form:has(select[name="kind"])').locator('[type="submit"]').click()


def test_meetings_filter_by_district_and_kind(page, plan_city, check_page):
    ours = {
        meeting.get_absolute_url(): meeting
        for meeting in Meeting.objects.published().filter(district__slug=SLUG)
    }
    page.goto("/meetings/")
    check_page(page)

    page.locator('select[name="district"]').select_option(SLUG)
    submit(page)
    assert parse_qs(urlsplit(page.url).query).get("district") == [SLUG]
    expect(page.locator('select[name="district"]')).to_have_value(SLUG)
    assert meeting_links(page) == set(ours), "the district filter should list its meetings only"
    expect(page.get_by_role("main")).not_to_contain_text("非公開の会議")
    check_page(page)

    page.locator('select[name="kind"]').select_option(MeetingKind.BOARD)
    submit(page)
    query = parse_qs(urlsplit(page.url).query)
    assert query.get("kind") == [MeetingKind.BOARD] and query.get("district") == [SLUG]
    assert {ours[path].kind for path in meeting_links(page)} == {MeetingKind.BOARD}
    check_page(page)

    page.locator('select[name="fiscal_year"]').select_option(str(current_fiscal_year()))
    page.locator('select[name="kind"]').select_option("")
    submit(page)
    assert meeting_links(page) <= set(ours)
    check_page(page)


def test_a_bad_filter_is_reported_beside_the_field(page, plan_city, check_page):
    page.goto(f"/meetings/?fiscal_year=abc&district={SLUG}")
    expect(page.locator("#id_fiscal_year_error")).to_be_visible()
    expect(page.locator('select[name="fiscal_year"]')).to_have_attribute("aria-invalid", "true")
    expect(page.locator(".error-summary")).to_be_visible()
    # The valid filter still applies.
    assert meeting_links(page)
    assert all(
        Meeting.objects.get(pk=int(path.split("/")[2])).district.slug == SLUG
        for path in meeting_links(page)
    )
    check_page(page)


def test_from_the_district_page_to_the_plan_and_the_meetings(page, plan_city, check_page):
    page.goto(f"/districts/{plan_city.district_slug}/")
    section = page.locator("#plan")
    expect(section).to_contain_text("子どもからお年寄りまで")
    with page.expect_navigation():
        section.get_by_role("link", name="日の出地域づくり計画").first.click()
    assert urlsplit(page.url).path == plan_city.plan_path
    # Two indicators, each charted (an axis and a plot, in one figure).
    expect(page.locator("#indicators figure.chart")).to_have_count(2)
    check_page(page)

    page.goto(f"/districts/{plan_city.district_slug}/")
    with page.expect_navigation():
        page.locator("#meetings").locator(f'a[href="/meetings/?district={SLUG}"]').click()
    expect(page.locator('select[name="district"]')).to_have_value(SLUG)
    check_page(page)
