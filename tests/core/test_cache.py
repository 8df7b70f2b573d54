"""Anonymous public pages come from the cache, change as soon as a shown record changes, and
nothing personal or signed-in is ever stored or served to someone else."""

import datetime as dt
import gzip
import secrets
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages import add_message, constants
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import CookieStorage
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction
from django.http import Http404, HttpResponse, HttpResponseRedirect, StreamingHttpResponse
from django.middleware.csrf import get_token
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.views.decorators.cache import never_cache

from core import cache as page_cache
from core.names import person_name
from districts.services import update_council_profile
from kyodo_portal.settings import cache_config
from organizations.models import Organization
from plans.services import set_meetings_published
from subsidies.models import State
from subsidies.services import decisions
from subsidies.services.allocations import adjust_allocation
from tests.factories import (
    DistrictFactory,
    DistrictStatisticFactory,
    LiaisonAssignmentFactory,
    OrganizationFactory,
    StaffUserFactory,
)
from tests.plans.factories import MeetingFactory, PlanFactory
from tests.subsidies.factories import GrantYearFactory, application_in, make_applicant

pytestmark = pytest.mark.django_db


@pytest.fixture
def city():
    year = GrantYearFactory()
    council, coordinator = make_applicant(year, allocation=1_000_000)
    district = council.district
    return SimpleNamespace(
        year=year,
        council=council,
        coordinator=coordinator,
        district=district,
        group=OrganizationFactory(districts=[district], name="桜台一丁目自治会"),
        plan=PlanFactory(district=district),
        meeting=MeetingFactory(district=district),
        allocation=council.district.allocations.get(),
    )


PAGES = {
    "overview": lambda city: "/",
    "districts": lambda city: "/districts/",
    "district": lambda city: f"/districts/{city.district.slug}/",
    "groups": lambda city: "/organizations/",
    "group": lambda city: f"/organizations/{city.group.pk}/",
    "plan": lambda city: f"/plans/{city.plan.pk}/",
    "meetings": lambda city: "/meetings/",
    "meeting": lambda city: f"/meetings/{city.meeting.pk}/",
    "calendar": lambda city: "/meetings/calendar.ics",
    "district-calendar": lambda city: f"/districts/{city.district.slug}/meetings.ics",
    "district-population-csv": lambda city: f"/districts/{city.district.slug}/population.csv",
    "district-grants": lambda city: f"/grants/districts/{city.district.slug}/",
    "district-grant-year": lambda city: (
        f"/grants/{city.year.fiscal_year}/districts/{city.district.slug}/"
    ),
    "updates-feed": lambda city: "/feeds/updates.atom",
    "grants": lambda city: "/grants/",
    "grant-year": lambda city: f"/grants/{city.year.fiscal_year}/",
    "grant-csv": lambda city: f"/grants/{city.year.fiscal_year}/grants.csv",
    "accessibility": lambda city: "/accessibility/",
}


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def text(response) -> str:
    return body(response).decode()


def queries_for(client, path: str, **extra) -> tuple[int, str]:
    """How many queries a GET ran, and the page."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, **extra)
        page = text(response)
    return len(queries), page


# Served from the cache -------------------------------------------------------------------


@pytest.mark.parametrize("name", PAGES)
def test_second_anonymous_visit_is_served_from_the_cache(
    name, city, client, django_assert_num_queries
):
    path = PAGES[name](city)
    first = client.get(path)
    assert first.status_code == 200
    first_body = body(first)
    assert not client.cookies, "a public page must not set cookies"

    with django_assert_num_queries(0):
        second = client.get(path)
        second_body = body(second)

    assert second.status_code == 200
    assert second_body == first_body
    for header in ("Content-Type", "Content-Disposition", "Content-Language"):
        assert second.get(header) == first.get(header), header


def test_a_cached_page_goes_through_the_middleware_like_a_fresh_one(city, client):
    fresh = client.get("/districts/")
    cached = client.get("/districts/")
    for header in ("Content-Security-Policy", "X-Frame-Options", "Vary", "Content-Language"):
        assert cached[header] == fresh[header], header
    assert "Cookie" in cached["Vary"]


def test_head_is_answered_from_the_page_a_get_stored(city, client, django_assert_num_queries):
    client.get("/meetings/")
    with django_assert_num_queries(0):
        response = client.head("/meetings/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")


def test_head_alone_stores_nothing(city, client):
    client.head("/meetings/")
    count, page = queries_for(client, "/meetings/")
    assert count > 0
    assert "</html>" in page


def test_cookieless_visitors_are_answered_before_the_session_is_read():
    middleware = settings.MIDDLEWARE
    position = middleware.index("core.cache.PublicPageCacheMiddleware")
    assert middleware.index("whitenoise.middleware.WhiteNoiseMiddleware") < position
    for later in (
        "csp.middleware.CSPMiddleware",
        "django.contrib.sessions.middleware.SessionMiddleware",
        "django.middleware.csrf.CsrfViewMiddleware",
        "django.contrib.auth.middleware.AuthenticationMiddleware",
    ):
        assert middleware.index(later) > position, later


def test_an_unknown_host_is_refused_as_without_the_cache(city, client, caplog):
    client.get("/districts/")
    assert client.get("/districts/", HTTP_HOST="evil.example").status_code == 400
    assert "Could not read a public page" not in caplog.text


def test_visitor_with_a_stale_session_cookie_still_gets_the_cached_page(
    city, client, django_assert_num_queries
):
    """After signing out a browser may keep a session cookie; it is not a different page."""
    cached = client.get("/districts/").content
    client.cookies[settings.SESSION_COOKIE_NAME] = "no-such-session"
    with django_assert_num_queries(1):  # looking the session up, nothing more
        response = client.get("/districts/")
    assert response.content == cached


def test_query_strings_are_separate_pages(city, client, django_assert_num_queries):
    OrganizationFactory(districts=[city.district], name="みどり子ども会")
    everyone = client.get("/organizations/").content.decode()
    searched = client.get("/organizations/", {"q": "子ども会"}).content.decode()
    assert "桜台一丁目自治会" in everyone
    assert "桜台一丁目自治会" not in searched
    assert "みどり子ども会" in searched
    with django_assert_num_queries(0):
        assert client.get("/organizations/", {"q": "子ども会"}).content.decode() == searched
        assert client.get("/organizations/").content.decode() == everyone


def test_languages_are_separate_pages(city, client, django_assert_num_queries):
    japanese = client.get("/").content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    count, english = queries_for(client, "/")
    assert count > 0, "the English page was served from the Japanese one"
    assert '<html lang="en">' in english
    assert '<html lang="ja">' in japanese
    with django_assert_num_queries(0):
        assert client.get("/").content.decode() == english
    del client.cookies[settings.LANGUAGE_COOKIE_NAME]
    with django_assert_num_queries(0):
        assert client.get("/").content.decode() == japanese


def test_not_found_is_not_cached(city, client):
    for path in ("/districts/no-such-district/", "/grants/1999/", "/meetings/999999/"):
        assert client.get(path).status_code == 404
        count, _page = queries_for(client, path)
        assert count > 0, f"{path}: a 404 was served from the cache"


def test_other_methods_pass_through(city, client):
    client.get("/districts/")
    assert client.post("/districts/").status_code == 405


# Changes show on the next visit ------------------------------------------------------------


def test_publishing_a_meeting_shows_at_once(city, client):
    """Publishing uses QuerySet.update(), which no model signal reports."""
    meeting = MeetingFactory(district=city.district, title="秋の防災会議", unpublished=True)
    district_page = f"/districts/{city.district.slug}/"
    calendar = f"/districts/{city.district.slug}/meetings.ics"
    assert "秋の防災会議" not in client.get("/meetings/").content.decode()
    assert client.get(f"/meetings/{meeting.pk}/").status_code == 404
    assert "秋の防災会議" not in client.get(calendar).content.decode()
    client.get(district_page)

    set_meetings_published(meetings=[meeting], published=True, by=StaffUserFactory())

    assert "秋の防災会議" in client.get("/meetings/").content.decode()
    assert client.get(f"/meetings/{meeting.pk}/").status_code == 200
    assert "秋の防災会議" in client.get(calendar).content.decode()


def test_a_council_introduction_changed_through_its_service_shows_at_once(city, client):
    path = f"/districts/{city.district.slug}/"
    assert "新しい紹介文です。" not in client.get(path).content.decode()
    council = city.council
    update_council_profile(
        council=council,
        by=city.coordinator,
        data={
            "introduction": "新しい紹介文です。",
            "contact_name": council.contact_name,
            "contact_phone": council.contact_phone,
            "contact_email": council.contact_email,
        },
    )
    assert "新しい紹介文です。" in client.get(path).content.decode()


def test_an_adjusted_allocation_shows_at_once(city, client):
    path = f"/grants/{city.year.fiscal_year}/"
    csv = f"/grants/{city.year.fiscal_year}/grants.csv"
    assert "1,050,000" not in client.get(path).content.decode()
    assert "1050000" not in text(client.get(csv))
    adjust_allocation(allocation=city.allocation, adjustment=50_000, reason="防犯灯の増設")
    assert "1,050,000" in client.get(path).content.decode()
    assert "1050000" in text(client.get(csv))
    assert "1,050,000" in client.get(f"/districts/{city.district.slug}/").content.decode()


def test_an_approved_application_shows_at_once(city, client):
    application, _coordinator, staff = application_in(State.RECOMMENDED, year=city.year)
    path = f"/grants/{city.year.fiscal_year}/"
    district_page = f"/districts/{application.council.district.slug}/"
    assert "555,000" not in client.get(path).content.decode()
    assert "555,000" not in client.get(district_page).content.decode()
    decisions.approve(
        application=application,
        by=staff.approver,
        granted_amount=555_000,
        decision_number="み協第1号",
        decided_on=timezone.localdate(),
    )
    assert "555,000" in client.get(path).content.decode()
    assert "555,000" in client.get(district_page).content.decode()


def test_statistics_and_liaison_changes_show_at_once(city, client):
    path = f"/districts/{city.district.slug}/"
    client.get(path)
    DistrictStatisticFactory(district=city.district, population=12_345, as_of=dt.date(2025, 4, 1))
    LiaisonAssignmentFactory(district=city.district, public_name="地域担当 鈴木")
    page = client.get(path).content.decode()
    assert "12,345" in page
    assert "地域担当 鈴木" in page


def test_bulk_updates_links_and_deletes_show_at_once(city, client):
    path = f"/organizations/{city.group.pk}/"
    client.get("/organizations/")
    client.get(path)
    Organization.objects.filter(pk=city.group.pk).update(name="桜台自治会連合")
    assert "桜台自治会連合" in client.get("/organizations/").content.decode()

    other = DistrictFactory(name="みどり第九十九小学校区")
    other_page = f"/districts/{other.slug}/"
    assert "桜台自治会連合" not in client.get(other_page).content.decode()
    city.group.districts.add(other)  # many-to-many: no row of Organization changes
    assert "桜台自治会連合" in client.get(other_page).content.decode()

    Organization.objects.filter(pk=city.group.pk).delete()
    assert client.get(path).status_code == 404


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_write_in_a_transaction_bumps_again_when_it_commits():
    before = page_cache.current_version()
    with transaction.atomic():
        OrganizationFactory(name="一つ目")
        OrganizationFactory(name="二つ目")
        during = page_cache.current_version()
        waiting = [
            entry for entry in connection.run_on_commit if entry[1] is page_cache._bump_version
        ]
    after = page_cache.current_version()
    # Readers sharing the connection see the change at once; every other process only after
    # the commit, and a page stored from the old data meanwhile is left behind.
    assert before != during != after
    assert len(waiting) == 1, "one bump at commit, however many writes"


def test_writes_to_private_tables_leave_the_cache_alone(city):
    before = page_cache.current_version()
    SessionStore().create()
    StaffUserFactory()
    assert page_cache.current_version() == before


# Nothing personal ---------------------------------------------------------------------------


def test_signed_in_users_get_fresh_pages_that_are_never_stored(city, client):
    name = person_name(city.coordinator)
    anonymous_page = client.get("/").content.decode()
    client.force_login(city.coordinator)
    for _visit in range(2):
        count, page = queries_for(client, "/")
        assert count > 0, "a signed-in user was served from the cache"
        assert name in page
        assert "/accounts/logout/" in page
    assert page != anonymous_page

    client.logout()
    cache.clear()
    client.force_login(city.coordinator)
    client.get(f"/districts/{city.district.slug}/")
    client.logout()
    count, page = queries_for(client, f"/districts/{city.district.slug}/")
    assert count > 0, "the signed-in user's page was stored"
    assert name not in page
    assert "/accounts/logout/" not in page
    assert "csrfmiddlewaretoken" not in page


def test_public_pages_carry_no_csrf_token(city, client):
    for name in ("overview", "district", "meetings", "grant-year"):
        response = client.get(PAGES[name](city))
        assert "csrfmiddlewaretoken" not in response.content.decode(), name
        assert settings.CSRF_COOKIE_NAME not in response.cookies, name


def anonymous_request(path: str = "/somewhere/", *, session_cookie: bool = False):
    """A request as the middleware inside PublicPageCacheMiddleware leave it."""
    request = RequestFactory().get(path)
    if session_cookie:
        request.COOKIES[settings.SESSION_COOKIE_NAME] = "abc"
    request.user = AnonymousUser()
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return request


def counting_view(make_response):
    calls = []

    @page_cache.public_page
    def view(request):
        calls.append(request)
        return make_response(request)

    return page_cache.PublicPageCacheMiddleware(view), calls


def with_cookie(request):
    response = HttpResponse("hello")
    response.set_cookie("chosen", "1")
    return response


def with_session_change(request):
    request.session["seen"] = True
    return HttpResponse("hello")


def with_csrf_token(request):
    return HttpResponse(f"token {get_token(request)}")


def with_message(request):
    add_message(request, constants.INFO, "saved")
    return HttpResponse("hello")


def not_found(request):
    raise Http404


@pytest.mark.parametrize(
    "make_response",
    [
        with_cookie,
        with_session_change,
        with_csrf_token,
        with_message,
        never_cache(lambda request: HttpResponse("hello")),
        lambda request: HttpResponse("hello", headers={"Cache-Control": "private"}),
        lambda request: HttpResponse("hello", headers={"Cache-Control": "no-store"}),
        lambda request: HttpResponseRedirect("/elsewhere/"),
        lambda request: HttpResponse("gone", status=410),
    ],
    ids=[
        "cookie",
        "session",
        "csrf",
        "message",
        "never-cache",
        "private",
        "no-store",
        "redirect",
        "410",
    ],
)
def test_responses_that_could_be_personal_are_not_stored(make_response):
    view, calls = counting_view(make_response)
    view(anonymous_request())
    view(anonymous_request())
    assert len(calls) == 2


def test_a_cookie_set_by_a_later_middleware_is_never_stored():
    calls = []

    @page_cache.public_page
    def view(request):
        calls.append(request)
        return HttpResponse("hello")

    def inner_middleware(request):
        response = view(request)
        response.set_cookie("visitor", "42")
        return response

    answer = page_cache.PublicPageCacheMiddleware(inner_middleware)
    answer(anonymous_request())
    answer(anonymous_request())
    assert len(calls) == 2


def test_a_raised_404_is_not_stored():
    view, calls = counting_view(not_found)
    for _attempt in range(2):
        with pytest.raises(Http404):
            view(anonymous_request())
    assert len(calls) == 2


def test_a_plain_page_is_stored_and_served_without_the_view():
    view, calls = counting_view(lambda request: HttpResponse("hello", content_type="text/plain"))
    first = view(anonymous_request())
    second = view(anonymous_request())
    assert len(calls) == 1
    assert second.content == first.content == b"hello"
    assert second["Content-Type"] == "text/plain"


def test_a_message_waiting_in_the_session_gets_a_fresh_page():
    view, calls = counting_view(lambda request: HttpResponse("hello"))
    view(anonymous_request())
    request = anonymous_request(session_cookie=True)
    add_message(request, constants.SUCCESS, "signed out")
    view(request)
    assert len(calls) == 2


def test_a_message_waiting_in_its_cookie_is_shown_not_a_cached_page(city, client):
    path = f"/districts/{city.district.slug}/"
    cached = client.get(path).content.decode()
    storage = CookieStorage(RequestFactory().get("/"))
    client.cookies[CookieStorage.cookie_name] = storage._encode(
        [Message(constants.SUCCESS, "お知らせを表示しました。")]
    )
    count, page = queries_for(client, path)
    assert count > 0
    assert "お知らせを表示しました。" in page
    # The message was shown once; the next visit is the cached page again.
    assert client.get(path).content.decode() == cached


def test_a_signed_in_request_neither_reads_nor_stores():
    view, calls = counting_view(lambda request: HttpResponse(f"hello {request.user}"))
    view(anonymous_request())
    signed_in = anonymous_request(session_cookie=True)
    signed_in.user = SimpleNamespace(is_authenticated=True)
    assert view(signed_in).content.startswith(b"hello namespace")
    assert view(anonymous_request()).content == b"hello AnonymousUser"
    assert len(calls) == 2


def test_anonymous_visitors_with_a_session_cookie_are_served_by_the_decorator():
    view, calls = counting_view(lambda request: HttpResponse("hello"))
    view(anonymous_request(session_cookie=True))
    assert view(anonymous_request(session_cookie=True)).content == b"hello"
    assert view(anonymous_request()).content == b"hello"
    assert len(calls) == 1


def test_a_stream_cut_short_is_not_stored():
    view, calls = counting_view(
        lambda request: StreamingHttpResponse(iter([b"a,b\n", b"1,2\n"]), content_type="text/csv")
    )
    next(iter(view(anonymous_request()).streaming_content))
    response = view(anonymous_request())
    assert b"".join(response.streaming_content) == b"a,b\n1,2\n"
    assert view(anonymous_request()).content == b"a,b\n1,2\n"
    assert len(calls) == 2


@pytest.mark.parametrize("streamed", [False, True], ids=["plain", "streamed"])
def test_a_page_over_the_size_limits_is_served_but_not_stored(streamed, monkeypatch):
    """Stored only while it is at most MAX_PAGE_BYTES as rendered and MAX_STORED_BYTES gzipped."""
    monkeypatch.setattr(page_cache, "MAX_PAGE_BYTES", 4000)
    monkeypatch.setattr(page_cache, "MAX_STORED_BYTES", 600)
    pages = {
        "/compressible/": b"x" * 4000,  # 4,000 bytes rendered, a few dozen gzipped
        "/too-long/": b"x" * 4001,  # compresses as well, but is longer than a page may be
        "/incompressible/": secrets.token_bytes(1000),  # gzip cannot bring it under 600
    }

    def make_response(request):
        content = pages[request.path]
        if streamed:
            return StreamingHttpResponse(iter([content[:6], content[6:]]))
        return HttpResponse(content)

    view, calls = counting_view(make_response)
    for path, content in pages.items():
        # Every visitor gets the whole page, whatever is stored.
        assert body(view(anonymous_request(path))) == content
    stored = {
        path: cache.get(page_cache.page_key(anonymous_request(path))) is not None for path in pages
    }
    assert stored == {"/compressible/": True, "/too-long/": False, "/incompressible/": False}
    assert body(view(anonymous_request("/compressible/"))) == pages["/compressible/"]
    assert len(calls) == 3


def test_a_stored_page_is_served_gzipped_to_who_accepts_it_and_plain_to_others(city, client):
    path = f"/districts/{city.district.slug}/"
    cache.clear()
    first = client.get(path, HTTP_ACCEPT_ENCODING="gzip")
    # Whoever has the page rendered gets it as everyone after them will: gzipped.
    assert first["Content-Encoding"] == "gzip"
    assert first["Content-Length"] == str(len(first.content))
    cache.clear()
    rendered = client.get(path)
    assert "Accept-Encoding" in rendered["Vary"]
    plain = client.get(path)
    zipped = client.get(path, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert plain.content == rendered.content
    assert "Content-Encoding" not in plain
    assert zipped["Content-Encoding"] == "gzip"
    assert gzip.decompress(zipped.content) == rendered.content
    assert len(zipped.content) < len(rendered.content) / 2
    for response in (plain, zipped):
        assert response["Content-Length"] == str(len(response.content))
        assert "Accept-Encoding" in response["Vary"]
        assert response["Content-Type"] == rendered["Content-Type"]
    assert gzip.decompress(first.content) == rendered.content


def test_the_city_calendar_fits_the_cache_once_gzipped(client, settings):
    """The largest public page: thousands of events, well over the limit until compressed."""
    district = DistrictFactory()
    start = timezone.now() + dt.timedelta(days=1)
    MeetingFactory.create_batch(
        3000,
        district=district,
        is_published=True,
        starts_at=start,
        agenda="議題：防災訓練の日程、夏祭りの役割分担、回覧板の電子化について" * 3,
    )
    first = client.get("/meetings/calendar.ics")
    assert len(first.content) > page_cache.MAX_STORED_BYTES
    with CaptureQueriesContext(connection) as queries:
        again = client.get("/meetings/calendar.ics", HTTP_ACCEPT_ENCODING="gzip")
    assert len(queries) == 0
    assert gzip.decompress(again.content) == first.content


def test_a_cache_outage_neither_breaks_pages_nor_writes(city, client, monkeypatch):
    class BrokenCache:
        def __getattr__(self, name):
            def fail(*args, **kwargs):
                raise ConnectionError("cache down")

            return fail

    monkeypatch.setattr(page_cache, "cache", BrokenCache())
    assert client.get(f"/districts/{city.district.slug}/").status_code == 200
    OrganizationFactory(name="停止中でも保存")
    assert Organization.objects.filter(name="停止中でも保存").exists()


# Configuration -------------------------------------------------------------------------------


def test_cache_backend_comes_from_cache_url():
    assert cache_config("")["BACKEND"].endswith("LocMemCache")
    redis = cache_config("redis://cache.internal:6379/1")
    assert redis == {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://cache.internal:6379/1",
    }
    assert cache_config("rediss://cache.internal:6380/0")["BACKEND"].endswith("RedisCache")
    memcached = cache_config("memcached://a.internal:11211,b.internal:11211")
    assert memcached["BACKEND"] == "django.core.cache.backends.memcached.PyMemcacheCache"
    assert memcached["LOCATION"] == ["a.internal:11211", "b.internal:11211"]
    assert cache_config("memcached:///run/memcached.sock")["LOCATION"] == [
        "unix:/run/memcached.sock"
    ]
    with pytest.raises(ImproperlyConfigured):
        cache_config("mysql://nope")


def test_pages_expire_after_the_configured_time(city, client, settings, monkeypatch):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 123
    stored = []
    real_set = cache.set
    monkeypatch.setattr(
        page_cache.cache,
        "set",
        lambda key, value, timeout: stored.append(timeout) or real_set(key, value, timeout),
    )
    client.get("/accessibility/")
    assert stored == [123]


def test_zero_seconds_turns_the_page_cache_off(city, client, settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    client.get("/districts/")
    count, _page = queries_for(client, "/districts/")
    assert count > 0
