"""The iCalendar feeds of meetings and the Atom feed of new minutes and plans."""

import datetime as dt
import re
import xml.etree.ElementTree as ET

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone
from icalendar import Calendar

from plans.feeds import newest_minutes
from plans.models import Admission, Meeting, MeetingKind, Plan
from tests.factories import CouncilFactory, DistrictFactory
from tests.plans.factories import MeetingFactory, PlanFactory, at_two_pm

pytestmark = pytest.mark.django_db

CITY_CALENDAR = "/meetings/calendar.ics"
DISTRICT_CALENDAR = "/districts/sakuradai/meetings.ics"
UPDATES = "/feeds/updates.atom"
ATOM = "{http://www.w3.org/2005/Atom}"


def calendar_of(response) -> Calendar:
    assert response.status_code == 200
    return Calendar.from_ical(response.content)


def events_by_summary(calendar: Calendar) -> dict:
    """Events by meeting title: the SUMMARY's part after 「<district>：」."""
    return {str(event["SUMMARY"]).partition("：")[2]: event for event in calendar.walk("VEVENT")}


def entries_of(response) -> list[ET.Element]:
    assert response.status_code == 200
    return ET.fromstring(response.content).findall(f"{ATOM}entry")


def entry_titles(response) -> list[str]:
    return [entry.findtext(f"{ATOM}title") for entry in entries_of(response)]


def last_week() -> dt.datetime:
    """A start inside the city-wide calendar's past week."""
    return at_two_pm(-3)


def populate_meetings_and_plans(scale: int) -> None:
    """`scale` districts, each with meetings of every visibility and plans of every stage."""
    for _ in range(scale):
        district = CouncilFactory(established=True).district
        MeetingFactory(district=district, starts_at=last_week())
        MeetingFactory(district=district, starts_at=at_two_pm(-30))
        MeetingFactory(district=district, upcoming=True)
        MeetingFactory(district=district, upcoming=True, ends_at=None)
        MeetingFactory(district=district, unpublished=True)
        MeetingFactory(district=district, starts_at=at_two_pm(-400))
        PlanFactory(district=district, start_fy=2020, end_fy=2023, superseded=True)
        PlanFactory(district=district)
        PlanFactory(district=district, start_fy=2029, end_fy=2033, draft=True)


class TestMeetingCalendar:
    def test_anonymous_visitors_get_a_calendar_apps_accept(self, client, settings):
        settings.CITY_NAME = "さくら市"
        MeetingFactory(starts_at=last_week())
        response = client.get(CITY_CALENDAR)
        assert response.status_code == 200
        assert response["Content-Type"] == "text/calendar; charset=utf-8"
        assert response["Content-Disposition"] == 'inline; filename="meetings.ics"'
        assert b"\r\n" in response.content
        calendar = calendar_of(response)
        assert calendar["VERSION"] == "2.0"
        assert calendar["CALSCALE"] == "GREGORIAN"
        assert calendar["PRODID"].startswith("-//")
        assert "さくら市" in calendar["X-WR-CALNAME"]
        assert calendar["X-WR-TIMEZONE"] == "Asia/Tokyo"
        assert [zone.tz_name for zone in calendar.walk("VTIMEZONE")] == ["Asia/Tokyo"]
        assert calendar.get_missing_tzids() == set()
        assert b"\r\nREFRESH-INTERVAL;VALUE=DURATION:PT6H\r\n" in response.content
        assert b"\r\nX-PUBLISHED-TTL:PT6H\r\n" in response.content

    def test_only_published_meetings_from_a_week_ago_to_a_month_ahead(self, client):
        MeetingFactory(title="6日前の総会", starts_at=at_two_pm(-6))
        MeetingFactory(title="30日後の役員会", upcoming=True)
        MeetingFactory(title="8日前の部会", starts_at=at_two_pm(-8))
        MeetingFactory(title="32日後の総会", starts_at=at_two_pm(32))
        MeetingFactory(title="非公開の会議", starts_at=last_week(), unpublished=True)
        MeetingFactory(title="非公開の予定", upcoming=True, unpublished=True)
        calendar = calendar_of(client.get(CITY_CALENDAR))
        assert set(events_by_summary(calendar)) == {"6日前の総会", "30日後の役員会"}

    def test_the_calendar_says_what_it_holds(self, client):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        calendar = calendar_of(client.get(CITY_CALENDAR))
        description = (
            "Meetings of every district from 7 days ago to 31 days ahead. "
            "A district's own calendar holds its meetings from a year ago onward."
        )
        assert calendar["X-WR-CALDESC"] == description
        assert calendar["DESCRIPTION"] == description

    def test_event_carries_time_place_and_link_in_tokyo_time(self, client):
        district = DistrictFactory(name="桜台小学校区", slug="sakuradai")
        starts_at = timezone.make_aware(dt.datetime(2099, 5, 10, 19, 0))
        meeting = MeetingFactory(
            district=district,
            kind=MeetingKind.FORUM,
            title="地域フォーラム",
            starts_at=starts_at,
            ends_at=starts_at + dt.timedelta(minutes=90),
            place="桜台公民館",
            agenda="1. 防災マップ\n2. 見守り活動",
        )
        event = calendar_of(client.get("/districts/sakuradai/meetings.ics")).walk("VEVENT")[0]
        assert event["DTSTART"].params["TZID"] == "Asia/Tokyo"
        assert event.start == starts_at
        assert event.start.utcoffset() == dt.timedelta(hours=9)
        assert (event.start.hour, event.start.minute) == (19, 0)
        assert event.end == starts_at + dt.timedelta(minutes=90)
        assert event["LOCATION"] == "桜台公民館"
        assert event["URL"] == f"http://testserver/meetings/{meeting.pk}/"
        assert event.decoded("LAST-MODIFIED") == meeting.updated_at.replace(microsecond=0)
        assert event.decoded("DTSTAMP") == meeting.updated_at.replace(microsecond=0)
        description = str(event["DESCRIPTION"])
        assert "桜台小学校区" in description
        assert str(MeetingKind.FORUM.label) in description
        assert "1. 防災マップ\n2. 見守り活動" in description

    def test_past_meeting_with_minutes_points_to_them(self, client):
        recorded = MeetingFactory(
            title="記録あり", starts_at=last_week(), minutes="防災訓練の日程を決めた。"
        )
        pending = MeetingFactory(title="記録待ち", starts_at=last_week(), minutes="")
        events = events_by_summary(calendar_of(client.get(CITY_CALENDAR)))
        recorded_note = events["記録あり"]["DESCRIPTION"].splitlines()[-1]
        pending_note = events["記録待ち"]["DESCRIPTION"].splitlines()[-1]
        assert recorded_note.endswith(f"http://testserver/meetings/{recorded.pk}/")
        assert pending_note.endswith(f"http://testserver/meetings/{pending.pk}/")
        # The minutes themselves stay on the page; the event only says where they are.
        assert "防災訓練の日程を決めた" not in events["記録あり"]["DESCRIPTION"]
        assert recorded_note.replace(str(recorded.pk), "") != pending_note.replace(
            str(pending.pk), ""
        )

    def test_meeting_without_an_end_lasts_two_hours(self, client):
        meeting = MeetingFactory(upcoming=True, ends_at=None)
        event = calendar_of(client.get(CITY_CALENDAR)).walk("VEVENT")[0]
        assert event.end - event.start == dt.timedelta(hours=2)
        assert event.start == meeting.starts_at

    def test_text_with_commas_semicolons_and_line_breaks_survives(self, client):
        meeting = MeetingFactory(
            title="防災, 防犯; 見守り\\部会",
            place="集会所A, B棟",
            agenda="一行目;\r\n二行目, 三\r四行目",
            starts_at=last_week(),
        )
        event = calendar_of(client.get(CITY_CALENDAR)).walk("VEVENT")[0]
        assert event["SUMMARY"] == f"{meeting.district.name}：防災, 防犯; 見守り\\部会"
        assert event["LOCATION"] == "集会所A, B棟"
        assert "一行目;\n二行目, 三\n四行目" in event["DESCRIPTION"]

    def test_control_characters_the_format_forbids_are_dropped(self, client):
        meeting = MeetingFactory(
            title="防災\x0b部会\x01", agenda="一行目\x1b\t二列目", starts_at=last_week()
        )
        response = client.get(CITY_CALENDAR)
        event = calendar_of(response).walk("VEVENT")[0]
        assert event["SUMMARY"] == f"{meeting.district.name}：防災部会"
        assert "一行目\t二列目" in event["DESCRIPTION"]
        assert not re.search(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", response.content)

    def test_long_lines_are_folded_without_cutting_a_character(self, client):
        title = "桜台地区まちづくり協議会「防災・防犯・見守り」合同部会" * 5
        agenda = "\n".join(f"{n}. 地域の見守り活動とAEDの設置場所について" for n in range(12))
        meeting = MeetingFactory(
            title=title, agenda=agenda, starts_at=last_week(), place="公民館 " * 30
        )
        response = client.get(CITY_CALENDAR)
        assert response.content.endswith(b"END:VCALENDAR\r\n")
        lines = response.content.split(b"\r\n")[:-1]
        for line in lines:
            assert len(line) <= 75
            line.decode()  # each physical line is whole UTF-8: no character cut in two
        assert any(line.startswith(b" ") for line in lines)
        event = calendar_of(response).walk("VEVENT")[0]
        assert event["SUMMARY"] == f"{meeting.district.name}：{title}"
        assert event["LOCATION"] == "公民館 " * 30
        assert agenda in event["DESCRIPTION"]

    def test_uids_are_stable_across_requests_and_hosts(self, client):
        first, second = MeetingFactory(starts_at=last_week()), MeetingFactory(upcoming=True)
        one = client.get(CITY_CALENDAR)
        again = client.get(CITY_CALENDAR)
        other_host = client.get(CITY_CALENDAR, HTTP_HOST="localhost")
        uids = [str(event["UID"]) for event in calendar_of(one).walk("VEVENT")]
        assert uids == [
            f"meeting-{first.pk}@city.midorino.example.jp",
            f"meeting-{second.pk}@city.midorino.example.jp",
        ]
        assert uids == [str(event["UID"]) for event in calendar_of(other_host).walk("VEVENT")]
        # Nothing changed, so nothing in the feed changes: DTSTAMP is the record's last change.
        assert one.content == again.content

    def test_uid_names_the_meeting_and_the_city_domain(self, client, settings):
        settings.CITY_CONTACT_EMAIL = "kyodo@city.sakura.example.jp"
        meeting = MeetingFactory(upcoming=True)
        event = calendar_of(client.get(CITY_CALENDAR)).walk("VEVENT")[0]
        assert event["UID"] == f"meeting-{meeting.pk}@city.sakura.example.jp"

    def test_sequence_grows_when_the_meeting_is_changed(self, client):
        meeting = MeetingFactory(starts_at=last_week())
        created = timezone.now() - dt.timedelta(days=2)
        Meeting.objects.filter(pk=meeting.pk).update(
            created_at=created, updated_at=created + dt.timedelta(hours=1)
        )
        before = calendar_of(client.get(CITY_CALENDAR)).walk("VEVENT")[0]
        meeting.refresh_from_db()
        meeting.place = "別の会場"
        meeting.save()
        after = calendar_of(client.get(CITY_CALENDAR)).walk("VEVENT")[0]
        assert after["UID"] == before["UID"]
        assert before.decoded("SEQUENCE") == 3600
        assert after.decoded("SEQUENCE") > before.decoded("SEQUENCE")
        assert after.decoded("DTSTAMP") > before.decoded("DTSTAMP")
        assert after["LOCATION"] == "別の会場"

    def test_empty_calendar_still_parses_with_its_time_zone(self, client):
        calendar = calendar_of(client.get(CITY_CALENDAR))
        assert calendar.walk("VEVENT") == []
        assert [zone.tz_name for zone in calendar.walk("VTIMEZONE")] == ["Asia/Tokyo"]

    def test_only_read_methods(self, client):
        assert client.post(CITY_CALENDAR).status_code == 405

    def test_query_count_does_not_grow_with_data(self, client, django_assert_num_queries):
        populate_meetings_and_plans(1)
        with django_assert_num_queries(1):
            response = client.get(CITY_CALENDAR)
        assert len(calendar_of(response).walk("VEVENT")) == 3
        populate_meetings_and_plans(9)
        with django_assert_num_queries(1):
            response = client.get(CITY_CALENDAR)
        assert len(calendar_of(response).walk("VEVENT")) == 30


class TestDistrictAndPlaceInEvents:
    """Several districts hold a 「令和8年度第5回役員会」: each event says whose it is and where."""

    def test_the_city_calendar_names_the_district_in_every_summary(self, client):
        names = ["桜台小学校区", "緑ヶ丘小学校区", "東小学校区", "西小学校区", "南小学校区"]
        for name in names:
            MeetingFactory(
                district=DistrictFactory(name=name),
                title="令和8年度第5回役員会",
                kind=MeetingKind.BOARD,
                upcoming=True,
            )
        calendar = calendar_of(client.get(CITY_CALENDAR))
        summaries = sorted(str(event["SUMMARY"]) for event in calendar.walk("VEVENT"))
        assert summaries == sorted(f"{name}：令和8年度第5回役員会" for name in names)

    def test_the_district_calendar_names_it_too(self, client):
        district = DistrictFactory(name="桜台小学校区", slug="sakuradai")
        MeetingFactory(district=district, title="定期総会", upcoming=True)
        event = calendar_of(client.get(DISTRICT_CALENDAR)).walk("VEVENT")[0]
        assert event["SUMMARY"] == "桜台小学校区：定期総会"

    def test_location_carries_the_hubs_address_for_a_place_without_its_own(self, client):
        district = DistrictFactory(slug="sakuradai", hub_address="みどり野市桜台二丁目3番1号")
        MeetingFactory(district=district, place="桜台地区公民館 大会議室", upcoming=True)
        event = calendar_of(client.get(DISTRICT_CALENDAR)).walk("VEVENT")[0]
        assert event["LOCATION"] == "桜台地区公民館 大会議室（みどり野市桜台二丁目3番1号）"

    def test_location_carries_the_places_own_address(self, client):
        district = DistrictFactory(slug="sakuradai", hub_address="みどり野市桜台二丁目3番1号")
        MeetingFactory(
            district=district,
            place="市役所 第1会議室",
            place_address="みどり野市本町1番1号",
            upcoming=True,
        )
        event = calendar_of(client.get(DISTRICT_CALENDAR)).walk("VEVENT")[0]
        assert event["LOCATION"] == "市役所 第1会議室（みどり野市本町1番1号）"

    def test_location_in_english(self, client):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        district = DistrictFactory(slug="sakuradai", hub_address="みどり野市桜台二丁目3番1号")
        MeetingFactory(district=district, place="桜台地区公民館", upcoming=True)
        event = calendar_of(client.get(DISTRICT_CALENDAR)).walk("VEVENT")[0]
        assert event["LOCATION"] == "桜台地区公民館, みどり野市桜台二丁目3番1号"

    def test_no_location_without_a_place(self, client):
        district = DistrictFactory(slug="sakuradai", hub_address="みどり野市桜台二丁目3番1号")
        MeetingFactory(district=district, place="", upcoming=True)
        event = calendar_of(client.get(DISTRICT_CALENDAR)).walk("VEVENT")[0]
        assert "LOCATION" not in event

    def test_description_says_who_may_attend(self, client):
        MeetingFactory(admission=Admission.OPEN, upcoming=True)
        event = calendar_of(client.get(CITY_CALENDAR)).walk("VEVENT")[0]
        assert "参加：公開・誰でも参加可" in str(event["DESCRIPTION"])


class TestMeetingEvent:
    """/meetings/<id>/meeting.ics: one meeting to add to one's own calendar."""

    def address(self, meeting) -> str:
        return f"/meetings/{meeting.pk}/meeting.ics"

    def test_one_event_with_district_place_and_address(self, client):
        district = DistrictFactory(name="桜台小学校区", hub_address="みどり野市桜台二丁目3番1号")
        meeting = MeetingFactory(
            district=district,
            title="令和8年度第5回役員会",
            place="桜台地区公民館 会議室",
            admission=Admission.REGISTRATION,
            registration_contact="桜台まちづくり協議会事務局 電話 0120-000-000",
            upcoming=True,
        )
        MeetingFactory(district=district, upcoming=True)  # another meeting: not in this file
        response = client.get(self.address(meeting))
        assert response["Content-Type"] == "text/calendar; charset=utf-8"
        assert response["Content-Disposition"] == f'inline; filename="meeting-{meeting.pk}.ics"'
        calendar = calendar_of(response)
        [event] = calendar.walk("VEVENT")
        assert event["SUMMARY"] == "桜台小学校区：令和8年度第5回役員会"
        assert event["LOCATION"] == "桜台地区公民館 会議室（みどり野市桜台二丁目3番1号）"
        assert event.start == meeting.starts_at
        assert event["UID"] == f"meeting-{meeting.pk}@city.midorino.example.jp"
        assert event["URL"] == f"http://testserver/meetings/{meeting.pk}/"
        assert "要申込" in str(event["DESCRIPTION"])
        # One meeting to add, not a calendar to subscribe to: no name, no refresh.
        for name in ("NAME", "X-WR-CALNAME", "REFRESH-INTERVAL", "X-PUBLISHED-TTL"):
            assert name not in calendar
        assert [zone.tz_name for zone in calendar.walk("VTIMEZONE")] == ["Asia/Tokyo"]

    def test_a_held_meeting_is_there_too(self, client):
        meeting = MeetingFactory(starts_at=at_two_pm(-400))
        assert len(calendar_of(client.get(self.address(meeting))).walk("VEVENT")) == 1

    def test_unpublished_and_unknown_meetings_are_not_found(self, client):
        hidden = MeetingFactory(unpublished=True, upcoming=True)
        assert client.get(self.address(hidden)).status_code == 404
        assert client.get("/meetings/999999/meeting.ics").status_code == 404

    def test_only_read_methods(self, client):
        meeting = MeetingFactory(upcoming=True)
        assert client.post(self.address(meeting)).status_code == 405

    def test_one_query_whatever_the_data(self, client, django_assert_num_queries):
        populate_meetings_and_plans(1)
        meeting = Meeting.objects.published().first()
        with django_assert_num_queries(1):
            client.get(self.address(meeting))
        populate_meetings_and_plans(5)
        with django_assert_num_queries(1):
            assert client.get(self.address(meeting)).status_code == 200


class TestDistrictMeetingCalendar:
    def test_holds_only_that_districts_published_meetings(self, client):
        sakuradai = DistrictFactory(name="桜台小学校区", slug="sakuradai")
        MeetingFactory(district=sakuradai, title="桜台の総会")
        MeetingFactory(district=sakuradai, title="桜台の予定", upcoming=True)
        MeetingFactory(district=sakuradai, title="桜台の非公開", unpublished=True)
        MeetingFactory(title="ほかの校区の総会")
        response = client.get(DISTRICT_CALENDAR)
        assert response["Content-Type"] == "text/calendar; charset=utf-8"
        assert response["Content-Disposition"] == 'inline; filename="sakuradai-meetings.ics"'
        calendar = calendar_of(response)
        assert set(events_by_summary(calendar)) == {"桜台の総会", "桜台の予定"}
        assert "桜台小学校区" in calendar["X-WR-CALNAME"]
        assert calendar["X-WR-TIMEZONE"] == "Asia/Tokyo"

    def test_a_year_of_past_meetings_and_every_announced_one(self, client):
        sakuradai = DistrictFactory(slug="sakuradai")
        MeetingFactory(district=sakuradai, title="先月の総会")
        MeetingFactory(district=sakuradai, title="11か月前の部会", starts_at=at_two_pm(-335))
        MeetingFactory(district=sakuradai, title="2年前の総会", starts_at=at_two_pm(-730))
        MeetingFactory(district=sakuradai, title="半年後の総会", starts_at=at_two_pm(180))
        calendar = calendar_of(client.get(DISTRICT_CALENDAR))
        assert set(events_by_summary(calendar)) == {"先月の総会", "11か月前の部会", "半年後の総会"}

    def test_the_calendar_says_what_it_holds(self, client):
        DistrictFactory(slug="sakuradai")
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        calendar = calendar_of(client.get(DISTRICT_CALENDAR))
        assert calendar["X-WR-CALDESC"] == "The district's meetings from a year ago onward."

    def test_unknown_district_is_not_found(self, client):
        assert client.get("/districts/no-such-district/meetings.ics").status_code == 404

    def test_same_uid_as_in_the_city_calendar(self, client):
        district = DistrictFactory(slug="sakuradai")
        MeetingFactory(district=district, starts_at=last_week())
        city = calendar_of(client.get(CITY_CALENDAR)).walk("VEVENT")[0]
        own = calendar_of(client.get(DISTRICT_CALENDAR)).walk("VEVENT")[0]
        assert own["UID"] == city["UID"]

    def test_query_count_does_not_grow_with_data(self, client, django_assert_num_queries):
        district = CouncilFactory(established=True, district__slug="sakuradai").district
        MeetingFactory(district=district)
        populate_meetings_and_plans(1)
        with django_assert_num_queries(2):
            response = client.get("/districts/sakuradai/meetings.ics")
        assert len(calendar_of(response).walk("VEVENT")) == 1
        for _ in range(9):
            MeetingFactory(district=district)
        populate_meetings_and_plans(9)
        with django_assert_num_queries(2):
            response = client.get("/districts/sakuradai/meetings.ics")
        assert len(calendar_of(response).walk("VEVENT")) == 10


class TestUpdatesFeed:
    def test_anonymous_visitors_get_an_atom_feed(self, client):
        MeetingFactory()
        response = client.get(UPDATES)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
        feed = ET.fromstring(response.content)
        assert feed.tag == f"{ATOM}feed"
        assert feed.findtext(f"{ATOM}id").startswith("tag:")
        assert feed.find(f"{ATOM}author/{ATOM}name").text
        assert len(feed.findall(f"{ATOM}entry")) == 1

    def test_public_minutes_and_plans_only(self, client):
        district = DistrictFactory(name="桜台小学校区")
        MeetingFactory(district=district, title="先月の総会")
        MeetingFactory(district=district, title="非公開の総会", unpublished=True)
        MeetingFactory(district=district, title="来月の役員会", upcoming=True)
        PlanFactory(
            district=district, title="第1期計画", start_fy=2019, end_fy=2023, superseded=True
        )
        PlanFactory(district=district, title="第2期計画")
        PlanFactory(district=district, title="第3期計画案", start_fy=2029, end_fy=2033, draft=True)
        PlanFactory(
            district=district, title="検討中の計画", start_fy=2034, end_fy=2035, discussion=True
        )
        titles = entry_titles(client.get(UPDATES))
        assert sorted(titles) == sorted(
            [
                "桜台小学校区：先月の総会",
                "桜台小学校区：第1期計画",
                "桜台小学校区：第2期計画",
                "桜台小学校区：検討中の計画",
            ]
        )

    def test_entries_link_to_their_pages_with_lasting_ids(self, client):
        meeting = MeetingFactory()
        plan = PlanFactory()
        entries = entries_of(client.get(UPDATES))
        links = {entry.find(f"{ATOM}link").get("href") for entry in entries}
        assert links == {
            f"http://testserver/meetings/{meeting.pk}/",
            f"http://testserver/plans/{plan.pk}/",
        }
        ids = {entry.findtext(f"{ATOM}id") for entry in entries}
        assert ids == {
            f"tag:city.midorino.example.jp,2026:meeting-{meeting.pk}",
            f"tag:city.midorino.example.jp,2026:plan-{plan.pk}",
        }
        other_host = entries_of(client.get(UPDATES, HTTP_HOST="localhost"))
        assert {entry.findtext(f"{ATOM}id") for entry in other_host} == ids
        for entry in entries:
            assert entry.findtext(f"{ATOM}updated")
            assert entry.findtext(f"{ATOM}summary")

    def test_newest_thirty_first(self, client):
        base = timezone.now() - dt.timedelta(days=100)
        for n in range(20):
            meeting = MeetingFactory(title=f"会議{n:02}", starts_at=base + dt.timedelta(days=n))
            Meeting.objects.filter(pk=meeting.pk).update(
                published_at=base + dt.timedelta(days=2 * n + 1)
            )
        for n in range(15):
            plan = PlanFactory(title=f"計画{n:02}", start_fy=2000 + 2 * n, end_fy=2001 + 2 * n)
            Plan.objects.filter(pk=plan.pk).update(updated_at=base + dt.timedelta(days=2 * n))
        titles = [title.split("：")[1] for title in entry_titles(client.get(UPDATES))]
        expected = sorted(
            [(2 * n + 1, f"会議{n:02}") for n in range(20)]
            + [(2 * n, f"計画{n:02}") for n in range(15)],
            reverse=True,
        )
        assert titles == [title for _, title in expected[:30]]

    def test_meeting_announced_ahead_counts_from_when_it_was_held(self, client):
        announced = MeetingFactory(title="予告していた総会", starts_at=at_two_pm(-2))
        Meeting.objects.filter(pk=announced.pk).update(published_at=at_two_pm(-60))
        recorded_late = MeetingFactory(title="後から登録した部会", starts_at=at_two_pm(-10))
        Meeting.objects.filter(pk=recorded_late.pk).update(published_at=at_two_pm(-1))
        bulk_published = MeetingFactory(title="一括公開の役員会", starts_at=at_two_pm(-5))
        Meeting.objects.filter(pk=bulk_published.pk).update(published_at=None)
        entries = entries_of(client.get(UPDATES))
        assert [entry.findtext(f"{ATOM}title").split("：")[1] for entry in entries] == [
            "後から登録した部会",
            "予告していた総会",
            "一括公開の役員会",
        ]
        updated = dt.datetime.fromisoformat(entries[1].findtext(f"{ATOM}updated"))
        assert updated == at_two_pm(-2)

    def test_titles_and_summaries_are_plain_text(self, client):
        district = DistrictFactory(name="桜台小学校区")
        MeetingFactory(
            district=district,
            title="防災 & 防犯 <見守り> 部会",
            minutes="<script>alert(1)</script> 訓練 & 見守り\n次回は\x0b10月",
        )
        response = client.get(UPDATES)
        assert b"<script>" not in response.content
        entry = entries_of(response)[0]
        assert entry.findtext(f"{ATOM}title") == "桜台小学校区：防災 & 防犯 <見守り> 部会"
        summary = entry.find(f"{ATOM}summary")
        assert summary.get("type") == "html"
        # Shown as HTML, the summary reads as the typed text: markup arrives escaped.
        assert "&lt;script&gt;alert(1)&lt;/script&gt; 訓練 &amp; 見守り 次回は10月" in summary.text

    def test_summary_is_short(self, client):
        MeetingFactory(minutes="長い議事録。" * 200)
        summary = entries_of(client.get(UPDATES))[0].findtext(f"{ATOM}summary")
        assert len(summary) <= 200

    def test_only_read_methods(self, client):
        assert client.post(UPDATES).status_code == 405

    def test_query_count_does_not_grow_with_data(self, client, django_assert_num_queries):
        populate_meetings_and_plans(1)
        with django_assert_num_queries(2):
            response = client.get(UPDATES)
        assert len(entries_of(response)) == 5
        populate_meetings_and_plans(9)
        with django_assert_num_queries(2):
            response = client.get(UPDATES)
        assert len(entries_of(response)) == 30


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's query plans")
def test_the_atom_feed_reads_the_newest_minutes_off_their_index():
    MeetingFactory.create_batch(3)
    with connection.cursor() as cursor:
        # A table this small is cheaper to scan: make the planner say whether it can use the
        # index at all, which it can only when the feed's expression and filters match it.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
    plan = newest_minutes()[:30].explain()
    assert "meeting_feed_updated_idx" in plan
    assert "Sort" not in plan


def test_atom_leaves_out_meetings_held_without_minutes_yet(client):
    MeetingFactory(title="議事録のある会議")
    MeetingFactory(title="議事録待ちの会議", minutes="")
    text = client.get("/feeds/updates.atom").content.decode()
    assert "議事録のある会議" in text
    assert "議事録待ちの会議" not in text
