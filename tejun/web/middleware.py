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
