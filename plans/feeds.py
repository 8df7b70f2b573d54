"""Feeds of public records: iCalendar (RFC 5545) of meetings, Atom of new minutes and plans.

Calendar apps and feed readers fetch these without signing in and without the language cookie,
so they carry only what residents may see (published meetings, plans past draft) and read in
Japanese unless the visitor chose English on the site.
"""

import datetime as dt
import functools
import re

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.contrib.syndication.views import Feed
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.http import content_disposition_header
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from icalendar import Timezone, vDuration

from core.cache import public_page
from core.dates import format_wareki_date
from core.english import LocalName
from districts.models import District

from .models import Admission, Meeting, MeetingKind, Plan, PlanStage
from .models.meeting import FEED_UPDATED, venue_address

# A district's calendar keeps a year of past meetings and every announced one: a few hundred
# events however long the portal runs.
DISTRICT_CALENDAR_PAST = dt.timedelta(days=365)
# The city-wide calendar holds every district's meetings, thousands a month in a large city, so
# it covers a short window: the past week (with links to the minutes) and the coming month.
# Tens of thousands of events help no one in a calendar app (and took a minute to build); a
# resident who wants a district's whole year subscribes to that district's calendar.
CITY_CALENDAR_PAST = dt.timedelta(days=7)
CITY_CALENDAR_AHEAD = dt.timedelta(days=31)
# A meeting entered without an end is shown as two hours long.
ASSUMED_MEETING_LENGTH = dt.timedelta(hours=2)
# How often calendar apps are asked to fetch the feed again.
CALENDAR_REFRESH = dt.timedelta(hours=6)
UPDATES_FEED_LENGTH = 30
SUMMARY_LENGTH = 200
# RFC 4151 tag URIs name a record for good; the date is any day the city held its domain.
TAG_DATE = "2026"

# XML 1.0 refuses these characters; one pasted into minutes must not break the whole feed.
_XML_FORBIDDEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def record_domain() -> str:
    """The domain that names records in calendar UIDs and Atom ids: the city's mail domain.

    Not the request's host, which changes with proxies, aliases and staging, so a meeting keeps
    one UID in every subscriber's calendar across requests and deploys.
    """
    return settings.CITY_CONTACT_EMAIL.rpartition("@")[2].lower() or "kyodo-portal.invalid"


def in_page_language(japanese: str, english: str) -> str:
    return english if translation.get_language() == "en" else japanese


def city_name() -> str:
    return in_page_language(settings.CITY_NAME, settings.CITY_NAME_EN)


def plain_text(text: str, length: int | None = None) -> str:
    """Text on one line, without characters XML refuses, cut to `length` characters."""
    text = " ".join(_XML_FORBIDDEN.sub("", text).split())
    return Truncator(text).chars(length) if length else text


def city_calendar_window() -> str:
    """What the city-wide calendar holds, in words, for its description and the meeting list."""
    return _(
        "Meetings of every district from %(past)s days ago to %(ahead)s days ahead. "
        "A district's own calendar holds its meetings from a year ago onward."
    ) % {"past": CITY_CALENDAR_PAST.days, "ahead": CITY_CALENDAR_AHEAD.days}


def district_calendar_window() -> str:
    return _("The district's meetings from a year ago onward.")


# iCalendar ---------------------------------------------------------------------------------
#
# Written as text rather than through the icalendar library's objects: one Event object per
# meeting cost about 0.4 ms of CPU, a minute for a large city's year (95,000 meetings). The text
# follows RFC 5545: CRLF line ends, TEXT values escaped (3.3.11), lines folded at 75 octets
# without cutting a UTF-8 character in two (3.1). The library still writes the VTIMEZONE, once
# per process. The tests read every feed back with the library.

# RFC 5545 3.3.11: TEXT may hold no control character but HTAB; line breaks are escaped.
_ICAL_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_ICAL_LINE_OCTETS = 75


def ical_text(value: str) -> str:
    """A TEXT value: backslash, semicolon, comma and line breaks escaped, other controls dropped."""
    value = _ICAL_CONTROL.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def content_line(line: str) -> bytes:
    """One content line, folded: at most 75 octets a line, a character never cut in two."""
    data = line.encode()
    if len(data) <= _ICAL_LINE_OCTETS:
        return data + b"\r\n"
    parts = []
    start, limit = 0, _ICAL_LINE_OCTETS
    while len(data) - start > limit:
        end = start + limit
        while data[end] & 0xC0 == 0x80:  # a UTF-8 continuation byte: step back to its start
            end -= 1
        parts.append(data[start:end])
        # A continuation line starts with one space, which counts towards its 75 octets.
        start, limit = end, _ICAL_LINE_OCTETS - 1
    parts.append(data[start:])
    return b"\r\n ".join(parts) + b"\r\n"


def ical_parameter(value: str) -> str:
    """A parameter value (RFC 5545 3.2), quoted when it holds a character that ends one."""
    return f'"{value}"' if any(mark in value for mark in ":;,") else value


def ical_utc(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def ical_local(value: dt.datetime) -> str:
    return value.strftime("%Y%m%dT%H%M%S")


@functools.cache
def time_zone_component(tzid: str) -> bytes:
    """The VTIMEZONE of `tzid` (the library's, slow to build, so built once)."""
    return Timezone.from_tzid(tzid).to_ical()


def event_rows(meetings):
    """The meetings as rows of what an event shows: no model instances, no minutes (only
    whether there are any), soonest first."""
    return (
        meetings.annotate(has_minutes=~Q(minutes=""))
        .order_by("starts_at", "pk")
        .values_list(
            "pk",
            "kind",
            "title",
            "starts_at",
            "ends_at",
            "place",
            "place_address",
            "admission",
            "agenda",
            "created_at",
            "updated_at",
            "district__name",
            "district__hub_address",
            "district__name_en",
            "district__name_kana",
            "has_minutes",
            named=True,
        )
    )


def calendar_meetings(*, since: dt.datetime, until: dt.datetime | None = None):
    """Published meetings starting from `since` (and before `until`), as event rows."""
    meetings = Meeting.objects.published().filter(starts_at__gte=since)
    if until is not None:
        meetings = meetings.filter(starts_at__lt=until)
    return event_rows(meetings)


def event_summary(district: str, title: str) -> str:
    """A meeting's title with its district, as calendars list it: several districts hold a
    「令和8年度第5回役員会」, and a calendar shows only the summary."""
    return f"{district}：{title}"


def event_location(place: str, address: str) -> str:
    """The place with the address a map app can find: 「桜台地区公民館 大会議室（…）」."""
    if place and address:
        return in_page_language(f"{place}（{address}）", f"{place}, {address}")
    return place or address


def meeting_revision(created_at: dt.datetime, updated_at: dt.datetime) -> int:
    """A SEQUENCE that grows with every saved change: seconds from creation to the last save."""
    return max(0, int((updated_at - created_at).total_seconds()))


def meeting_address(request):
    """A function from a meeting's pk to the absolute address of its page; one reverse()."""
    marker = "2147483647"
    address = request.build_absolute_uri(reverse("meeting_detail", kwargs={"pk": int(marker)}))
    prefix, _marker, suffix = address.rpartition(marker)
    return lambda pk: f"{prefix}{pk}{suffix}"


class EventWriter:
    """Writes the VEVENT of each meeting row; the labels and sentences are looked up once."""

    def __init__(self, request, *, now: dt.datetime):
        self.now = now
        self.zone = timezone.get_default_timezone()
        self.tzid = ical_parameter(settings.TIME_ZONE)
        self.domain = record_domain()
        self.address = meeting_address(request)
        self.kinds = {kind.value: str(kind.label) for kind in MeetingKind}
        self.kind_line = _("Kind: %(kind)s")
        self.admissions = {choice.value: str(choice.label) for choice in Admission}
        self.admission_line = _("Who may attend: %(admission)s")
        self.district_line = _("District: %(district)s")
        self.agenda_heading = _("Agenda:")
        self.minutes_line = _("The minutes and decisions are on the meeting's page: %(url)s")
        self.details_line = _("Details: %(url)s")

    def description(self, *, kind, district, admission, agenda, url, held_with_minutes) -> str:
        lines = [self.kind_line % {"kind": kind}, self.district_line % {"district": district}]
        if admission:
            lines.append(self.admission_line % {"admission": admission})
        if agenda.strip():
            lines += ["", self.agenda_heading, agenda.strip()]
        lines.append("")
        lines.append((self.minutes_line if held_with_minutes else self.details_line) % {"url": url})
        return "\n".join(lines)

    def event(self, row) -> bytes:
        """One meeting row of calendar_meetings() as a VEVENT."""
        start = row.starts_at.astimezone(self.zone)
        end = row.ends_at.astimezone(self.zone) if row.ends_at else start + ASSUMED_MEETING_LENGTH
        url = self.address(row.pk)
        label = self.kinds.get(row.kind, row.kind)
        description = self.description(
            kind=label,
            district=LocalName(
                row.district__name, row.district__name_en, row.district__name_kana
            ).text,
            admission=self.admissions.get(row.admission, ""),
            agenda=row.agenda,
            url=url,
            held_with_minutes=row.starts_at < self.now and row.has_minutes,
        )
        stamp = ical_utc(row.updated_at)
        lines = [
            "BEGIN:VEVENT",
            f"UID:{ical_text(f'meeting-{row.pk}@{self.domain}')}",
            # Without a METHOD, DTSTAMP is when the record last changed (RFC 5545 3.8.7.2), so
            # the feed reads the same on every request until something changes.
            f"DTSTAMP:{stamp}",
            f"LAST-MODIFIED:{stamp}",
            f"CREATED:{ical_utc(row.created_at)}",
            f"SEQUENCE:{meeting_revision(row.created_at, row.updated_at)}",
            f"DTSTART;TZID={self.tzid}:{ical_local(start)}",
            f"DTEND;TZID={self.tzid}:{ical_local(end)}",
            f"SUMMARY:{ical_text(event_summary(row.district__name, row.title))}",
        ]
        address = venue_address(
            place=row.place,
            place_address=row.place_address,
            hub_address=row.district__hub_address,
        )
        location = event_location(row.place, address)
        if location:
            lines.append(f"LOCATION:{ical_text(location)}")
        lines += [
            f"DESCRIPTION:{ical_text(description)}",
            f"CATEGORIES:{ical_text(label)}",
            "CLASS:PUBLIC",
            f"URL:{url}",
            "END:VEVENT",
        ]
        return b"".join(content_line(line) for line in lines)


def calendar_response(
    request, meetings, *, name: str = "", description: str = "", filename: str
) -> HttpResponse:
    """The meetings as one VCALENDAR (RFC 5545, with RFC 7986's NAME and REFRESH-INTERVAL).

    Without a name, the file is one meeting to add to the calendar the visitor already uses:
    named, calendar apps would make a calendar of its own for it, or offer to subscribe.
    """
    writer = EventWriter(request, now=timezone.now())
    head = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{ical_text(f'-//{settings.CITY_NAME_EN}//Kyodo Portal//JA')}",
        "CALSCALE:GREGORIAN",
    ]
    if name:
        refresh = vDuration(CALENDAR_REFRESH).to_ical().decode()
        head += [
            f"NAME:{ical_text(name)}",
            f"X-WR-CALNAME:{ical_text(name)}",
            f"DESCRIPTION:{ical_text(description)}",
            f"X-WR-CALDESC:{ical_text(description)}",
            f"X-WR-TIMEZONE:{ical_text(settings.TIME_ZONE)}",
            f"REFRESH-INTERVAL;VALUE=DURATION:{refresh}",
            f"X-PUBLISHED-TTL:{refresh}",
        ]
    parts = [content_line(line) for line in head]
    # Always there, so even a calendar with no meeting yet holds a component and is valid.
    parts.append(time_zone_component(settings.TIME_ZONE))
    parts.extend(writer.event(row) for row in meetings)
    parts.append(content_line("END:VCALENDAR"))
    response = HttpResponse(b"".join(parts), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(False, filename)
    return response


@login_not_required
@public_page
@require_safe
def meeting_calendar(request):
    """Every district's published meetings from CITY_CALENDAR_PAST ago to CITY_CALENDAR_AHEAD
    ahead (a week back, a month on): a short window, since a large city holds thousands a month.
    """
    now = timezone.now()
    return calendar_response(
        request,
        calendar_meetings(since=now - CITY_CALENDAR_PAST, until=now + CITY_CALENDAR_AHEAD),
        name=_("%(city)s meetings") % {"city": city_name()},
        description=city_calendar_window(),
        filename="meetings.ics",
    )


@login_not_required
@public_page
@require_safe
def district_meeting_calendar(request, slug: str):
    """One district's published meetings from a year ago (DISTRICT_CALENDAR_PAST) onward,
    every announced one included."""
    district = get_object_or_404(
        District.objects.only("name", "name_en", "name_kana", "slug"), slug=slug
    )
    since = timezone.now() - DISTRICT_CALENDAR_PAST
    return calendar_response(
        request,
        calendar_meetings(since=since).filter(district=district),
        name=_("%(district)s meetings") % {"district": district.display_name.text},
        description=district_calendar_window(),
        filename=f"{district.slug}-meetings.ics",
    )


@login_not_required
@public_page
@require_safe
def meeting_event(request, pk: int):
    """One published meeting as an .ics file, to add it to one's own calendar (404 unless the
    meeting is published: the file shows what its page shows)."""
    rows = list(event_rows(Meeting.objects.published().filter(pk=pk)))
    if not rows:
        raise Http404
    return calendar_response(request, rows, filename=f"meeting-{pk}.ics")


# Atom --------------------------------------------------------------------------------------


def newest_minutes():
    """Held, published meetings with minutes, newest news first (slice it).

    The filters and the order are those of the index meeting_feed_updated_idx, which PostgreSQL
    reads from the top instead of sorting every meeting held.
    """
    return (
        Meeting.objects.published()
        .filter(starts_at__lt=timezone.now())
        .exclude(minutes="")  # the feed announces minutes: a held meeting without them waits
        .select_related("district")
        .only(
            "kind",
            "title",
            "starts_at",
            "agenda",
            "minutes",
            "district__name",
            "district__name_en",
            "district__name_kana",
        )
        .annotate(feed_updated=FEED_UPDATED)
        .order_by("-feed_updated", "-pk")
    )


def latest_updates(limit: int = UPDATES_FEED_LENGTH) -> list:
    """The newest public records, newest first: past published meetings and plans past draft.

    Each carries `feed_updated`. A meeting with minutes counts from when it was both published
    and held, so one announced weeks ahead still comes up as new once it has taken place.
    """
    meetings = newest_minutes()[:limit]
    plans = (
        Plan.objects.public()
        .select_related("district")
        .only(
            "title",
            "start_fy",
            "end_fy",
            "vision",
            "stage",
            "updated_at",
            "district__name",
            "district__name_en",
            "district__name_kana",
        )
        .order_by("-updated_at", "-pk")[:limit]
    )
    for plan in plans:
        plan.feed_updated = plan.updated_at
    records = [*meetings, *plans]
    records.sort(key=lambda record: (record.feed_updated, record.pk), reverse=True)
    return records[:limit]


class UpdatesFeed(Feed):
    """New minutes and plans, for feed readers (Atom 1.0)."""

    feed_type = Atom1Feed

    def title(self):
        return _("%(city)s: new minutes and plans") % {"city": city_name()}

    def subtitle(self):
        return _("Records of district meetings and district plans, as they are published.")

    def link(self):
        return reverse("overview")

    def feed_guid(self):
        return f"tag:{record_domain()},{TAG_DATE}:updates"

    def author_name(self):
        return in_page_language(settings.CITY_DEPARTMENT, settings.CITY_DEPARTMENT_EN)

    def items(self):
        return latest_updates()

    # Atom titles are plain text: the XML writer escapes them once, so no escape() here.
    def item_title(self, item):
        separator = in_page_language("：", ": ")
        return plain_text(f"{item.district.display_name.text}{separator}{item.title}")

    def item_description(self, item):
        # Atom1Feed writes the summary as type="html": escaping keeps the text plain text.
        if isinstance(item, Plan):
            lead = _("District plan, %(span)s (%(stage)s).") % {
                "span": item.span_label,
                "stage": PlanStage(item.stage).label,
            }
            body = item.vision
        else:
            lead = _("%(kind)s held on %(date)s.") % {
                "kind": MeetingKind(item.kind).label,
                "date": format_wareki_date(item.starts_at),
            }
            body = item.minutes or item.agenda
        return escape(plain_text(f"{lead} {body}", SUMMARY_LENGTH))

    def item_link(self, item):
        return item.get_absolute_url()

    def item_guid(self, item):
        kind = "plan" if isinstance(item, Plan) else "meeting"
        return f"tag:{record_domain()},{TAG_DATE}:{kind}-{item.pk}"

    def item_updateddate(self, item):
        return item.feed_updated

    def item_categories(self, item):
        if isinstance(item, Plan):
            return [_("District plan")]
        return [str(MeetingKind(item.kind).label)]


updates_feed = login_not_required(public_page(require_safe(UpdatesFeed())))
