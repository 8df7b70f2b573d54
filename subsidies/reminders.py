"""Reminder e-mail: before applications close (to councils that have not applied), before the
report due date, and once a correction or a review has waited past its due date. What waits on
whom, and by when, is subsidies/todo.py's.

`manage.py send_reminders`, run daily (cron or a systemd timer), records each reminder (kind,
thing, recipient) as it queues it, so running it twice sends nothing twice. It goes to whoever
holds the role that day, and the task checks again before sending that the thing still waits:
nothing is reminded once it is done.
"""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from core import mail
from core.dates import format_fiscal_year, format_wareki_date
from core.models import MailSettings
from core.tasks import after_commit, send_email
from districts.models import Council

from . import policy, workflow
from .models import Allocation, Application, ProgramYear, Reminder, ReminderKind, State
from .selectors.coordinator import current_program_year
from .selectors.review import review_scope, waiting_on_user
from .todo import (
    COUNCIL_TASKS,
    REPORT_STATES,
    STAFF_TASKS,
    Todo,
    council_todos,
    staff_task,
    wait_due,
)

# How many days ahead of its date a deadline is reminded.
NOTICE_DAYS = {ReminderKind.APPLY: 7, ReminderKind.REPORT: 14}


@dataclass(frozen=True)
class Due:
    """A thing that waits on a role, what reminding of it would be about, and whether that is
    due today."""

    kind: str
    thing: str
    role: str
    todo: Todo
    today: bool  # the reminder is due today
    besides: int | None = None  # who is not reminded: the recommender, where four eyes apply


def _wait(application: Application) -> str:
    return f"wait:{application.pk}:{application.state}:{application.entered_at.isoformat()}"


def council_dues(todo: Todo, year: ProgramYear | None) -> list[Due]:
    """What reminding of a council's to-do item would be about, and whether it is due today."""
    application = todo.application
    if application is None or application.state == State.DRAFT:
        kind, thing = ReminderKind.APPLY, f"apply:{year.pk}:{todo.council.pk}"
    elif application.state in REPORT_STATES:
        kind, thing = ReminderKind.REPORT, f"report:{application.pk}"
    else:
        kind, thing = ReminderKind.OVERDUE, _wait(application)
    if kind == ReminderKind.OVERDUE:
        due = todo.days_left < 0
    else:
        due = 0 <= todo.days_left <= NOTICE_DAYS[kind]
    return [Due(kind, thing, policy.COORDINATOR, todo, due)]


def staff_dues(application: Application, today: dt.date) -> list[Due]:
    """A wait on the city, for each staff role the application waits on; its reminder is due
    once the wait has passed its due date."""
    task_now = staff_task(application)
    if task_now is None:
        return []
    due_on = wait_due(application)
    url = reverse("grants:review_application", args=[application.pk])
    todo = Todo(task_now, application.council, application, due_on, (due_on - today).days, url)
    state = State(application.state)
    dues = []
    for role in policy.STAFF_ROLES:
        four_eyes = workflow.waiting_on(role).get(state)
        final = application.final_payment_due and role == workflow.OFFICER
        if four_eyes is None and not final:
            continue
        besides = application.recommended_by_id if four_eyes else None
        overdue = due_on < today
        dues.append(Due(ReminderKind.OVERDUE, _wait(application), role, todo, overdue, besides))
    return dues


def waiting(today: dt.date, *, council: Council | None = None) -> list[Due]:
    """Everything that waits on someone today (or on one council, or on the city about it),
    each saying whether its reminder is due today."""
    year = current_program_year()
    councils = Council.objects.select_related("district")
    if council is not None:
        councils = councils.filter(pk=council.pk)
    open_states = set(COUNCIL_TASKS) | set(STAFF_TASKS) | {State.SETTLED}
    applications = (
        Application.objects.filter(council__in=councils, state__in=open_states)
        .select_related("program_year", "council__district")
        .with_entered_at()
        .with_paid()
        .order_by("pk")
    )
    by_council: dict[int, list[Application]] = {}
    for application in applications:
        application.final_payment_due = (
            application.state == State.SETTLED
            and application.confirmed_amount > application.paid_total
        )
        by_council.setdefault(application.council_id, []).append(application)
    allocations = {}
    if year is not None:
        allocations = {
            allocation.district_id: allocation
            for allocation in Allocation.objects.filter(
                program_year=year, district__council__in=councils
            )
        }
    found = []
    involved = Q(pk__in=list(by_council)) | Q(district_id__in=list(allocations))
    for each in councils.filter(involved):
        own = by_council.get(each.pk, [])
        allocation = allocations.get(each.district_id)
        for todo in council_todos(each, year, allocation, own, today):
            found += council_dues(todo, year)
        for application in own:
            found += staff_dues(application, today)
    return found


def send_reminders(today: dt.date | None = None) -> int:
    """Record and queue every reminder due today that was not sent before, and this week's
    digests; returns how many."""
    today = today or timezone.localdate()
    queued = send_digests(today)
    for due in waiting(today):
        if not due.today:
            continue
        scope = due.todo.application or Application(council=due.todo.council)
        recipients = policy.holders(due.role, scope).exclude(email="")
        if due.besides is not None:
            recipients = recipients.exclude(pk=due.besides)
        for user in recipients.order_by("pk"):
            with transaction.atomic():
                reminder, created = Reminder.objects.get_or_create(
                    kind=due.kind,
                    thing=due.thing,
                    recipient=user,
                    defaults={"council": due.todo.council, "application": due.todo.application},
                )
                if created:
                    after_commit(send_reminder, reminder_id=reminder.pk)
                    queued += 1
    return queued


def _holds(user, due: Due) -> bool:
    scope = due.todo.application or Application(council=due.todo.council)
    return policy.holders(due.role, scope).filter(pk=user.pk).exists()


@task()
def send_reminder(reminder_id: int) -> bool:
    """E-mail one recorded reminder if its thing still waits on the recipient (who still holds
    the role); returns whether it was sent."""
    reminder = Reminder.objects.select_related("recipient", "council").get(pk=reminder_id)
    found = [
        due
        for due in waiting(timezone.localdate(), council=reminder.council)
        if due.thing == reminder.thing and _holds(reminder.recipient, due)
    ]
    if not found or not reminder.recipient.email:
        return False
    todo = found[0].todo
    with mail.in_language_of(mail.settings_of([reminder.recipient])[reminder.recipient_id]):
        subject = _("[Kyodo Portal] %(council)s: %(task)s by %(date)s") % {
            "council": todo.council.name,
            "task": todo.task,
            "date": format_wareki_date(todo.due_on),
        }
        year = todo.application.program_year if todo.application else current_program_year()
        lines = [
            str(ReminderKind(reminder.kind).label),
            "",
            _("%(task)s (%(council)s, %(year)s).")
            % {
                "task": todo.task,
                "council": todo.council.name,
                "year": format_fiscal_year(year.fiscal_year),
            },
            _("Due: %(date)s") % {"date": format_wareki_date(todo.due_on)},
            "",
            settings.SITE_URL.rstrip("/") + todo.url,
        ]
    send_email.enqueue(subject=subject, body="\n".join(lines), to=reminder.recipient.email)
    return True


# The weekly digest -------------------------------------------------------------------------------


def send_digests(today: dt.date) -> int:
    """Record and queue this week's digest for each grant officer or approver who takes it
    (MailSettings.weekly_digest): on the first run of each ISO week. Returns how many."""
    iso = today.isocalendar()
    thing = f"digest:{iso.year}-W{iso.week:02d}"
    takers = (
        MailSettings.objects.filter(weekly_digest=True, user__is_active=True)
        .exclude(user__email="")
        .select_related("user")
    )
    queued = 0
    for chosen in takers:
        if not policy.staff_roles(chosen.user):
            continue
        with transaction.atomic():
            reminder, created = Reminder.objects.get_or_create(
                kind=ReminderKind.DIGEST, thing=thing, recipient=chosen.user
            )
            if created:
                after_commit(send_digest, reminder_id=reminder.pk)
                queued += 1
    return queued


def staff_todos(user, today: dt.date) -> list[Todo]:
    """Every application that waits on this person's staff roles, soonest due first."""
    condition = waiting_on_user(user)
    if condition is None:
        return []
    applications = (
        review_scope(user)
        .filter(condition)
        .select_related("program_year", "council__district")
        .with_entered_at()
        .with_paid()
    )
    todos = []
    for application in applications:
        application.final_payment_due = (
            application.state == State.SETTLED
            and application.confirmed_amount > application.paid_total
        )
        due_on = wait_due(application)
        url = reverse("grants:review_application", args=[application.pk])
        todos.append(
            Todo(
                staff_task(application),
                application.council,
                application,
                due_on,
                (due_on - today).days,
                url,
            )
        )
    return sorted(todos, key=lambda todo: (todo.due_on, todo.council.name))


@task()
def send_digest(reminder_id: int) -> bool:
    """E-mail one recorded weekly digest, unless nothing waits on its recipient; returns whether
    it was sent."""
    reminder = Reminder.objects.select_related("recipient").get(pk=reminder_id)
    user = reminder.recipient
    todos = staff_todos(user, timezone.localdate())
    if not todos or not user.email:
        return False
    with mail.in_language_of(mail.settings_of([user])[user.pk]):
        subject = _("[Kyodo Portal] This week: %(count)s application(s) wait on you") % {
            "count": len(todos)
        }
        lines = [
            _("%(task)s: %(council)s (%(year)s), due %(date)s")
            % {
                "task": todo.task,
                "council": todo.council.name,
                "year": format_fiscal_year(todo.application.program_year.fiscal_year),
                "date": format_wareki_date(todo.due_on),
            }
            + (_(" (overdue)") if todo.days_left < 0 else "")
            for todo in todos
        ]
        queue = settings.SITE_URL.rstrip("/") + reverse("grants:review_queue") + "?show=mine"
    send_email.enqueue(subject=subject, body="\n".join([*lines, "", queue]), to=user.email)
    return True
