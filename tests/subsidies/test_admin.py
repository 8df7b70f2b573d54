"""Grant staff set the program's years up and keep the allocations in the admin."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from subsidies.categories import STANDARD_EXPENSE_CATEGORIES
from subsidies.models import (
    Allocation,
    ApplicationEvent,
    ApplicationVersion,
    ComponentKind,
    ExpenseCategory,
    Payment,
    ProgramYear,
    State,
    UnitCount,
)
from subsidies.services import compute_allocations
from tests.factories import StaffUserFactory
from tests.subsidies.factories import GrantYearFactory, application_in, complete_draft
from tests.subsidies.test_allocations import component, district_with, make_year

pytestmark = pytest.mark.django_db


@pytest.fixture
def year():
    year = make_year(budget=1_000_000)
    component(year, ComponentKind.FIXED, rate=300_000, label="均等割")
    lights = component(year, ComponentKind.PER_UNIT, rate=1_000, unit_name="防犯灯")
    district = district_with(2_000)
    UnitCount.objects.create(component=lights, district=district, count=10)
    district_with(1_500)
    return year


@pytest.fixture
def officer(client):
    user = StaffUserFactory.grant_officer()
    client.force_login(user)
    return user


def action(client, name, year):
    return client.post(
        reverse("admin:subsidies_programyear_changelist"),
        {"action": name, "_selected_action": [year.pk]},
        follow=True,
    )


def test_pages_render_for_grant_officers(client, officer, year):
    compute_allocations(program_year=year)
    allocation = Allocation.objects.first()
    for url in (
        reverse("admin:subsidies_program_changelist"),
        reverse("admin:subsidies_programyear_changelist"),
        reverse("admin:subsidies_programyear_change", args=[year.pk]),
        reverse("admin:subsidies_formulacomponent_changelist"),
        reverse("admin:subsidies_allocation_changelist"),
        reverse("admin:subsidies_allocation_change", args=[allocation.pk]),
    ):
        assert client.get(url).status_code == 200, url
    assert client.get(reverse("admin:subsidies_allocation_add")).status_code == 403


def test_compute_action_reports_the_count(client, officer, year):
    response = action(client, "compute", year)
    assert "2" in response.content.decode()
    assert Allocation.objects.filter(program_year=year).count() == 2
    amounts = sorted(Allocation.objects.values_list("amount", flat=True))
    assert amounts == [300_000, 310_000]


def test_compute_action_says_by_how_much_the_budget_is_exceeded(client, officer, year):
    year.budget = 500_000
    year.save()
    text = action(client, "compute", year).content.decode()
    assert "110,000" in text  # 610,000 − 500,000
    assert not Allocation.objects.exists()


def test_copy_to_next_year_moves_the_dates_and_keeps_the_formula(client, officer, year):
    action(client, "copy_to_next_year", year)
    copied = ProgramYear.objects.get(fiscal_year=2027)
    assert copied.application_opens_on == dt.date(2027, 4, 1)
    assert copied.components.count() == 2
    assert UnitCount.objects.filter(component__program_year=copied).count() == 1
    text = action(client, "copy_to_next_year", year).content.decode()
    assert ProgramYear.objects.filter(fiscal_year=2027).count() == 1
    assert "errornote" in text or "error" in text


def test_adjustment_needs_a_reason_and_stays_in_the_budget(client, officer, year, admin_form_data):
    compute_allocations(program_year=year)
    allocation = Allocation.objects.order_by("pk").first()
    url = reverse("admin:subsidies_allocation_change", args=[allocation.pk])
    page = admin_form_data(client.get(url))

    def post(adjustment, reason):
        return client.post(url, {**page, "adjustment": adjustment, "adjustment_reason": reason})

    response = post("5000", "")
    assert response.status_code == 200
    assert response.context["adminform"].form.errors
    response = post("400000", "特例")
    assert response.status_code == 200
    assert "budget" in str(response.context["adminform"].form.errors) or "予算" in str(
        response.context["adminform"].form.errors
    )
    allocation.refresh_from_db()
    assert allocation.adjustment == 0

    response = post("5000", "災害復旧の特例")
    assert response.status_code == 302, response.context["adminform"].form.errors
    allocation.refresh_from_db()
    assert (allocation.adjustment, allocation.adjustment_reason) == (5_000, "災害復旧の特例")


def test_approvers_read_but_do_not_change(client, year):
    client.force_login(StaffUserFactory.grant_approver())
    compute_allocations(program_year=year)
    allocation = Allocation.objects.first()
    url = reverse("admin:subsidies_allocation_change", args=[allocation.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"adjustment": "1", "adjustment_reason": "x"}).status_code == 403


def test_liaison_officers_do_not_see_the_grant_setup(client, year):
    client.force_login(StaffUserFactory(groups=["liaison"]))
    assert client.get(reverse("admin:subsidies_programyear_changelist")).status_code == 403


# Expense categories on the program year ------------------------------------------------------


def test_the_year_page_lists_its_expense_categories(client, officer, year):
    ExpenseCategory.objects.create(program_year=year, name="報償費", note="講師謝礼")
    response = client.get(reverse("admin:subsidies_programyear_change", args=[year.pk]))
    assert response.status_code == 200
    inlines = [inline.formset.model for inline in response.context["inline_admin_formsets"]]
    assert ExpenseCategory in inlines
    assert "講師謝礼" in response.content.decode()


def test_adding_the_standard_categories_skips_names_already_there(client, officer, year):
    ExpenseCategory.objects.create(program_year=year, name="報償費", eligible=False, order=0)
    text = action(client, "add_standard_categories", year).content.decode()
    names = list(year.expense_categories.values_list("name", flat=True))
    assert sorted(names) == sorted(name for name, _e, _n in STANDARD_EXPENSE_CATEGORIES)
    assert str(len(STANDARD_EXPENSE_CATEGORIES) - 1) in text
    # The existing category keeps the year's own decision; the new ones come after it.
    assert year.expense_categories.get(name="報償費").eligible is False
    assert year.expense_categories.get(name="旅費").order == 1
    assert year.expense_categories.get(name="食糧費").eligible is False
    action(client, "add_standard_categories", year)
    assert year.expense_categories.count() == len(STANDARD_EXPENSE_CATEGORIES)


def test_approvers_cannot_add_categories(client, year):
    client.force_login(StaffUserFactory.grant_approver())
    action(client, "add_standard_categories", year)
    assert not year.expense_categories.exists()


# Applications, read-only ---------------------------------------------------------------------


@pytest.fixture
def grant_year():
    return GrantYearFactory()


@pytest.fixture
def paid_application(grant_year):
    return application_in(State.PAID, grant_year)[0]


def application_urls(application):
    return {
        "list": reverse("admin:subsidies_application_changelist"),
        "change": reverse("admin:subsidies_application_change", args=[application.pk]),
        "add": reverse("admin:subsidies_application_add"),
        "delete": reverse("admin:subsidies_application_delete", args=[application.pk]),
    }


def test_applications_are_listed_with_what_was_paid(client, officer, paid_application):
    response = client.get(application_urls(paid_application)["list"])
    assert response.status_code == 200
    rows = list(response.context["cl"].result_list)
    assert [row.pk for row in rows] == [paid_application.pk]
    assert rows[0].paid_total == 600_000
    text = response.content.decode()
    assert paid_application.council.name in text
    assert reverse("grants:review_application", args=[paid_application.pk]) in text


def test_the_application_page_is_read_only_for_everyone(client, superuser, paid_application):
    client.force_login(superuser)
    urls = application_urls(paid_application)
    response = client.get(urls["change"])
    assert response.status_code == 200
    assert not response.context["has_change_permission"]
    assert 'name="_save"' not in response.content.decode()
    models = [inline.formset.model for inline in response.context["inline_admin_formsets"]]
    assert models == [ApplicationVersion, Payment, ApplicationEvent]
    assert reverse("grants:review_application", args=[paid_application.pk]) in (
        response.content.decode()
    )
    assert client.post(urls["change"], {"state": "settled"}).status_code == 403
    assert client.get(urls["add"]).status_code == 403
    assert client.get(urls["delete"]).status_code == 403
    paid_application.refresh_from_db()
    assert paid_application.state == State.PAID


def test_applications_are_searched_by_council_name_and_reading(client, officer, grant_year):
    found = application_in(State.SUBMITTED, grant_year)[0]
    application_in(State.SUBMITTED, grant_year)
    url = reverse("admin:subsidies_application_changelist")
    katakana = "".join(
        chr(ord(c) + 0x60) if "ぁ" <= c <= "ゖ" else c for c in found.council.name_kana
    )
    for term in (found.council.name, katakana):
        rows = client.get(url, {"q": term}).context["cl"].result_list
        assert [row.pk for row in rows] == [found.pk], term


def test_liaison_officers_see_their_districts_applications_only(client, grant_year):
    mine = application_in(State.SUBMITTED, grant_year)[0]
    other = application_in(State.SUBMITTED, grant_year)[0]
    client.force_login(StaffUserFactory.liaison(mine.council.district))
    response = client.get(reverse("admin:subsidies_application_changelist"))
    assert [row.pk for row in response.context["cl"].result_list] == [mine.pk]
    assert client.get(application_urls(mine)["change"]).status_code == 200
    assert client.get(application_urls(other)["change"]).status_code == 404


def test_drafts_have_no_review_link(client, officer, grant_year):
    draft, _coordinator = complete_draft(grant_year)
    response = client.get(application_urls(draft)["change"])
    assert response.status_code == 200
    assert reverse("grants:review_application", args=[draft.pk]) not in (response.content.decode())


# Lists filtered by program year: a query count that does not grow with the years ----------

# list → queries for a grant officer: the session, the user, their permissions (2), the
# program-year filter's choices with their program in one query (Django's own filter loads each
# year's program: one query more per year), the count, the rows; the applications read the
# user's groups for the district scope, and the small lists count the whole table a second time
# for "(N total)". On PostgreSQL the large lists (applications, allocations) read the table's
# statistics for their unfiltered count: one query more there.
PROGRAM_YEAR_LISTS = {
    "application": 8,
    "allocation": 7,
    "formulacomponent": 8,
    "programyear": 8,
}


def add_program_year(fiscal_year: int) -> ProgramYear:
    """A program year with an application (and so an allocation) and a formula component."""
    year = GrantYearFactory(fiscal_year=fiscal_year)
    application_in(State.SUBMITTED, year)
    component(year, ComponentKind.FIXED, rate=300_000, label=f"均等割 {fiscal_year}")
    return year


@pytest.mark.parametrize("model", list(PROGRAM_YEAR_LISTS))
def test_program_year_lists_do_not_query_once_per_year(client, officer, model):
    url = reverse(f"admin:subsidies_{model}_changelist")
    first = add_program_year(2020)
    client.get(url)  # content types and the session, cached from here on

    with CaptureQueriesContext(connection) as one_year:
        client.get(url)
    for fiscal_year in range(2021, 2026):
        add_program_year(fiscal_year)
    with CaptureQueriesContext(connection) as six_years:
        response = client.get(url)

    assert response.status_code == 200
    assert len(response.context["cl"].result_list) == 6
    if model != "programyear":
        # Every year is offered in the filter, labelled with its program.
        choices = next(
            spec.lookup_choices
            for spec in response.context["cl"].filter_specs
            if getattr(spec, "lookup_kwarg", "") == "program_year__id__exact"
        )
        assert len(choices) == 6
        assert (first.pk, str(first)) in choices
    else:
        # Each year's allocated total (one council's allocation) comes with its row.
        rows = response.context["cl"].result_list
        assert [row.allocated_total for row in rows] == [1_000_000] * 6
    expected = PROGRAM_YEAR_LISTS[model] + (
        connection.vendor == "postgresql" and model in ("application", "allocation")
    )
    assert len(one_year) == expected, [q["sql"] for q in one_year]
    assert len(six_years) == expected, [q["sql"] for q in six_years]


def test_liaison_application_list_does_not_query_once_per_year(client):
    url = reverse("admin:subsidies_application_changelist")
    mine = add_program_year(2020)
    district = Allocation.objects.filter(program_year=mine).get().district
    client.force_login(StaffUserFactory.liaison(district))
    client.get(url)

    with CaptureQueriesContext(connection) as one_year:
        client.get(url)
    for fiscal_year in range(2021, 2026):
        add_program_year(fiscal_year)
    with CaptureQueriesContext(connection) as six_years:
        response = client.get(url)

    # Their district's one application. The same eight queries as a grant officer's list on
    # SQLite: the scope is a subquery of the count and of the rows, and the filter one query.
    assert len(response.context["cl"].result_list) == 1
    assert len(one_year) == 8, [q["sql"] for q in one_year]
    assert len(six_years) == 8, [q["sql"] for q in six_years]
