from django.conf import settings
from django.utils import translation
from django.utils.functional import SimpleLazyObject
from wagtail.models import Locale, Page, Site


def _main_menu(request):
    site = Site.find_for_request(request)
    if site is None:
        return []
    home = site.root_page
    try:
        home = home.get_translation(Locale.get_active())
    except (Page.DoesNotExist, Locale.DoesNotExist):
        pass
    return list(home.get_children().live().public().in_menu())


def site_shell(request):
    """What every page's header and footer need: languages, the main menu, map tile settings."""
    return {
        "LANGUAGE_CHOICES": settings.LANGUAGES,
        "MAP_TILE_URL": settings.MAP_TILE_URL,
        "MAP_TILE_ATTRIBUTION": settings.MAP_TILE_ATTRIBUTION,
        "current_language": translation.get_language(),
        "main_menu": SimpleLazyObject(lambda: _main_menu(request)),
    }
