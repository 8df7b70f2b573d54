"""Reminders sent: one row a person and a thing, so each is sent once (subsidies/reminders.py)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from districts.models import Council

from .application import Application


class ReminderKind(models.TextChoices):
    APPLY = "apply", _("Application deadline")
    REPORT = "report", _("Report due date")
    OVERDUE = "overdue", _("Waiting past its due date")
    DIGEST = "digest", _("Weekly digest")


class Reminder(models.Model):
    """One reminder to one person about one thing, recorded as it is queued.

    `thing` names what it is about, so that the same deadline or the same wait is never reminded
    twice (a new wait, such as a second return, is a new thing).
    """

    kind = models.CharField(_("kind"), max_length=10, choices=ReminderKind.choices)
    thing = models.CharField(_("about"), max_length=100)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("recipient"),
    )
    council = models.ForeignKey(
        Council,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("council"),
        help_text=_("Empty for a weekly digest, which concerns every council."),
    )
    application = models.ForeignKey(
        Application,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reminders",
        verbose_name=_("application"),
    )
    queued_at = models.DateTimeField(_("queued at"), auto_now_add=True)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "thing", "recipient"], name="reminder_once_per_person"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.thing}"
