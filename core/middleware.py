from urllib.parse import unquote

from django.conf import settings
from django.core.exceptions import BadRequest
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


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


class RefuseUnreadableInputMiddleware:
    """Answers 400 to a request the site cannot read, before any view or the CSRF check does.

    - A NUL character anywhere in the query string: PostgreSQL refuses it in any text it is
      given, so a change-list filter, a search or an autocomplete term holding one would fail
      inside the database. Forms refuse NUL in what is posted with a message beside the field.
    - A form posted in a character set other than UTF-8 (``charset=utf-16``): Django refuses to
      read it, and every later reading of the form (the CSRF check, the error pages' own CSRF
      handling) would fail again; the form is marked unreadable once, so the 400 page is shown.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in unquote(request.META.get("QUERY_STRING", "")):
            raise BadRequest("The query string contains a NUL character.")
        if request.method == "POST" and request.content_type == "application/x-www-form-urlencoded":
            try:
                request.POST  # noqa: B018 — read once, here, where a failure can be answered
            except BadRequest:
                request._mark_post_parse_error()
                raise
        return self.get_response(request)
