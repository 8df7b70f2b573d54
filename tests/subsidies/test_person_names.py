"""People are shown family name first outside the admin: 「佐藤 美咲」, never 「美咲 佐藤」.

Each person here has a family name and a given name that differ, so the order shows.
"""

import pytest
from django.core import mail
from django.urls import reverse

from subsidies.models import State
from subsidies.services import decisions
from tests.subsidies.factories import Staff, application_in

pytestmark = pytest.mark.django_db

COORDINATOR = ("高橋", "陽子")
OFFICER = ("佐藤", "美咲")
APPROVER = ("鈴木", "健一")


def named(user, family: str, given: str):
    user.last_name, user.first_name = family, given
    user.save(update_fields=["last_name", "first_name"])
    return user


def shown_right(text: str, family: str, given: str) -> bool:
    return f"{family} {given}" in text and f"{given} {family}" not in text


@pytest.fixture
def staff():
    staff = Staff()
    named(staff.officer, *OFFICER)
    named(staff.approver, *APPROVER)
    return staff


@pytest.fixture
def paid(staff):
    """An approved and paid grant: recommended by 佐藤, decided by 鈴木, paid by 佐藤."""
    application, coordinator, _ = application_in(State.PAID, staff=staff)
    named(coordinator, *COORDINATOR)
    return application, coordinator


def between(text: str, start: str, end: str) -> str:
    part = text[text.index(start) :]
    return part[: part.index(end)]


def test_signed_in_as_in_the_header_and_on_my_page(client, paid):
    _, coordinator = paid
    client.force_login(coordinator)
    page = client.get(reverse("account_home")).content.decode()
    header = between(page, '<header class="site-header">', "</header>")
    assert "（高橋 陽子さんがログイン中）" in header
    assert "<p>高橋 陽子さんとしてログインしています。</p>" in page
    assert not shown_right(page, "陽子", "高橋")


def test_review_page_names_the_recommender_the_approver_the_payer_and_the_history(
    client, paid, staff
):
    application, _ = paid
    client.force_login(staff.officer)
    page = client.get(reverse("grants:review_application", args=[application.pk]))
    text = page.content.decode()
    summary = between(text, "<dl", "</dl>")
    assert "<dd>佐藤 美咲</dd>" in summary  # recommended by
    assert "、鈴木 健一）" in summary  # the decision: number, date, who decided
    payments = between(text, 'id="payments-heading"', "</section>")
    assert "<td>佐藤 美咲</td>" in payments
    history = between(text, 'id="history-heading"', "</section>")
    for family, given in (COORDINATOR, OFFICER, APPROVER):
        assert shown_right(history, family, given)
    for family, given in (OFFICER, APPROVER):
        assert shown_right(text, family, given)


def test_the_councils_history_names_the_staff_family_name_first(client, paid):
    application, coordinator = paid
    client.force_login(coordinator)
    page = client.get(reverse("grants:application_detail", args=[application.pk]))
    history = between(page.content.decode(), 'id="history-heading"', "</section>")
    for family, given in (COORDINATOR, OFFICER, APPROVER):
        assert shown_right(history, family, given)


def test_the_notice_names_who_acted_family_name_first(
    settings, staff, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    application, coordinator, _ = application_in(State.SUBMITTED, staff=staff)
    with django_capture_on_commit_callbacks(execute=True):
        decisions.return_for_correction(
            application=application, by=staff.officer, reasons={"budget": "見積書を添付。"}
        )
    assert mail.outbox
    for message in mail.outbox:
        assert "操作者：佐藤 美咲" in message.body
        assert "美咲 佐藤" not in message.body
