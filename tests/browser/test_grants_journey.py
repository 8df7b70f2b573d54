"""The grant's whole year through the real pages, at phone and desktop widths.

A coordinator files the application, the grant officer returns it, the coordinator corrects and
files it again, the officer recommends it, the approver decides it, the officer pays it, the
coordinator reports, the officer accepts the report, the approver confirms the amount, and a
resident then sees the grant on the public page. Each role works in its own browser context and
signs in once through the sign-in form.

Every page reached (the pages showing a refused form too) goes through check_page. A failing
check does not stop the journey: the problems of every page are collected and reported together,
so one run shows everything to fix.

Labels change language as the translations arrive, so the test finds controls by what the pages
are built from (form field names, addresses, the button's value) rather than by their text.
"""

import datetime as dt
import re
from dataclasses import dataclass

import pytest
from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

from core.dates import fiscal_year_range
from subsidies import workflow
from subsidies.models import Application, State
from tests.factories import PASSWORD, StaffUserFactory
from tests.plans.factories import IndicatorFactory, InitiativeFactory, PlanFactory
from tests.subsidies.factories import PDF_BYTES, GrantYearFactory, make_applicant

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# The live total of a balanced budget: 「0円」 in Japanese, 「¥0」 in English.
ZERO_YEN = re.compile(r"^\D*0\D*$")
RETURN_REASON = "消耗品費と印刷製本費を、見積書に合わせてそれぞれ350,000円にしてください。"


@dataclass
class Cast:
    year: object
    council: object
    coordinator: object
    officer: object
    approver: object
    initiative: object
    indicator: object


@pytest.fixture
def cast(live_server, fast_passwords) -> Cast:
    """This year's grant open for applications, a council with a plan, and the grant staff."""
    year = GrantYearFactory()
    council, coordinator = make_applicant(year)
    plan = PlanFactory(
        district=council.district, start_fy=year.fiscal_year - 1, end_fy=year.fiscal_year + 3
    )
    initiative = InitiativeFactory(plan=plan, title="地区防災訓練の定着")
    indicator = IndicatorFactory(initiative=initiative)
    return Cast(
        year=year,
        council=council,
        coordinator=coordinator,
        officer=StaffUserFactory.grant_officer(),
        approver=StaffUserFactory.grant_approver(),
        initiative=initiative,
        indicator=indicator,
    )


class PageChecks:
    """check_page on each page, the problems kept until the end of the journey."""

    def __init__(self, check_page):
        self.check_page = check_page
        self.problems: list[str] = []
        self.reported = False

    def __call__(self, page: Page, **kwargs) -> None:
        try:
            self.check_page(page, **kwargs)
        except pytest.fail.Exception as failure:
            self.problems.append(str(failure))

    def assert_clean(self) -> None:
        self.reported = True
        if self.problems:
            pytest.fail(
                f"{len(self.problems)} page(s) failed the page checks:\n\n"
                + "\n\n".join(self.problems),
                pytrace=False,
            )


@pytest.fixture
def checked(check_page):
    checks = PageChecks(check_page)
    yield checks
    if checks.problems and not checks.reported:
        # The journey stopped early: still say what the pages it reached got wrong.
        print("Page check problems before the journey stopped:\n\n" + "\n\n".join(checks.problems))


def go(page: Page, target: Locator) -> None:
    """Follow a link or press a button, and wait for the page it leads to."""
    expect(target).to_have_count(1)
    with page.expect_navigation():
        target.click()


def main(page: Page) -> Locator:
    return page.locator("main")


def field(page: Page, name: str) -> Locator:
    return main(page).locator(f'[name="{name}"]')


def step_button(page: Page, go_value: str) -> Locator:
    return main(page).locator(f'button[name="go"][value="{go_value}"]')


def crispy_submit(page: Page) -> Locator:
    """The one submit button of a review action's form."""
    return main(page).locator('form [type="submit"]')


def sign_in(page: Page, username: str, checked: PageChecks) -> None:
    page.goto("/accounts/login/")
    checked(page)
    form = page.locator('form:has(input[name="password"])')
    form.locator('input[name="username"]').fill(username)
    form.locator('input[name="password"]').fill(PASSWORD)
    go(page, form.locator('[type="submit"]'))
    assert "/accounts/login/" not in page.url, f"{username} could not sign in"
    checked(page)


def expect_state(page: Page, state: State) -> None:
    expect(
        main(page).locator(f".grant-state--{state.value}, .state--{state.value}").first
    ).to_be_visible()


def test_grant_year_from_application_to_settlement(new_page, viewport, cast, checked):
    year, council = cast.year, cast.council
    fy = year.fiscal_year
    today = timezone.localdate().isoformat()
    fiscal_first, _fiscal_last = fiscal_year_range(fy)

    # 1. The coordinator files the application ------------------------------------------------
    coordinator = new_page(viewport)
    sign_in(coordinator, cast.coordinator.username, checked)
    coordinator.goto("/grants/applications/")
    checked(coordinator)
    expect(main(coordinator).get_by_role("heading", name=council.name)).to_be_visible()
    go(
        coordinator,
        main(coordinator).locator(
            f'form[action="/grants/applications/new/{council.pk}/{fy}/"] [type="submit"]'
        ),
    )
    checked(coordinator)

    for name, value in {
        "representative_title": "会長",
        "representative_name": "山田 一郎",
        "address": "みどり野市桜台1-2-3",
        "contact_name": "佐藤 花子",
        "contact_phone": "０１２３－４５－６７８９",
        "contact_email": "sakuradai@example.jp",
        "purpose": "防災と見守りを中心に、地域の担い手を育てます。",
    }.items():
        field(coordinator, name).fill(value)
    go(coordinator, main(coordinator).locator('form[action*="/applications/new/"] [type="submit"]'))
    application = Application.objects.get(council=council, program_year=year)
    pk = application.pk
    detail_url = f"/grants/applications/{pk}/"
    assert coordinator.url.endswith(f"{detail_url}plan/"), coordinator.url
    checked(coordinator)

    # The business plan: one activity carrying out the district plan's initiative.
    field(coordinator, "plan-0-activity").fill("地区防災訓練")
    main(coordinator).locator(
        f'input[name="plan-0-initiatives"][value="{cast.initiative.pk}"]'
    ).check()
    field(coordinator, "plan-0-schedule").fill("9月 第1日曜日")
    field(coordinator, "plan-0-expected_effect").fill("避難経路の確認と参加者の増加")
    field(coordinator, "plan-0-cost").fill("７００，０００")
    go(coordinator, step_button(coordinator, "continue"))
    assert coordinator.url.endswith(f"{detail_url}budget/"), coordinator.url
    checked(coordinator)

    # The budget. First a typing slip: an amount in kanji is refused beside its field, and
    # what was typed stays in the boxes.
    field(coordinator, "income-0-income_source").select_option("grant")
    field(coordinator, "income-0-description").fill("一括交付金")
    field(coordinator, "income-0-amount").fill("６００，０００")
    field(coordinator, "expense-0-category").select_option(label="消耗品費")
    field(coordinator, "expense-0-description").fill("防災用品")
    field(coordinator, "expense-0-amount").fill("四十万円")
    go(coordinator, step_button(coordinator, "continue"))
    assert coordinator.url.endswith(f"{detail_url}budget/"), "the bad amount was not refused"
    expect(main(coordinator).locator(".error-summary")).to_be_visible()
    expect(main(coordinator).locator("#id_expense-0-amount_error")).to_be_visible()
    expect(field(coordinator, "expense-0-amount")).to_have_value("四十万円")
    expect(field(coordinator, "income-0-amount")).to_have_value("６００，０００")
    checked(coordinator)

    field(coordinator, "expense-0-amount").fill("400,000")
    go(coordinator, step_button(coordinator, "add_income"))
    checked(coordinator)
    field(coordinator, "income-1-income_source").select_option("own_funds")
    field(coordinator, "income-1-description").fill("会費")
    field(coordinator, "income-1-amount").fill("100000")
    go(coordinator, step_button(coordinator, "add_expense"))
    checked(coordinator)
    field(coordinator, "expense-1-category").select_option(label="印刷製本費")
    field(coordinator, "expense-1-description").fill("広報紙")
    field(coordinator, "expense-1-amount").fill("300000")
    expect(main(coordinator).locator('[data-total="difference"]')).to_have_text(ZERO_YEN)
    go(coordinator, step_button(coordinator, "continue"))
    assert coordinator.url.endswith(f"{detail_url}attachments/"), coordinator.url
    checked(coordinator)

    field(coordinator, "kind").select_option("minutes")
    field(coordinator, "title").fill("総会議事録")
    field(coordinator, "file").set_input_files(
        {"name": "minutes.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES}
    )
    go(coordinator, step_button(coordinator, "upload"))
    assert coordinator.url.endswith(f"{detail_url}attachments/"), coordinator.url
    expect(main(coordinator).locator(".grant-files")).to_contain_text("総会議事録")
    checked(coordinator)
    go(coordinator, step_button(coordinator, "continue"))
    assert coordinator.url.endswith(f"{detail_url}check/"), coordinator.url
    checked(coordinator)

    submit_application = main(coordinator).locator(
        f'form[action="{detail_url}do/submit/"] [type="submit"]'
    )
    go(coordinator, submit_application)
    assert coordinator.url.endswith(detail_url), coordinator.url
    expect_state(coordinator, State.SUBMITTED)
    checked(coordinator)
    application.refresh_from_db()
    assert application.state == State.SUBMITTED
    assert application.requested_amount == 600_000

    # 2. The grant officer returns it, asking for a correction of the budget -------------------
    officer = new_page(viewport)
    sign_in(officer, cast.officer.username, checked)
    officer.goto("/grants/review/")
    checked(officer)
    review_url = f"/grants/review/{pk}/"
    go(officer, main(officer).locator(f'a[href="{review_url}"]'))
    checked(officer)
    go(officer, main(officer).locator(f'a[href="{review_url}return/"]'))
    checked(officer)
    field(officer, "budget").fill(RETURN_REASON)
    go(officer, crispy_submit(officer))
    assert officer.url.endswith(review_url), officer.url
    expect_state(officer, State.RETURNED)
    checked(officer)

    # 3. The coordinator sees the reason beside the budget and corrects it ---------------------
    coordinator.goto(detail_url)
    expect_state(coordinator, State.RETURNED)
    corrections = main(coordinator).locator("section:has(#corrections-heading)")
    expect(corrections).to_contain_text(RETURN_REASON)
    checked(coordinator)
    go(coordinator, corrections.locator(f'a[href="{detail_url}budget/"]'))
    expect(main(coordinator).locator(".grant-reason")).to_contain_text(RETURN_REASON)
    budget_step = main(coordinator).locator(f'.grant-steps a[href="{detail_url}budget/"]')
    expect(budget_step.locator(".grant-flag")).to_have_count(1)
    expect(budget_step).to_have_attribute("aria-current", "step")
    checked(coordinator)

    # Only one of the two lines is changed at first: the budget no longer balances, and the
    # submission is refused on the check page with the reason.
    expect(field(coordinator, "expense-0-amount")).to_have_value(re.compile(r"^400,?000$"))
    field(coordinator, "expense-0-amount").fill("350,000")
    go(coordinator, step_button(coordinator, "continue"))
    checked(coordinator)
    go(coordinator, main(coordinator).locator(f'.grant-steps a[href="{detail_url}check/"]'))
    checked(coordinator)
    go(coordinator, submit_application)
    assert coordinator.url.endswith(f"{detail_url}do/submit/"), coordinator.url
    expect(main(coordinator).locator(".error-summary")).to_be_visible()
    expect(main(coordinator).locator(".error-summary li")).not_to_have_count(0)
    checked(coordinator)
    application.refresh_from_db()
    assert application.state == State.RETURNED, "an unbalanced budget was filed"

    go(coordinator, main(coordinator).locator(f'#check-budget ~ p a[href="{detail_url}budget/"]'))
    checked(coordinator)
    field(coordinator, "expense-1-amount").fill("３５０，０００")
    go(coordinator, step_button(coordinator, "continue"))
    checked(coordinator)
    go(coordinator, main(coordinator).locator(f'.grant-steps a[href="{detail_url}check/"]'))
    checked(coordinator)
    go(coordinator, submit_application)
    assert coordinator.url.endswith(detail_url), coordinator.url
    expect_state(coordinator, State.SUBMITTED)
    checked(coordinator)

    # 4. The officer recommends it ----------------------------------------------------------
    officer.goto(review_url)
    checked(officer)
    go(officer, main(officer).locator(f'a[href="{review_url}recommend/"]'))
    checked(officer)
    go(officer, crispy_submit(officer))
    expect_state(officer, State.RECOMMENDED)
    checked(officer)

    # 5. The approver decides the grant ------------------------------------------------------
    approver = new_page(viewport)
    sign_in(approver, cast.approver.username, checked)
    approver.goto("/grants/review/")
    checked(approver)
    go(approver, main(approver).locator(f'a[href="{review_url}"]'))
    checked(approver)
    go(approver, main(approver).locator(f'a[href="{review_url}approve/"]'))
    checked(approver)
    field(approver, "granted_amount").fill("６００，０００")
    field(approver, "decision_number").fill(f"み協第{pk}号")
    field(approver, "decided_on").fill(today)
    go(approver, crispy_submit(approver))
    assert approver.url.endswith(review_url), approver.url
    expect_state(approver, State.APPROVED)
    checked(approver)

    # 6. The officer records the payment in full ----------------------------------------------
    officer.goto(review_url)
    checked(officer)
    go(officer, main(officer).locator(f'a[href="{review_url}pay/"]'))
    checked(officer)
    main(officer).locator('input[name="kind"][value="full"]').check()
    field(officer, "amount").fill("600000")
    field(officer, "paid_on").fill(today)
    go(officer, crispy_submit(officer))
    assert officer.url.endswith(review_url), officer.url
    expect_state(officer, State.PAID)
    checked(officer)

    # 7. The coordinator writes the report, attaches a receipt and submits it -----------------
    coordinator.goto(detail_url)
    expect_state(coordinator, State.PAID)
    checked(coordinator)
    go(coordinator, main(coordinator).locator(f'a[href="{detail_url}report/"]'))
    checked(coordinator)
    field(coordinator, "summary").fill("防災訓練を実施し、120人が参加しました。")
    field(coordinator, "outcomes").fill("次年度は子ども向けの訓練を加えます。")
    # The actual budget starts from the decided one; the expenses need the day they were paid.
    expect(field(coordinator, "expense-1-amount")).to_have_value(re.compile(r"^350,?000$"))
    field(coordinator, "expense-0-spent_on").fill(
        (fiscal_first + dt.timedelta(days=60)).isoformat()
    )
    field(coordinator, "expense-1-spent_on").fill(
        (fiscal_first + dt.timedelta(days=90)).isoformat()
    )
    field(coordinator, f"indicator-{cast.indicator.pk}-actual_value").fill("１２０")
    go(coordinator, step_button(coordinator, "continue"))
    assert coordinator.url.endswith(f"{detail_url}report/receipts/"), coordinator.url
    checked(coordinator)
    field(coordinator, "title").fill("領収書一式")
    field(coordinator, "file").set_input_files(
        {"name": "receipts.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES}
    )
    go(
        coordinator,
        main(coordinator).locator(f'form[action="{detail_url}report/receipts/"] [type="submit"]'),
    )
    expect(main(coordinator).locator(".grant-files")).to_contain_text("領収書一式")
    checked(coordinator)
    go(
        coordinator,
        main(coordinator).locator(f'form[action="{detail_url}do/submit_report/"] [type="submit"]'),
    )
    assert coordinator.url.endswith(detail_url), coordinator.url
    expect_state(coordinator, State.REPORTED)
    checked(coordinator)

    # 8. The officer accepts the report; the approver confirms the amount ----------------------
    officer.goto(review_url)
    checked(officer)
    go(officer, main(officer).locator(f'a[href="{review_url}accept_report/"]'))
    checked(officer)
    go(officer, crispy_submit(officer))
    expect_state(officer, State.REPORT_ACCEPTED)
    checked(officer)

    approver.goto(review_url)
    checked(approver)
    go(approver, main(approver).locator(f'a[href="{review_url}settle/"]'))
    checked(approver)
    # A date the form suggests is written as staff type them (docs/conventions.md).
    expect(field(approver, "settled_on")).to_have_value(timezone.localdate().strftime("%Y/%m/%d"))
    go(approver, crispy_submit(approver))
    assert approver.url.endswith(review_url), approver.url
    expect_state(approver, State.SETTLED)
    checked(approver)

    # 9. The coordinator sees the settled grant and prints the notices ----------------------
    coordinator.goto(detail_url)
    expect_state(coordinator, State.SETTLED)
    checked(coordinator)
    go(coordinator, main(coordinator).locator(f'a[href="/grants/documents/{pk}/settlement/"]'))
    expect(main(coordinator).locator("h1")).to_be_visible()
    expect(main(coordinator).locator(".document")).to_contain_text("600,000")
    checked(coordinator)
    go(coordinator, main(coordinator).locator(f'a[href="/grants/documents/{pk}/decision/"]'))
    expect(main(coordinator).locator(".document")).to_contain_text(f"み協第{pk}号")
    checked(coordinator)

    # 10. A resident, signed out, sees the grant on the year's public page --------------------
    resident = new_page(viewport)
    resident.goto("/grants/")
    checked(resident)
    go(resident, main(resident).locator(f'a[href="/grants/{fy}/"]').first)
    checked(resident)
    detail = f"/grants/{fy}/districts/{council.district.slug}/"
    row = main(resident).locator("#summary tbody tr", has=resident.locator(f'a[href="{detail}"]'))
    expect(row).to_have_count(1)
    expect(row).to_contain_text("600,000")
    # The row leads to the district's year: the formula breakdown and the settled grant, and
    # from there to every year of the district.
    go(resident, row.locator(f'a[href="{detail}"]'))
    checked(resident)
    expect(main(resident)).to_contain_text("600,000")
    go(resident, main(resident).locator(f'a[href="/grants/districts/{council.district.slug}/"]'))
    checked(resident)
    expect(main(resident).locator(f'a[href="{detail}"]')).to_have_count(1)

    # The history lists every move of the workflow, once each, in order.
    application.refresh_from_db()
    assert application.state == State.SETTLED
    assert application.granted_amount == 600_000
    assert application.confirmed_amount == 600_000
    moves = list(
        application.events.filter(action__in=workflow.ACTIONS)
        .order_by("at", "pk")
        .values_list("action", "from_state", "to_state")
    )
    assert moves == [
        ("submit", State.DRAFT, State.SUBMITTED),
        ("return", State.SUBMITTED, State.RETURNED),
        ("submit", State.RETURNED, State.SUBMITTED),
        ("recommend", State.SUBMITTED, State.RECOMMENDED),
        ("approve", State.RECOMMENDED, State.APPROVED),
        ("pay", State.APPROVED, State.PAID),
        ("submit_report", State.PAID, State.REPORTED),
        ("accept_report", State.REPORTED, State.REPORT_ACCEPTED),
        ("settle", State.REPORT_ACCEPTED, State.SETTLED),
    ]
    return_event = application.events.get(action="return")
    assert return_event.reasons == {"budget": RETURN_REASON}

    checked.assert_clean()
