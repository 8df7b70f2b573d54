"""The declared workflow (DESIGN.md section 5): who may take which action in which state.

The expected table below is written out by hand from DESIGN.md, not derived from
workflow.TRANSITIONS, so a wrong row, a wrong target or a wrong role check fails here.
"""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from core import roles
from subsidies import workflow
from subsidies.models import (
    Application,
    AttachmentKind,
    BudgetLine,
    Payment,
    PaymentKind,
    PlanRow,
    ReportLine,
    State,
)
from subsidies.services import applications as edits
from subsidies.services import decisions
from tests.factories import StaffUserFactory, SuperUserFactory, UserFactory
from tests.subsidies.factories import (
    BASICS,
    GrantYearFactory,
    Staff,
    application_in,
    budget_lines,
    make_applicant,
    pdf_file,
    report_lines,
)

pytestmark = pytest.mark.django_db

COORD, OFFICER, APPROVER = workflow.COORDINATOR, workflow.OFFICER, workflow.APPROVER

# state → {action: (role, state after)}, read off DESIGN.md section 5.
EXPECTED = {
    State.DRAFT: {
        "edit": (COORD, State.DRAFT),
        "submit": (COORD, State.SUBMITTED),
        "withdraw": (COORD, State.WITHDRAWN),
    },
    State.SUBMITTED: {
        "return": (OFFICER, State.RETURNED),
        "recommend": (OFFICER, State.RECOMMENDED),
        "reject": (APPROVER, State.REJECTED),
    },
    State.RETURNED: {
        "edit": (COORD, State.RETURNED),
        "submit": (COORD, State.SUBMITTED),
        "withdraw": (COORD, State.WITHDRAWN),
    },
    State.RECOMMENDED: {
        "return": (APPROVER, State.RETURNED),
        "approve": (APPROVER, State.APPROVED),
        "reject": (APPROVER, State.REJECTED),
    },
    State.APPROVED: {
        "pay": (OFFICER, State.PAID),
        "edit_change": (COORD, State.APPROVED),
        "request_change": (COORD, State.CHANGE_REQUESTED),
        "cancel": (APPROVER, State.CANCELLED),
    },
    State.CHANGE_REQUESTED: {
        "approve_change": (APPROVER, State.APPROVED),
        "refuse_change": (APPROVER, State.APPROVED),
        "cancel": (APPROVER, State.CANCELLED),
    },
    State.PAID: {
        "pay": (OFFICER, State.PAID),
        "edit_report": (COORD, State.PAID),
        "submit_report": (COORD, State.REPORTED),
        "cancel": (APPROVER, State.CANCELLED),
    },
    State.REPORTED: {
        "return_report": (OFFICER, State.REPORT_RETURNED),
        "accept_report": (OFFICER, State.REPORT_ACCEPTED),
        "cancel": (APPROVER, State.CANCELLED),
    },
    State.REPORT_RETURNED: {
        "edit_report": (COORD, State.REPORT_RETURNED),
        "submit_report": (COORD, State.REPORTED),
        "cancel": (APPROVER, State.CANCELLED),
    },
    State.REPORT_ACCEPTED: {
        "settle": (APPROVER, State.SETTLED),
        "cancel": (APPROVER, State.CANCELLED),
    },
    State.SETTLED: {
        "pay": (OFFICER, State.SETTLED),  # the final payment (精算払) keeps the state
        "cancel": (APPROVER, State.CANCELLED),
    },
    State.REJECTED: {},
    State.WITHDRAWN: {},
    State.CANCELLED: {},
}

# Who holds which role for the application of `council` (see the `people` fixture).
HOLDS = {
    "coordinator": {COORD},
    "other_coordinator": set(),
    "officer": {OFFICER},
    "approver": {APPROVER},
    "liaison": set(),
    "superuser": {OFFICER, APPROVER},
    "inactive": set(),
    "anonymous": set(),
}


def test_the_declaration_is_the_table_of_design_md():
    declared = {}
    for row in workflow.TRANSITIONS:
        for state in row.sources:
            # One row per state and action, or the buttons and the checks could disagree.
            assert (state, row.action) not in declared, (state, row.action)
            declared[(state, row.action)] = (row.role, row.moves_to(state))
    expected = {
        (state, action): move
        for state, actions in EXPECTED.items()
        for action, move in actions.items()
    }
    assert declared == expected
    assert set(EXPECTED) == set(State)
    assert {action for actions in EXPECTED.values() for action in actions} == workflow.ACTIONS


@pytest.fixture
def people():
    year = GrantYearFactory()
    council, coordinator = make_applicant(year)
    _other_council, other_coordinator = make_applicant(year)
    application = edits.start_application(
        council=council, program_year=year, by=coordinator, **BASICS
    )
    # Recommended by an officer who takes no part below, so the four-eyes guard passes.
    application.recommended_by = StaffUserFactory.grant_officer()
    # Confirmed but not paid yet, so a final payment is due once settled.
    application.confirmed_amount = 100_000
    inactive = UserFactory(
        groups=[roles.COORDINATORS, roles.GRANT_OFFICERS, roles.GRANT_APPROVERS],
        is_active=False,
        is_superuser=True,
        is_staff=True,
    )
    council.coordinators.add(inactive)
    users = {
        "coordinator": coordinator,
        "other_coordinator": other_coordinator,
        "officer": StaffUserFactory.grant_officer(),
        "approver": StaffUserFactory.grant_approver(),
        "liaison": StaffUserFactory.liaison(council.district),
        "superuser": SuperUserFactory(),
        "inactive": inactive,
        "anonymous": AnonymousUser(),
    }
    assert set(users) == set(HOLDS)
    return application, users


@pytest.mark.parametrize("state", list(State))
def test_can_is_true_exactly_where_a_row_allows_it(people, state):
    application, users = people
    application.state = state
    for name, user in users.items():
        for action in sorted(workflow.ACTIONS):
            allowed = action in EXPECTED[state] and EXPECTED[state][action][0] in HOLDS[name]
            # The same, read generically off the declaration: state, role, guard.
            declared = any(
                row.action == action
                and state in row.sources
                and row.role in HOLDS[name]
                and (row.guard is None or row.guard(application, user) is None)
                for row in workflow.TRANSITIONS
            )
            assert declared is allowed, (state, name, action)
            assert workflow.can(action, application, user) is allowed, (state, name, action)
            if allowed:
                row = workflow.transition_for(action, application, user)
                assert row.moves_to(state) == EXPECTED[state][action][1]


@pytest.mark.parametrize("state", list(State))
def test_available_gives_one_row_per_allowed_action(people, state):
    application, users = people
    application.state = state
    for name, user in users.items():
        rows = workflow.available(application, user)
        actions = [row.action for row in rows]
        assert len(actions) == len(set(actions)), (state, name)
        assert set(actions) == {
            action for action, (role, _after) in EXPECTED[state].items() if role in HOLDS[name]
        }, (state, name)
        assert all(state in row.sources for row in rows)


def test_refusals_say_why(people):
    application, users = people
    application.state = State.SUBMITTED
    with pytest.raises(workflow.ActionNotAllowed):
        workflow.transition_for("fly", application, users["officer"])
    with pytest.raises(workflow.ActionNotAllowed) as wrong_state:
        workflow.transition_for("approve", application, users["approver"])
    assert str(State.SUBMITTED.label) in str(wrong_state.value)
    with pytest.raises(workflow.ActionNotAllowed):
        workflow.transition_for("recommend", application, users["coordinator"])


def test_waiting_for_names_who_moves_the_application_on():
    # Ending an application (reject, withdraw, cancel) is not what it waits for.
    assert workflow.waiting_for(State.DRAFT) == [COORD]
    assert workflow.waiting_for(State.SUBMITTED) == [OFFICER]
    assert workflow.waiting_for(State.RETURNED) == [COORD]
    assert workflow.waiting_for(State.RECOMMENDED) == [APPROVER]
    assert set(workflow.waiting_for(State.APPROVED)) == {OFFICER, COORD}
    assert workflow.waiting_for(State.CHANGE_REQUESTED) == [APPROVER]
    assert set(workflow.waiting_for(State.PAID)) == {OFFICER, COORD}
    assert workflow.waiting_for(State.REPORTED) == [OFFICER]
    assert workflow.waiting_for(State.REPORT_RETURNED) == [COORD]
    assert workflow.waiting_for(State.REPORT_ACCEPTED) == [APPROVER]
    for state in (State.SETTLED, State.REJECTED, State.WITHDRAWN, State.CANCELLED):
        assert workflow.waiting_for(state) == []


# Four eyes -----------------------------------------------------------------------------------


def test_the_recommender_does_not_decide_but_another_approver_does():
    staff = Staff()
    both = StaffUserFactory(groups=[roles.GRANT_OFFICERS, roles.GRANT_APPROVERS])
    application, _coordinator, _staff = application_in(State.SUBMITTED, staff=staff)
    decisions.recommend(application=application, by=both)
    application.refresh_from_db()
    assert application.recommended_by == both

    for action in ("approve", "reject", "return"):
        assert not workflow.can(action, application, both)
        assert workflow.can(action, application, staff.approver)
    assert [row.action for row in workflow.available(application, both)] == []
    assert {row.action for row in workflow.available(application, staff.approver)} == {
        "approve",
        "reject",
        "return",
    }

    events = application.events.count()
    with pytest.raises(workflow.ActionNotAllowed) as refused:
        decisions.approve(
            application=application,
            by=both,
            granted_amount=600_000,
            decision_number="み協第1号",
            decided_on=timezone.localdate(),
        )
    assert str(refused.value) == str(workflow.not_the_recommender(application, both))
    with pytest.raises(workflow.ActionNotAllowed):
        decisions.reject(application=application, by=both, comment="対象外")
    with pytest.raises(workflow.ActionNotAllowed):
        decisions.return_for_correction(
            application=application, by=both, reasons={"budget": "直してください"}
        )
    application.refresh_from_db()
    assert application.state == State.RECOMMENDED
    assert application.granted_amount is None
    assert application.events.count() == events

    decisions.approve(
        application=application,
        by=staff.approver,
        granted_amount=600_000,
        decision_number="み協第1号",
        decided_on=timezone.localdate(),
    )
    application.refresh_from_db()
    assert application.state == State.APPROVED
    assert application.decided_by == staff.approver


def test_a_superuser_who_recommended_does_not_decide_either():
    admin = SuperUserFactory()
    application, _coordinator, staff = application_in(State.SUBMITTED)
    decisions.recommend(application=application, by=admin)
    application.refresh_from_db()
    assert not workflow.can("approve", application, admin)
    assert workflow.can("approve", application, staff.approver)


# Every service refuses the wrong state and the wrong role, changing nothing ---------------------


def _today():
    return timezone.localdate()


SERVICES = {
    "update_basics": lambda app, by: edits.update_basics(
        application=app, by=by, contact_name="別の人"
    ),
    "save_plan_rows": lambda app, by: edits.save_plan_rows(
        application=app,
        by=by,
        rows=[{"activity": "夏祭り", "schedule": "8月", "expected_effect": "交流", "cost": 1}],
    ),
    "save_budget": lambda app, by: edits.save_budget(
        application=app, by=by, lines=budget_lines(app.program_year, grant=500_000)
    ),
    "add_attachment": lambda app, by: edits.add_attachment(
        application=app, by=by, kind=AttachmentKind.QUOTE, title="見積書", file=pdf_file()
    ),
    "add_report_attachment": lambda app, by: edits.add_attachment(
        application=app,
        by=by,
        kind=AttachmentKind.RECEIPT,
        title="領収書",
        file=pdf_file(),
        for_report=True,
    ),
    "remove_attachment": lambda app, by: edits.remove_attachment(
        attachment=app.attachments.first(), by=by
    ),
    "start_change": lambda app, by: edits.start_change(application=app, by=by, reason="増額"),
    "save_report": lambda app, by: edits.save_report(
        application=app,
        by=by,
        summary="実施しました",
        outcomes="",
        lines=report_lines(app.program_year, grant=600_000, spent=650_000),
        indicators=[],
    ),
    "submit": lambda app, by: decisions.submit(application=app, by=by),
    "withdraw": lambda app, by: decisions.withdraw(application=app, by=by),
    "request_change": lambda app, by: decisions.request_change(application=app, by=by),
    "submit_report": lambda app, by: decisions.submit_report(application=app, by=by),
    "return_for_correction": lambda app, by: decisions.return_for_correction(
        application=app, by=by, reasons={"budget": "直してください"}
    ),
    "recommend": lambda app, by: decisions.recommend(application=app, by=by),
    "record_payment": lambda app, by: decisions.record_payment(
        application=app, by=by, kind=PaymentKind.ADVANCE, amount=1_000, paid_on=_today()
    ),
    "return_report": lambda app, by: decisions.return_report(
        application=app, by=by, reasons={"report": "直してください"}
    ),
    "accept_report": lambda app, by: decisions.accept_report(application=app, by=by),
    "approve": lambda app, by: decisions.approve(
        application=app,
        by=by,
        granted_amount=500_000,
        decision_number="み協第999号",
        decided_on=_today(),
    ),
    "reject": lambda app, by: decisions.reject(application=app, by=by, comment="対象外"),
    "approve_change": lambda app, by: decisions.approve_change(
        application=app, by=by, granted_amount=500_000
    ),
    "refuse_change": lambda app, by: decisions.refuse_change(
        application=app, by=by, comment="認めません"
    ),
    "settle": lambda app, by: decisions.settle(application=app, by=by, settled_on=_today()),
    "cancel": lambda app, by: decisions.cancel(
        application=app, by=by, return_amount=0, cancelled_on=_today(), comment="不正"
    ),
}

# (service, state it is tried in, who tries): each a wrong state for the right role, or the
# right state for a wrong role.
REFUSED = [
    ("update_basics", State.SUBMITTED, "coordinator"),
    ("update_basics", State.DRAFT, "other_coordinator"),
    ("save_plan_rows", State.SUBMITTED, "coordinator"),
    ("save_plan_rows", State.DRAFT, "officer"),
    ("save_budget", State.SUBMITTED, "coordinator"),
    ("save_budget", State.RETURNED, "other_coordinator"),
    ("add_attachment", State.RECOMMENDED, "coordinator"),
    ("add_attachment", State.DRAFT, "approver"),
    ("add_report_attachment", State.APPROVED, "coordinator"),
    ("add_report_attachment", State.PAID, "officer"),
    ("remove_attachment", State.SUBMITTED, "coordinator"),
    ("remove_attachment", State.DRAFT, "other_coordinator"),
    ("start_change", State.PAID, "coordinator"),
    ("start_change", State.APPROVED, "officer"),
    ("save_report", State.APPROVED, "coordinator"),
    ("save_report", State.PAID, "other_coordinator"),
    ("submit", State.SUBMITTED, "coordinator"),
    ("submit", State.DRAFT, "officer"),
    ("withdraw", State.APPROVED, "coordinator"),
    ("withdraw", State.DRAFT, "other_coordinator"),
    ("request_change", State.PAID, "coordinator"),
    ("request_change", State.APPROVED, "officer"),
    ("submit_report", State.REPORTED, "coordinator"),
    ("submit_report", State.PAID, "officer"),
    ("return_for_correction", State.APPROVED, "officer"),
    ("return_for_correction", State.SUBMITTED, "coordinator"),
    ("recommend", State.RETURNED, "officer"),
    ("recommend", State.SUBMITTED, "approver"),
    ("record_payment", State.RECOMMENDED, "officer"),
    ("record_payment", State.APPROVED, "coordinator"),
    ("record_payment", State.APPROVED, "approver"),
    ("return_report", State.PAID, "officer"),
    ("return_report", State.REPORTED, "coordinator"),
    ("accept_report", State.REPORT_RETURNED, "officer"),
    ("accept_report", State.REPORTED, "approver"),
    ("approve", State.SUBMITTED, "approver"),
    ("approve", State.RECOMMENDED, "officer"),
    ("reject", State.APPROVED, "approver"),
    ("reject", State.RECOMMENDED, "coordinator"),
    ("approve_change", State.APPROVED, "approver"),
    ("approve_change", State.CHANGE_REQUESTED, "officer"),
    ("refuse_change", State.APPROVED, "approver"),
    ("refuse_change", State.CHANGE_REQUESTED, "coordinator"),
    ("settle", State.REPORTED, "approver"),
    ("settle", State.REPORT_ACCEPTED, "officer"),
    ("cancel", State.RECOMMENDED, "approver"),
    ("cancel", State.PAID, "officer"),
]


def snapshot(application: Application) -> dict:
    """Everything a refused action must leave as it was."""
    application.refresh_from_db()
    return {
        "fields": Application.objects.filter(pk=application.pk).values().get(),
        "events": list(application.events.values_list("pk", flat=True)),
        "versions": list(application.versions.values_list("pk", "status", "requested_amount")),
        "plan_rows": list(
            PlanRow.objects.filter(version__application=application).values_list("pk", "cost")
        ),
        "budget_lines": list(
            BudgetLine.objects.filter(version__application=application).values_list("pk", "amount")
        ),
        "attachments": list(application.attachments.values_list("pk", flat=True)),
        "payments": list(Payment.objects.filter(application=application).values_list("pk")),
        "report_lines": list(
            ReportLine.objects.filter(report__application=application).values_list("pk")
        ),
    }


@pytest.mark.parametrize(
    ("service", "state", "who"), REFUSED, ids=[f"{s}-{st}-{w}" for s, st, w in REFUSED]
)
def test_each_service_refuses_the_wrong_state_or_role_and_changes_nothing(
    settings, tmp_path, service, state, who
):
    settings.MEDIA_ROOT = tmp_path
    application, coordinator, staff = application_in(state)
    _council, other_coordinator = make_applicant(application.program_year)
    users = {
        "coordinator": coordinator,
        "other_coordinator": other_coordinator,
        "officer": staff.officer,
        "approver": staff.approver,
    }
    before = snapshot(application)
    assert not any(
        workflow.can(row.action, application, users[who])
        for row in workflow.TRANSITIONS
        if row.action == _action_of(service, state)
    )
    with pytest.raises(workflow.ActionNotAllowed):
        SERVICES[service](application, users[who])
    assert snapshot(application) == before


def _action_of(service: str, state: State) -> str:
    """The workflow action each service checks first."""
    editing = "edit_change" if state == State.APPROVED else "edit"
    return {
        "update_basics": editing,
        "save_plan_rows": editing,
        "save_budget": editing,
        "add_attachment": editing,
        "add_report_attachment": "edit_report",
        "remove_attachment": editing,
        "start_change": "edit_change",
        "save_report": "edit_report",
        "return_for_correction": "return",
        "record_payment": "pay",
    }.get(service, service)


def test_every_service_is_covered_by_a_refusal():
    assert {service for service, _state, _who in REFUSED} == set(SERVICES)


def test_start_application_is_only_for_the_councils_coordinator():
    year = GrantYearFactory()
    council, _coordinator = make_applicant(year)
    _other, other_coordinator = make_applicant(year)
    for outsider in (other_coordinator, StaffUserFactory.grant_officer(), SuperUserFactory()):
        with pytest.raises(workflow.ActionNotAllowed):
            edits.start_application(council=council, program_year=year, by=outsider, **BASICS)
    assert not Application.objects.filter(council=council).exists()


def test_an_action_allowed_once_is_refused_the_second_time():
    application, coordinator, _staff = application_in(State.DRAFT)
    decisions.submit(application=application, by=coordinator)
    with pytest.raises(workflow.ActionNotAllowed):
        decisions.submit(application=application, by=coordinator)
    assert application.events.filter(action="submit").count() == 1


def test_a_stale_copy_of_the_application_does_not_bypass_the_state():
    """Services re-read the row: an object loaded before another move cannot skip a state."""
    application, _coordinator, staff = application_in(State.SUBMITTED)
    stale = Application.objects.get(pk=application.pk)
    decisions.return_for_correction(
        application=application, by=staff.officer, reasons={"plan": "日程を書いてください"}
    )
    assert stale.state == State.SUBMITTED
    with pytest.raises(workflow.ActionNotAllowed):
        decisions.recommend(application=stale, by=staff.officer)
    stale.refresh_from_db()
    assert stale.state == State.RETURNED
    assert stale.recommended_by is None


def test_the_final_payment_is_offered_only_while_something_is_owed():
    application, _coordinator, staff = application_in(State.SETTLED)
    # Paid in full before the report, and the whole grant confirmed: nothing is owed.
    assert application.confirmed_amount == application.granted_amount
    assert not workflow.can("pay", application, staff.officer)
    assert "pay" not in {row.action for row in workflow.available(application, staff.officer)}
    with pytest.raises(workflow.ActionNotAllowed, match="Nothing remains|支払う額"):
        workflow.transition_for("pay", application, staff.officer)


def test_the_state_groups_are_declared_once_and_read_by_the_table_and_the_model():
    from subsidies import models, states

    assert models.State is states.State is workflow.State
    assert models.DECIDED_STATES is states.DECIDED_STATES
    # The groups are the table's: a coordinator edits where the editing rows allow it, and a
    # grant can be cancelled exactly while it is in force.
    rows = {row.action: row.sources for row in workflow.TRANSITIONS}
    assert rows["edit"] == states.EDITABLE_STATES
    assert rows["edit_report"] == states.REPORT_EDITABLE_STATES
    assert rows["cancel"] == states.IN_FORCE_STATES
