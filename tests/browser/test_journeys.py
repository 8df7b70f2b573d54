"""What residents and coordinators do on the public site, at phone and desktop widths.

Every page a journey reaches is checked like the public pages (axe-core, HTML, layout).
"""

import re
from collections import defaultdict
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.db.models import Q
from playwright.sync_api import Page, expect

from core.names import person_name
from core.text import normalize, to_hiragana
from districts.models import District
from organizations.models import Organization

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

COORDINATOR = "demo-coordinator"
DEMO_PASSWORD = "kyodo-demo-2026"  # every demo account's (seed_demo)
SIGN_OUT = re.compile(r"ログアウト|サインアウト|sign out|log out", re.IGNORECASE)
SIGN_IN = re.compile(r"ログイン|サインイン|sign in|log in", re.IGNORECASE)
GROUP_LINK = re.compile(r"^/organizations/(\d+)/$")


def listed_group_ids(page: Page) -> set[int]:
    """The groups the page links to from its main content (the directory's results)."""
    hrefs = (
        page.get_by_role("main")
        .locator('a[href^="/organizations/"]')
        .evaluate_all("links => links.map(link => link.getAttribute('href'))")
    )
    return {int(match[1]) for href in hrefs if (match := GROUP_LINK.match(href))}


def submit(page: Page, form_selector: str) -> None:
    """Press the form's submit button and wait for the answer."""
    with page.expect_navigation():
        page.locator(form_selector).locator('[type="submit"]').click()


def test_directory_filters_by_kind(page, demo_data, check_page):
    groups = list(Organization.objects.published().order_by("name_kana", "name", "pk"))
    by_kind: dict[str, list[Organization]] = defaultdict(list)
    for group in groups:
        by_kind[group.kind].append(group)
    assert len(by_kind) >= 2, "the demo data should have published groups of several kinds"
    kind = max(by_kind, key=lambda k: len(by_kind[k]))
    wanted = {group.pk for group in by_kind[kind]}

    page.goto("/organizations/")
    check_page(page)
    all_listed = listed_group_ids(page)
    assert all_listed - wanted, "the unfiltered directory should list groups of other kinds"

    page.locator('select[name="kind"]').select_option(kind)
    submit(page, 'form:has(select[name="kind"])')

    assert parse_qs(urlsplit(page.url).query).get("kind") == [kind]
    expect(page.locator('select[name="kind"]')).to_have_value(kind)
    listed = listed_group_ids(page)
    assert listed, f"no group listed for kind={kind}"
    assert listed <= wanted, f"groups of other kinds listed: {sorted(listed - wanted)}"
    assert by_kind[kind][0].pk in listed, "the first group of the kind (50音 order) is missing"
    check_page(page)


def test_directory_search_by_name(page, demo_data, check_page):
    target = Organization.objects.published().order_by("-name_kana", "pk").first()
    assert target is not None, "the demo data has no published group"
    query = target.name
    words = normalize(query)
    matching = set(
        Organization.objects.published()
        .filter(Q(name__icontains=words) | Q(name_kana__icontains=to_hiragana(words)))
        .values_list("pk", flat=True)
    )

    page.goto("/organizations/")
    # The directory's own field, not the header's site search.
    page.locator('main input[name="q"]').fill(query)
    submit(page, 'main form:has(input[name="q"])')

    assert parse_qs(urlsplit(page.url).query).get("q") == [query]
    expect(page.locator('main input[name="q"]')).to_have_value(query)
    listed = listed_group_ids(page)
    assert target.pk in listed, f"searching for {query!r} did not list it"
    assert listed <= matching, f"groups that do not match {query!r}: {sorted(listed - matching)}"
    check_page(page)


def test_language_switch_and_back(page, demo_data, check_page, switch_language):
    page.goto("/")
    links = page.get_by_role("banner").get_by_role("list", name=re.compile("言語|Language"))
    expect(links.get_by_role("link", name="日本語", exact=True)).to_have_attribute(
        "aria-current", "true"
    )
    switch_language(page, "English", "en")
    assert urlsplit(page.url).path == "/"
    check_page(page, lang="en")
    expect(links.get_by_role("link", name="English", exact=True)).to_have_attribute(
        "aria-current", "true"
    )
    expect(links.get_by_role("link", name="日本語", exact=True)).not_to_have_attribute(
        "aria-current", "true"
    )

    # The choice sticks while browsing.
    district = District.objects.order_by("display_order", "name_kana").first()
    page.goto("/districts/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    if district is not None:
        page.goto(f"/districts/{district.slug}/")
        expect(page.locator("html")).to_have_attribute("lang", "en")

    switch_language(page, "日本語", "ja")
    check_page(page, lang="ja")


def sign_in(page: Page, username: str, password: str) -> None:
    page.goto("/accounts/login/")
    form = 'form:has(input[name="password"])'
    page.locator(form).locator('input[name="username"]').fill(username)
    page.locator(form).locator('input[name="password"]').fill(password)
    submit(page, form)


def test_coordinator_signs_in_and_out(page, demo_data, check_page):
    user = get_user_model().objects.get(username=COORDINATOR)
    sign_in(page, COORDINATOR, DEMO_PASSWORD)

    assert urlsplit(page.url).path != "/accounts/login/", "signing in did not leave the form"
    banner = page.get_by_role("banner")
    sign_out = banner.get_by_role("button", name=SIGN_OUT)
    expect(sign_out).to_be_visible()
    expect(banner).to_contain_text(person_name(user))
    check_page(page)

    with page.expect_navigation():
        sign_out.click()
    expect(banner.get_by_role("button", name=SIGN_OUT)).to_have_count(0)
    expect(banner.get_by_role("link", name=SIGN_IN)).to_be_visible()
    check_page(page)


def test_wrong_password_is_refused_with_a_message(page, demo_data, check_page):
    sign_in(page, COORDINATOR, "not-the-password")

    assert urlsplit(page.url).path == "/accounts/login/"
    message = page.get_by_role("alert")
    expect(message).to_be_visible()
    expect(message).not_to_have_text("")
    expect(message).to_be_focused()
    expect(page.locator('input[name="username"]')).to_have_value(COORDINATOR)
    expect(page.get_by_role("banner").get_by_role("button", name=SIGN_OUT)).to_have_count(0)
    check_page(page)


def test_coordinator_updates_the_council_profile(page, demo_data, check_page):
    user = get_user_model().objects.get(username=COORDINATOR)
    council = user.coordinated_councils.select_related("district").get()
    sign_in(page, COORDINATOR, DEMO_PASSWORD)

    assert urlsplit(page.url).path == "/accounts/"
    expect(page.get_by_role("main")).to_contain_text(council.name)
    check_page(page)

    with page.expect_navigation():
        page.get_by_role("link", name=re.compile("公開する紹介を編集")).click()
    assert urlsplit(page.url).path == f"/councils/{council.pk}/profile/"
    check_page(page)

    introduction = "毎月第2土曜日に防災倉庫の点検をしています。"
    page.get_by_label("紹介文").fill(introduction)
    page.get_by_label("公開するメールアドレス").fill("office-at-example")
    submit(page, "main form")

    summary = page.get_by_role("alert")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link")).to_have_count(1)
    email = page.get_by_label("公開するメールアドレス")
    expect(email).to_have_attribute("aria-invalid", "true")
    expect(email).to_have_value("office-at-example")
    expect(page.get_by_label("紹介文")).to_have_value(introduction)
    check_page(page)

    email.fill("office@example.jp")
    submit(page, "main form")
    assert urlsplit(page.url).path == council.district.get_absolute_url()
    expect(page.get_by_role("status")).to_contain_text("保存しました")
    expect(page.locator("#council")).to_contain_text(introduction)
    check_page(page)
