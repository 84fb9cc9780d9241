"""Local development and the demo (`make run`): SQLite, debug on, emails printed to the console."""

from .base import *  # noqa: F401,F403

DEBUG = True
SECRET_KEY = SECRET_KEY or "dev-only-insecure-key-change-me"  # noqa: F405
ALLOWED_HOSTS = ["*"]
# `make run` sets VECHE_BASE_URL to the address it serves; this is the default of `manage.py runserver`.
VECHE_BASE_URL = VECHE_BASE_URL or "http://127.0.0.1:8000"  # noqa: F405
WAGTAILADMIN_BASE_URL = VECHE_BASE_URL
INTERNAL_IPS = ["127.0.0.1"]
# Emails (verification links, petition confirmations) are written to var/mail/ and printed.
EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = BASE_DIR / "var" / "mail"  # noqa: F405
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
