"""Forgotten and changed passwords and the e-mail settings, as people go through them in a
browser."""

import re
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from playwright.sync_api import Page, expect

from core.models import MailSettings

from .accounts import sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

COORDINATOR = "demo-coordinator"
DEMO_PASSWORD = "kyodo-demo-2026"  # every demo account's (seed_demo)
NEW_PASSWORD = "sakura-dai-bousai-2027"


def submit(page: Page) -> None:
    with page.expect_navigation():
        page.locator("main form").locator('[type="submit"]').click()


def path_of(page: Page) -> str:
    return urlsplit(page.url).path


def test_a_coordinator_who_forgot_the_password_sets_a_new_one(page, demo_data, check_page):
    user = get_user_model().objects.get(username=COORDINATOR)
    assert user.email, "the demo coordinator needs an e-mail address"
    page.goto("/accounts/login/")
    with page.expect_navigation():
        page.get_by_role("main").get_by_role("link", name=re.compile("パスワード")).click()
    assert path_of(page) == "/accounts/password/reset/"
    check_page(page)

    email = page.locator('input[name="email"]')
    email.fill("not-an-address")
    submit(page)
    expect(email).to_have_attribute("aria-invalid", "true")
    expect(email).to_have_value("not-an-address")
    check_page(page)

    email.fill(user.email)
    mail.outbox.clear()  # loading the demo city sent its own notices
    submit(page)
    assert path_of(page) == "/accounts/password/reset/sent/"
    check_page(page)

    assert [message.to for message in mail.outbox] == [[user.email]]
    link = re.search(r"https?://\S+/accounts/password/reset/\S+", mail.outbox[0].body)
    assert link, mail.outbox[0].body
    page.goto(urlsplit(link.group(0)).path)
    check_page(page)

    page.locator('input[name="new_password1"]').fill(NEW_PASSWORD)
    page.locator('input[name="new_password2"]').fill(NEW_PASSWORD + "x")
    submit(page)
    expect(page.locator('input[name="new_password2"]')).to_have_attribute("aria-invalid", "true")
    check_page(page)

    page.locator('input[name="new_password1"]').fill(NEW_PASSWORD)
    page.locator('input[name="new_password2"]').fill(NEW_PASSWORD)
    submit(page)
    assert path_of(page) == "/accounts/password/reset/complete/"
    check_page(page)

    sign_in(page, COORDINATOR, NEW_PASSWORD)


def test_a_coordinator_changes_the_password_from_my_page(page, demo_data, check_page):
    sign_in(page, COORDINATOR, DEMO_PASSWORD)
    page.goto("/accounts/")
    with page.expect_navigation():
        page.get_by_role("main").get_by_role("link", name="パスワードの変更").click()
    assert path_of(page) == "/accounts/password/"
    check_page(page)

    old = page.locator('input[name="old_password"]')
    old.fill("not-the-password")
    page.locator('input[name="new_password1"]').fill(NEW_PASSWORD)
    page.locator('input[name="new_password2"]').fill(NEW_PASSWORD)
    submit(page)
    assert path_of(page) == "/accounts/password/"
    expect(old).to_have_attribute("aria-invalid", "true")
    check_page(page)

    old.fill(DEMO_PASSWORD)
    page.locator('input[name="new_password1"]').fill(NEW_PASSWORD)
    page.locator('input[name="new_password2"]').fill(NEW_PASSWORD)
    submit(page)
    assert path_of(page) == "/accounts/password/done/"
    check_page(page)
    user = get_user_model().objects.get(username=COORDINATOR)
    assert user.check_password(NEW_PASSWORD)


def test_an_officer_sets_the_e_mail_language_and_the_weekly_digest(page, demo_data, check_page):
    sign_in(page, "demo-officer", DEMO_PASSWORD)
    page.goto("/accounts/")
    with page.expect_navigation():
        page.get_by_role("main").get_by_role("link", name="メールの設定").click()
    assert path_of(page) == "/accounts/mail/"
    check_page(page)

    page.get_by_label("English").check()
    page.get_by_label("週ごとのまとめで受け取る").check()
    submit(page)
    assert path_of(page) == "/accounts/"
    check_page(page)
    settings = MailSettings.objects.get(user__username="demo-officer")
    assert (settings.language, settings.weekly_digest) == ("en", True)
