"""Whom the portal writes to and how: each person's e-mail settings (MailSettings), read in bulk
for a list of recipients, and messages written in each recipient's language."""

from collections.abc import Iterable
from contextlib import contextmanager

from django.conf import settings
from django.utils import translation

from .models import MailSettings

DEFAULTS = MailSettings(language=settings.LANGUAGE_CODE, weekly_digest=False)


def settings_of(users: Iterable) -> dict[int, MailSettings]:
    """Each user's settings by primary key, in one query; the defaults for those with none."""
    users = list(users)
    found = MailSettings.objects.in_bulk([user.pk for user in users])
    return {user.pk: found.get(user.pk, DEFAULTS) for user in users}


@contextmanager
def in_language_of(mail_settings: MailSettings):
    """Write a message in the recipient's language."""
    with translation.override(mail_settings.language):
        yield
