"""Addresses of the public feeds: iCalendar of meetings and Atom of new records."""

from django.urls import path

from . import feeds

urlpatterns = [
    path("meetings/calendar.ics", feeds.meeting_calendar, name="meeting_calendar"),
    path("meetings/<int:pk>/meeting.ics", feeds.meeting_event, name="meeting_event"),
    path(
        "districts/<slug:slug>/meetings.ics",
        feeds.district_meeting_calendar,
        name="district_meeting_calendar",
    ),
    path("feeds/updates.atom", feeds.updates_feed, name="updates_feed"),
]
