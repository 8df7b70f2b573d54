"""Template filters of the plan and meeting pages: measured values and meeting times."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django import template
from django.utils import formats

from core.dates import format_datetime_range

register = template.Library()


def format_measure(value) -> str:
    """A measured value as written: 1,234 / 12.5 (no trailing zeros); a dash when unknown."""
    if value is None or value == "":
        return "—"
    number = value if isinstance(value, Decimal) else Decimal(str(value))
    if number == number.to_integral_value():
        return formats.number_format(int(number), force_grouping=True)
    return formats.number_format(number.normalize(), force_grouping=True)


def format_meeting_time(starts_at: dt.datetime, ends_at: dt.datetime | None = None) -> str:
    """「令和8年11月22日（日）14:00〜16:00」 in Asia/Tokyo; English: "Sun 22 November 2026, …"."""
    return format_datetime_range(starts_at, ends_at)


@register.filter
def measure(value) -> str:
    return format_measure(value)


@register.filter
def meeting_time(meeting) -> str:
    """When a meeting is held, from its start to its end."""
    return format_meeting_time(meeting.starts_at, meeting.ends_at)


@dataclass(frozen=True)
class CalendarAddress:
    """A calendar feed's two addresses: webcal:// opens the subscribe dialog of the calendar app
    on a tap (iPhone, Outlook); Google Calendar's "From URL" wants the https:// one."""

    webcal: str
    https: str


@register.simple_tag(takes_context=True)
def calendar_address(context, path: str) -> CalendarAddress:
    """The absolute addresses of the calendar feed at `path`, on the host the page is on."""
    absolute = context["request"].build_absolute_uri(path)
    return CalendarAddress(webcal="webcal://" + absolute.partition("://")[2], https=absolute)
