import time

from django.conf import settings
from django.core.exceptions import BadRequest
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.cache import patch_cache_control


class CookieLocaleMiddleware(LocaleMiddleware):
    """Japanese unless the visitor chose English with the switch in the header.

    The browser's Accept-Language is not consulted: the city's portal opens in Japanese for
    everyone, and the choice made with the switch is remembered in the language cookie.
    """

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = {code for code, _ in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


def _signed_in(request) -> bool:
    """Whether the request is a signed-in user's, without reading the session of a visitor
    who has none (that would add "Vary: Cookie" to anonymous pages that have none today)."""
    if not hasattr(request, "user"):
        return False
    session = getattr(request, "session", None)
    if settings.SESSION_COOKIE_NAME not in request.COOKIES and not (
        session is not None and session.modified
    ):
        return False
    return request.user.is_authenticated


# A staff session's end is pushed on at most this often: saving the session on every request
# would cost a database write per page. The idle time allowed is thus between
# STAFF_SESSION_IDLE_SECONDS less this and STAFF_SESSION_IDLE_SECONDS.
STAFF_SESSION_RENEW_SECONDS = 5 * 60
_RENEWED_KEY = "staff_session_renewed"


def renew_staff_session(request, *, force: bool = False) -> None:
    """End a staff user's session STAFF_SESSION_IDLE_SECONDS from now (saving it), unless that
    was done in the last STAFF_SESSION_RENEW_SECONDS."""
    now = int(time.time())
    renewed = request.session.get(_RENEWED_KEY)
    if force or not isinstance(renewed, int) or now - renewed >= STAFF_SESSION_RENEW_SECONDS:
        request.session.set_expiry(settings.STAFF_SESSION_IDLE_SECONDS)
        request.session[_RENEWED_KEY] = now


def staff_signed_in(sender, request, user, **kwargs) -> None:
    """The user_logged_in receiver: a staff session is short from the start."""
    if request is not None and user.is_staff and hasattr(request, "session"):
        renew_staff_session(request, force=True)


class SignedInMiddleware:
    """What every answer to a signed-in user carries.

    - ``Cache-Control: private, no-store``: pages, downloads and exports show what only this
      user may see, and must not stay in a shared proxy's or the browser's cache after signing
      out. Anonymous answers are left as they are (the public page cache relies on theirs).
    - For staff, a session that ends STAFF_SESSION_IDLE_SECONDS after the last request (see
      renew_staff_session). Other users keep the session length they signed in with.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if _signed_in(request):
            patch_cache_control(response, private=True, no_store=True)
            if request.user.is_staff:
                renew_staff_session(request)
        return response


class RefuseUnreadableFormMiddleware:
    """Answers 400 to a form posted in a character set other than UTF-8 (``charset=utf-16``),
    before any view or the CSRF check reads it.

    Django refuses to read such a form, and every later reading (the CSRF check, the error
    pages' own CSRF handling) would fail again, ending in a 500 even for an anonymous visitor;
    the form is marked unreadable once, so the 400 page is shown.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "POST" and request.content_type == "application/x-www-form-urlencoded":
            try:
                request.POST  # noqa: B018 — read once, here, where a failure can be answered
            except BadRequest:
                request._mark_post_parse_error()
                raise
        return self.get_response(request)
