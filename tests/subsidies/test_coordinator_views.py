"""Coordinators' grant screens (/grants/applications/…): apply step by step, correct, change,
report, and nothing of another council's reachable."""

import datetime as dt
import re

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from core import roles
from core.dates import fiscal_year_range
from core.names import person_name
from plans.models import Plan
from subsidies import workflow
from subsidies.models import (
    Allocation,
    AllocationComponent,
    Application,
    ApplicationEvent,
    Attachment,
    AttachmentKind,
    BudgetLine,
    ComponentKind,
    FormulaComponent,
    IncomeSource,
    PlanRow,
    Report,
    Side,
    State,
    VersionStatus,
)
from subsidies.services import applications as edits
from subsidies.services import decisions
from tests.factories import CouncilFactory, StaffUserFactory, UserFactory
from tests.plans.factories import InitiativeFactory, PlanFactory
from tests.subsidies.factories import (
    BASICS,
    PDF_BYTES,
    GrantYearFactory,
    application_in,
    budget_lines,
    category,
    complete_draft,
    make_applicant,
    pdf_file,
)

pytestmark = pytest.mark.django_db

PURPOSE = "防災と見守りを中心に、地域の担い手を育てます。"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def english(client):
    """Pages in English, so the UI text asserted here is stable."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def year():
    return GrantYearFactory()


def text_of(response) -> str:
    return response.content.decode()


def between(text: str, start: str, end: str) -> str:
    return text.split(start, 1)[1].split(end, 1)[0]


def field_error(text: str, field_id: str) -> str:
    """The message shown beside a field (the kyodo pack's <p id="…_error">)."""
    match = re.search(
        rf'<p class="form-field__error" id="{re.escape(field_id)}_error">(.*?)</p>', text, re.S
    )
    assert match, f"no error beside {field_id}"
    return match.group(1)


def app_url(application, rest: str = "") -> str:
    return f"/grants/applications/{application.pk}/{rest}"


def step_url(application, step: str) -> str:
    return app_url(application, f"{step}/")


def start_url(council, fiscal_year: int) -> str:
    return f"/grants/applications/new/{council.pk}/{fiscal_year}/"


def basics_data(**changes) -> dict:
    return {"form": "basics", **BASICS, "purpose": PURPOSE, **changes}


def rows_data(prefix: str, rows: list[dict], *, initial: int = 0) -> dict:
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        for name, value in row.items():
            data[f"{prefix}-{index}-{name}"] = value
    return data


def plan_row(**changes) -> dict:
    return {
        "activity": "地区防災訓練",
        "schedule": "9月 第1日曜日",
        "expected_effect": "避難経路の確認と参加者の増加",
        "cost": "700,000",
        **changes,
    }


def budget_data(year, *, income=None, expenses=None, initial=(0, 0), go="continue") -> dict:
    income = (
        income
        if income is not None
        else [
            {"income_source": "grant", "description": "一括交付金", "amount": "600000"},
            {"income_source": "own_funds", "description": "会費", "amount": "100000"},
        ]
    )
    expenses = (
        expenses
        if expenses is not None
        else [
            {
                "category": str(category(year, "消耗品費").pk),
                "description": "防災用品",
                "amount": "700000",
            }
        ]
    )
    return {
        **rows_data("income", income, initial=initial[0]),
        **rows_data("expense", expenses, initial=initial[1]),
        "go": go,
    }


def grant_income(amount) -> dict:
    return {"income_source": "grant", "description": "一括交付金", "amount": amount}


def expense(year, amount, name="消耗品費", **changes) -> dict:
    return {
        "category": str(category(year, name).pk),
        "description": "防災用品",
        "amount": amount,
        **changes,
    }


def upload(name: str, content: bytes = PDF_BYTES, kind: str = "minutes", **changes) -> dict:
    return {
        "kind": kind,
        "title": "総会議事録",
        "file": SimpleUploadedFile(name, content, content_type="application/pdf"),
        **changes,
    }


def current_version(application):
    return application.versions.get(status=VersionStatus.CURRENT)


# The whole journey -----------------------------------------------------------------------------


def test_a_coordinator_files_the_application_step_by_step(english, year):
    client = english
    council, coordinator = make_applicant(year)
    initiative = InitiativeFactory(plan=PlanFactory(district=council.district), title="防災訓練")
    client.force_login(coordinator)

    dashboard = text_of(client.get("/grants/applications/"))
    assert f'action="{start_url(council, year.fiscal_year)}"' in dashboard

    # The dashboard's button posts to the start page, which shows the form, prefilled.
    page = client.post(start_url(council, year.fiscal_year))
    assert page.status_code == 200
    assert 'name="representative_name"' in text_of(page)
    assert not Application.objects.exists()

    response = client.post(start_url(council, year.fiscal_year), basics_data())
    application = Application.objects.get(council=council)
    assert response["Location"] == step_url(application, "plan")
    assert application.state == State.DRAFT
    assert current_version(application).purpose == PURPOSE

    page = text_of(client.get(step_url(application, "plan")))
    assert '<a class="grant-steps__link" href="' in page
    assert re.search(r'href="[^"]+/plan/" aria-current="step"', page)
    assert "防災訓練" in page  # the district plan's initiative offered as a checkbox
    response = client.post(
        step_url(application, "plan"),
        {**rows_data("plan", [plan_row(initiatives=[str(initiative.pk)])]), "go": "continue"},
    )
    assert response["Location"] == step_url(application, "budget")
    row = PlanRow.objects.get(version__application=application)
    assert row.cost == 700_000
    assert list(row.initiatives.all()) == [initiative]

    data = budget_data(
        year,
        income=[
            grant_income("６００，０００円"),
            {"income_source": "own_funds", "amount": "100000"},
        ],
    )
    response = client.post(step_url(application, "budget"), data)
    assert response["Location"] == step_url(application, "attachments")
    application.refresh_from_db()
    assert application.requested_amount == 600_000

    response = client.post(
        step_url(application, "attachments"), {**upload("minutes.pdf"), "go": "continue"}
    )
    assert response["Location"] == step_url(application, "check")
    assert application.attachments.get().title == "総会議事録"

    check = text_of(client.get(step_url(application, "check")))
    assert "Everything needed is there." in check
    assert "地区防災訓練" in check and "¥600,000" in check and "総会議事録" in check
    assert f'action="{app_url(application, "do/submit/")}"' in check

    response = client.post(app_url(application, "do/submit/"))
    assert response["Location"] == app_url(application)
    application.refresh_from_db()
    assert application.state == State.SUBMITTED
    detail = text_of(client.get(app_url(application)))
    assert "The application has been submitted." in detail
    assert f'href="/grants/documents/{application.pk}/application/"' in detail
    assert f"/grants/documents/{application.pk}/decision/" not in detail


def test_each_step_saves_as_a_draft_and_returns_to_the_application(english, year):
    application, coordinator = complete_draft(year)
    english.force_login(coordinator)
    response = english.post(
        step_url(application, "plan"),
        {**rows_data("plan", [plan_row(activity="見守り活動")], initial=1), "go": "draft"},
    )
    assert response["Location"] == app_url(application)
    assert current_version(application).plan_rows.get().activity == "見守り活動"
    response = english.post(
        step_url(application, "basics"), {**basics_data(contact_name="鈴木"), "go": "draft"}
    )
    assert response["Location"] == app_url(application)
    application.refresh_from_db()
    assert application.contact_name == "鈴木"


def test_the_step_list_marks_the_current_step(english, year):
    application, coordinator = complete_draft(year)
    english.force_login(coordinator)
    page = text_of(english.get(step_url(application, "budget")))
    steps = between(page, '<ol class="grant-steps__list">', "</ol>")
    assert steps.count("<li") == 5
    assert steps.count('aria-current="step"') == 1
    assert re.search(r'/budget/" aria-current="step"', steps)


def test_an_unknown_step_is_404(english, year):
    application, coordinator = complete_draft(year)
    english.force_login(coordinator)
    assert english.get(step_url(application, "payments")).status_code == 404


# The dashboard ---------------------------------------------------------------------------------


def add_components(allocation):
    for order, (label, kind, rate, unit, quantity, amount) in enumerate(
        [
            ("均等割", ComponentKind.FIXED, 100_000, "", 1, 100_000),
            ("世帯割", ComponentKind.PER_HOUSEHOLD, 600, "", 1500, 900_000),
        ]
    ):
        component = FormulaComponent.objects.create(
            program_year=allocation.program_year,
            kind=kind,
            label=label,
            rate=rate,
            unit_name=unit,
            order=order,
        )
        AllocationComponent.objects.create(
            allocation=allocation, component=component, quantity=quantity, amount=amount
        )


def test_dashboard_shows_the_allocation_its_breakdown_and_the_deadlines(client, year):
    council, coordinator = make_applicant(year)
    add_components(Allocation.objects.get(district=council.district))
    client.force_login(coordinator)
    page = text_of(client.get("/grants/applications/"))
    assert council.name in page
    assert "1,000,000円" in page
    assert "均等割" in page and "世帯割" in page and "900,000円" in page
    opens = year.application_opens_on
    assert f"令和{opens.year - 2018}年{opens.month}月{opens.day}日" in page
    assert f"令和{year.fiscal_year - 2018}年度" in page
    last = fiscal_year_range(year.fiscal_year)[1]
    assert f"令和{last.year - 2018}年{last.month}月{last.day}日" in page  # reports due


def test_dashboard_lists_applications_with_what_they_wait_for_and_older_years(english, year):
    application, coordinator, _staff = application_in(State.SUBMITTED, year)
    older = GrantYearFactory(fiscal_year=year.fiscal_year - 1)
    Application.objects.create(
        program_year=older,
        council=application.council,
        state=State.SETTLED,
        requested_amount=500_000,
        granted_amount=450_000,
        **BASICS,
    )
    english.force_login(coordinator)
    page = text_of(english.get("/grants/applications/"))
    current = between(page, "Application for", "Earlier years")
    assert "Submitted" in current
    assert "The city (grant officer)" in current
    assert f'href="{app_url(application)}"' in current
    earlier = page.split("Earlier years", 1)[1]
    assert "Settled" in earlier and "¥450,000" in earlier
    assert "Nothing: the application is closed" in earlier
    # An open application: no second start button.
    assert "/grants/applications/new/" not in page


def test_dashboard_has_one_block_per_council_and_the_start_button_only_with_an_allocation(
    english, year
):
    council, coordinator = make_applicant(year)
    other = CouncilFactory(established=True)
    other.coordinators.add(coordinator)  # no allocation for this one
    english.force_login(coordinator)
    page = text_of(english.get("/grants/applications/"))
    assert page.count('class="section grant-council"') == 2
    assert start_url(council, year.fiscal_year) in page
    assert start_url(other, year.fiscal_year) not in page
    assert "has not been computed yet" in page


def test_a_withdrawn_application_lets_the_council_start_again(english, year):
    application, coordinator, _staff = application_in(State.WITHDRAWN, year)
    english.force_login(coordinator)
    page = text_of(english.get("/grants/applications/"))
    assert start_url(application.council, year.fiscal_year) in page
    assert "Withdrawn" in page


def test_dashboard_of_someone_without_a_council(english, year):
    english.force_login(UserFactory(groups=[roles.COORDINATORS]))
    page = text_of(english.get("/grants/applications/"))
    assert "not linked to a council" in page


# Starting --------------------------------------------------------------------------------------


def test_start_refuses_empty_required_fields_beside_each_and_keeps_the_input(english, year):
    council, coordinator = make_applicant(year)
    english.force_login(coordinator)
    data = basics_data(representative_name="", contact_phone="電話ください", purpose="")
    response = english.post(start_url(council, year.fiscal_year), data)
    assert response.status_code == 200
    page = text_of(response)
    assert "Enter the representative" in field_error(page, "id_representative_name")
    assert "0000-00-0000" in field_error(page, "id_contact_phone")
    assert "Describe the purpose" in field_error(page, "id_purpose")
    assert "error-summary" in page and 'aria-invalid="true"' in page
    assert BASICS["address"] in page and "電話ください" in page
    assert not Application.objects.exists()


def test_start_normalises_full_width_phone_numbers(english, year):
    council, coordinator = make_applicant(year)
    english.force_login(coordinator)
    english.post(
        start_url(council, year.fiscal_year), basics_data(contact_phone="０１２３－４５－６７８９")
    )
    assert Application.objects.get().contact_phone == "0123-45-6789"


def test_start_is_404_for_another_council_or_a_year_without_a_program(english, year):
    council, coordinator = make_applicant(year)
    other, _ = make_applicant(year)
    english.force_login(coordinator)
    assert english.get(start_url(other, year.fiscal_year)).status_code == 404
    assert english.post(start_url(other, year.fiscal_year), basics_data()).status_code == 404
    assert english.get(start_url(council, 2001)).status_code == 404
    assert not Application.objects.exists()


def test_start_without_an_allocation_says_so(english, year):
    council = CouncilFactory(established=True)
    coordinator = UserFactory(groups=[roles.COORDINATORS])
    council.coordinators.add(coordinator)
    english.force_login(coordinator)
    response = english.post(start_url(council, year.fiscal_year), basics_data())
    assert response.status_code == 200
    assert "no allocation" in text_of(response)
    assert not Application.objects.exists()


def test_start_with_an_open_application_leads_to_it(english, year):
    application, coordinator = complete_draft(year)
    english.force_login(coordinator)
    response = english.post(start_url(application.council, year.fiscal_year), basics_data())
    assert response["Location"] == app_url(application)
    assert Application.objects.count() == 1


# The business plan -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"activity": ""}, "activity", "Enter the activity."),
        ({"schedule": ""}, "schedule", "Enter when the activity takes place."),
        ({"cost": ""}, "cost", "Enter the cost of the activity in yen."),
        ({"cost": "abc"}, "cost", "Enter the amount in yen, in digits"),
        ({"cost": "-5000"}, "cost", "at least 0 yen"),
    ],
)
def test_plan_refuses_bad_rows_beside_the_field_and_keeps_the_input(
    english, year, changes, field, message
):
    application, coordinator = complete_draft(year)
    english.force_login(coordinator)
    before = list(current_version(application).plan_rows.values_list("activity", "cost"))
    row = plan_row(**{"activity": "見守り活動", **changes})
    response = english.post(
        step_url(application, "plan"), {**rows_data("plan", [row], initial=1), "go": "continue"}
    )
    assert response.status_code == 200
    page = text_of(response)
    assert message in field_error(page, f"id_plan-0-{field}")
    assert "Activity 1 – " in between(page, "error-summary", "</div>")
    for value in row.values():
        if value:
            assert str(value) in page
    assert list(current_version(application).plan_rows.values_list("activity", "cost")) == before


def test_plan_adds_a_row_without_javascript(english, year):
    application, coordinator = complete_draft(year)
    english.force_login(coordinator)
    response = english.post(
        step_url(application, "plan"),
        {**rows_data("plan", [plan_row(activity="見守り活動")], initial=1), "go": "add_row"},
    )
    assert response["Location"] == step_url(application, "plan") + "?add=plan#plan-new"
    assert current_version(application).plan_rows.get().activity == "見守り活動"
    page = text_of(english.get(response["Location"]))
    assert 'name="plan-TOTAL_FORMS" value="2"' in page
    assert 'id="plan-new"' in page
    assert 'value="見守り活動"' in page


def test_plan_add_row_with_an_invalid_row_keeps_it_and_adds_one(english, year):
    application, coordinator = complete_draft(year)
    english.force_login(coordinator)
    response = english.post(
        step_url(application, "plan"),
        {**rows_data("plan", [plan_row(cost="abc")], initial=1), "go": "add_row"},
    )
    page = text_of(response)
    assert 'name="plan-TOTAL_FORMS" value="2"' in page
    assert "Enter the amount in yen" in field_error(page, "id_plan-0-cost")
    assert 'value="abc"' in page


def test_plan_rows_can_be_removed_and_blank_new_rows_are_ignored(english, year):
    application, coordinator = complete_draft(year)
    english.force_login(coordinator)
    rows = [
        plan_row(DELETE="on"),
        plan_row(activity="見守り活動"),
        {"activity": "", "schedule": "", "expected_effect": "", "cost": ""},
    ]
    data = {**rows_data("plan", rows, initial=1), "go": "continue"}
    assert english.post(step_url(application, "plan"), data).status_code == 302
    assert list(current_version(application).plan_rows.values_list("activity", flat=True)) == [
        "見守り活動"
    ]


def test_plan_offers_only_the_districts_initiatives_covering_the_year(english, year):
    application, coordinator = complete_draft(year)
    elsewhere = InitiativeFactory(title="よその取組")
    old_plan = PlanFactory(
        district=application.council.district, start_fy=2010, end_fy=2014, superseded=True
    )
    expired = InitiativeFactory(plan=old_plan, title="終わった取組")
    english.force_login(coordinator)
    page = text_of(english.get(step_url(application, "plan")))
    assert "よその取組" not in page and "終わった取組" not in page
    row = plan_row(initiatives=[str(elsewhere.pk)])
    response = english.post(
        step_url(application, "plan"), {**rows_data("plan", [row], initial=1), "go": "continue"}
    )
    assert response.status_code == 200
    assert "Choose from the initiatives" in text_of(response)
    assert not PlanRow.objects.filter(initiatives__in=[elsewhere, expired]).exists()


# The budget ------------------------------------------------------------------------------------


def test_budget_accepts_full_width_amounts_and_shows_the_totals(english, year):
    application, coordinator = complete_draft(year)
    english.force_login(coordinator)
    data = budget_data(
        year,
        income=[grant_income("１２，０００円")],
        expenses=[expense(year, "¥10,000")],
        initial=(2, 3),
        go="draft",
    )
    assert english.post(step_url(application, "budget"), data).status_code == 302
    lines = BudgetLine.objects.filter(version__application=application)
    assert sorted(lines.values_list("amount", flat=True)) == [10_000, 12_000]
    application.refresh_from_db()
    assert application.requested_amount == 12_000
    page = text_of(english.get(step_url(application, "budget")))
    totals = between(page, "data-budget-totals", "</div>\n</div>")
    assert 'data-total="income"><span class="amount">¥12,000</span>' in totals
    assert 'data-total="expense"><span class="amount">¥10,000</span>' in totals
    assert 'data-total="difference"><span class="amount">¥2,000</span>' in totals
    assert 'Income is <span class="amount">¥2,000</span> more than expenses.' in totals
    assert "js/budget-totals" in page
    assert 'name="income-0-amount" value="12,000"' in page


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("abc", "Enter the amount in yen, in digits"),
        ("-100", "at least 0 yen"),
        ("", "Enter the amount in yen."),
    ],
)
def test_budget_refuses_bad_amounts_beside_the_field(english, year, amount, message):
    application, coordinator = complete_draft(year)
    english.force_login(coordinator)
    data = budget_data(year, expenses=[expense(year, amount, description="テント")], initial=(2, 3))
    response = english.post(step_url(application, "budget"), data)
    assert response.status_code == 200
    page = text_of(response)
    assert message in field_error(page, "id_expense-0-amount")
    assert "Expense line 1 – Amount (yen)" in page
    assert 'value="テント"' in page
    if amount:
        assert f'value="{amount}"' in page
    assert BudgetLine.objects.filter(version__application=application).count() == 5


def test_budget_refuses_an_ineligible_category_naming_it(english, year):
    application, coordinator = complete_draft(year)
    english.force_login(coordinator)
    page = text_of(english.get(step_url(application, "budget")))
    assert "食糧費 (not eligible: 懇親会などの飲食は対象外" in page
    data = budget_data(year, expenses=[expense(year, "700000", "食糧費")], initial=(2, 3))
    page = text_of(english.post(step_url(application, "budget"), data))
    assert "“食糧費” cannot be paid from the grant" in field_error(page, "id_expense-0-category")
    assert not BudgetLine.objects.filter(category__name="食糧費").exists()


def test_budget_refuses_a_request_above_the_allocation_showing_it(english, year):
    application, coordinator = complete_draft(year)
    english.force_login(coordinator)
    data = budget_data(
        year,
        income=[grant_income("1,200,000")],
        expenses=[expense(year, "1200000")],
        initial=(2, 3),
    )
    page = text_of(english.post(step_url(application, "budget"), data))
    message = field_error(page, "id_income-0-amount")
    assert "¥1,200,000" in message and "allocation of ¥1,000,000" in message
    assert 'value="1,200,000"' in page
    application.refresh_from_db()
    assert application.requested_amount == 600_000


def test_budget_adds_lines_without_javascript(english, year):
    application, coordinator = complete_draft(year)
    english.force_login(coordinator)
    data = budget_data(year, initial=(2, 3), go="add_expense")
    response = english.post(step_url(application, "budget"), data)
    assert response["Location"].endswith("/budget/?add=expense#expense-new")
    page = text_of(english.get(response["Location"]))
    assert 'name="expense-TOTAL_FORMS" value="2"' in page
    assert 'name="income-TOTAL_FORMS" value="2"' in page
    assert 'id="expense-new"' in page


def test_an_unbalanced_budget_is_refused_at_submission_with_both_totals(english, year):
    application, coordinator = complete_draft(year)
    english.force_login(coordinator)
    data = budget_data(year, expenses=[expense(year, "650000")], initial=(2, 3))
    assert english.post(step_url(application, "budget"), data).status_code == 302
    check = text_of(english.get(step_url(application, "check")))
    assert "Before you can submit" in check
    response = english.post(app_url(application, "do/submit/"))
    assert response.status_code == 200
    page = text_of(response)
    summary = between(page, "error-summary", "</div>")
    assert "could not be submitted" in summary
    assert "¥700,000" in summary and "¥650,000" in summary and "¥50,000" in summary
    application.refresh_from_db()
    assert application.state == State.DRAFT


def test_submission_lists_every_problem(english, year):
    council, coordinator = make_applicant(year)
    application = edits.start_application(
        council=council, program_year=year, by=coordinator, **BASICS
    )
    english.force_login(coordinator)
    response = english.post(app_url(application, "do/submit/"))
    summary = between(text_of(response), "error-summary", "</div>")
    for text in ("purpose", "at least one activity", "at least one expense", "minutes"):
        assert text in summary
    assert Application.objects.get().state == State.DRAFT


# Attachments -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("minutes.pdf", b"MZ\x90\x00 not a pdf at all", "is not a PDF・PNG・JPEG file"),
        ("minutes.pdf", PDF_BYTES + b"0" * (10 * 1024 * 1024), "10.0\xa0MB or less"),
    ],
)
def test_attachments_refuse_disguised_and_too_large_files(english, year, name, content, message):
    application, coordinator = complete_draft(year)
    english.force_login(coordinator)
    data = {**upload(name, content, title="見積書", kind="quote"), "go": "upload"}
    response = english.post(step_url(application, "attachments"), data)
    assert response.status_code == 200
    page = text_of(response)
    assert message in field_error(page, "id_file")
    assert 'value="見積書"' in page
    assert application.attachments.count() == 1


def test_attachment_needs_a_title_when_a_file_is_chosen(english, year):
    application, coordinator = complete_draft(year)
    english.force_login(coordinator)
    response = english.post(
        step_url(application, "attachments"), {**upload("q.pdf", title=""), "go": "continue"}
    )
    assert "Enter a title for the file" in field_error(text_of(response), "id_title")


def test_attachments_step_moves_on_without_a_file(english, year):
    application, coordinator = complete_draft(year)
    english.force_login(coordinator)
    response = english.post(step_url(application, "attachments"), {"go": "continue"})
    assert response["Location"] == step_url(application, "check")


def test_an_attachment_can_be_removed_before_submission_only(english, year):
    application, coordinator = complete_draft(year)
    attachment = application.attachments.get()
    english.force_login(coordinator)
    url = app_url(application, f"attachments/{attachment.pk}/remove/")
    assert english.get(url).status_code == 405
    response = english.post(url)
    assert response["Location"] == step_url(application, "attachments")
    assert not application.attachments.exists()

    submitted, coordinator, _staff = application_in(State.SUBMITTED, year)
    english.force_login(coordinator)
    kept = submitted.attachments.get()
    response = english.post(app_url(submitted, f"attachments/{kept.pk}/remove/"))
    assert response["Location"] == app_url(submitted)
    assert Attachment.objects.filter(pk=kept.pk).exists()


def test_an_attachment_of_another_application_is_404(english, year):
    application, coordinator = complete_draft(year)
    other, _ = complete_draft(year)
    foreign = other.attachments.get()
    english.force_login(coordinator)
    response = english.post(app_url(application, f"attachments/{foreign.pk}/remove/"))
    assert response.status_code == 404
    assert Attachment.objects.filter(pk=foreign.pk).exists()


# Wrong state -----------------------------------------------------------------------------------


def test_steps_of_a_submitted_application_refuse_changes(english, year):
    application, coordinator, _staff = application_in(State.SUBMITTED, year)
    english.force_login(coordinator)
    before = list(PlanRow.objects.values_list("pk", "activity"))
    lines_before = list(BudgetLine.objects.values_list("pk", "amount"))
    data = {**rows_data("plan", [plan_row(activity="書き換え")], initial=1), "go": "continue"}
    response = english.post(step_url(application, "plan"), data)
    assert response["Location"] == app_url(application)
    english.post(step_url(application, "budget"), budget_data(year, initial=(2, 3)))
    english.post(step_url(application, "basics"), basics_data(representative_name="別人"))
    english.post(step_url(application, "attachments"), {**upload("m.pdf"), "go": "upload"})
    assert list(PlanRow.objects.values_list("pk", "activity")) == before
    assert list(BudgetLine.objects.values_list("pk", "amount")) == lines_before
    application.refresh_from_db()
    assert application.representative_name == BASICS["representative_name"]
    assert application.attachments.count() == 1
    page = text_of(english.get(app_url(application)))
    assert "cannot be changed while it is “Submitted”" in page
    assert english.get(step_url(application, "plan"))["Location"] == app_url(application)


def test_a_write_the_workflow_refuses_ends_on_the_application_with_the_reason(
    english, year, monkeypatch
):
    """The page let the coordinator edit, but the service refused the write (the application
    moved on in between): each page goes back to the application and says why."""
    application, coordinator = complete_draft(year)
    approved, approved_coordinator, _staff = application_in(State.APPROVED, year)

    def refuse(**_arguments):
        raise workflow.ActionNotAllowed("The application has just been submitted.")

    for service in ("update_basics", "save_plan_rows", "start_change"):
        monkeypatch.setattr(edits, service, refuse)
    english.force_login(coordinator)
    response = english.post(step_url(application, "basics"), basics_data())
    assert response["Location"] == app_url(application)
    plan = {**rows_data("plan", [plan_row()], initial=1), "go": "continue"}
    assert english.post(step_url(application, "plan"), plan)["Location"] == app_url(application)
    assert "The application has just been submitted." in text_of(english.get(app_url(application)))

    english.force_login(approved_coordinator)
    response = english.post(app_url(approved, "change/"), {"change_reason": "講師を追加します。"})
    assert response["Location"] == app_url(approved)
    assert "The application has just been submitted." in text_of(english.get(app_url(approved)))


def test_actions_in_the_wrong_state_are_refused_and_change_nothing(english, year):
    application, coordinator, _staff = application_in(State.SUBMITTED, year)
    english.force_login(coordinator)
    events = ApplicationEvent.objects.count()
    for action in ("submit", "withdraw", "request_change", "submit_report"):
        response = english.post(app_url(application, f"do/{action}/"), {"confirm": "yes"})
        assert response["Location"] == app_url(application)
    application.refresh_from_db()
    assert application.state == State.SUBMITTED
    assert ApplicationEvent.objects.count() == events
    page = text_of(english.get(app_url(application)))
    assert "This cannot be done while the application is “Submitted”" in page


def test_act_refuses_get_and_unknown_actions(english, year):
    application, coordinator = complete_draft(year)
    english.force_login(coordinator)
    assert english.get(app_url(application, "do/submit/")).status_code == 405
    assert english.post(app_url(application, "do/approve/")).status_code == 404
    assert english.post(app_url(application, "do/settle/")).status_code == 404
    application.refresh_from_db()
    assert application.state == State.DRAFT


# Withdrawing -----------------------------------------------------------------------------------


def test_withdrawing_asks_for_confirmation_first(english, year):
    application, coordinator = complete_draft(year)
    english.force_login(coordinator)
    response = english.post(app_url(application, "do/withdraw/"))
    assert response.status_code == 200
    page = text_of(response)
    assert "Withdraw the application?" in page
    assert 'name="confirm"' in page
    application.refresh_from_db()
    assert application.state == State.DRAFT
    response = english.post(
        app_url(application, "do/withdraw/"), {"confirm": "yes", "comment": "役員会で見送り"}
    )
    assert response["Location"] == app_url(application)
    application.refresh_from_db()
    assert application.state == State.WITHDRAWN
    assert application.events.get(action="withdraw").comment == "役員会で見送り"


def test_withdrawing_a_filed_application_is_refused_before_the_confirmation(english, year):
    application, coordinator, _staff = application_in(State.SUBMITTED, year)
    english.force_login(coordinator)
    response = english.post(app_url(application, "do/withdraw/"))
    assert response["Location"] == app_url(application)
    page = text_of(english.get(app_url(application)))
    assert "This cannot be done while the application is “Submitted”" in page
    application.refresh_from_db()
    assert application.state == State.SUBMITTED


# Return for correction -------------------------------------------------------------------------


def test_return_reasons_show_beside_their_step_and_the_application_is_resubmitted(english, year):
    application, coordinator, staff = application_in(State.SUBMITTED, year)
    decisions.return_for_correction(
        application=application,
        by=staff.officer,
        reasons={"budget": "見積書の金額と合わせてください。", "plan": "日程を具体的に。"},
    )
    english.force_login(coordinator)
    detail = text_of(english.get(app_url(application)))
    corrections = between(detail, "What the city asks you to correct", "</section>")
    assert "見積書の金額と合わせてください。" in corrections and "日程を具体的に。" in corrections
    assert f'href="{step_url(application, "budget")}"' in corrections

    budget = text_of(english.get(step_url(application, "budget")))
    assert "見積書の金額と合わせてください。" in between(budget, "grant-reason", "</div>")
    assert "日程を具体的に。" not in budget
    steps = between(budget, '<ol class="grant-steps__list">', "</ol>")
    assert steps.count("To correct") == 2
    assert "見積書の金額と合わせてください。" not in text_of(
        english.get(step_url(application, "basics"))
    )
    check = text_of(english.get(step_url(application, "check")))
    assert "見積書の金額と合わせてください。" in check and "日程を具体的に。" in check

    response = english.post(app_url(application, "do/submit/"))
    assert response["Location"] == app_url(application)
    application.refresh_from_db()
    assert application.state == State.SUBMITTED
    assert "見積書の金額と合わせてください。" not in between(
        text_of(english.get(app_url(application))), "<h1>", "History"
    )


# The detail page -------------------------------------------------------------------------------


def test_detail_shows_amounts_versions_payments_history_files_and_prints(english, year):
    application, coordinator, staff = application_in(State.PAID, year, granted=500_000)
    english.force_login(coordinator)
    page = text_of(english.get(app_url(application)))
    amounts = between(page, 'id="amounts-heading"', "</section>")
    assert "¥600,000" in amounts and "¥500,000" in amounts
    assert "Paid" in amounts
    assert f"み協第{application.pk}号" in page
    assert "地区防災訓練" in page and "消耗品費" in page
    history = between(page, 'id="history-heading"', "</section>")
    assert "Submitted" in history and "Approved" in history and "Payment recorded" in history
    assert "Draft → Submitted" in history
    assert '¥600,000</span> → <span class="amount">¥500,000' in history
    assert person_name(staff.approver) in history
    assert re.search(r"\d{1,2} [A-Z][a-z]{2} 20\d\d \d\d:\d\d", history)
    attachment = application.attachments.get()
    assert f'href="/grants/documents/{application.pk}/attachments/{attachment.pk}/"' in page
    assert f"/grants/documents/{application.pk}/application/" in page
    assert f"/grants/documents/{application.pk}/decision/" in page
    assert f"/grants/documents/{application.pk}/report/" not in page
    assert f"/grants/documents/{application.pk}/settlement/" not in page


def test_history_shows_when_in_the_short_form_with_the_time(client, year):
    application, coordinator, _staff = application_in(State.SUBMITTED, year)
    client.force_login(coordinator)
    history = between(
        text_of(client.get(app_url(application))), 'id="history-heading"', "</section>"
    )
    submitted = timezone.localtime(application.events.get(action="submit").at)
    assert (
        f"R{submitted.year - 2018}.{submitted.month}.{submitted.day} {submitted:%H:%M}" in history
    )


def test_detail_shows_the_settlement_print_once_settled(english, year):
    application, coordinator, _staff = application_in(State.SETTLED, year)
    english.force_login(coordinator)
    page = text_of(english.get(app_url(application)))
    for document in ("application", "decision", "report", "settlement"):
        assert f"/grants/documents/{application.pk}/{document}/" in page
    assert "Year-end report" in page and "防災訓練を実施し120人が参加。" in page


def buttons(page: str) -> set[str]:
    return set(re.findall(r'action="/grants/applications/\d+/do/([a-z_]+)/"', page))


@pytest.mark.parametrize(
    ("state", "posts", "links"),
    [
        (State.DRAFT, {"submit", "withdraw"}, ["/basics/"]),
        (State.RETURNED, {"submit", "withdraw"}, ["/basics/"]),
        (State.SUBMITTED, set(), []),
        (State.APPROVED, {"request_change"}, ["/change/"]),
        (State.PAID, {"submit_report"}, ["/report/"]),
        (State.SETTLED, set(), []),
    ],
)
def test_detail_shows_exactly_the_coordinators_actions(english, year, state, posts, links):
    application, coordinator, _staff = application_in(state, year)
    english.force_login(coordinator)
    page = text_of(english.get(app_url(application)))
    assert buttons(page) == posts
    actions = between(page, "<main", "</main>")
    for link in links:
        assert f'class="button" href="{app_url(application)}{link.lstrip("/")}"' in actions
    if not posts and not links:
        assert "What you can do now" not in page


def test_detail_shows_earlier_versions(english, year):
    application, coordinator, staff = application_in(State.APPROVED, year)
    edits.start_change(application=application, by=coordinator, reason="講師の追加")
    edits.save_budget(
        application=application, by=coordinator, lines=budget_lines(year, grant=650_000, own=50_000)
    )
    decisions.request_change(application=application, by=coordinator)
    decisions.approve_change(application=application, by=staff.approver, granted_amount=650_000)
    english.force_login(coordinator)
    page = text_of(english.get(app_url(application)))
    versions = between(page, 'id="versions-heading"', "</section>")
    assert "Version 2" in versions and "Version 1" in versions
    assert "<details" in versions and "Superseded" in versions
    assert "講師の追加" in versions
    assert "¥650,000" in versions and "¥600,000" in versions


# Change requests -------------------------------------------------------------------------------


def test_a_change_request_edits_a_new_version_and_is_submitted(english, year):
    application, coordinator, _staff = application_in(State.APPROVED, year)
    english.force_login(coordinator)
    change_url = app_url(application, "change/")
    response = english.post(change_url, {"change_reason": ""})
    assert "Say what changes and why." in field_error(text_of(response), "id_change_reason")
    response = english.post(change_url, {"change_reason": "講師を1名追加します。"})
    assert response["Location"] == step_url(application, "basics")
    assert english.get(change_url)["Location"] == step_url(application, "basics")

    page = text_of(english.get(step_url(application, "basics")))
    assert 'name="purpose"' in page and 'name="representative_name"' not in page
    assert "講師を1名追加します。" in page
    steps = between(page, '<ol class="grant-steps__list">', "</ol>")
    assert steps.count("<li") == 4 and "/attachments/" not in steps
    assert english.get(step_url(application, "attachments")).status_code == 404

    response = english.post(
        step_url(application, "basics"), {"purpose": "講師を増やして研修を充実させます。"}
    )
    assert response["Location"] == step_url(application, "plan")
    data = budget_data(
        year,
        income=[grant_income("650000"), {"income_source": "own_funds", "amount": "50000"}],
        initial=(2, 3),
    )
    assert english.post(step_url(application, "budget"), data).status_code == 302
    proposed = application.versions.get(status=VersionStatus.PROPOSED)
    assert proposed.requested_amount == 650_000
    assert proposed.purpose == "講師を増やして研修を充実させます。"
    assert current_version(application).requested_amount == 600_000

    check = text_of(english.get(step_url(application, "check")))
    assert f'action="{app_url(application, "do/request_change/")}"' in check
    response = english.post(app_url(application, "do/request_change/"))
    assert response["Location"] == app_url(application)
    application.refresh_from_db()
    assert application.state == State.CHANGE_REQUESTED


def test_steps_before_the_change_request_is_started_lead_to_it(english, year):
    application, coordinator, _staff = application_in(State.APPROVED, year)
    english.force_login(coordinator)
    response = english.get(step_url(application, "budget"))
    assert response["Location"] == app_url(application, "change/")
    response = english.post(app_url(application, "do/request_change/"), follow=True)
    assert response.redirect_chain[-1][0] == app_url(application, "change/")
    assert "Prepare the change request first." in text_of(response)
    application.refresh_from_db()
    assert application.state == State.APPROVED


def test_a_change_cannot_be_started_before_the_decision(english, year):
    application, coordinator = complete_draft(year)
    english.force_login(coordinator)
    response = english.post(app_url(application, "change/"), {"change_reason": "理由"})
    assert response["Location"] == app_url(application)
    assert application.versions.count() == 1


# The report ------------------------------------------------------------------------------------


def report_data(year, *, expenses=None, **changes) -> dict:
    day = fiscal_year_range(year.fiscal_year)[0] + dt.timedelta(days=60)
    income = [
        {"income_source": "grant", "description": "一括交付金", "amount": "600,000"},
        {"income_source": "own_funds", "description": "会費", "amount": "100,000"},
    ]
    expenses = (
        expenses if expenses is not None else [expense(year, "700000", spent_on=day.isoformat())]
    )
    return {
        "summary": "防災訓練を実施し120人が参加。",
        "outcomes": "次年度は子ども向けの訓練を加える。",
        **rows_data("income", income),
        **rows_data("expense", expenses),
        "go": "continue",
        **changes,
    }


def test_the_report_is_written_receipts_attached_and_submitted(english, year):
    application, coordinator, _staff = application_in(State.PAID, year)
    indicator = edits.reportable_indicators(application).get()
    english.force_login(coordinator)
    page = text_of(english.get(app_url(application, "report/")))
    assert 'name="income-TOTAL_FORMS" value="2"' in page  # prefilled from the budget
    assert indicator.name in page

    data = report_data(year, **{f"indicator-{indicator.pk}-actual_value": "１２０"})
    response = english.post(app_url(application, "report/"), data)
    assert response["Location"] == app_url(application, "report/receipts/")
    report = Report.objects.get(application=application)
    assert report.lines.count() == 3
    assert report.indicator_results.get().actual_value == 120

    receipts = text_of(english.get(app_url(application, "report/receipts/")))
    assert 'name="kind"' not in receipts
    response = english.post(
        app_url(application, "report/receipts/"),
        {"title": "領収書一式", "file": pdf_file("receipts.pdf")},
    )
    assert response["Location"] == app_url(application, "report/receipts/")
    receipt = application.attachments.get(for_report=True)
    assert receipt.kind == AttachmentKind.RECEIPT

    response = english.post(app_url(application, "do/submit_report/"))
    assert response["Location"] == app_url(application)
    application.refresh_from_db()
    assert application.state == State.REPORTED
    page = text_of(english.get(app_url(application)))
    assert f"/grants/documents/{application.pk}/report/" in page


def test_a_report_expense_dated_outside_the_fiscal_year_is_refused(english, year):
    application, coordinator, _staff = application_in(State.PAID, year)
    english.force_login(coordinator)
    late = fiscal_year_range(year.fiscal_year)[1] + dt.timedelta(days=1)
    data = report_data(year, expenses=[expense(year, "700000", spent_on=late.isoformat())])
    response = english.post(app_url(application, "report/"), data)
    assert response.status_code == 200
    page = text_of(response)
    assert "inside the fiscal year" in field_error(page, "id_expense-0-spent_on")
    assert f'value="{late.isoformat()}"' in page
    assert "防災訓練を実施し120人が参加。" in page
    assert not Report.objects.filter(application=application).exists()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"spent_on": ""}, "spent_on", "Enter the date this expense was paid."),
        ({"spent_on": "昨日"}, "spent_on", "Enter the date as 2026/12/10 or 令和8年12月10日."),
        ({"amount": "abc"}, "amount", "Enter the amount in yen"),
        ({"category": ""}, "category", "Choose the expense category."),
    ],
)
def test_report_lines_refuse_bad_input_beside_the_field(english, year, changes, field, message):
    application, coordinator, _staff = application_in(State.PAID, year)
    english.force_login(coordinator)
    day = fiscal_year_range(year.fiscal_year)[0].isoformat()
    data = report_data(year, expenses=[{**expense(year, "700000", spent_on=day), **changes}])
    page = text_of(english.post(app_url(application, "report/"), data))
    assert message in field_error(page, f"id_expense-0-{field}")
    assert not Report.objects.filter(application=application).exists()


def test_an_unbalanced_report_is_refused_at_submission_on_the_report_page(english, year):
    application, coordinator, _staff = application_in(State.PAID, year)
    day = fiscal_year_range(year.fiscal_year)[0].isoformat()
    english.force_login(coordinator)
    data = report_data(year, expenses=[expense(year, "650000", spent_on=day)], go="draft")
    assert english.post(app_url(application, "report/"), data)["Location"] == app_url(application)
    response = english.post(app_url(application, "do/submit_report/"))
    assert response.status_code == 200
    summary = between(text_of(response), "error-summary", "</div>")
    assert "The report could not be submitted" in summary
    assert "¥700,000" in summary and "¥650,000" in summary and "¥50,000" in summary
    assert "Attach the receipts" in summary
    application.refresh_from_db()
    assert application.state == State.PAID


def test_report_return_reasons_show_beside_their_parts(english, year):
    application, coordinator, staff = application_in(State.REPORTED, year)
    decisions.return_report(
        application=application,
        by=staff.officer,
        reasons={"report_budget": "日付を確認してください。", "receipts": "領収書が不鮮明です。"},
    )
    english.force_login(coordinator)
    report = text_of(english.get(app_url(application, "report/")))
    assert "日付を確認してください。" in report and "領収書が不鮮明です。" not in report
    receipts = text_of(english.get(app_url(application, "report/receipts/")))
    assert "領収書が不鮮明です。" in receipts
    detail = text_of(english.get(app_url(application)))
    assert "日付を確認してください。" in between(
        detail, "What the city asks you to correct", "</section>"
    )
    # Receipts filed with the first report stay.
    kept = application.attachments.get(for_report=True)
    english.post(app_url(application, f"attachments/{kept.pk}/remove/"))
    assert Attachment.objects.filter(pk=kept.pk).exists()


def test_the_report_cannot_be_written_before_payment(english, year):
    application, coordinator, _staff = application_in(State.APPROVED, year)
    english.force_login(coordinator)
    day = fiscal_year_range(year.fiscal_year)[0].isoformat()
    data = report_data(year, expenses=[expense(year, "700000", spent_on=day)])
    assert english.post(app_url(application, "report/"), data)["Location"] == app_url(application)
    assert english.get(app_url(application, "report/receipts/"))["Location"] == app_url(application)
    assert not Report.objects.exists()


# Scope: another council's application, and anonymous users -------------------------------------


def every_url(application, attachment) -> list[tuple[str, str]]:
    return [
        ("get", app_url(application)),
        ("get", app_url(application, "change/")),
        ("post", app_url(application, "change/")),
        ("get", app_url(application, "report/")),
        ("post", app_url(application, "report/")),
        ("get", app_url(application, "report/receipts/")),
        ("post", app_url(application, "report/receipts/")),
        ("post", app_url(application, f"attachments/{attachment.pk}/remove/")),
        *[("post", app_url(application, f"do/{action}/")) for action in decisions_actions()],
        *[("get", step_url(application, step)) for step in STEPS],
        *[("post", step_url(application, step)) for step in STEPS],
        ("get", start_url(application.council, application.program_year.fiscal_year)),
        ("post", start_url(application.council, application.program_year.fiscal_year)),
    ]


STEPS = ("basics", "plan", "budget", "attachments", "check")


def decisions_actions():
    return ("submit", "withdraw", "request_change", "submit_report")


@pytest.mark.parametrize("state", [State.DRAFT, State.APPROVED, State.PAID])
def test_a_coordinator_of_another_council_gets_404_everywhere(english, year, state):
    application, _owner, _staff = application_in(state, year)
    attachment = application.attachments.first()
    _council, stranger = make_applicant(year)
    english.force_login(stranger)
    events = ApplicationEvent.objects.count()
    for method, url in every_url(application, attachment):
        response = getattr(english, method)(url, {"confirm": "yes"} if method == "post" else {})
        assert response.status_code == 404, (method, url)
    assert ApplicationEvent.objects.count() == events
    assert application.council.name not in text_of(english.get("/grants/applications/"))


def test_staff_who_coordinate_nothing_get_404_too(english, year):
    application, _owner, _staff = application_in(State.SUBMITTED, year)
    english.force_login(StaffUserFactory.grant_officer())
    for method, url in every_url(application, application.attachments.get()):
        assert getattr(english, method)(url).status_code == 404, (method, url)


def test_anonymous_users_are_sent_to_sign_in(client, year):
    application, _owner = complete_draft(year)
    urls = [
        ("get", "/grants/applications/"),
        *every_url(application, application.attachments.get()),
    ]
    for method, url in urls:
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/?next="), url
    assert Application.objects.get().state == State.DRAFT


# The account page ------------------------------------------------------------------------------


def test_account_page_links_to_the_grant_pages_by_role(english, year):
    _council, coordinator = make_applicant(year)
    english.force_login(coordinator)
    page = text_of(english.get("/accounts/"))
    assert 'href="/grants/applications/"' in page
    assert 'href="/grants/review/"' not in page

    english.force_login(StaffUserFactory.grant_officer())
    page = text_of(english.get("/accounts/"))
    assert 'href="/grants/review/"' in page
    assert 'href="/grants/applications/"' not in page

    district = _council.district
    english.force_login(StaffUserFactory.liaison(district))
    assert 'href="/grants/review/"' in text_of(english.get("/accounts/"))


# Query counts ----------------------------------------------------------------------------------


def older_applications(council, scale: int, *, since: int = 2000):
    for offset in range(scale):
        older = GrantYearFactory(fiscal_year=since + offset)
        Application.objects.create(
            program_year=older, council=council, state=State.SETTLED, **BASICS
        )


def test_dashboard_query_count_does_not_grow_with_data(client, year, django_assert_num_queries):
    council, coordinator = make_applicant(year)
    add_components(Allocation.objects.get(district=council.district))
    complete_draft(year, council=council, coordinator=coordinator)
    older_applications(council, 1)
    client.force_login(coordinator)
    with django_assert_num_queries(8):
        client.get("/grants/applications/")
    for _ in range(9):
        other, _ = make_applicant(year, coordinator=coordinator)
        add_components(Allocation.objects.get(district=other.district))
        older_applications(other, 2)
    older_applications(council, 9, since=2001)
    with django_assert_num_queries(8):
        response = client.get("/grants/applications/")
    assert len(response.context["dashboard"].blocks) == 10


def grow(application, coordinator, scale: int):
    """`scale` times the plan rows, budget lines and files (so events) of a draft."""
    year = application.program_year
    plan = Plan.objects.filter(district=application.council.district).first()
    rows = [
        {
            "activity": f"活動{n}",
            "initiatives": InitiativeFactory.create_batch(2, plan=plan),
            "schedule": "通年",
            "expected_effect": "参加者の増加",
            "cost": 1000,
        }
        for n in range(scale)
    ]
    edits.save_plan_rows(application=application, by=coordinator, rows=rows)
    lines = budget_lines(year)
    lines += [
        {
            "side": Side.EXPENSE,
            "income_source": "",
            "category": category(year, "印刷製本費"),
            "description": f"チラシ{n}",
            "amount": 1000 + n,
        }
        for n in range(scale)
    ]
    lines.append(
        {
            "side": Side.INCOME,
            "income_source": IncomeSource.OTHER,
            "category": None,
            "description": "寄付",
            "amount": sum(1000 + n for n in range(scale)),
        }
    )
    edits.save_budget(application=application, by=coordinator, lines=lines)
    for n in range(scale):
        edits.add_attachment(
            application=application,
            by=coordinator,
            kind=AttachmentKind.QUOTE,
            title=f"見積書{n}",
            file=pdf_file(),
        )


def test_detail_query_count_does_not_grow_with_data(client, year, django_assert_num_queries):
    application, coordinator = complete_draft(year)
    grow(application, coordinator, 1)
    client.force_login(coordinator)
    with django_assert_num_queries(13):
        client.get(app_url(application))
    grow(application, coordinator, 10)
    with django_assert_num_queries(13):
        response = client.get(app_url(application))
    detail = response.context["detail"]
    assert len(detail.history) > 12 and len(detail.attachments) == 12
    assert len(detail.current.plan_rows) == 10 and len(detail.current.expenses) == 13


def test_detail_query_count_with_a_report_and_payments(client, year, django_assert_num_queries):
    application, coordinator, _staff = application_in(State.SETTLED, year)
    client.force_login(coordinator)
    with django_assert_num_queries(14):
        response = client.get(app_url(application))
    assert response.context["detail"].report is not None
