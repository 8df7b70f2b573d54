"""Anonymous public pages served from Django's cache, invalidated when public records change.

Residents read far more than anyone writes, so a public page is rendered once and then served
from the cache to every anonymous visitor who asks for the same address in the same language.
Views opt in with @public_page; PublicPageCacheMiddleware, right after WhiteNoise, stores the
finished page and answers visitors without a session cookie before any other middleware runs,
so a stored page costs about what a static file does. Three rules keep that safe:

- Only anonymous GET/HEAD requests are looked up or stored. Signed-in users always get a fresh
  page, and nothing rendered for them is stored. A page is stored only when rendering it left
  nothing personal behind: no cookie set, no CSRF token used, no session change, no flash
  message shown, no ``Cache-Control: private/no-store/no-cache``; only with status 200, and
  only up to MAX_STORED_BYTES gzipped (a larger page is served as usual, rendered for each
  visitor). Stored pages are served gzipped to visitors who accept it.
- Every stored page carries the "public records version" read before it was rendered. Any
  write to a table of the apps whose records residents see bumps that version, so every stored
  page is out of date at once; entries also expire after PUBLIC_PAGE_CACHE_SECONDS, the
  backstop for what changes with time alone, such as a meeting moving from "upcoming" to
  "past".
- Writes are noticed at the database cursor, not through model signals. Signals miss
  ``QuerySet.update()``, ``bulk_create()``, ``bulk_update()`` and raw SQL, which the services,
  the admin and the management commands use, and listening to ``post_delete`` or
  ``m2m_changed`` would make Django fetch rows before deleting or linking them, changing every
  such query plan. The cursor sees every INSERT, UPDATE and DELETE, whoever issues it.

The version is bumped at once (so a request sharing the connection sees its own change) and
again when the transaction commits: a page rendered from the old data by another process while
the transaction was open must not be taken for current under the version the first bump made.
"""

import functools
import gzip
import hashlib
import logging
import re
import secrets

from django.apps import apps
from django.conf import settings
from django.contrib.messages import get_messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections
from django.http import HttpResponse
from django.utils.cache import cc_delim_re, patch_vary_headers

logger = logging.getLogger(__name__)

# The apps whose records public pages show. A write to any of their tables, including the
# tables behind many-to-many fields, makes every cached page out of date.
PUBLIC_RECORD_APPS = ("districts", "organizations", "plans", "subsidies")

VERSION_KEY = "public-pages:version"
PAGE_KEY_PREFIX = "public-pages:page"
# Pages are stored gzipped, and served so to visitors whose browser or calendar app accepts it
# (nearly all): a page of HTML or iCalendar shrinks five to twenty times. A stored entry's body
# may take up to MAX_STORED_BYTES: memcached refuses items over 1 MB by default, and a large
# body copied into every worker's local-memory cache would crowd out the pages asked for most.
MAX_STORED_BYTES = 900 * 1024
# Only a page up to this size before compression is considered at all: a streamed response is
# collected in memory to be stored, and it was streamed to save memory.
MAX_PAGE_BYTES = 8 * 1024 * 1024
_ACCEPTS_GZIP = re.compile(r"\bgzip\b")
CACHE_CONTROL_REFUSED = {"private", "no-store", "no-cache"}

_WRITE_STATEMENT = re.compile(
    r"\s*(?:INSERT\s+(?:OR\s+\w+\s+|IGNORE\s+)?INTO|UPDATE|DELETE\s+FROM)\s+[\"`]?(\w+)",
    re.IGNORECASE,
)
_public_tables: frozenset[str] = frozenset()


# The public records version -------------------------------------------------------------------


def _fresh_version() -> int:
    # Random rather than 1: if the version key is evicted, a counter restarting from 1 would
    # make pages stored under the old 1, 2, 3 … current again.
    return secrets.randbelow(2**48)


def current_version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, _fresh_version(), timeout=None)
        version = cache.get(VERSION_KEY)
    return version


def _bump_version() -> None:
    try:
        try:
            cache.incr(VERSION_KEY)
        except ValueError:
            # Missing (first write, or evicted): any fresh value is a new version.
            cache.add(VERSION_KEY, _fresh_version(), timeout=None)
    except Exception:
        # A cache outage must not fail the write; stored pages then expire by their timeout.
        logger.exception("Could not bump the public records version.")


# for_current_version(..., memo=True): this process's copies, by key: (version, value).
_memo: dict[str, tuple[int, object]] = {}


def for_current_version(key: str, build, *, timeout: int = 24 * 60 * 60, memo: bool = False):
    """A value computed from the public records, built once and kept until they change (and
    for `timeout` seconds at most): the district filter's options, the maps, the finder's index.

    With memo, the process also keeps its own copy for the current version, so a large value
    is not read (unpickled) from the cache on every request. If the cache cannot be read or
    written, the value is built for the request.
    """
    try:
        version = current_version()
    except Exception:
        logger.exception("Could not read the public records version; %s not cached.", key)
        return build()
    if memo and key in _memo and _memo[key][0] == version:
        return _memo[key][1]
    full_key = f"public-pages:data:{version}:{key}"
    try:
        value = cache.get(full_key)
    except Exception:
        logger.exception("Could not read %s from the cache.", key)
        value = None
    if value is None:
        value = build()
        try:
            cache.set(full_key, value, timeout)
        except Exception:
            logger.exception("Could not store %s in the cache.", key)
    if memo:
        _memo[key] = (version, value)
    return value


def public_records_changed(using: str = DEFAULT_DB_ALIAS) -> None:
    """Make every cached public page out of date, now and when the open transaction commits.

    Called for every write to a public table; call it yourself only for a change the database
    cannot see (none today).
    """
    _bump_version()
    connection = connections[using]
    if connection.in_atomic_block and not any(
        entry[1] is _bump_version for entry in connection.run_on_commit
    ):
        connection.on_commit(_bump_version)


def _watch_writes(execute, sql, params, many, context):
    result = execute(sql, params, many, context)
    match = _WRITE_STATEMENT.match(sql) if isinstance(sql, str) else None
    if match and match.group(1) in _public_tables:
        public_records_changed(context["connection"].alias)
        from .search import records_written

        records_written(context["connection"].alias)
    return result


def watch_connection(connection, **kwargs) -> None:
    """Install the write watcher on a database connection (the connection_created receiver).

    First in the list, so a ``with connection.execute_wrapper(...)`` block that is open when
    the connection (re)connects still pops its own wrapper, not this one.
    """
    if _watch_writes not in connection.execute_wrappers:
        connection.execute_wrappers.insert(0, _watch_writes)


def start_watching() -> None:
    """Learn the public tables and watch every connection, open now or opened later."""
    from django.db.backends.signals import connection_created

    global _public_tables
    _public_tables = frozenset(
        model._meta.db_table
        for label in PUBLIC_RECORD_APPS
        for model in apps.get_app_config(label).get_models(include_auto_created=True)
    )
    connection_created.connect(watch_connection, dispatch_uid="core.cache.watch_connection")
    for connection in connections.all(initialized_only=True):
        watch_connection(connection)


# The page cache -----------------------------------------------------------------------------


def page_language(request) -> str:
    """The page's language as CookieLocaleMiddleware picks it: the language cookie, else
    Japanese. Known before that middleware runs, so a page can be served ahead of it."""
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    return chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


@functools.cache
def _release() -> str:
    # Pages of the previous release name static files (hashed names) a new release may no
    # longer have; the manifest's hash keeps the two releases' pages apart.
    return getattr(staticfiles_storage, "manifest_hash", "") or ""


def page_key(request) -> str:
    """Scheme, host, path and query string, and the page's language.

    The records version is kept inside the entry, not in the key, so one read (get_many)
    fetches both, and a page stored again replaces its out-of-date copy instead of leaving it
    to expire.
    """
    # Outside the cache's error handling: a Host header not in ALLOWED_HOSTS is refused (400)
    # as it would be without the cache, not logged as a cache failure.
    address = hashlib.sha256(request.build_absolute_uri().encode()).hexdigest()
    return f"{PAGE_KEY_PREFIX}:{_release()}:{page_language(request)}:{address}"


def _lookup(request):
    """(key, version, stored entry or None); key None when the cache cannot be read."""
    key = page_key(request)
    try:
        found = cache.get_many([VERSION_KEY, key])
        version = found.get(VERSION_KEY)
        if version is None:
            version = current_version()
    except Exception:
        logger.exception("Could not read a public page from the cache.")
        return None, None, None
    entry = found.get(key)
    return key, version, (entry if entry is not None and entry[0] == version else None)


def _accepts_gzip(request) -> bool:
    return bool(_ACCEPTS_GZIP.search(request.META.get("HTTP_ACCEPT_ENCODING", "")))


def _stored_response(request, entry) -> HttpResponse:
    """The stored page: as stored (gzip) when the visitor accepts it, else decompressed."""
    _version, status, headers, compressed = entry
    if _accepts_gzip(request):
        response = HttpResponse(compressed, status=status)
        response["Content-Encoding"] = "gzip"
    else:
        response = HttpResponse(gzip.decompress(compressed), status=status)
    for name, value in headers:
        response[name] = value
    response["Content-Length"] = str(len(response.content))
    return response


def _store(key: str, version: int, status: int, headers, content: bytes) -> bytes | None:
    """Store the page gzipped; the gzipped body, or None when the page is over the limits."""
    if len(content) > MAX_PAGE_BYTES:
        return None
    # mtime=0: the same page compresses to the same bytes, whenever it is stored.
    compressed = gzip.compress(content, compresslevel=6, mtime=0)
    if len(compressed) > MAX_STORED_BYTES:
        return None
    # Its length is the body's as served, set when it is served.
    headers = [(name, value) for name, value in headers if name.lower() != "content-length"]
    try:
        cache.set(key, (version, status, headers, compressed), settings.PUBLIC_PAGE_CACHE_SECONDS)
    except Exception:
        logger.exception("Could not store a public page in the cache.")
    return compressed


def _store_while_streaming(chunks, key: str, version: int, status: int, headers):
    collected: list[bytes] | None = []
    size = 0
    for chunk in chunks:
        if collected is not None:
            size += len(chunk)
            if size <= MAX_PAGE_BYTES:
                collected.append(chunk)
            else:
                collected = None
        yield chunk
    # Reached only when the whole stream was sent, never for a download cut short.
    if collected is not None:
        _store(key, version, status, headers, b"".join(collected))


def _has_pending_messages(request) -> bool:
    # A flash message is shown on whatever page comes next; that page is the visitor's own.
    return hasattr(request, "_messages") and len(get_messages(request)) > 0


def _cache_control_allows(response) -> bool:
    directives = {
        directive.split("=", 1)[0].strip().lower()
        for directive in cc_delim_re.split(response.get("Cache-Control", ""))
    }
    return not directives & CACHE_CONTROL_REFUSED


def _left_nothing_personal(request, response) -> bool:
    """What the view did: no cookie, no CSRF token, no session change, no message shown."""
    if response.cookies or request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return False
    session = getattr(request, "session", None)
    if session is not None and session.modified:
        return False
    return _cache_control_allows(response) and not _has_pending_messages(request)


def public_page(view):
    """Serve an anonymous visitor's GET from the cache; mark the page rendered for one to be
    stored by PublicPageCacheMiddleware once every middleware has added its headers.

    For public views only (with @login_not_required and @require_safe). Most visitors are
    answered by the middleware before this runs; this serves the rest (a visitor whose session
    cookie the middleware cannot judge) once the session shows they are not signed in.
    """

    @functools.wraps(view)
    def cached_view(request, *args, **kwargs):
        # Reading request.user marks the session accessed, so the stored page carries the
        # "Vary: Cookie" every anonymous page has.
        if (
            request.method not in ("GET", "HEAD")
            or settings.PUBLIC_PAGE_CACHE_SECONDS <= 0
            or request.user.is_authenticated
            or _has_pending_messages(request)
        ):
            return view(request, *args, **kwargs)
        key, version, entry = _lookup(request)
        if entry is not None:
            return _stored_response(request, entry)
        response = view(request, *args, **kwargs)
        # The stored copy is served gzipped to some visitors and plain to others.
        patch_vary_headers(response, ("Accept-Encoding",))
        if (
            key is not None
            # Stored from GET only: whatever strips a HEAD response's body must not empty it.
            and request.method == "GET"
            and response.status_code == 200
            and _left_nothing_personal(request, response)
        ):
            # The version read before the view ran: a change made while it rendered leaves
            # this copy out of date, never current.
            request.public_page_store = (key, version)
        return response

    return cached_view


class PublicPageCacheMiddleware:
    """Answers anonymous visitors from the cache ahead of the session, CSRF, auth and CSP
    middleware, and stores the finished pages public_page marked.

    Place it right after WhiteNoise: what comes after it is stored with the page (the CSP and
    frame headers, Content-Language, Vary), what comes before runs for every answer.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.PUBLIC_PAGE_CACHE_SECONDS <= 0:
            return self.get_response(request)
        if (
            request.method in ("GET", "HEAD")
            # Without a session cookie the visitor cannot be signed in or have a message
            # waiting in the session; a message in its own cookie is checked here too.
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and CookieStorage.cookie_name not in request.COOKIES
        ):
            _key, _version, entry = _lookup(request)
            if entry is not None:
                return _stored_response(request, entry)
        response = self.get_response(request)
        store = getattr(request, "public_page_store", None)
        if (
            store is None
            or response.status_code != 200
            or response.cookies
            or not _cache_control_allows(response)
        ):
            return response
        key, version = store
        headers = list(response.items())
        if not response.streaming:
            compressed = _store(key, version, response.status_code, headers, response.content)
            if compressed is not None and _accepts_gzip(request):
                # The visitor who had it rendered gets what the next ones will get.
                response.content = compressed
                response["Content-Encoding"] = "gzip"
                response["Content-Length"] = str(len(compressed))
        elif not response.is_async:
            response.streaming_content = _store_while_streaming(
                response.streaming_content, key, version, response.status_code, headers
            )
        return response
