"""Business actions on plans and meetings, shared by the admin and any other caller."""

from django.contrib.admin.models import CHANGE, LogEntry
from django.db import transaction
from django.utils import timezone, translation

from .models import Meeting


@transaction.atomic
def set_meetings_published(*, meetings, published: bool, by) -> list[Meeting]:
    """Publish or unpublish meetings; returns those that changed, each logged in its history.

    The first publication time is kept: a meeting published again keeps its date, as
    Meeting.save() does for one meeting at a time.
    """
    now = timezone.now()
    selected = Meeting.objects.filter(pk__in=[meeting.pk for meeting in meetings])
    changed = list(selected.filter(is_published=not published).select_for_update())
    Meeting.objects.filter(pk__in=[meeting.pk for meeting in changed]).update(
        is_published=published, updated_at=now
    )
    if published:
        selected.filter(published_at__isnull=True).update(published_at=now)
    if changed:
        with translation.override(None):  # stored untranslated, as Django's own messages
            label = str(Meeting._meta.get_field("is_published").verbose_name)
        LogEntry.objects.log_actions(
            user_id=by.pk,
            queryset=changed,
            action_flag=CHANGE,
            change_message=[{"changed": {"fields": [label]}}],
        )
    return changed
