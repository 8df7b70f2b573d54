"""The year's Excel workbook for the grant staff: its sheets, columns and rows, and who gets it."""

import datetime as dt
import io

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from core import roles
from subsidies.models import State
from subsidies.services import applications as edits
from subsidies.services import decisions
from tests.factories import StaffUserFactory, UserFactory
from tests.subsidies.factories import (
    GrantYearFactory,
    Staff,
    application_in,
    budget_lines,
    complete_draft,
)

pytestmark = pytest.mark.django_db

APPLICATION_HEADERS = [
    "District",
    "Council",
    "State",
    "Requested (yen)",
    "Granted (yen)",
    "Paid (yen)",
    "Confirmed (yen)",
    "Refund (yen)",
    "Decision number",
    "Submitted on",
    "Decided on",
    "Settled on",
    "Cancelled on",
]
BUDGET_HEADERS = [
    "District",
    "Version",
    "Income or expense",
    "Source or category",
    "Eligible",
    "Description",
    "Amount (yen)",
]


@pytest.fixture
def year():
    return GrantYearFactory()


@pytest.fixture
def staff():
    return Staff()


def download(client, fiscal_year):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(reverse("grants:review_year_xlsx", args=[fiscal_year]))
    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert f"grant-applications-{fiscal_year}.xlsx" in response["Content-Disposition"]
    return load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def rows_of(sheet) -> list[tuple]:
    return list(sheet.iter_rows(values_only=True))


def test_two_sheets_with_the_years_applications_and_current_budgets(client, year, staff):
    settled = application_in(State.SETTLED, year, staff=staff)[0]
    submitted = application_in(State.SUBMITTED, year, staff=staff, grant=500_000)[0]
    complete_draft(year)  # the council's own: not exported
    application_in(State.SUBMITTED, GrantYearFactory(fiscal_year=year.fiscal_year - 1))
    client.force_login(staff.officer)
    workbook = download(client, year.fiscal_year)
    assert workbook.sheetnames == ["Applications", "Budget lines"]

    applications = rows_of(workbook["Applications"])
    assert list(applications[0]) == APPLICATION_HEADERS
    assert len(applications) == 3
    by_council = {row[1]: row for row in applications[1:]}
    today = timezone.localdate()
    row = by_council[settled.council.name]
    assert row[0] == settled.council.district.name
    assert row[2] == "Settled"
    assert row[3:8] == (600_000, 600_000, 600_000, 600_000, 0)
    assert row[8] == settled.decision_number
    assert row[9].date() == today
    assert row[10].date() == today
    assert row[11].date() == today
    assert row[12] is None
    row = by_council[submitted.council.name]
    assert row[2] == "Submitted"
    assert row[3:6] == (500_000, None, 0)

    lines = rows_of(workbook["Budget lines"])
    assert list(lines[0]) == BUDGET_HEADERS
    assert len(lines) == 1 + 5 + 5  # five lines in each budget
    first = [line for line in lines[1:] if line[0] == settled.council.district.name]
    assert [line[2] for line in first] == ["Income"] * 2 + ["Expenses"] * 3
    assert first[0][1] == 1
    assert first[0][3] == "This grant"
    assert first[0][4] is None
    assert first[0][6] == 600_000
    assert first[2][3:5] == ("消耗品費", "Yes")


def test_only_the_current_version_of_a_changed_budget(client, year, staff):
    application, coordinator, _staff = application_in(State.APPROVED, year, staff=staff)
    edits.start_change(application=application, by=coordinator, reason="講師の追加")
    lines = budget_lines(year, grant=650_000)
    merged = dict(lines[3], amount=lines[2]["amount"] + lines[3]["amount"])
    edits.save_budget(application=application, by=coordinator, lines=[*lines[:2], merged, lines[4]])
    decisions.request_change(application=application, by=coordinator)
    decisions.approve_change(application=application, by=staff.approver, granted_amount=650_000)
    client.force_login(staff.officer)
    rows = rows_of(download(client, year.fiscal_year)["Budget lines"])[1:]
    assert {row[1] for row in rows} == {2}
    assert len(rows) == 4
    assert sum(row[6] for row in rows if row[2] == "Income") == 750_000


def test_what_councils_typed_never_becomes_a_formula(client, year, staff):
    application, coordinator = complete_draft(year)
    lines = budget_lines(year)
    lines[2] = dict(lines[2], description='=HYPERLINK("http://example.com")')
    edits.save_budget(application=application, by=coordinator, lines=lines)
    decisions.submit(application=application, by=coordinator)
    client.force_login(staff.officer)
    workbook = download(client, year.fiscal_year)
    cells = [row[5] for row in workbook["Budget lines"].iter_rows(min_row=2)]
    formula_cell = next(cell for cell in cells if str(cell.value).startswith("="))
    assert formula_cell.data_type == "s"


def test_liaison_officers_get_their_districts_only(client, year, staff):
    mine = application_in(State.SUBMITTED, year, staff=staff)[0]
    application_in(State.SUBMITTED, year, staff=staff)
    client.force_login(StaffUserFactory.liaison(mine.council.district))
    workbook = download(client, year.fiscal_year)
    applications = rows_of(workbook["Applications"])[1:]
    assert [row[1] for row in applications] == [mine.council.name]
    assert {row[0] for row in rows_of(workbook["Budget lines"])[1:]} == {mine.council.district.name}


@pytest.mark.parametrize(
    "make_user",
    [lambda: UserFactory(groups=[roles.COORDINATORS]), lambda: StaffUserFactory()],
    ids=["coordinator", "staff without a role"],
)
def test_non_staff_get_404(client, year, staff, make_user):
    application, coordinator, _staff = application_in(State.SUBMITTED, year, staff=staff)
    url = reverse("grants:review_year_xlsx", args=[year.fiscal_year])
    client.force_login(make_user())
    assert client.get(url).status_code == 404
    client.force_login(coordinator)
    assert client.get(url).status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(client, year):
    response = client.get(reverse("grants:review_year_xlsx", args=[year.fiscal_year]))
    assert response.status_code == 302


def test_an_empty_year_has_just_the_headers(client, year, staff):
    client.force_login(staff.approver)
    workbook = download(client, year.fiscal_year)
    assert rows_of(workbook["Applications"]) == [tuple(APPLICATION_HEADERS)]
    assert rows_of(workbook["Budget lines"]) == [tuple(BUDGET_HEADERS)]


def test_dates_are_local_dates(client, year, staff):
    application = application_in(State.SUBMITTED, year, staff=staff)[0]
    # Filed at 23:30 UTC is the next morning in Japan.
    moment = dt.datetime.combine(timezone.localdate(), dt.time(23, 30), tzinfo=dt.UTC)
    type(application).objects.filter(pk=application.pk).update(submitted_at=moment)
    client.force_login(staff.officer)
    row = rows_of(download(client, year.fiscal_year)["Applications"])[1]
    assert row[9].date() == timezone.localdate(moment)
