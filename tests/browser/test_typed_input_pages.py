"""Portal forms refusing a date or an e-mail address typed the wrong way: the message beside the
field, what was typed kept, and the page still valid and accessible (axe-core, Nu checker) on a
phone and on a PC."""

import pytest
from playwright.sync_api import Page, expect

from core import roles
from subsidies.models import State
from tests.browser import accounts
from tests.factories import PASSWORD, CouncilFactory, UserFactory
from tests.subsidies.factories import GrantYearFactory, Staff, application_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def sign_in(page: Page, username: str) -> None:
    accounts.sign_in(page, username, PASSWORD)


def submit(page: Page) -> None:
    with page.expect_navigation():
        page.locator("main form [type=submit]").last.click()


def test_a_full_width_address_is_refused_on_the_council_profile(page, check_page, fast_passwords):
    council = CouncilFactory(established=True, district__slug="sakuradai")
    coordinator = UserFactory(username="coord", groups=[roles.COORDINATORS])
    council.coordinators.add(coordinator)
    sign_in(page, "coord")
    page.goto(f"/councils/{council.pk}/profile/")
    box = page.locator("#id_contact_email")
    box.fill("sakuradai＠example")

    submit(page)

    expect(page.locator("#id_contact_email_error")).to_be_visible()
    expect(box).to_have_value("sakuradai＠example")
    check_page(page)


def test_an_impossible_decision_date_is_refused_beside_it(page, check_page, fast_passwords):
    staff = Staff()
    application = application_in(State.RECOMMENDED, GrantYearFactory(), staff=staff)[0]
    sign_in(page, staff.approver.username)
    page.goto(f"/grants/review/{application.pk}/approve/")
    page.locator("#id_decision_number").fill("み協第900号")
    page.locator("#id_decided_on").fill("令和8年2月30日")

    submit(page)

    expect(page.locator("#id_decided_on_error")).to_have_text(
        "令和8年2月30日はありません（その月は28日までです）。"
    )
    expect(page.locator("#id_decided_on")).to_have_value("令和8年2月30日")
    expect(page.locator("#id_decided_on_helptext")).to_contain_text("令和8年12月10日")
    check_page(page)
