"""Production: every value that matters comes from the environment, and a half-configured
install refuses to start rather than run insecurely. See docs/deploy.md."""

import os

from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F401,F403

_missing = [name for name in ("SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "VECHE_BASE_URL") if not os.environ.get(name)]
if _missing:
    raise ImproperlyConfigured(
        "Veche production settings need these environment variables: " + ", ".join(_missing) + " (see docs/deploy.md)."
    )
_base = urlsplit(VECHE_BASE_URL)  # noqa: F405
if _base.scheme not in ("http", "https") or not _base.hostname or _base.path not in ("", "/") or _base.query:
    raise ImproperlyConfigured(
        f"VECHE_BASE_URL must be the site's public address such as https://uchastie.example.bg, not {VECHE_BASE_URL!r}."  # noqa: F405
    )

DEBUG = False
SECRET_KEY = os.environ["SECRET_KEY"]
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")  # noqa: F405
if _base.hostname not in ALLOWED_HOSTS and "*" not in ALLOWED_HOSTS:
    ALLOWED_HOSTS.append(_base.hostname)
CSRF_TRUSTED_ORIGINS = env_list(  # noqa: F405
    "CSRF_TRUSTED_ORIGINS", ",".join(f"https://{host}" for host in ALLOWED_HOSTS if not host.startswith("."))
)

# The documented reverse proxy runs on the same machine; set VECHE_TRUSTED_PROXIES for one elsewhere.
VECHE_TRUSTED_PROXIES = env_list("VECHE_TRUSTED_PROXIES", "127.0.0.1,::1")  # noqa: F405

# HTTPS everywhere (a reverse proxy terminates TLS and sets X-Forwarded-Proto).
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)  # noqa: F405
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)  # noqa: F405
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"  # Wagtail marks its preview views SAMEORIGIN itself

# Email through an SMTP relay.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", "")  # with the file backend (a staging copy, the CI smoke test)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)  # noqa: F405

# Background work in the database, run by `python manage.py db_worker`.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

LOGGING["root"]["level"] = os.environ.get("LOG_LEVEL", "INFO")  # noqa: F405
