"""The portal's background work, on one task queue.

Work that must not hold a page (e-mail now; reminders and digests as they come) is a task of
django-tasks, the backport of Django 6's tasks. In production and in the demo its database
backend stores each task as a row, so a queued e-mail survives a restart, and the worker runs
them: `manage.py db_worker` (README.md, "Background work"). Tests run tasks at once.

Work that follows a change is queued through `after_commit`: nothing is sent for a change that
was rolled back, and the page only writes a row. E-mail goes out one message per task, so a mail
server that is down delays each message and loses none: `send_email` tries again later, up to
MAIL_ATTEMPTS times.
"""

import datetime as dt
import logging
import smtplib
from functools import partial

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.utils import timezone
from django_tasks import task

logger = logging.getLogger(__name__)

# How long to wait after each failed attempt before the next: about sixteen hours in all, so a
# mail server down overnight still delivers in the morning. Then the message is given up.
RETRY_DELAYS = (
    dt.timedelta(minutes=5),
    dt.timedelta(minutes=30),
    dt.timedelta(hours=3),
    dt.timedelta(hours=12),
)
MAIL_ATTEMPTS = len(RETRY_DELAYS) + 1


def after_commit(queued_task, **kwargs) -> None:
    """Queue `queued_task` with these arguments once the current transaction commits (at once
    outside one). A queue that cannot be reached is logged; it never undoes the change."""
    transaction.on_commit(partial(queued_task.enqueue, **kwargs), robust=True)


@task()
def send_email(*, subject: str, body: str, to: str, html: str = "", attempt: int = 1) -> None:
    """Send one message; when the mail server fails, queue the next attempt and fail this one
    (the queue records it with its error)."""
    message = EmailMultiAlternatives(subject, body, settings.DEFAULT_FROM_EMAIL, [to])
    if html:
        message.attach_alternative(html, "text/html")
    try:
        message.send()
    except smtplib.SMTPRecipientsRefused:
        raise  # the address itself is refused: another attempt would be refused too
    except (smtplib.SMTPException, OSError) as error:
        retried = retry_email(subject=subject, body=body, to=to, html=html, attempt=attempt)
        logger.log(
            logging.WARNING if retried else logging.ERROR,
            "E-mail to %s failed (attempt %s of %s): %s%s",
            to,
            attempt,
            MAIL_ATTEMPTS,
            error,
            "; trying again later" if retried else "; giving up",
        )
        raise


def retry_email(*, attempt: int, **message) -> bool:
    """Queue attempt number `attempt + 1` after its delay; False when none is left (or the
    backend cannot run a task later, as in tests)."""
    if attempt >= MAIL_ATTEMPTS or not send_email.get_backend().supports_defer:
        return False
    later = send_email.using(run_after=timezone.now() + RETRY_DELAYS[attempt - 1])
    later.enqueue(attempt=attempt + 1, **message)
    return True
