"""Shared fixtures. The suite runs on SQLite by default, on PostgreSQL when DATABASE_URL is set."""

import os

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command

from tests.factories.site import locales as _locales
from tests.factories.users import CitizenFactory, EditorFactory, ModeratorFactory
import django
from wagtail.models import Site

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop


def pytest_configure(config):
    # Translations are compiled before the run (make test does it too), so tests see real translations.
    django.setup()
    call_command("compile_translations", verbosity=0)


@pytest.fixture(autouse=True)
def _clean_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def locales(db):
    return _locales()


@pytest.fixture
def home_page(db, locales):
    return Site.objects.get(is_default_site=True).root_page.specific


@pytest.fixture
def citizen(db):
    return CitizenFactory()


@pytest.fixture
def editor(db):
    return EditorFactory()


@pytest.fixture
def moderator(db):
    return ModeratorFactory()


def pytest_report_header(config):
    chromium = os.environ.get("VECHE_CHROMIUM", "/usr/bin/chromium")
    database = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    if os.path.exists(chromium):
        browser = f"browser tests: Chromium at {chromium}"
    elif os.environ.get("VECHE_REQUIRE_BROWSER") == "1":
        browser = f"browser tests: REQUIRED but no Chromium at {chromium}: they will fail"
    else:
        browser = f"browser tests: skipped, no Chromium at {chromium} (install it: sudo apt-get install chromium)"
    return [f"database: {database}", browser]
