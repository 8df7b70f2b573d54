"""Passwords reset by e-mail and changed by their owner, staff sessions that end when idle, and
signed-in answers that no cache keeps."""

import datetime as dt
import re
import time
from unittest import mock

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from core.middleware import STAFF_SESSION_RENEW_SECONDS
from subsidies.models import State
from tests.factories import PASSWORD, DistrictFactory, StaffUserFactory, UserFactory
from tests.subsidies.factories import GrantYearFactory, application_in

pytestmark = pytest.mark.django_db

RESET = "/accounts/password/reset/"
CHANGE = "/accounts/password/"
NEW_PASSWORD = "sakura-namiki-2026"


def text_of(response) -> str:
    return response.content.decode()


def reset_link(message) -> str:
    match = re.search(r"https://kyodo\.example\.jp(/accounts/password/reset/\S+/)", message.body)
    assert match, message.body
    return match.group(1)


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = "https://kyodo.example.jp/"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


# Password reset ------------------------------------------------------------------------------


def test_the_sign_in_page_links_to_the_reset(client):
    assert f'href="{RESET}"' in text_of(client.get("/accounts/login/"))


def test_a_password_is_reset_through_the_link_in_the_e_mail(client):
    user = UserFactory(email="sato@example.jp")
    page = client.get(RESET)
    assert page.status_code == 200 and "パスワードの再設定" in text_of(page)
    # Case and the host asked for do not matter: the link is on the portal's own address.
    response = client.post(RESET, {"email": "Sato@Example.jp"}, HTTP_HOST="127.0.0.1")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/password/reset/sent/"
    assert "メールをご確認ください" in text_of(client.get(response["Location"]))

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["sato@example.jp"]
    assert message.subject == "［協働のまちづくりポータル］パスワードの再設定"
    assert f"「{user.username}」" in message.body
    assert "72時間以内" in message.body

    # The link leads to a form on an address without the token.
    form_page = client.get(reset_link(message), follow=True)
    assert form_page.status_code == 200
    assert "新しいパスワードの設定" in text_of(form_page)
    set_url = form_page.redirect_chain[-1][0]
    done = client.post(set_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.status_code == 302
    assert done["Location"] == "/accounts/password/reset/complete/"
    assert "新しいパスワードを設定しました" in text_of(client.get(done["Location"]))

    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    # The link is used up.
    again = client.get(reset_link(message), follow=True)
    assert "このリンクは使えません" in text_of(again)


def test_the_e_mail_is_in_japanese_whatever_the_pages_language(client):
    UserFactory(email="sato@example.jp")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.post(RESET, {"email": "sato@example.jp"})
    assert "パスワードの再設定" in mail.outbox[0].subject


def test_an_unknown_address_gets_the_same_answer_and_no_e_mail(client):
    UserFactory(email="sato@example.jp")
    known = client.post(RESET, {"email": "sato@example.jp"})
    unknown = client.post(RESET, {"email": "nobody@example.jp"})
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert [message.to for message in mail.outbox] == [["sato@example.jp"]]


def test_a_bad_token_says_to_ask_again(client):
    user = UserFactory()
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    uid = urlsafe_base64_encode(force_bytes(user.pk))
    response = client.get(f"/accounts/password/reset/{uid}/not-a-token/")
    assert response.status_code == 200
    text = text_of(response)
    assert "このリンクは使えません" in text
    assert f'href="{RESET}"' in text
    assert 'name="new_password1"' not in text


@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("", "メールアドレスを入力してください。"),
        ("not-an-address", "メールアドレスを name@example.jp の形で入力してください。"),
    ],
)
def test_a_bad_address_is_refused_beside_the_field(client, email, message):
    response = client.post(RESET, {"email": email})
    assert response.status_code == 200
    text = text_of(response)
    assert message in text and 'aria-invalid="true"' in text
    assert f'value="{email}"' in text if email else True
    assert not mail.outbox


def test_new_passwords_that_differ_or_are_weak_are_refused(client):
    user = UserFactory(email="sato@example.jp")
    client.post(RESET, {"email": user.email})
    form_page = client.get(reset_link(mail.outbox[0]), follow=True)
    set_url = form_page.redirect_chain[-1][0]
    response = client.post(set_url, {"new_password1": NEW_PASSWORD, "new_password2": "other"})
    assert response.status_code == 200
    assert "2つの新しいパスワードが一致しません。" in text_of(response)
    response = client.post(set_url, {"new_password1": "12345678", "new_password2": "12345678"})
    assert response.status_code == 200
    assert 'aria-invalid="true"' in text_of(response)
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_reset_requests_are_limited_per_address_typed(client, settings):
    settings.PASSWORD_RESET_THROTTLE_EMAIL_REQUESTS = 3
    UserFactory(email="sato@example.jp")
    for number in range(3):
        response = client.post(RESET, {"email": "sato@example.jp"}, REMOTE_ADDR=f"10.0.0.{number}")
        assert response.status_code == 302
    refused = client.post(RESET, {"email": "SATO@example.jp"}, REMOTE_ADDR="10.0.0.9")
    assert refused.status_code == 429
    assert "パスワード再設定の申し込みが多すぎます。15分ほど待って" in text_of(refused)
    assert len(mail.outbox) == 3
    # An address no account has is answered the same way.
    for _ in range(3):
        client.post(RESET, {"email": "nobody@example.jp"}, REMOTE_ADDR="10.0.1.1")
    assert client.post(RESET, {"email": "nobody@example.jp"}).status_code == 429


def test_reset_requests_are_limited_per_client_address(client, settings):
    settings.PASSWORD_RESET_THROTTLE_ADDRESS_REQUESTS = 4
    for number in range(4):
        assert client.post(RESET, {"email": f"guess{number}@example.jp"}).status_code == 302
    refused = client.post(RESET, {"email": "guess-more@example.jp"})
    assert refused.status_code == 429
    assert 'value="guess-more@example.jp"' in text_of(refused)


# Password change -----------------------------------------------------------------------------


def test_my_page_links_to_the_password_change(client):
    client.force_login(UserFactory())
    assert f'href="{CHANGE}"' in text_of(client.get("/accounts/"))


def test_the_change_page_needs_signing_in(client):
    response = client.get(CHANGE)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_signed_in_user_changes_their_password_and_stays_signed_in(client):
    user = UserFactory()
    client.force_login(user)
    assert "パスワードの変更" in text_of(client.get(CHANGE))
    response = client.post(
        CHANGE,
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302 and response["Location"] == "/accounts/password/done/"
    assert "パスワードを変更しました" in text_of(client.get(response["Location"]))
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert client.get("/accounts/").status_code == 200


def test_a_wrong_current_password_is_refused_beside_the_field(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        CHANGE,
        {"old_password": "wrong", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 200
    text = text_of(response)
    assert "現在のパスワードが正しくありません。" in text
    assert 'aria-invalid="true"' in text
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_staff_change_their_password_on_the_same_page(client):
    staff = StaffUserFactory()
    client.force_login(staff)
    response = client.post(
        CHANGE,
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    staff.refresh_from_db()
    assert staff.check_password(NEW_PASSWORD)


# Session length ------------------------------------------------------------------------------


def sign_in(client, user):
    response = client.post("/accounts/login/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    return response


def session_expiry(client) -> dt.datetime:
    from django.contrib.sessions.models import Session

    return Session.objects.get(session_key=client.session.session_key).expire_date


def test_a_staff_session_ends_after_eight_idle_hours(client):
    before = timezone.now()
    sign_in(client, StaffUserFactory())
    assert client.session.get_expiry_age() == 8 * 60 * 60
    expiry = session_expiry(client)
    assert before + dt.timedelta(hours=8) <= expiry <= timezone.now() + dt.timedelta(hours=8)
    assert client.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == 8 * 60 * 60
    # The eight hours are idle time: a request a while later pushes the end on (at most once
    # in STAFF_SESSION_RENEW_SECONDS, so not every page writes the session).
    client.get("/admin/")
    assert session_expiry(client) == expiry
    later = time.time() + STAFF_SESSION_RENEW_SECONDS + 1
    with mock.patch("core.middleware.time.time", return_value=later):
        assert client.get("/admin/").status_code == 200
    assert session_expiry(client) > expiry
    assert client.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == 8 * 60 * 60


def test_a_staff_session_from_before_is_shortened_on_its_next_request(client):
    staff = StaffUserFactory()
    client.force_login(staff)
    session = client.session
    session.set_expiry(None)
    session.pop("staff_session_renewed")
    session.save()
    client.get("/admin/")
    assert client.session.get_expiry_age() == 8 * 60 * 60
    assert session_expiry(client) <= timezone.now() + dt.timedelta(hours=8)


def test_other_sessions_keep_their_length(client):
    sign_in(client, UserFactory())
    assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE
    expiry = session_expiry(client)
    assert expiry > timezone.now() + dt.timedelta(days=13)


def test_an_idle_staff_session_is_signed_out(client):
    from django.contrib.sessions.models import Session

    sign_in(client, StaffUserFactory())
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() - dt.timedelta(seconds=1)
    )
    response = client.get("/admin/")
    assert response.status_code == 302 and "login" in response["Location"]


# Cache-Control -------------------------------------------------------------------------------


def assert_not_stored(response):
    directives = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= directives, response["Cache-Control"]


def test_signed_in_pages_are_not_stored(client):
    client.force_login(UserFactory())
    assert_not_stored(client.get("/accounts/"))
    # A public page, seen signed in.
    assert_not_stored(client.get("/districts/"))


def test_a_coordinators_document_and_an_officers_export_are_not_stored(client):
    year = GrantYearFactory()
    application, coordinator, staff = application_in(State.SUBMITTED, year)
    client.force_login(coordinator)
    response = client.get(f"/grants/documents/{application.pk}/application/")
    assert response.status_code == 200
    assert_not_stored(response)
    client.force_login(staff.officer)
    response = client.get(reverse("grants:review_year_xlsx", args=[year.fiscal_year]))
    assert response.status_code == 200
    assert_not_stored(response)


def test_the_admin_is_not_stored(client, superuser):
    client.force_login(superuser)
    assert_not_stored(client.get("/admin/"))
    assert_not_stored(client.get("/admin/districts/district/"))


def test_anonymous_public_pages_keep_their_headers(client):
    DistrictFactory()
    first = client.get("/districts/")
    assert first.status_code == 200
    assert "Cache-Control" not in first
    # Stored and served from the page cache the second time, with the same headers.
    second = client.get("/districts/")
    assert "Cache-Control" not in second
    assert first.content == second.content
    assert dict(first.items()) == dict(second.items())


def test_an_anonymous_visitor_with_a_session_cookie_is_not_marked(client):
    # A leftover cookie from a session that has ended: not signed in.
    client.cookies[settings.SESSION_COOKIE_NAME] = "ended-session"
    response = client.get("/districts/")
    assert response.status_code == 200
    assert "Cache-Control" not in response
