"""The admin pages staff use most, in the demo city, checked as the portal's pages are.

Each page goes through ``check_page`` at 1280px (axe-core, the Nu HTML Checker, no sideways
scrolling, no console error or refused resource); the change forms also at 1024px, where every
field must lie inside the window and keep a usable width.
"""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from districts.models import Council, District, DistrictStatistic
from kyodo_portal.management.commands.seed_demo import DEMO_PASSWORD
from organizations.models import Organization
from plans.models import Meeting, Plan
from subsidies.models import Application, ProgramYear
from tests.browser import accounts, conftest

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

DESKTOP = {"width": 1280, "height": 900}
SMALL_DESKTOP = {"width": 1024, "height": 768}
# Narrower than this, a box no longer shows what it holds (an order number's box is 64px).
USABLE_FIELD_WIDTH = 60


def sign_in(page: Page, username: str) -> None:
    accounts.sign_in(page, username, DEMO_PASSWORD)


def change(model, obj) -> str:
    opts = model._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])


def changelist(model) -> str:
    opts = model._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")


def busiest_meeting() -> Meeting:
    """A held meeting with decisions and action items: its inlines are the widest."""
    return (
        Meeting.objects.filter(decisions__isnull=False, action_items__isnull=False)
        .order_by("-starts_at")
        .first()
    )


def change_forms() -> dict[str, str]:
    """The change forms staff use most, on the demo's records."""
    district = District.objects.filter(council__isnull=False).order_by("display_order").first()
    return {
        "meeting": change(Meeting, busiest_meeting()),
        "meeting (new)": reverse("admin:plans_meeting_add"),
        "group": change(Organization, Organization.objects.filter(officers__isnull=False).first()),
        "district": change(District, district),
        "council": change(Council, district.council),
        "statistics": change(DistrictStatistic, DistrictStatistic.objects.first()),
        "plan": change(Plan, Plan.objects.filter(initiatives__isnull=False).first()),
        "application": change(Application, Application.objects.exclude(payments=None).first()),
        "program year": change(ProgramYear, ProgramYear.objects.order_by("-fiscal_year").first()),
    }


def lists() -> dict[str, str]:
    return {
        "index": reverse("admin:index"),
        "section": reverse("admin:section", args=["meetings"]),
        "meetings": changelist(Meeting),
        "groups": changelist(Organization),
        "districts": changelist(District),
        "statistics": changelist(DistrictStatistic),
        "plans": changelist(Plan),
        "applications": changelist(Application),
    }


@pytest.fixture(autouse=True)
def axe_without_preload(monkeypatch):
    """axe-core without its style-sheet preload on the admin's pages.

    Django's forms.css pulls widgets.css in with @import; axe's preload re-reads such sheets by
    writing them into <style> elements, which the site's Content-Security-Policy (style-src
    'self') refuses. The refusal is axe's own doing, reported as a console error against the
    next page the test opens. Only the rule about a locked screen orientation needs the preload.
    """
    monkeypatch.setitem(conftest.AXE_OPTIONS, "preload", False)


@pytest.fixture
def admin_page(new_page, demo_data):
    def make(username: str, viewport: dict) -> Page:
        page = new_page(viewport)
        sign_in(page, username)
        return page

    return make


def test_admin_lists_pass_the_checks_at_desktop_width(admin_page, check_page):
    page = admin_page("demo-admin", DESKTOP)
    for url in lists().values():
        page.goto(url)
        check_page(page)


def test_admin_forms_pass_the_checks_and_fit_at_desktop_width(admin_page, check_page):
    page = admin_page("demo-admin", DESKTOP)
    for url in change_forms().values():
        page.goto(url)
        check_page(page)


def test_user_and_group_pages_pass_the_checks(admin_page, check_page):
    from django.contrib.auth.models import Group, User

    page = admin_page("demo-admin", DESKTOP)
    for url in (
        change(User, User.objects.get(username="demo-liaison")),
        change(Group, Group.objects.get(name="liaison")),
    ):
        page.goto(url)
        check_page(page)
        permission = page.locator("select option", has_text="宿題事項を追加できる")
        expect(permission.first).to_be_attached()


def test_liaison_officer_index_and_meeting_form_pass_the_checks(admin_page, check_page):
    page = admin_page("demo-liaison", DESKTOP)
    page.goto(reverse("admin:index"))
    check_page(page)
    expect(page.locator("#header")).to_contain_text("高橋 直樹")
    page.goto(reverse("admin:plans_meeting_add"))
    check_page(page)


# Fields at the width of a small office screen --------------------------------------------

_FIELDS_OUTSIDE = """([width, usable]) => {
  const problems = [];
  const form = document.querySelector('#content-main form');
  const fields = form.querySelectorAll(
    'input:not([type=hidden]):not([type=checkbox]):not([type=radio]):not([type=file])'
    + ':not([type=submit]):not(.select2-search__field),'
    + ' select, textarea, .select2-container');
  for (const field of fields) {
    if (field.closest('.empty-form, [hidden]')) continue;
    if (field.classList.contains('select2-hidden-accessible')) continue;
    const box = field.getBoundingClientRect();
    if (box.width === 0 && box.height === 0) continue;
    const name = field.name || field.id || field.className;
    if (box.right > width + 1) problems.push(`${name} reaches ${Math.round(box.right)}px`);
    else if (box.width < usable) problems.push(`${name} is ${Math.round(box.width)}px wide`);
  }
  if (document.documentElement.scrollWidth > width + 1) {
    problems.push(`the page is ${document.documentElement.scrollWidth}px wide`);
  }
  return problems;
}"""


def test_admin_forms_are_usable_at_1024px(admin_page):
    page = admin_page("demo-admin", SMALL_DESKTOP)
    problems = []
    for name, url in change_forms().items():
        page.goto(url)
        found = page.evaluate(_FIELDS_OUTSIDE, [SMALL_DESKTOP["width"], USABLE_FIELD_WIDTH])
        problems += [f"{name} ({url}): {problem}" for problem in found]
    assert problems == [], "\n".join(problems)


# The council follows the district ---------------------------------------------------------


def test_council_list_follows_the_chosen_district(admin_page):
    """The demo liaison officer serves several districts with councils; once a district is
    chosen, the council's list offers that district's council only."""
    page = admin_page("demo-liaison", DESKTOP)
    district = District.objects.filter(
        council__isnull=False, liaison_assignments__user__username="demo-liaison"
    ).first()
    others = Council.objects.filter(
        district__liaison_assignments__user__username="demo-liaison"
    ).exclude(district=district)
    assert others.exists(), "the demo liaison officer needs councils in two districts"
    page.goto(reverse("admin:plans_meeting_add"))

    choose_district(page, district.name)
    page.locator(".field-council .select2-selection").click()

    options = page.locator(".select2-container--open .select2-results__option")
    expect(options).to_have_count(1)
    expect(options).to_have_text(district.council.name)

    # The council chosen goes when another district is chosen.
    options.click()
    council = page.locator(".field-council .select2-selection__rendered")
    expect(council).to_contain_text(district.council.name)
    choose_district(page, others.first().district.name)
    expect(council).not_to_contain_text(district.council.name)
    assert page.locator("#id_council").input_value() == ""


def choose_district(page: Page, name: str) -> None:
    page.locator(".field-district .select2-selection").click()
    page.locator(".select2-container--open .select2-search__field").fill(name)
    page.locator(".select2-results__option", has_text=name).first.click()


# A record of a meeting still to come ------------------------------------------------------


def test_minutes_of_a_future_meeting_are_saved_after_the_warning(admin_page, check_page):
    page = admin_page("demo-liaison", DESKTOP)
    district = District.objects.filter(liaison_assignments__user__username="demo-liaison").first()
    day = (timezone.localdate() + dt.timedelta(days=10)).isoformat()
    page.goto(reverse("admin:plans_meeting_add"))
    choose_district(page, district.name)
    page.locator("#id_kind").select_option("board")
    page.locator("#id_title").fill("来月の役員会")
    page.locator("#id_starts_at_0").fill(day)
    page.locator("#id_starts_at_1").fill("14:00")
    page.locator("#id_minutes").fill("前もって決めた進め方。")

    with page.expect_navigation():
        page.locator('#meeting_form input[name="_save"]').click()

    expect(page.locator(".field-minutes .errorlist")).to_contain_text("まだ開かれていません")
    confirm = page.get_by_label("会議の前ですが、記録をこのまま保存する")
    expect(confirm).not_to_be_checked()
    expect(page.locator("#id_minutes")).to_have_value("前もって決めた進め方。")
    check_page(page)
    assert not Meeting.objects.filter(title="来月の役員会").exists()

    confirm.check()
    with page.expect_navigation():
        page.locator('#meeting_form input[name="_save"]').click()

    expect(page.locator(".messagelist .success")).to_contain_text("来月の役員会")
    assert Meeting.objects.get(title="来月の役員会").minutes == "前もって決めた進め方。"
