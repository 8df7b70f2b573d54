"""What waits on whom, and by when (subsidies/todo.py), and the reminders sent about it
(subsidies/reminders.py, `manage.py send_reminders`)."""

import datetime as dt
import io

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from core import roles
from subsidies.models import Reminder, ReminderKind, State
from subsidies.reminders import send_reminders
from subsidies.selectors.review import queue_page_rows, review_queue
from subsidies.services import decisions
from tests.factories import StaffUserFactory, UserFactory
from tests.subsidies.factories import GrantYearFactory, Staff, application_in, make_applicant

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def closing_in(days: int):
    """This fiscal year's program year, its applications closing in `days` days."""
    return GrantYearFactory(application_closes_on=TODAY() + dt.timedelta(days=days))


def dashboard_todos(client, coordinator):
    client.force_login(coordinator)
    response = client.get(reverse("grants:dashboard"))
    assert response.status_code == 200
    return response.context["dashboard"].todos, response.content.decode()


# The to-do lists ----------------------------------------------------------------------------


def test_a_council_that_has_not_applied_sees_the_deadline(client):
    year = closing_in(10)
    council, coordinator = make_applicant(year)

    todos, page = dashboard_todos(client, coordinator)

    assert [(t.council, t.application, t.due_on, t.days_left) for t in todos] == [
        (council, None, year.application_closes_on, 10)
    ]
    assert "申請書を作成して提出する" in page
    assert "あと10日" in page


def test_each_step_the_council_owes_is_on_its_list_with_its_due_date(client):
    staff = Staff()
    returned, coordinator, _ = application_in(State.RETURNED, staff=staff)
    year = returned.program_year

    todos, page = dashboard_todos(client, coordinator)

    (todo,) = todos
    assert todo.application == returned
    assert todo.due_on == TODAY() + dt.timedelta(days=year.remind_after_days)
    assert "申請書を直して再提出する" in page

    decisions.submit(application=returned, by=coordinator)
    decisions.recommend(application=returned, by=staff.officer)
    decisions.approve(
        application=returned,
        by=staff.approver,
        granted_amount=returned.requested_amount,
        decision_number="み協第1号",
        decided_on=TODAY(),
    )
    todos, page = dashboard_todos(client, coordinator)
    (todo,) = todos
    assert todo.due_on == year.report_due_on  # now the report is what the council owes
    assert "実績報告書を提出する" in page


def test_a_council_whose_application_waits_on_the_city_has_nothing_to_do(client):
    _, coordinator, _ = application_in(State.SUBMITTED)
    todos, page = dashboard_todos(client, coordinator)
    assert todos == []
    assert "いま協議会の対応を待っているものはありません" in page


def test_the_staff_queue_says_the_citys_next_step_and_when_it_is_due(client):
    staff = Staff()
    application, _, _ = application_in(State.SUBMITTED, staff=staff)
    client.force_login(staff.officer)

    response = client.get(reverse("grants:review_queue"))

    (row,) = response.context["page"].object_list
    assert row.due_on == TODAY() + dt.timedelta(days=application.program_year.remind_after_days)
    page = response.content.decode()
    assert "申請書を審査する" in page and "あと14日" in page


def test_an_overdue_step_is_marked_overdue():
    staff = Staff()
    application, _, _ = application_in(State.SUBMITTED, staff=staff)
    year = application.program_year
    later = TODAY() + dt.timedelta(days=year.remind_after_days + 3)
    queue = review_queue(staff.officer, fiscal_year=year.fiscal_year)

    (row,) = queue_page_rows(queue.applications, today=later)

    assert (row.days_left, row.overdue_by) == (-3, 3)
    due = {"due_on": row.due_on, "days_left": row.days_left, "overdue_by": row.overdue_by}
    with translation.override("ja"):
        html = render_to_string("subsidies/_due.html", due)
    assert "due--over" in html and "3日超過" in html


# The reminders -------------------------------------------------------------------------------


def sent_to() -> list[list[str]]:
    return sorted(message.to for message in mail.outbox)


def test_a_council_that_has_not_applied_is_reminded_once_before_applications_close(
    django_capture_on_commit_callbacks,
):
    year = closing_in(5)
    _, coordinator = make_applicant(year)
    applied, _, _ = application_in(State.SUBMITTED, year)  # another council, already filed

    with django_capture_on_commit_callbacks(execute=True):
        assert send_reminders() == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert send_reminders() == 0  # run again: nothing twice

    assert sent_to() == [[coordinator.email]]
    (message,) = mail.outbox
    assert "申請書を作成して提出する" in message.subject
    assert "/grants/applications/#council-" in message.body
    assert applied.council.coordinators.first().email not in message.to


def test_no_reminder_before_the_notice_period(django_capture_on_commit_callbacks):
    make_applicant(closing_in(20))
    with django_capture_on_commit_callbacks(execute=True):
        assert send_reminders() == 0
    assert mail.outbox == []


def test_a_correction_waiting_past_its_due_date_reminds_the_council(
    django_capture_on_commit_callbacks,
):
    application, coordinator, staff = application_in(State.RETURNED)
    later = TODAY() + dt.timedelta(days=application.program_year.remind_after_days + 1)

    with django_capture_on_commit_callbacks(execute=True):
        assert send_reminders(TODAY()) == 0  # not due yet
        assert send_reminders(later) == 1

    assert sent_to() == [[coordinator.email]]
    assert Reminder.objects.get().kind == ReminderKind.OVERDUE


def test_nothing_is_reminded_once_the_thing_is_done(django_capture_on_commit_callbacks):
    application, coordinator, staff = application_in(State.RETURNED)
    later = TODAY() + dt.timedelta(days=application.program_year.remind_after_days + 1)
    with django_capture_on_commit_callbacks() as queued:
        assert send_reminders(later) == 1
    decisions.submit(application=application, by=coordinator)  # done before the worker ran

    for callback in queued:
        callback()

    assert mail.outbox == []


def test_a_review_waiting_past_its_due_date_reminds_every_officer_not_the_approvers(
    django_capture_on_commit_callbacks,
):
    staff = Staff()
    application, _, _ = application_in(State.SUBMITTED, staff=staff)
    other_officer = StaffUserFactory.grant_officer()
    later = TODAY() + dt.timedelta(days=application.program_year.remind_after_days + 1)

    with django_capture_on_commit_callbacks(execute=True):
        assert send_reminders(later) == 2

    assert sent_to() == sorted([[staff.officer.email], [other_officer.email]])
    assert "申請書を審査する" in mail.outbox[0].subject


def test_the_recommender_is_not_asked_to_decide(django_capture_on_commit_callbacks):
    both = StaffUserFactory(groups=[roles.GRANT_OFFICERS, roles.GRANT_APPROVERS])
    staff = Staff()
    staff.officer = both  # recommends, so may not decide (four eyes)
    application, _, _ = application_in(State.RECOMMENDED, staff=staff)
    later = TODAY() + dt.timedelta(days=application.program_year.remind_after_days + 1)

    with django_capture_on_commit_callbacks(execute=True):
        send_reminders(later)

    assert sent_to() == [[staff.approver.email]]


def test_someone_who_left_the_role_before_sending_is_not_reminded(
    django_capture_on_commit_callbacks,
):
    application, coordinator, staff = application_in(State.SUBMITTED)
    later = TODAY() + dt.timedelta(days=application.program_year.remind_after_days + 1)
    with django_capture_on_commit_callbacks() as queued:
        send_reminders(later)
    staff.officer.groups.remove(Group.objects.get(name=roles.GRANT_OFFICERS))

    for callback in queued:
        callback()

    assert mail.outbox == []


def test_a_reminder_is_recorded_once_per_person_and_thing():
    council, coordinator = make_applicant(closing_in(5))
    Reminder.objects.create(kind="apply", thing="apply:1:1", recipient=coordinator, council=council)
    with pytest.raises(IntegrityError), transaction.atomic():
        Reminder.objects.create(
            kind="apply", thing="apply:1:1", recipient=coordinator, council=council
        )


def test_the_command_queues_the_days_reminders(django_capture_on_commit_callbacks):
    make_applicant(closing_in(3))
    make_applicant(closing_in(3), coordinator=UserFactory(groups=[roles.COORDINATORS], email=""))
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders", stdout=out)
    assert out.getvalue().strip() == "Queued 1 reminder(s)."
    assert len(mail.outbox) == 1  # one council's coordinator has no address
