import time

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class LanguageMiddleware(LocaleMiddleware):
    """Pages are Japanese unless the person chose English (the language cookie set by the switch).

    A browser's Accept-Language is ignored for pages: an office PC set up in English must
    not turn the clerk's forms English. The API honours Accept-Language, so scripts can ask
    for English error messages.
    """

    def process_request(self, request):
        if request.path.startswith("/api/"):
            return super().process_request(request)
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in dict(settings.LANGUAGES):
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language


class IdleSessionMiddleware:
    """Keep an active person's session alive: SESSION_COOKIE_AGE counts from the last activity.

    The session is marked modified (and so written, with a new expiry) when a minute has passed
    since it was last written; the idle limit is thus exact to the minute, at one write per minute.
    """

    KEY = "_tejun_seen"
    EVERY_SECONDS = 60

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is not None and not session.is_empty():
            now = int(time.time())
            if now - int(session.get(self.KEY, 0)) >= self.EVERY_SECONDS:
                session[self.KEY] = now
        return response
