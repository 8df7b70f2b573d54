"""The grant's invariants under requests at once (PostgreSQL row locks, DESIGN.md section 5).

Each race widens the window between a service's check and its write, so that without the lock
both requests would pass the check before either writes; the control tests take the lock away
and show that the window is then really wide enough to let the race through.
"""

import threading
import time

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, connections
from django.utils import timezone

from subsidies.models import Application, Payment, PaymentKind, ProgramYear, State
from subsidies.services import allocations, decisions
from subsidies.services import applications as edits
from subsidies.services import program_year as year_rules
from tests.factories import StaffUserFactory
from tests.subsidies.factories import (
    BASICS,
    GrantYearFactory,
    Staff,
    application_in,
    make_applicant,
)

pytestmark = [
    # serialized_rollback: the rows migrations made (role groups, content types) come back
    # after the flush, and later serialized tests do not find them twice.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks are what PostgreSQL runs in production"
    ),
]

WINDOW = 0.5  # seconds between the check and the write


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def widen(monkeypatch, module, name: str) -> None:
    """Make `module.name` (a check) sleep after it has looked, before the caller writes."""
    check = getattr(module, name)

    def slow_check(*args, **kwargs):
        result = check(*args, **kwargs)
        time.sleep(WINDOW)
        return result

    monkeypatch.setattr(module, name, slow_check)


def race(*actions) -> list[str]:
    """Run the actions in threads released at the same moment; 'done' or 'refused' each."""
    barrier = threading.Barrier(len(actions))
    outcomes = []

    def run(action):
        try:
            barrier.wait(timeout=10)
            action()
            outcomes.append("done")
        except (ValidationError, PermissionDenied):
            outcomes.append("refused")
        except Exception as error:  # noqa: BLE001 - reported in the assertion below
            outcomes.append(f"error: {error!r}")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(action,)) for action in actions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return sorted(outcomes)


def _year_unlocked(application):
    return ProgramYear.objects.get(pk=application.program_year_id)


def approval(application, approver, amount):
    return lambda: decisions.approve(
        application=application,
        by=approver,
        granted_amount=amount,
        decision_number=f"み協第{application.pk}号",
        decided_on=timezone.localdate(),
    )


# Approvals against the year's budget -----------------------------------------------------------


def _two_recommended_with_budget_for_one():
    year = GrantYearFactory(budget=1_000_000)
    staff = Staff()
    applications = [application_in(State.RECOMMENDED, year, staff=staff)[0] for _ in range(2)]
    return year, applications, [staff.approver, StaffUserFactory.grant_approver()]


def test_two_approvals_at_once_cannot_take_the_year_over_its_budget(monkeypatch):
    year, (first, second), (approver, other_approver) = _two_recommended_with_budget_for_one()
    widen(monkeypatch, decisions, "_decision")

    outcomes = race(approval(first, approver, 600_000), approval(second, other_approver, 600_000))

    assert outcomes == ["done", "refused"]
    decided = Application.objects.filter(program_year=year, state=State.APPROVED)
    assert decided.count() == 1
    assert sum(decided.values_list("granted_amount", flat=True)) <= year.budget
    assert Application.objects.filter(state=State.RECOMMENDED).count() == 1


def test_control_without_the_year_lock_both_approvals_would_pass(monkeypatch):
    year, (first, second), (approver, other_approver) = _two_recommended_with_budget_for_one()
    widen(monkeypatch, decisions, "_decision")
    monkeypatch.setattr(decisions, "_lock_year", _year_unlocked)

    outcomes = race(approval(first, approver, 600_000), approval(second, other_approver, 600_000))

    assert outcomes == ["done", "done"]
    total = sum(Application.objects.values_list("granted_amount", flat=True))
    assert total > year.budget


def test_two_approvers_deciding_one_application_at_once_decide_it_once(monkeypatch):
    year, (application, _second), (approver, other_approver) = (
        _two_recommended_with_budget_for_one()
    )
    widen(monkeypatch, decisions, "_decision")

    outcomes = race(
        approval(application, approver, 600_000), approval(application, other_approver, 500_000)
    )

    assert outcomes == ["done", "refused"]
    assert application.events.filter(action="approve").count() == 1


# Payments against one grant --------------------------------------------------------------------


def _approved_grant():
    year = GrantYearFactory(advance_ratio_percent=100)
    application, _coordinator, staff = application_in(State.APPROVED, year)
    officers = [staff.officer, StaffUserFactory.grant_officer(), StaffUserFactory.grant_officer()]
    return application, officers


def payment(application, officer, amount):
    return lambda: decisions.record_payment(
        application=application,
        by=officer,
        kind=PaymentKind.ADVANCE,
        amount=amount,
        paid_on=timezone.localdate(),
    )


def test_payments_at_once_never_exceed_the_grant(monkeypatch):
    application, officers = _approved_grant()
    widen(monkeypatch, decisions, "_payments_total")

    # Three payments of 250,000 against a grant of 600,000: only two fit.
    outcomes = race(*(payment(application, officer, 250_000) for officer in officers))

    assert outcomes == ["done", "done", "refused"]
    paid = sum(Payment.objects.filter(application=application).values_list("amount", flat=True))
    assert paid == 500_000 <= application.granted_amount
    assert application.events.filter(action="pay").count() == 2


def test_control_without_the_application_lock_the_payments_would_exceed_the_grant(monkeypatch):
    application, officers = _approved_grant()
    widen(monkeypatch, decisions, "_payments_total")
    monkeypatch.setattr(
        decisions,
        "lock",
        lambda application: Application.objects.select_related("program_year", "council").get(
            pk=application.pk
        ),
    )
    monkeypatch.setattr(decisions, "_lock_year", _year_unlocked)

    outcomes = race(*(payment(application, officer, 250_000) for officer in officers))

    assert outcomes == ["done", "done", "done"]
    paid = sum(Payment.objects.filter(application=application).values_list("amount", flat=True))
    assert paid > application.granted_amount


# One open application per council and year -----------------------------------------------------


def test_two_starts_at_once_leave_one_open_application(monkeypatch):
    year = GrantYearFactory()
    council, coordinator = make_applicant(year)
    widen(monkeypatch, edits.rules, "allocation_for")

    def start():
        edits.start_application(council=council, program_year=year, by=coordinator, **BASICS)

    outcomes = race(start, start)

    assert outcomes == ["done", "refused"]
    assert Application.objects.filter(council=council, program_year=year).count() == 1


def test_two_submissions_at_once_submit_once(monkeypatch):
    application, coordinator, _staff = application_in(State.DRAFT)
    widen(monkeypatch, decisions, "submission_problems")

    def submit():
        decisions.submit(application=application, by=coordinator)

    outcomes = race(submit, submit)

    assert outcomes == ["done", "refused"]
    application.refresh_from_db()
    assert application.state == State.SUBMITTED
    assert application.events.filter(action="submit").count() == 1


# The year's rules against decisions and payments ------------------------------------------------


def rule_change(year, officer, **values):
    return lambda: year_rules.change_year(program_year=year, by=officer, values=values)


def _without_the_year_locks(monkeypatch):
    monkeypatch.setattr(decisions, "_lock_year", _year_unlocked)
    monkeypatch.setattr(year_rules, "lock_year", lambda pk: ProgramYear.objects.get(pk=pk))


def _budget_cut_and_approval(monkeypatch):
    """A year of 2,000,000 with no decision yet: a cut to 500,000 and a grant of 600,000."""
    year = GrantYearFactory(budget=2_000_000)
    application, _coordinator, staff = application_in(State.RECOMMENDED, year)
    widen(monkeypatch, year_rules, "_year_problems")
    widen(monkeypatch, decisions, "_decision")
    return year, (
        rule_change(year, staff.officer, budget=500_000),
        approval(application, staff.approver, 600_000),
    )


def test_a_budget_cut_and_an_approval_at_once_keep_the_grants_within_the_budget(monkeypatch):
    year, actions = _budget_cut_and_approval(monkeypatch)

    outcomes = race(*actions)

    assert outcomes == ["done", "refused"]
    year.refresh_from_db()
    assert year_rules.granted_total(year) <= year.budget


def _budget_cut_and_allocation_raise(monkeypatch):
    """A year of 2,000,000 with one allocation of 1,000,000: the budget cut to 1,000,000 (Σ
    allocations, so allowed alone) and the allocation raised by 5,000 (within 2,000,000, so
    allowed alone)."""
    year = GrantYearFactory(budget=2_000_000)
    make_applicant(year)
    allocation = year.allocations.get()
    widen(monkeypatch, year_rules, "_year_problems")
    widen(monkeypatch, allocations, "check_adjustment")
    return year, (
        rule_change(year, StaffUserFactory.grant_officer(), budget=1_000_000),
        lambda: allocations.adjust_allocation(
            allocation=allocation, adjustment=5_000, reason="街路灯の数の訂正"
        ),
    )


def _allocated(year) -> int:
    return sum(year.allocations.values_list("amount", flat=True))


def test_a_budget_cut_and_an_allocation_raised_at_once_keep_the_allocations_within_the_budget(
    monkeypatch,
):
    year, actions = _budget_cut_and_allocation_raise(monkeypatch)

    outcomes = race(*actions)

    assert outcomes == ["done", "refused"]
    year.refresh_from_db()
    assert _allocated(year) <= year.budget


def test_control_without_the_year_lock_the_cut_and_the_raise_would_break_the_budget(monkeypatch):
    year, actions = _budget_cut_and_allocation_raise(monkeypatch)
    monkeypatch.setattr(year_rules, "lock_year", lambda pk: ProgramYear.objects.get(pk=pk))
    monkeypatch.setattr(allocations, "lock_year", lambda pk: ProgramYear.objects.get(pk=pk))

    outcomes = race(*actions)

    assert outcomes == ["done", "done"]
    year.refresh_from_db()
    assert _allocated(year) > year.budget


def _ratio_cut_and_advance(monkeypatch):
    """A grant of 600,000 at 50%: the ratio cut to 0 and an advance of 300,000."""
    year = GrantYearFactory(advance_ratio_percent=50)
    application, _coordinator, staff = application_in(State.APPROVED, year)
    widen(monkeypatch, year_rules, "_year_problems")
    widen(monkeypatch, decisions, "_payments_total")
    return (
        year,
        application,
        (
            rule_change(year, staff.officer, advance_ratio_percent=0),
            payment(application, staff.officer, 300_000),
        ),
    )


def _advances(application) -> int:
    return sum(
        Payment.objects.filter(application=application, kind=PaymentKind.ADVANCE).values_list(
            "amount", flat=True
        )
    )


def test_an_advance_ratio_cut_and_an_advance_at_once_keep_the_advances_within_the_ratio(
    monkeypatch,
):
    year, application, actions = _ratio_cut_and_advance(monkeypatch)

    outcomes = race(*actions)

    assert outcomes == ["done", "refused"]
    year.refresh_from_db()
    assert _advances(application) <= application.granted_amount * year.advance_ratio_percent // 100


def test_control_without_the_year_lock_the_cut_and_the_advance_would_break_the_ratio(
    monkeypatch,
):
    year, application, actions = _ratio_cut_and_advance(monkeypatch)
    _without_the_year_locks(monkeypatch)

    outcomes = race(*actions)

    assert outcomes == ["done", "done"]
    year.refresh_from_db()
    assert _advances(application) > application.granted_amount * year.advance_ratio_percent // 100
