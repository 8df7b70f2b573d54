"""QuerySet behaviour shared by several models."""

import datetime as dt

from django.db import models
from django.db.models import Q
from django.utils import timezone


class PeriodQuerySet(models.QuerySet):
    """Rows with a start and an optional end (terms, seats, assignments)."""

    start_field = "start_on"
    end_field = "end_on"

    def current(self, on: dt.date | None = None):
        """The rows in force on a day, today by default; start and end days included."""
        day = on or timezone.localdate()
        return self.filter(
            Q(**{f"{self.end_field}__isnull": True}) | Q(**{f"{self.end_field}__gte": day}),
            **{f"{self.start_field}__lte": day},
        )

    def overlapping(self, start: dt.date, end: dt.date | None):
        """The rows whose period shares at least one day with start–end (end None: open)."""
        rows = self.filter(
            Q(**{f"{self.end_field}__isnull": True}) | Q(**{f"{self.end_field}__gte": start})
        )
        if end is not None:
            rows = rows.filter(**{f"{self.start_field}__lte": end})
        return rows

    def clashing_with(self, row, *, same: tuple[str, ...]):
        """Other rows with the same values of `same` whose period overlaps the row's.

        Nothing when the row's period is incomplete or inverted: the field and constraint
        errors speak for those.
        """
        start = getattr(row, self.start_field)
        end = getattr(row, self.end_field)
        keys = {f"{name}_id": getattr(row, f"{name}_id") for name in same}
        if start is None or (end is not None and end < start) or None in keys.values():
            return self.none()
        return self.filter(**keys).overlapping(start, end).exclude(pk=row.pk)
