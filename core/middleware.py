from django.conf import settings
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


class SignedInMiddleware:
    """What every answer to a signed-in user carries.

    - ``Cache-Control: private, no-store``: pages, downloads and exports show what only this
      user may see, and must not stay in a shared proxy's or the browser's cache after signing
      out. Anonymous answers are left as they are (the public page cache relies on theirs).
    - For staff, a session that ends STAFF_SESSION_IDLE_SECONDS after the last request: the
      expiry is set again on each answer, so the session is saved and its cookie renewed.
      Other users keep the session length they signed in with.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if _signed_in(request):
            patch_cache_control(response, private=True, no_store=True)
            if request.user.is_staff:
                request.session.set_expiry(settings.STAFF_SESSION_IDLE_SECONDS)
        return response
