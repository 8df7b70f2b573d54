"""E-mail settings (/accounts/mail/): the language of one's e-mail, and for grant staff the
workflow's notices one by one or as a weekly digest."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from core.models import MailSettings
from subsidies.models import Reminder, ReminderKind, State
from subsidies.reminders import send_reminders
from subsidies.services import decisions
from tests.factories import UserFactory
from tests.subsidies.factories import GrantYearFactory, Staff, application_in, make_applicant

pytestmark = pytest.mark.django_db

URL = reverse("mail_settings")


def test_the_page_is_for_signed_in_people_only(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_coordinator_chooses_english_and_the_notices_come_in_english(
    client, django_capture_on_commit_callbacks
):
    application, coordinator, staff = application_in(State.SUBMITTED)
    client.force_login(coordinator)

    page = client.get(URL)
    assert "weekly_digest" not in page.context["form"].fields  # a council hears of each move
    response = client.post(URL, {"language": "en"})

    assert response.status_code == 302
    assert MailSettings.objects.get(user=coordinator).language == "en"
    with django_capture_on_commit_callbacks(execute=True):
        decisions.return_for_correction(
            application=application, by=staff.officer, reasons={"budget": "金額を直してください。"}
        )
    (notice,) = mail.outbox
    assert notice.to == [coordinator.email]
    assert notice.subject.startswith("[Kyodo Portal]")


def test_an_unknown_language_is_refused_beside_the_field(client):
    user = UserFactory()
    client.force_login(user)

    response = client.post(URL, {"language": "fr"})

    assert response.status_code == 200
    assert response.context["form"].errors == {"language": ["日本語かEnglishを選んでください。"]}
    assert 'aria-invalid="true"' in response.content.decode()
    assert not MailSettings.objects.filter(user=user).exists()


def test_an_officer_who_takes_the_digest_gets_one_e_mail_a_week_instead_of_each_notice(
    client, django_capture_on_commit_callbacks
):
    staff = Staff()
    client.force_login(staff.officer)
    assert "weekly_digest" in client.get(URL).context["form"].fields
    client.post(URL, {"language": "ja", "weekly_digest": "on"})
    year = GrantYearFactory()
    application, coordinator, _ = application_in(State.DRAFT, year, staff=staff)

    with django_capture_on_commit_callbacks(execute=True):
        decisions.submit(application=application, by=coordinator)
    assert mail.outbox == []  # the submission waits for the digest

    monday = timezone.localdate() - dt.timedelta(days=timezone.localdate().weekday())
    with django_capture_on_commit_callbacks(execute=True):
        assert send_reminders(monday) == 1
        assert send_reminders(monday + dt.timedelta(days=2)) == 0  # the same week
    (digest,) = mail.outbox
    assert digest.to == [staff.officer.email]
    assert "1件" in digest.subject
    assert f"申請書を審査する：{application.council.name}" in digest.body
    assert "/grants/review/?show=mine" in digest.body

    with django_capture_on_commit_callbacks(execute=True):
        assert send_reminders(monday + dt.timedelta(days=7)) == 1  # next week
    assert Reminder.objects.filter(kind=ReminderKind.DIGEST).count() == 2


def test_a_reminder_comes_in_the_recipients_language(django_capture_on_commit_callbacks):
    year = GrantYearFactory(application_closes_on=timezone.localdate() + dt.timedelta(days=3))
    _, coordinator = make_applicant(year)
    MailSettings.objects.create(user=coordinator, language="en")

    with django_capture_on_commit_callbacks(execute=True):
        send_reminders()

    (reminder,) = mail.outbox
    assert reminder.subject.startswith("[Kyodo Portal]")
    assert "Start the application and submit it" in reminder.subject
