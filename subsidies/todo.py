"""What waits on whom, and by when: the to-do list on the coordinator's page, the next step and
due date of each application in the staff's queue, and what the reminders are about
(subsidies/reminders.py).

A council's to-do comes from its year and its applications: the application to file before the
window closes, a correction asked of it, the report due by the year's date. The city's comes
from the applications that wait on a staff role. A wait with no date of its own (a correction,
a review, a payment) is due the program year's `remind_after_days` after it began.

Applications read here carry `entered_at` (Application.objects.with_entered_at()) and their
program year.
"""

import datetime as dt
from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from districts.models import Council

from .models import CLOSED_STATES, Allocation, Application, ProgramYear, State

APPLY = _("Start the application and submit it")
# What the council does next, by the state its application is in.
COUNCIL_TASKS: dict[State, Promise] = {
    State.DRAFT: _("Finish the application and submit it"),
    State.RETURNED: _("Correct the application and submit it again"),
    State.APPROVED: _("File the year-end report"),
    State.PAID: _("File the year-end report"),
    State.REPORT_RETURNED: _("Correct the report and submit it again"),
}
# The states whose task is due on the year's report date; the others' on a date of their own.
REPORT_STATES = (State.APPROVED, State.PAID)
# What the city does next. A paid grant waits on the council's report: a further payment before
# it is the officer's choice, not a step that waits on them.
STAFF_TASKS: dict[State, Promise] = {
    State.SUBMITTED: _("Check the application"),
    State.RECOMMENDED: _("Decide the application"),
    State.APPROVED: _("Pay the grant"),
    State.CHANGE_REQUESTED: _("Decide the change request"),
    State.REPORTED: _("Check the report"),
    State.REPORT_ACCEPTED: _("Confirm the amount (額の確定)"),
}
FINAL_PAYMENT = _("Pay the rest of the confirmed amount")


@dataclass(frozen=True)
class Todo:
    task: Promise | str
    council: Council
    application: Application | None  # None: the application is still to be started
    due_on: dt.date
    days_left: int  # until the due date: 0 on the day, negative once it has passed
    url: str

    @property
    def overdue_by(self) -> int:
        return max(0, -self.days_left)


def wait_due(application: Application) -> dt.date:
    """The day a correction or a review that began when the application entered its state is
    due: the year's remind_after_days later."""
    began = timezone.localdate(application.entered_at)
    return began + dt.timedelta(days=application.program_year.remind_after_days)


def council_todos(
    council: Council,
    year: ProgramYear | None,
    allocation: Allocation | None,
    applications: list[Application],
    today: dt.date,
) -> list[Todo]:
    """What the council must do: the current `year`'s application while the window is open
    (when it has an allocation and nothing filed), and whatever of its applications waits on
    it, soonest due first."""
    todos = []
    this_year = [a for a in applications if year is not None and a.program_year_id == year.pk]
    open_now = year is not None and year.application_opens_on <= today <= year.application_closes_on
    if open_now and allocation is not None and all(a.state in CLOSED_STATES for a in this_year):
        url = reverse("grants:dashboard") + f"#council-{council.pk}"
        due = year.application_closes_on
        todos.append(Todo(APPLY, council, None, due, (due - today).days, url))
    for application in applications:
        state = State(application.state)
        if state not in COUNCIL_TASKS:
            continue
        if state == State.DRAFT:
            if application.program_year_id != getattr(year, "pk", None) or not open_now:
                continue  # a draft of a closed window can no longer be filed
            due = year.application_closes_on
        elif state in REPORT_STATES:
            due = application.program_year.report_due_on
        else:
            due = wait_due(application)
        url = reverse("grants:application_detail", args=[application.pk])
        todos.append(Todo(COUNCIL_TASKS[state], council, application, due, (due - today).days, url))
    return sorted(todos, key=lambda todo: todo.due_on)


def staff_task(application: Application) -> Promise | None:
    """What the city does next on this application, if anything; `final_payment_due` (the
    queue's annotation) marks a settled grant whose rest is still to be paid."""
    if getattr(application, "final_payment_due", False):
        return FINAL_PAYMENT
    return STAFF_TASKS.get(State(application.state))
