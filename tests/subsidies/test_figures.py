"""The figures the application's queryset computes once for every page: paid so far, advances,
and whether a grant is in force."""

import pytest
from django.utils import timezone

from subsidies.models import (
    DECIDED_STATES,
    Application,
    Payment,
    PaymentKind,
    State,
)

from .factories import application_in

pytestmark = pytest.mark.django_db


def _pay(application, kind, amount, by):
    Payment.objects.create(
        application=application,
        kind=kind,
        amount=amount,
        paid_on=timezone.localdate(),
        recorded_by=by,
    )


def test_paid_so_far_sums_every_kind_and_advances_only_advances():
    application, _coordinator, staff = application_in(State.APPROVED)
    other, _coordinator, _staff = application_in(State.APPROVED, staff=staff)
    _pay(application, PaymentKind.ADVANCE, 100_000, staff.officer)
    _pay(application, PaymentKind.ADVANCE, 50_000, staff.officer)
    _pay(application, PaymentKind.FULL, 200_000, staff.officer)
    _pay(application, PaymentKind.FINAL, 30_000, staff.officer)

    rows = {
        row.pk: row
        for row in Application.objects.filter(pk__in=[application.pk, other.pk])
        .with_paid()
        .with_advances()
    }

    assert (rows[application.pk].paid_total, rows[application.pk].advance_total) == (
        380_000,
        150_000,
    )
    # No payment yet: zero, not None, so pages and sums need no special case.
    assert (rows[other.pk].paid_total, rows[other.pk].advance_total) == (0, 0)
    assert application.payments.total() == 380_000
    assert application.payments.advances().total() == 150_000
    # The settlement notice counts what was paid before the final payment it announces.
    assert application.payments.before_settlement().total() == 350_000
    assert other.payments.total() == 0


def test_a_grant_is_in_force_once_decided_until_cancelled():
    application, _coordinator, _staff = application_in(State.APPROVED)
    granted = application.granted_amount
    in_force = set()
    for state in State:
        Application.objects.filter(pk=application.pk).update(
            state=state, granted_amount=granted if state in DECIDED_STATES else None
        )
        if Application.objects.in_force().filter(pk=application.pk).exists():
            in_force.add(state)

    assert in_force == {
        State.APPROVED,
        State.CHANGE_REQUESTED,
        State.PAID,
        State.REPORTED,
        State.REPORT_RETURNED,
        State.REPORT_ACCEPTED,
        State.SETTLED,
    }
    # The year's related manager offers the same filter (the budget checks start there).
    Application.objects.filter(pk=application.pk).update(state=State.PAID)
    assert list(application.program_year.applications.in_force()) == [application]


def test_the_figures_add_up_the_grants_in_force_and_the_settled_amounts():
    application, _coordinator, staff = application_in(State.APPROVED, granted=500_000)
    year = application.program_year
    settled, _coordinator, _staff = application_in(
        State.SETTLED, year, staff=staff, grant=600_000, granted=450_000
    )
    cancelled, _coordinator, _staff = application_in(
        State.CANCELLED, year, staff=staff, granted=300_000
    )
    submitted, _coordinator, _staff = application_in(State.SUBMITTED, year, staff=staff)

    # Settled at the grant: more than that was spent on eligible expenses.
    assert settled.confirmed_amount == 450_000
    assert set(year.applications.decided()) == {application, settled, cancelled}
    assert set(year.applications.in_force()) == {application, settled}
    assert year.applications.figures() == {
        "granted": 950_000,
        "in_force": 2,
        "confirmed": 450_000,
        "settled": 1,
    }
    # Nothing decided: zeros, not None.
    assert Application.objects.filter(pk=submitted.pk).figures() == {
        "granted": 0,
        "in_force": 0,
        "confirmed": 0,
        "settled": 0,
    }
