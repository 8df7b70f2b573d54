"""Dates and e-mail addresses in the grant forms, typed the way people in Japan write them."""

import datetime as dt

import pytest
from django.utils import timezone, translation

from core.dates import fiscal_year_range, format_wareki_date
from subsidies.models import Application, Report, State
from tests.subsidies.factories import GrantYearFactory, Staff, application_in, make_applicant
from tests.subsidies.test_coordinator_views import (
    app_url,
    basics_data,
    expense,
    field_error,
    report_data,
    start_url,
    text_of,
)
from tests.subsidies.test_review_views import act_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def year():
    return GrantYearFactory()


def wareki(day: dt.date) -> str:
    with translation.override("ja"):
        return format_wareki_date(day)


# The review actions' dates ---------------------------------------------------------------------


@pytest.fixture
def recommended(client, year):
    staff = Staff()
    client.force_login(staff.approver)
    return application_in(State.RECOMMENDED, year, staff=staff)[0]


def approve_data(**changes) -> dict:
    return {
        "granted_amount": "600,000",
        "decision_number": "み協第900号",
        "decided_on": timezone.localdate().isoformat(),
        "conditions": "実績報告は翌年4月末までに。",
        **changes,
    }


def test_a_decision_dated_in_wareki_is_recorded(client, recommended):
    today = timezone.localdate()

    response = client.post(
        act_url(recommended, "approve"), approve_data(decided_on=f"　{wareki(today)}　")
    )

    assert response.status_code == 302
    recommended.refresh_from_db()
    assert recommended.decided_on == today


def test_the_decision_date_says_how_to_write_it(client, recommended):
    text = text_of(client.get(act_url(recommended, "approve")))

    assert (
        '<p class="form-field__help" id="id_decided_on_helptext">例：2026/12/10、令和8年12月10日'
        in text
    )
    assert 'aria-describedby="id_decided_on_helptext"' in text
    assert 'type="date"' not in text


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("令和8年2月30日", "令和8年2月30日はありません（その月は28日までです）。"),
        (
            "令和1年4月30日",
            "令和元年4月30日は令和の始まる前の日付です。その日は平成31年4月30日です。",
        ),
        ("あした", "2026/12/10 または 令和8年12月10日 の形で入力してください。"),
    ],
)
def test_an_impossible_decision_date_is_refused_beside_the_field(
    client, recommended, typed, message
):
    response = client.post(act_url(recommended, "approve"), approve_data(decided_on=typed))

    assert response.status_code == 200
    text = text_of(response)
    assert field_error(text, "id_decided_on") == message
    assert f'name="decided_on" value="{typed}"' in text  # kept as typed
    assert 'aria-describedby="id_decided_on_helptext id_decided_on_error"' in text
    recommended.refresh_from_db()
    assert recommended.state == State.RECOMMENDED


# The report's expense dates --------------------------------------------------------------------


def test_a_report_expense_dated_in_wareki_and_full_width_is_saved(client, year):
    application, coordinator, _staff = application_in(State.PAID, year)
    client.force_login(coordinator)
    day = fiscal_year_range(year.fiscal_year)[0] + dt.timedelta(days=60)
    typed = wareki(day).translate({ord(d): ord(d) + 0xFEE0 for d in "0123456789"})

    response = client.post(
        app_url(application, "report/"),
        report_data(year, expenses=[expense(year, "700000", spent_on=typed)]),
    )

    assert response.status_code == 302
    line = Report.objects.get(application=application).lines.get(side="expense")
    assert line.spent_on == day


def test_a_report_expense_date_is_typed_not_picked(client, year):
    application, coordinator, _staff = application_in(State.PAID, year)
    client.force_login(coordinator)

    response = client.post(
        app_url(application, "report/"),
        report_data(year, expenses=[expense(year, "700000", spent_on="令和8年2月30日")]),
    )

    assert response.status_code == 200
    text = text_of(response)
    assert field_error(text, "id_expense-0-spent_on") == (
        "令和8年2月30日はありません（その月は28日までです）。"
    )
    assert 'name="expense-0-spent_on" value="令和8年2月30日"' in text
    assert 'type="date"' not in text
    assert 'id="id_expense-0-spent_on_helptext"' in text
    assert not Report.objects.filter(application=application).exists()


# The applicant's e-mail address -----------------------------------------------------------------


def test_a_full_width_contact_address_is_saved_normalised(client, year):
    council, coordinator = make_applicant(year)
    client.force_login(coordinator)

    client.post(
        start_url(council, year.fiscal_year),
        basics_data(contact_email="ｓａｋｕｒａｄａｉ＠Ｅｘａｍｐｌｅ．ｊｐ"),
    )

    assert Application.objects.get().contact_email == "sakuradai@example.jp"


def test_a_bad_contact_address_is_refused_and_kept(client, year):
    council, coordinator = make_applicant(year)
    client.force_login(coordinator)

    response = client.post(
        start_url(council, year.fiscal_year), basics_data(contact_email="sakuradai＠example")
    )

    assert response.status_code == 200
    text = text_of(response)
    assert "office@example.jp" in field_error(text, "id_contact_email")
    assert 'value="sakuradai＠example"' in text
    assert 'inputmode="email"' in text
    assert not Application.objects.exists()
