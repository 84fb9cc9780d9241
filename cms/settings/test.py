"""Test settings: fast, isolated, no network. DATABASE_URL chooses SQLite (default) or PostgreSQL."""

import os

from .base import *  # noqa: F401,F403

SECRET_KEY = "test-insecure-key"
# Tests that need a public address set it themselves (tests/cms/test_base_url.py); the Site stays localhost:80.
VECHE_BASE_URL = ""
WAGTAILADMIN_BASE_URL = "http://testserver"
DEBUG = False
ALLOWED_HOSTS = ["*"]
if "DATABASE_URL" not in os.environ:
    # A file, not shared in-memory SQLite: the browser tests' live server then uses its own connection with a
    # busy timeout, instead of failing with "table is locked" when a request overlaps the flush between tests.
    (BASE_DIR / "var").mkdir(exist_ok=True)  # noqa: F405
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": BASE_DIR / "var" / "test.sqlite3",  # noqa: F405
            "OPTIONS": {"timeout": 30},
            "TEST": {"NAME": str(BASE_DIR / "var" / "test-db.sqlite3")},  # noqa: F405
        }
    }
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
MEDIA_ROOT = BASE_DIR / "var" / "test-media"  # noqa: F405
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
# Tests never load map tiles; the URL points nowhere reachable.
MAP_TILE_URL = "http://tiles.invalid/{z}/{x}/{y}.png"
GEO_WIDGET_LEAFLET_TILE_LAYER = MAP_TILE_URL
ACCOUNT_RATE_LIMITS = False
TEMPLATES[0]["DIRS"] = [*TEMPLATES[0]["DIRS"], BASE_DIR / "tests" / "templates"]  # noqa: F405
INSTALLED_APPS = [*INSTALLED_APPS, "tests.testapp"]  # noqa: F405  (a concrete Contribution for core tests)
