"""Feeds of public records: iCalendar (RFC 5545) of meetings, Atom of new minutes and plans.

Calendar apps and feed readers fetch these without signing in and without the language cookie,
so they carry only what residents may see (published meetings, plans past draft) and read in
Japanese unless the visitor chose English on the site.
"""

import datetime as dt
import re
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.contrib.syndication.views import Feed
from django.db.models import Q
from django.db.models.functions import Coalesce, Greatest
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.feedgenerator import Atom1Feed
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.http import content_disposition_header
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from icalendar import Calendar, Event, Timezone, vDuration

from core.cache import public_page
from districts.models import District

from .models import Meeting, MeetingKind, Plan, PlanStage

# The calendar keeps a year of past meetings, so it stays small however long the portal runs.
CALENDAR_PAST_WINDOW = dt.timedelta(days=365)
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


# iCalendar ---------------------------------------------------------------------------------


def calendar_meetings():
    """Published meetings from a year ago onward, soonest first, with what an event shows.

    Minutes are not loaded, only whether there are any; the district's boundary neither.
    """
    return (
        Meeting.objects.published()
        .filter(starts_at__gte=timezone.now() - CALENDAR_PAST_WINDOW)
        .select_related("district")
        .only(
            "kind",
            "title",
            "starts_at",
            "ends_at",
            "place",
            "agenda",
            "created_at",
            "updated_at",
            "district__name",
        )
        .annotate(has_minutes=~Q(minutes=""))
        .order_by("starts_at", "pk")
    )


def meeting_revision(meeting: Meeting) -> int:
    """A SEQUENCE that grows with every saved change: seconds from creation to the last save."""
    return max(0, int((meeting.updated_at - meeting.created_at).total_seconds()))


def meeting_description(meeting: Meeting, *, url: str, now: dt.datetime) -> str:
    lines = [
        _("Kind: %(kind)s") % {"kind": MeetingKind(meeting.kind).label},
        _("District: %(district)s") % {"district": meeting.district.name},
    ]
    if meeting.agenda.strip():
        lines += ["", _("Agenda:"), meeting.agenda.strip()]
    lines.append("")
    if meeting.starts_at < now and meeting.has_minutes:
        lines.append(
            _("The minutes and decisions are on the meeting's page: %(url)s") % {"url": url}
        )
    else:
        lines.append(_("Details: %(url)s") % {"url": url})
    return "\n".join(lines)


def meeting_event(meeting: Meeting, *, url: str, zone: ZoneInfo, now: dt.datetime) -> Event:
    start = timezone.localtime(meeting.starts_at, zone)
    end = (
        timezone.localtime(meeting.ends_at, zone)
        if meeting.ends_at
        else start + ASSUMED_MEETING_LENGTH
    )
    updated = meeting.updated_at.astimezone(dt.UTC)
    event = Event()
    event.add("uid", f"meeting-{meeting.pk}@{record_domain()}")
    # Without a METHOD, DTSTAMP is when the record last changed (RFC 5545 3.8.7.2), so the
    # feed reads the same on every request until something changes.
    event.add("dtstamp", updated)
    event.add("last-modified", updated)
    event.add("created", meeting.created_at.astimezone(dt.UTC))
    event.add("sequence", meeting_revision(meeting))
    event.add("dtstart", start)
    event.add("dtend", end)
    event.add("summary", meeting.title)
    if meeting.place:
        event.add("location", meeting.place)
    event.add("description", meeting_description(meeting, url=url, now=now))
    event.add("categories", [str(MeetingKind(meeting.kind).label)])
    event.add("class", "PUBLIC")
    event.add("url", url)
    return event


def calendar_response(request, meetings, *, name: str, filename: str) -> HttpResponse:
    zone = ZoneInfo(settings.TIME_ZONE)
    now = timezone.now()
    calendar = Calendar()
    calendar.add("prodid", f"-//{settings.CITY_NAME_EN}//Kyodo Portal//JA")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.calendar_name = name  # NAME (RFC 7986) and X-WR-CALNAME
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    calendar.add("refresh-interval", CALENDAR_REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vDuration(CALENDAR_REFRESH))
    # Always there, so even a calendar with no meeting yet holds a component and is valid.
    calendar.add_component(Timezone.from_tzid(settings.TIME_ZONE))
    for meeting in meetings:
        url = request.build_absolute_uri(meeting.get_absolute_url())
        calendar.add_component(meeting_event(meeting, url=url, zone=zone, now=now))
    calendar.add_missing_timezones()  # any other zone an event might come to use
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(False, filename)
    return response


@login_not_required
@public_page
@require_safe
def meeting_calendar(request):
    """Every district's published meetings, from a year ago onward."""
    return calendar_response(
        request,
        calendar_meetings(),
        name=_("%(city)s meetings") % {"city": city_name()},
        filename="meetings.ics",
    )


@login_not_required
@public_page
@require_safe
def district_meeting_calendar(request, slug: str):
    """One district's published meetings, from a year ago onward."""
    district = get_object_or_404(District.objects.only("name", "slug"), slug=slug)
    return calendar_response(
        request,
        calendar_meetings().filter(district=district),
        name=_("%(district)s meetings") % {"district": district.name},
        filename=f"{district.slug}-meetings.ics",
    )


# Atom --------------------------------------------------------------------------------------


def latest_updates(limit: int = UPDATES_FEED_LENGTH) -> list:
    """The newest public records, newest first: past published meetings and plans past draft.

    Each carries `feed_updated`. A meeting with minutes counts from when it was both published
    and held, so one announced weeks ahead still comes up as new once it has taken place.
    """
    meetings = (
        Meeting.objects.published()
        .filter(starts_at__lt=timezone.now())
        .exclude(minutes="")  # the feed announces minutes: a held meeting without them waits
        .select_related("district")
        .only("kind", "title", "starts_at", "agenda", "minutes", "district__name")
        # published_at is empty where a bulk update published without save(): count the start.
        .annotate(feed_updated=Greatest(Coalesce("published_at", "starts_at"), "starts_at"))
        .order_by("-feed_updated", "-pk")[:limit]
    )
    plans = (
        Plan.objects.public()
        .select_related("district")
        .only("title", "start_fy", "end_fy", "vision", "stage", "updated_at", "district__name")
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
        return plain_text(f"{item.district.name}：{item.title}")

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
                "date": date_format(timezone.localtime(item.starts_at), "DATE_FORMAT"),
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
