"""Grant staff set the program's years up and keep the allocations in the admin."""

import datetime as dt

import pytest
from django.urls import reverse

from subsidies.models import Allocation, ComponentKind, ProgramYear, UnitCount
from subsidies.services import compute_allocations
from tests.factories import StaffUserFactory
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
