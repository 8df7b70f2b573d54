"""Meetings for residents: who may attend and how, where (with the address), one meeting's .ics,
the district named with each meeting title, and calendar subscriptions."""

import datetime as dt
import re

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from plans.models import Admission, Meeting, MeetingKind
from tests.factories import CouncilFactory, DistrictFactory
from tests.plans.factories import MeetingFactory, at_two_pm
from tests.plans.test_admin import add_url, form_errors, new_meeting_data

pytestmark = pytest.mark.django_db

HUB_ADDRESS = "みどり野市桜台二丁目3番1号"
CONTACT = "桜台まちづくり協議会事務局（桜台地区公民館内） 電話 0120-000-000"
FIVE_DISTRICTS = ["桜台小学校区", "緑ヶ丘小学校区", "東小学校区", "西小学校区", "南小学校区"]


def text_of(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def section(text: str, heading_id: str) -> str:
    """The section whose heading has this id, up to its end."""
    return text.split(f'id="{heading_id}"', 1)[1].split("</section>", 1)[0]


@pytest.fixture
def district():
    return CouncilFactory(
        district__name="桜台小学校区",
        district__slug="sakuradai",
        district__hub_name="桜台地区公民館",
        district__hub_address=HUB_ADDRESS,
    ).district


def upcoming(district, **values) -> Meeting:
    return MeetingFactory(district=district, upcoming=True, **values)


# The model -----------------------------------------------------------------------------------


class TestRules:
    def test_registration_without_a_contact_is_refused_by_the_database(self, district):
        with pytest.raises(IntegrityError), transaction.atomic():
            upcoming(district, admission=Admission.REGISTRATION, registration_contact="")

    def test_registration_with_a_contact_is_kept(self, district):
        meeting = upcoming(district, admission=Admission.REGISTRATION, registration_contact=CONTACT)
        meeting.full_clean()
        assert meeting.needs_registration

    @pytest.mark.parametrize("admission", [Admission.OPEN, Admission.MEMBERS])
    def test_open_and_members_only_need_no_contact(self, district, admission):
        upcoming(district, admission=admission).full_clean()

    def test_a_meeting_is_members_only_unless_staff_say_otherwise(self, district):
        assert Meeting(district=district).admission == Admission.MEMBERS
        with connection.cursor() as cursor:  # rows written without the ORM (imports, SQL)
            cursor.execute(
                "INSERT INTO plans_meeting (district_id, kind, title, starts_at, place,"
                " place_address, agenda, minutes, registration_how, registration_contact,"
                " is_published, created_at, updated_at)"
                " VALUES (%s, 'board', '役員会', %s, '', '', '', '', '', '', true, %s, %s)",
                [district.pk, timezone.now(), timezone.now(), timezone.now()],
            )
        assert Meeting.objects.get(title="役員会").admission == Admission.MEMBERS

    def test_an_unknown_kind_of_admission_is_refused_by_the_database(self, district):
        with pytest.raises(IntegrityError), transaction.atomic():
            upcoming(district, admission="")

    def test_the_form_check_names_the_contact_field(self, district):
        meeting = MeetingFactory.build(
            district=district, admission=Admission.REGISTRATION, registration_contact="  "
        )
        with pytest.raises(ValidationError) as refused:
            meeting.full_clean()
        assert list(refused.value.error_dict) == ["registration_contact"]

    def test_the_deadline_is_on_or_before_the_day_of_the_meeting(self, district):
        starts = timezone.make_aware(dt.datetime(2099, 6, 10, 19))
        meeting = MeetingFactory.build(
            district=district,
            starts_at=starts,
            ends_at=starts + dt.timedelta(hours=2),
            admission=Admission.REGISTRATION,
            registration_contact=CONTACT,
            registration_deadline=dt.date(2099, 6, 11),
        )
        with pytest.raises(ValidationError) as refused:
            meeting.full_clean()
        assert list(refused.value.error_dict) == ["registration_deadline"]
        meeting.registration_deadline = dt.date(2099, 6, 10)
        meeting.full_clean()

    def test_the_address_is_the_places_own_or_the_hubs(self, district):
        assert upcoming(district, place="桜台地区公民館 和室").address == HUB_ADDRESS
        elsewhere = upcoming(district, place="市役所 会議室", place_address="みどり野市本町1-1")
        assert elsewhere.address == "みどり野市本町1-1"
        # Without a place, the record does not say the hub: no address is guessed.
        assert upcoming(district, place="").address == ""


class TestAdmin:
    def test_registration_without_a_contact_is_refused_next_to_the_field(
        self, admin_client, district
    ):
        data = new_meeting_data(district, admission="registration", registration_contact="")
        response = admin_client.post(add_url("meeting"), data)
        assert response.status_code == 200
        assert list(form_errors(response)) == ["registration_contact"]
        assert "申込先" in str(form_errors(response)["registration_contact"])
        # Nothing typed is lost.
        assert response.context["adminform"].form["title"].value() == "桜台協議会 役員会"

    def test_a_meeting_with_registration_is_saved(self, admin_client, district):
        data = new_meeting_data(
            district,
            admission="registration",
            registration_how="電話でお申し込みください。",
            registration_contact=CONTACT,
            registration_deadline="2026-05-01",
            place_address="みどり野市本町1-1",
        )
        response = admin_client.post(add_url("meeting"), data)
        assert response.status_code == 302, form_errors(response)
        meeting = Meeting.objects.get(title="桜台協議会 役員会")
        assert (meeting.admission, meeting.registration_contact) == ("registration", CONTACT)
        assert meeting.registration_deadline == dt.date(2026, 5, 1)
        assert meeting.place_address == "みどり野市本町1-1"

    def test_the_form_asks_who_may_attend(self, admin_client):
        text = text_of(admin_client.get(add_url("meeting")))
        for name in ("admission", "registration_how", "registration_contact", "place_address"):
            assert f'name="{name}"' in text, name


# The meeting page -----------------------------------------------------------------------------


class TestMeetingPage:
    def test_open_to_everyone(self, client, district):
        meeting = upcoming(district, admission=Admission.OPEN)
        text = text_of(client.get(meeting.get_absolute_url()))
        assert "<dd>公開・誰でも参加可</dd>" in text
        attending = section(text, "attending-heading")
        assert "どなたでも参加できます。申込は不要です。" in attending
        assert "申込先" not in attending

    def test_members_only(self, client, district):
        meeting = upcoming(district, admission=Admission.MEMBERS)
        text = text_of(client.get(meeting.get_absolute_url()))
        assert "<dd>会員のみ</dd>" in text
        attending = section(text, "attending-heading")
        assert "会員以外の方は参加できません。" in attending
        assert "議事録を公開します" in attending

    def test_registration_with_how_contact_and_deadline(self, client, district):
        meeting = upcoming(
            district,
            admission=Admission.REGISTRATION,
            registration_how="電話またはメールでお申し込みください。\n定員30人（先着順）",
            registration_contact=CONTACT,
            registration_deadline=timezone.localdate() + dt.timedelta(days=20),
        )
        text = text_of(client.get(meeting.get_absolute_url()))
        assert "<dd>要申込</dd>" in text
        attending = section(text, "attending-heading")
        assert "事前の申込が必要です。" in attending
        assert "電話またはメールでお申し込みください。<br>定員30人（先着順）" in attending
        assert f"<dt>申込・問合せ先</dt><dd>{CONTACT}</dd>" in attending
        deadline = meeting.registration_deadline
        assert f'<time datetime="{deadline:%Y-%m-%d}">' in attending
        assert "締切を過ぎました" not in attending

    def test_a_passed_deadline_says_so(self, client, district):
        meeting = upcoming(
            district,
            admission=Admission.REGISTRATION,
            registration_contact=CONTACT,
            registration_deadline=timezone.localdate() - dt.timedelta(days=1),
        )
        attending = section(text_of(client.get(meeting.get_absolute_url())), "attending-heading")
        assert "（締切を過ぎました）" in attending

    def test_place_and_the_hubs_address(self, client, district):
        meeting = upcoming(district, place="桜台地区公民館 大会議室")
        text = text_of(client.get(meeting.get_absolute_url()))
        assert "<dt>場所</dt><dd>桜台地区公民館 大会議室</dd>" in text
        assert f"<dt>住所</dt><dd>{HUB_ADDRESS}</dd>" in text

    def test_a_place_elsewhere_shows_its_own_address(self, client, district):
        meeting = upcoming(district, place="市役所 第1会議室", place_address="みどり野市本町1番1号")
        text = text_of(client.get(meeting.get_absolute_url()))
        assert "<dt>住所</dt><dd>みどり野市本町1番1号</dd>" in text
        assert HUB_ADDRESS not in text

    def test_an_upcoming_meeting_offers_its_ics(self, client, district):
        meeting = upcoming(district)
        text = text_of(client.get(meeting.get_absolute_url()))
        assert f'href="/meetings/{meeting.pk}/meeting.ics" type="text/calendar"' in text

    def test_a_held_meeting_says_who_could_attend_without_the_how(self, client, district):
        meeting = MeetingFactory(
            district=district, admission=Admission.REGISTRATION, registration_contact=CONTACT
        )
        text = text_of(client.get(meeting.get_absolute_url()))
        assert "<dd>要申込</dd>" in text
        assert 'id="attending-heading"' not in text
        assert CONTACT not in text
        assert "meeting.ics" not in text

    def test_the_title_names_the_district(self, client, district):
        meeting = upcoming(district, title="令和8年度第5回役員会")
        text = text_of(client.get(meeting.get_absolute_url()))
        assert "<title>令和8年度第5回役員会（桜台小学校区） | " in text
        assert (
            '<h1><span class="heading-district">桜台小学校区</span> 令和8年度第5回役員会</h1>'
            in text
        )


# Lists: the district with every title -------------------------------------------------------


def link_names(text: str, title: str) -> list[str]:
    """The text of each link that holds `title`, tags removed."""
    names = []
    for link in re.findall(r"<a [^>]*>(.*?)</a>", text, flags=re.S):
        name = " ".join(re.sub(r"<[^>]+>", " ", link).split())
        if title in name:
            names.append(name)
    return names


class TestDistrictWithEveryTitle:
    def test_the_city_list_tells_five_board_meetings_of_one_title_apart(self, client):
        for name in FIVE_DISTRICTS:
            MeetingFactory(
                district=DistrictFactory(name=name),
                kind=MeetingKind.BOARD,
                title="令和8年度第5回役員会",
                upcoming=True,
            )
            MeetingFactory(
                district=DistrictFactory(name=f"{name}（記録）"),
                title="令和8年度第4回役員会",
            )
        text = text_of(client.get("/meetings/"))
        names = link_names(text, "令和8年度第5回役員会")
        assert sorted(names) == sorted(f"{name} 令和8年度第5回役員会" for name in FIVE_DISTRICTS)
        assert len(set(link_names(text, "令和8年度第4回役員会"))) == 5

    def test_upcoming_rows_say_who_may_attend(self, client, district):
        upcoming(district, admission=Admission.OPEN, title="住民意見交換会")
        MeetingFactory(district=district, admission=Admission.OPEN, title="昨年の意見交換会")
        text = text_of(client.get("/meetings/"))
        upcoming_rows = text.split('id="upcoming-heading"', 1)[1].split("</section>", 1)[0]
        past_rows = text.split('id="past-heading"', 1)[1]
        assert "公開・誰でも参加可" in upcoming_rows
        assert "公開・誰でも参加可" not in past_rows

    def test_the_district_page_names_it_with_both_meetings(self, client, district):
        upcoming(district, title="令和8年度第5回役員会")
        MeetingFactory(district=district, title="令和8年度第4回役員会")
        text = text_of(client.get("/districts/sakuradai/"))
        meetings = section(text, "meetings-heading")
        assert link_names(meetings, "第5回役員会") == ["桜台小学校区 令和8年度第5回役員会"]
        assert link_names(meetings, "第4回役員会") == ["桜台小学校区 令和8年度第4回役員会"]


class TestNextMeetingCard:
    def test_the_card_holds_when_where_who_and_the_ics(self, client, district):
        meeting = upcoming(
            district, place="桜台地区公民館 大会議室", admission=Admission.OPEN, title="住民集会"
        )
        card = section(text_of(client.get("/districts/sakuradai/")), "meetings-heading")
        card = card.split("最新の議事録", 1)[0]
        assert f"桜台地区公民館 大会議室<br>{HUB_ADDRESS}" in card
        assert "<dd>公開・誰でも参加可</dd>" in card
        assert f'href="/meetings/{meeting.pk}/meeting.ics"' in card

    def test_an_address_given_without_a_place_is_shown(self, client, district):
        upcoming(district, place="", place_address="みどり野市本町1番1号")
        card = section(text_of(client.get("/districts/sakuradai/")), "meetings-heading")
        assert "<dd>みどり野市本町1番1号</dd>" in card

    def test_the_hubs_address_costs_no_query(self, client, district):
        upcoming(district, place="")
        with CaptureQueriesContext(connection) as without_address:
            client.get("/districts/sakuradai/")
        Meeting.objects.all().delete()
        upcoming(district, place="桜台地区公民館")
        with CaptureQueriesContext(connection) as with_address:
            text = text_of(client.get("/districts/sakuradai/"))
        assert HUB_ADDRESS in section(text, "meetings-heading")
        assert len(with_address) == len(without_address)


# Calendar subscriptions ----------------------------------------------------------------------


class TestSubscriptions:
    def test_the_meeting_list_offers_webcal_and_https_and_the_how_to(self, client, district):
        text = text_of(client.get("/meetings/", {"district": "sakuradai"}))
        for path in ("/meetings/calendar.ics", "/districts/sakuradai/meetings.ics"):
            assert f'<a href="webcal://testserver{path}"' in text
            assert f'href="http://testserver{path}" type="text/calendar"' in text
        assert text.count('class="calendar-help"') == 1
        help_text = text.split('class="calendar-help"', 1)[1].split("</details>", 1)[0]
        for words in ("iPhone", "Android", "Googleカレンダー", "URLで追加", "Outlook"):
            assert words in help_text

    def test_the_district_page_offers_its_calendar_the_same_way(self, client, district):
        meetings = section(text_of(client.get("/districts/sakuradai/")), "meetings-heading")
        assert '<a href="webcal://testserver/districts/sakuradai/meetings.ics"' in meetings
        assert 'href="http://testserver/districts/sakuradai/meetings.ics"' in meetings
        assert "カレンダーへの追加方法" in meetings

    def test_the_https_address_follows_the_request(self, client, district, settings):
        settings.ALLOWED_HOSTS = ["portal.example.jp"]
        text = text_of(client.get("/meetings/", secure=True, HTTP_HOST="portal.example.jp"))
        assert 'href="webcal://portal.example.jp/meetings/calendar.ics"' in text
        assert 'href="https://portal.example.jp/meetings/calendar.ics"' in text

    def test_in_english(self, client, district):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        text = text_of(client.get("/meetings/"))
        assert "Subscribe to the meetings of every district in your calendar app" in text
        assert "From URL" in text and "Subscribe from web" in text


def test_query_count_of_the_meeting_page_is_unchanged_by_registration(
    client, district, django_assert_num_queries
):
    plain = upcoming(district)
    with_registration = upcoming(
        district,
        admission=Admission.REGISTRATION,
        registration_contact=CONTACT,
        registration_how="電話で",
        registration_deadline=at_two_pm(20).date(),
        place_address="みどり野市本町1-1",
    )
    with django_assert_num_queries(6):
        client.get(plain.get_absolute_url())
    with django_assert_num_queries(6):
        client.get(with_registration.get_absolute_url())
