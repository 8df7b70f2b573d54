"""The grant staff's queue and the marked prints in a real browser, at phone and desktop widths.

An officer signs in and lands on their queue (自分の対応待ち); the dates stay on one line; a
returned application prints marked 控え, and the council's draft 下書き.
"""

import pytest
from playwright.sync_api import Page, expect

from subsidies.models import State
from tests.browser import accounts
from tests.factories import PASSWORD
from tests.subsidies.factories import GrantYearFactory, Staff, application_in, complete_draft

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# Whether each element's text lies on one line (a range over it gives one box per line).
ONE_LINE = """elements => elements.map(element => {
  const range = document.createRange();
  range.selectNodeContents(element);
  const tops = new Set([...range.getClientRects()].map(box => Math.round(box.top)));
  return tops.size === 1;
})"""


@pytest.fixture
def queue(live_server, fast_passwords):
    year = GrantYearFactory()
    staff = Staff()
    submitted = application_in(State.SUBMITTED, year, staff=staff)[0]
    application_in(State.RECOMMENDED, year, staff=staff)
    returned = application_in(State.RETURNED, year, staff=staff)[0]
    draft, coordinator = complete_draft(year)
    return staff, submitted, returned, draft, coordinator


def sign_in(page: Page, username: str) -> None:
    accounts.sign_in(page, username, PASSWORD)


def test_an_officer_lands_on_their_queue_and_prints_a_copy(page, queue, check_page):
    staff, submitted, returned, _, _ = queue
    sign_in(page, staff.officer.username)
    assert page.url.endswith("/grants/review/")
    main = page.get_by_role("main")
    expect(main.get_by_role("link", name="自分の対応待ち (1)")).to_have_attribute(
        "aria-current", "page"
    )
    expect(main.locator(f'a[href="/grants/review/{submitted.pk}/"]')).to_be_visible()
    expect(main.get_by_role("cell", name="今日")).to_be_visible()
    check_page(page)

    with page.expect_navigation():
        main.get_by_role("link", name="すべての申請 (3)").click()
    dates = page.locator(".review-queue__date")
    expect(dates).to_have_count(3)
    assert all(page.evaluate(ONE_LINE, dates.element_handles()))
    check_page(page)

    page.goto(f"/grants/documents/{returned.pk}/application/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("交付申請書（控え）")
    expect(page.locator(".sheet__mark").first).to_contain_text("控え：")
    check_page(page)


def test_the_council_prints_its_draft_marked(page, queue, check_page):
    _, _, _, draft, coordinator = queue
    sign_in(page, coordinator.username)
    page.goto(f"/grants/documents/{draft.pk}/application/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("交付申請書（下書き）")
    marks = page.locator(".sheet--marked")
    expect(marks).to_have_count(3)
    # The word runs across each sheet on screen; on paper too (print.css).
    watermark = page.evaluate(
        "getComputedStyle(document.querySelector('.sheet--marked'), '::before').content"
    )
    assert watermark == '"下書き"'
    check_page(page)
