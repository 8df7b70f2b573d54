"""The task queue as production runs it: tasks are rows in the database (django-tasks-db), run by
`manage.py db_worker`. E-mail waits in the queue, so a page never waits for the mail server, and
a mail server that is down delays a message without losing it (core.tasks)."""

import datetime as dt
import logging
import smtplib

import pytest
from django.core import mail
from django.core.mail.backends import locmem
from django.core.management import call_command
from django.test.utils import override_settings
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from core.tasks import MAIL_ATTEMPTS, RETRY_DELAYS, send_email
from subsidies.models import State
from subsidies.services import decisions
from tests.factories import UserFactory
from tests.subsidies.factories import Staff, application_in

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
MESSAGE = {"subject": "件名", "body": "本文", "to": "sato@example.jp"}

in_the_database_queue = override_settings(TASKS=DATABASE_QUEUE)


def run_worker() -> None:
    """What `manage.py db_worker` does, until no task is ready."""
    call_command("db_worker", "--batch", "--interval", "0", "--no-startup-delay", verbosity=0)


def mail_server_down(monkeypatch, error=None) -> None:
    def refuse(self, messages):
        raise error or smtplib.SMTPServerDisconnected("connection lost")

    monkeypatch.setattr(locmem.EmailBackend, "send_messages", refuse)


@in_the_database_queue
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_workflow_notice_waits_in_the_queue_until_the_worker_sends_it():
    staff = Staff()
    application, coordinator, _ = application_in(State.DRAFT, staff=staff)
    decisions.submit(application=application, by=coordinator)

    assert mail.outbox == []  # the move only queued its notice
    queued = DBTaskResult.objects.get()
    assert queued.task_path == "subsidies.notifications.notify"
    assert queued.status == "READY"

    run_worker()

    assert [message.to for message in mail.outbox] == [[staff.officer.email]]
    assert application.council.name in mail.outbox[0].subject
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}
    assert DBTaskResult.objects.filter(task_path="core.tasks.send_email").count() == 1


@in_the_database_queue
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_mail_server_that_is_down_is_tried_again_later(monkeypatch, caplog):
    send_email.enqueue(**MESSAGE)
    mail_server_down(monkeypatch)
    with caplog.at_level(logging.WARNING, logger="core.tasks"):
        run_worker()

    assert mail.outbox == []
    failed = DBTaskResult.objects.get(status="FAILED")
    assert failed.exception_class_path == "smtplib.SMTPServerDisconnected"
    retry = DBTaskResult.objects.get(status="READY")
    assert retry.args_kwargs["kwargs"] == MESSAGE | {"html": "", "attempt": 2}
    waited = retry.run_after - failed.finished_at
    assert RETRY_DELAYS[0] - dt.timedelta(seconds=5) <= waited <= RETRY_DELAYS[0]
    assert "attempt 1 of 5" in caplog.text and "trying again later" in caplog.text

    monkeypatch.undo()  # the server is back, and the retry's time has come
    DBTaskResult.objects.filter(pk=retry.pk).update(run_after=timezone.now())
    run_worker()

    assert [(message.subject, message.to) for message in mail.outbox] == [
        ("件名", ["sato@example.jp"])
    ]
    assert DBTaskResult.objects.get(pk=retry.pk).status == "SUCCESSFUL"


@in_the_database_queue
@pytest.mark.django_db
def test_the_last_attempt_gives_up_and_logs_an_error(monkeypatch, caplog):
    mail_server_down(monkeypatch)
    with (
        caplog.at_level(logging.WARNING, logger="core.tasks"),
        pytest.raises(smtplib.SMTPServerDisconnected),
    ):
        send_email.call(**MESSAGE, attempt=MAIL_ATTEMPTS)

    assert not DBTaskResult.objects.exists()  # nothing more is queued
    assert [record.levelname for record in caplog.records] == ["ERROR"]
    assert "giving up" in caplog.text


@in_the_database_queue
@pytest.mark.django_db
def test_an_address_the_server_refuses_is_not_tried_again(monkeypatch):
    refused = smtplib.SMTPRecipientsRefused({"sato@example.jp": (550, b"no such user")})
    mail_server_down(monkeypatch, refused)
    with pytest.raises(smtplib.SMTPRecipientsRefused):
        send_email.call(**MESSAGE)
    assert not DBTaskResult.objects.exists()


@in_the_database_queue
@pytest.mark.django_db
def test_a_password_reset_answers_without_waiting_for_the_mail_server(client, monkeypatch):
    UserFactory(email="sato@example.jp")
    mail_server_down(monkeypatch)  # the page must not even try

    response = client.post(reverse("password_reset"), {"email": "sato@example.jp"})

    assert response.status_code == 302
    queued = DBTaskResult.objects.get()
    assert queued.task_path == "core.tasks.send_email"
    assert queued.args_kwargs["kwargs"]["to"] == "sato@example.jp"
    assert "/accounts/password/reset/" in queued.args_kwargs["kwargs"]["body"]
