"""Rate limits hold across processes: gunicorn's workers share the database cache (or Redis), never their own
memory. Two real processes count against one limit."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection

from cms.settings import base as base_settings  # what production and `make run` use (tests use memory)

ROOT = Path(__file__).resolve().parent.parent.parent
DATABASE_CACHE = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "veche_cache"}}

WORKER = """
import json, sys
import django
from django.conf import settings
database = json.loads(sys.argv[1])
settings.configure(
    DATABASES={"default": database},
    CACHES=%r,
    SECRET_KEY="shared-limit-test",
    INSTALLED_APPS=[],
    VECHE_RATE_LIMITS={},
    VECHE_TRUSTED_PROXIES=[],
    USE_TZ=True,
)
django.setup()
from django.test import RequestFactory
from participation import ratelimit
ratelimit.declare("test_shared", ip="10/60")
request = RequestFactory().post("/", REMOTE_ADDR="203.0.113.77")
request.user = type("Anon", (), {"is_authenticated": False})()
print(sum(ratelimit.check(request, "test_shared") for _ in range(int(sys.argv[2]))))
""" % DATABASE_CACHE


def _worker(calls):
    settings_dict = connection.settings_dict
    database = {key: settings_dict[key] for key in ("ENGINE", "NAME", "USER", "PASSWORD", "HOST", "PORT")}
    database["NAME"] = str(database["NAME"])
    result = subprocess.run(
        [sys.executable, "-c", WORKER, json.dumps(database), str(calls)],
        cwd=ROOT, capture_output=True, text=True, timeout=120, env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)},
    )
    assert result.returncode == 0, result.stderr
    return int(result.stdout.strip())


def test_the_default_cache_is_shared_by_processes():
    assert base_settings.CACHES["default"]["BACKEND"] in (
        "django.core.cache.backends.db.DatabaseCache",
        "django_redis.cache.RedisCache",
    )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # as every transaction test here: the flush
def test_two_processes_count_against_one_limit(settings):
    settings.CACHES = DATABASE_CACHE
    call_command("createcachetable", verbosity=0)
    caches["default"].clear()
    first = _worker(6)
    second = _worker(6)
    assert (first, second) == (6, 4)  # with a per-process memory cache it would be (6, 6)
