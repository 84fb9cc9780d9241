"""Which language a person reads: one policy for every email and notice Veche sends."""

from django.conf import settings
from django.utils import translation


def supported(language):
    codes = {code for code, _name in settings.LANGUAGES}
    if not language:
        return None
    language = language.lower()
    if language in codes:
        return language
    base = language.split("-")[0]
    return base if base in codes else None


def email_language(*, user=None, request=None, page=None):
    """The recipient's profile language; else the language of the page or request where they acted; else the
    site's default language. Never the language of whoever happens to trigger the email (a moderator)."""
    profile = getattr(user, "profile", None) if user is not None and getattr(user, "is_authenticated", False) else None
    for candidate in (
        getattr(profile, "language", None),
        getattr(getattr(page, "locale", None), "language_code", None),
        getattr(request, "LANGUAGE_CODE", None) if request is not None else None,
    ):
        language = supported(candidate)
        if language:
            return language
    return supported(settings.LANGUAGE_CODE) or translation.get_language() or settings.LANGUAGE_CODE
