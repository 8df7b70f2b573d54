"""Password guessing is paused per account and per client address, on the portal's sign-in and
the admin's, before any password is checked, with one message whether or not the account
exists."""

import re
import time
from unittest import mock

import pytest
from django.contrib.auth.hashers import check_password
from django.test import RequestFactory

from core import throttle
from tests.factories import PASSWORD, StaffUserFactory, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
ADMIN_LOGIN = "/admin/login/"
PAUSED = "ログインの試行が多すぎるため"
CSRF_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')


@pytest.fixture(autouse=True)
def _limits(settings):
    settings.LOGIN_THROTTLE_ACCOUNT_FAILURES = 5
    settings.LOGIN_THROTTLE_ADDRESS_FAILURES = 20
    settings.TRUSTED_PROXY_COUNT = 0


def attempt(client, username, password="wrong-password", *, address="10.0.0.1", url=LOGIN):
    return client.post(url, {"username": username, "password": password}, REMOTE_ADDR=address)


def fail(client, username, times, **kwargs):
    for _ in range(times):
        response = attempt(client, username, **kwargs)
        assert response.status_code == 200
        assert PAUSED not in response.content.decode()


def assert_paused(response, minutes=15):
    assert response.status_code == 429
    text = response.content.decode()
    assert PAUSED in text and f"{minutes}分ほど待ってから" in text
    assert "ユーザー名またはパスワードが正しくありません" not in text


def test_an_account_is_paused_after_its_failures_even_with_the_right_password(client):
    user = UserFactory()
    fail(client, user.username, 5)
    assert_paused(attempt(client, user.username, PASSWORD))
    # Not signed in.
    assert "_auth_user_id" not in client.session


def test_the_user_name_is_counted_case_folded(client):
    user = UserFactory(username="tanaka")
    fail(client, "Tanaka", 3)
    fail(client, " TANAKA", 2)
    assert_paused(attempt(client, user.username, PASSWORD))


def test_the_paused_account_is_paused_from_any_address(client):
    user = UserFactory()
    for number in range(5):
        attempt(client, user.username, address=f"10.0.1.{number}")
    assert_paused(attempt(client, user.username, PASSWORD, address="10.0.2.1"))


def test_other_accounts_from_another_address_still_sign_in(client):
    paused, other = UserFactory(), UserFactory()
    fail(client, paused.username, 5)
    response = attempt(client, other.username, PASSWORD, address="10.0.0.2")
    assert response.status_code == 302


def test_an_address_is_paused_after_failures_on_many_accounts(client):
    for number in range(20):
        attempt(client, f"guess{number}")
    user = UserFactory()
    # An account with no failure of its own, from the guessing address.
    assert_paused(attempt(client, user.username, PASSWORD))
    # The same account from elsewhere is fine.
    assert attempt(client, user.username, PASSWORD, address="10.0.0.9").status_code == 302


def test_an_account_that_does_not_exist_gets_the_same_answers(client):
    user = UserFactory()
    fail(client, user.username, 5)
    fail(client, "nobody-by-this-name", 5, address="10.0.0.5")
    existing = attempt(client, user.username, address="10.0.0.6")
    missing = attempt(client, "nobody-by-this-name", address="10.0.0.7")
    assert_paused(existing)
    assert_paused(missing)

    def page(response, username):
        text = CSRF_TOKEN.sub("", response.content.decode())
        return text.replace(f'value="{username}"', 'value="NAME"')

    assert page(existing, user.username) == page(missing, "nobody-by-this-name")


def test_the_admin_login_is_paused_too(client):
    staff = StaffUserFactory()
    fail(client, staff.username, 5, url=ADMIN_LOGIN)
    response = attempt(client, staff.username, PASSWORD, url=ADMIN_LOGIN)
    assert_paused(response)
    assert "_auth_user_id" not in client.session


def test_failures_on_one_login_count_on_the_other(client):
    staff = StaffUserFactory()
    fail(client, staff.username, 3, url=ADMIN_LOGIN)
    fail(client, staff.username, 2)
    assert_paused(attempt(client, staff.username, PASSWORD, url=ADMIN_LOGIN))


def test_signing_in_forgets_the_accounts_failures(client):
    user = UserFactory()
    fail(client, user.username, 4)
    assert attempt(client, user.username, PASSWORD).status_code == 302
    client.logout()
    fail(client, user.username, 4)
    assert attempt(client, user.username, PASSWORD).status_code == 302


def test_the_password_is_not_checked_while_paused(client):
    user = UserFactory()
    with mock.patch(
        "django.contrib.auth.base_user.check_password", wraps=check_password
    ) as checked:
        fail(client, user.username, 5)
        assert checked.call_count == 5
        for _ in range(10):
            assert_paused(attempt(client, user.username, PASSWORD))
        assert checked.call_count == 5


def test_the_window_ends(client, settings):
    settings.THROTTLE_WINDOW_SECONDS = 60
    user = UserFactory()
    fail(client, user.username, 5)
    assert_paused(attempt(client, user.username, PASSWORD), minutes=1)
    later = time.time() + 61
    with mock.patch("django.core.cache.backends.locmem.time.time", return_value=later):
        assert attempt(client, user.username, PASSWORD).status_code == 302


def test_the_limits_are_settings(client, settings):
    settings.LOGIN_THROTTLE_ACCOUNT_FAILURES = 2
    user = UserFactory()
    fail(client, user.username, 2)
    assert_paused(attempt(client, user.username, PASSWORD))


# The client's address ------------------------------------------------------------------------


def request_from(remote: str, forwarded: str | None = None):
    headers = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **headers)


def test_x_forwarded_for_is_ignored_without_a_trusted_proxy():
    assert throttle.client_address(request_from("203.0.113.5", "198.51.100.1")) == "203.0.113.5"


def test_behind_one_proxy_its_entry_is_used_and_the_clients_ignored(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    # The client wrote "1.2.3.4"; the proxy appended the address it saw.
    request = request_from("127.0.0.1", "1.2.3.4, 198.51.100.7")
    assert throttle.client_address(request) == "198.51.100.7"
    settings.TRUSTED_PROXY_COUNT = 2
    request = request_from("127.0.0.1", "1.2.3.4, 198.51.100.7, 10.0.0.3")
    assert throttle.client_address(request) == "198.51.100.7"


def test_a_spoofed_header_does_not_escape_the_limit(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for number in range(20):
        client.post(
            LOGIN,
            {"username": f"guess{number}", "password": "x"},
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR=f"1.1.1.{number}, 198.51.100.7",
        )
    response = client.post(
        LOGIN,
        {"username": "guess-more", "password": "x"},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="9.9.9.9, 198.51.100.7",
    )
    assert_paused(response)


def test_a_missing_proxy_entry_falls_back_to_the_connection(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    assert throttle.client_address(request_from("203.0.113.5")) == "203.0.113.5"


def test_an_ipv6_client_is_counted_by_its_64():
    first = throttle.client_address(request_from("2001:db8:1:2::1"))
    second = throttle.client_address(request_from("2001:db8:1:2:ffff::9"))
    assert first == second == "2001:db8:1:2::/64"
    assert throttle.client_address(request_from("::ffff:192.0.2.1")) == "192.0.2.1"
