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
