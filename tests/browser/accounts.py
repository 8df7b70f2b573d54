"""Signing in through the login form, as a person does, for the browser tests."""

from playwright.sync_api import Page


def sign_in(page: Page, username: str, password: str) -> None:
    """Fill the login form and submit it; fail if the browser is still on the form after."""
    page.goto("/accounts/login/")
    form = page.locator('form:has(input[name="password"])')
    form.locator('input[name="username"]').fill(username)
    form.locator('input[name="password"]').fill(password)
    with page.expect_navigation():
        form.locator('[type="submit"]').click()
    assert "/accounts/login/" not in page.url, f"{username} could not sign in"
