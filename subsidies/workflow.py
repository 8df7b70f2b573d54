"""The grant's workflow, declared once (DESIGN.md section 5).

Each row says which action moves an application from which states to which state, who may take
it, and what must hold first. The services check every action against this table, the review and
coordinator pages show exactly the buttons it allows, and the admin reads it too.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .policy import APPROVER, COORDINATOR, OFFICER, acts_as
from .states import (
    EDITABLE_STATES,
    IN_FORCE_STATES,
    REPORT_EDITABLE_STATES,
    State,
)

if TYPE_CHECKING:
    from .models import Application


def not_the_recommender(application: Application, user) -> str | None:
    """Four eyes: whoever recommended an application does not decide it."""
    if application.recommended_by_id is not None and application.recommended_by_id == user.pk:
        return _("You recommended this application, so another approver must decide it.")
    return None


@dataclass(frozen=True)
class FourEyes:
    """A guard for a decision: not by whoever recommended the application; then `also`, if any.

    A decision that has a condition of its own (an amount only a higher post may approve) gives
    it as `also`, and the rule still applies, to the buttons, the queue and the e-mail alike.
    """

    also: Callable[[Application, object], str | None] | None = None

    def __call__(self, application: Application, user) -> str | None:
        reason = not_the_recommender(application, user)
        if reason is None and self.also is not None:
            reason = self.also(application, user)
        return reason


FOUR_EYES = FourEyes()


def final_payment_due(application: Application, user) -> str | None:
    """After settlement, only what is still owed to the council may be paid."""
    if (application.confirmed_amount or 0) <= application.payments.total():
        return _("Nothing remains to be paid on this grant.")
    return None


@dataclass(frozen=True)
class Transition:
    action: str
    sources: tuple[State, ...]
    target: State | None  # None: the state stays as it is
    role: str
    label: Promise
    guard: Callable[[Application, object], str | None] | None = None
    style: str = "primary"  # how the button looks: primary, secondary or danger

    def moves_to(self, state: State) -> State:
        return self.target or state


TRANSITIONS: tuple[Transition, ...] = (
    # The coordinator's own work on the application and the report.
    Transition("edit", EDITABLE_STATES, None, COORDINATOR, _("Edit"), style="secondary"),
    Transition("submit", (State.DRAFT, State.RETURNED), State.SUBMITTED, COORDINATOR, _("Submit")),
    Transition(
        "withdraw",
        (State.DRAFT, State.RETURNED),
        State.WITHDRAWN,
        COORDINATOR,
        _("Withdraw"),
        style="danger",
    ),
    # Review and decision.
    Transition(
        "return",
        (State.SUBMITTED,),
        State.RETURNED,
        OFFICER,
        _("Return for correction"),
        style="secondary",
    ),
    Transition("recommend", (State.SUBMITTED,), State.RECOMMENDED, OFFICER, _("Recommend")),
    Transition(
        "return",
        (State.RECOMMENDED,),
        State.RETURNED,
        APPROVER,
        _("Return for correction"),
        guard=FOUR_EYES,
        style="secondary",
    ),
    Transition(
        "approve",
        (State.RECOMMENDED,),
        State.APPROVED,
        APPROVER,
        _("Approve"),
        guard=FOUR_EYES,
    ),
    Transition(
        "reject",
        (State.SUBMITTED, State.RECOMMENDED),
        State.REJECTED,
        APPROVER,
        _("Reject"),
        guard=FOUR_EYES,
        style="danger",
    ),
    # Payments: advance or in full after the decision, the final payment after settlement.
    Transition("pay", (State.APPROVED, State.PAID), State.PAID, OFFICER, _("Record a payment")),
    Transition(
        "pay",
        (State.SETTLED,),
        None,
        OFFICER,
        _("Record the final payment"),
        guard=final_payment_due,
    ),
    # Change requests (変更申請).
    Transition(
        "edit_change",
        (State.APPROVED,),
        None,
        COORDINATOR,
        _("Prepare a change request"),
        style="secondary",
    ),
    Transition(
        "request_change",
        (State.APPROVED,),
        State.CHANGE_REQUESTED,
        COORDINATOR,
        _("Submit the change request"),
    ),
    Transition(
        "approve_change",
        (State.CHANGE_REQUESTED,),
        State.APPROVED,
        APPROVER,
        _("Approve the change"),
    ),
    Transition(
        "refuse_change",
        (State.CHANGE_REQUESTED,),
        State.APPROVED,
        APPROVER,
        _("Refuse the change"),
        style="danger",
    ),
    # The year-end report and settlement.
    Transition(
        "edit_report",
        REPORT_EDITABLE_STATES,
        None,
        COORDINATOR,
        _("Write the report"),
        style="secondary",
    ),
    Transition(
        "submit_report",
        (State.PAID, State.REPORT_RETURNED),
        State.REPORTED,
        COORDINATOR,
        _("Submit the report"),
    ),
    Transition(
        "return_report",
        (State.REPORTED,),
        State.REPORT_RETURNED,
        OFFICER,
        _("Return the report"),
        style="secondary",
    ),
    Transition(
        "accept_report", (State.REPORTED,), State.REPORT_ACCEPTED, OFFICER, _("Accept the report")
    ),
    Transition(
        "settle", (State.REPORT_ACCEPTED,), State.SETTLED, APPROVER, _("Confirm the amount")
    ),
    Transition(
        "cancel", IN_FORCE_STATES, State.CANCELLED, APPROVER, _("Cancel the grant"), style="danger"
    ),
)

ACTIONS = frozenset(t.action for t in TRANSITIONS)


class ActionNotAllowed(PermissionDenied):
    """The user may not take this action on the application in its present state."""


def transition_for(action: str, application: Application, user) -> Transition:
    """The row that lets this user take `action` now, or ActionNotAllowed saying why not."""
    if action not in ACTIONS:
        raise ActionNotAllowed(_("Unknown action."))
    rows = [t for t in TRANSITIONS if t.action == action and application.state in t.sources]
    if not rows:
        raise ActionNotAllowed(
            _("This cannot be done while the application is “%(state)s”.")
            % {"state": application.get_state_display()}
        )
    permitted = [t for t in rows if acts_as(user, t.role, application)]
    if not permitted:
        raise ActionNotAllowed(_("Your role does not allow this action."))
    for row in permitted:
        reason = row.guard(application, user) if row.guard else None
        if reason is None:
            return row
    raise ActionNotAllowed(reason)


def can(action: str, application: Application, user) -> bool:
    try:
        transition_for(action, application, user)
    except ActionNotAllowed:
        return False
    return True


def available(application: Application, user) -> list[Transition]:
    """The actions this user may take on the application now, one row per action."""
    seen: set[str] = set()
    rows = []
    for row in TRANSITIONS:
        if row.action in seen or application.state not in row.sources:
            continue
        if not acts_as(user, row.role, application):
            continue
        if row.guard and row.guard(application, user) is not None:
            continue
        seen.add(row.action)
        rows.append(row)
    return rows


# Moves that end an application rather than move it on: a submitted application waits for the
# officer's review even though an approver could reject it, and a decided grant waits for the
# payment and the report even though it could be cancelled.
ENDINGS = (State.REJECTED, State.WITHDRAWN, State.CANCELLED)


def moves_on(state: State) -> list[Transition]:
    """The rows that move an application on from this state, not counting the endings."""
    return [
        row
        for row in TRANSITIONS
        if state in row.sources and row.target is not None and row.target not in ENDINGS
    ]


def waiting_for(state: State) -> list[str]:
    """The roles that move an application on from this state (for dashboards and e-mail)."""
    return list(dict.fromkeys(row.role for row in moves_on(state)))


def waiting_on(role: str) -> dict[State, bool]:
    """The states in which `role` acts next, each saying whether the four-eyes rule applies.

    True means the one who recommended the application may not move it on
    (`FourEyes` guards every such row), so it does not wait on them.
    """
    found = {}
    for state in State:
        rows = [row for row in moves_on(state) if row.role == role]
        if rows:
            found[state] = all(isinstance(row.guard, FourEyes) for row in rows)
    return found


def four_eyes_refusal(application: Application, user) -> str | None:
    """Why the user may not move on an application that waits on their role: they recommended it."""
    state = State(application.state)
    for role in waiting_for(state):
        if waiting_on(role).get(state) and acts_as(user, role, application):
            return not_the_recommender(application, user)
    return None
