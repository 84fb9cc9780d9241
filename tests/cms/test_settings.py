"""Production settings refuse to start half-configured, and pass Django's deployment checklist."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
PRODUCTION_ENV = {
    "SECRET_KEY": "x" * 64 + "-a-long-random-production-secret",
    "ALLOWED_HOSTS": "veche.example.org",
    "DATABASE_URL": "postgres://veche@127.0.0.1:5432/veche",
    "VECHE_BASE_URL": "https://veche.example.org",
}


def _run(*args, env_extra):
    skip = {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE", *PRODUCTION_ENV}
    env = {k: v for k, v in os.environ.items() if k not in skip}
    env.update(env_extra)
    return subprocess.run(
        [sys.executable, "manage.py", *args, "--settings=cms.settings.production"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_production_environment():
    result = _run("check", "--deploy", "--fail-level", "WARNING", env_extra=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_its_variables():
    for missing in PRODUCTION_ENV:
        env = {k: v for k, v in PRODUCTION_ENV.items() if k != missing}
        result = _run("check", env_extra=env)
        assert result.returncode != 0
        assert missing in result.stderr


def test_wsgi_defaults_to_production_settings():
    source = (ROOT / "cms" / "wsgi.py").read_text()
    assert 'setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.production")' in source


def test_production_uses_database_tasks_and_compressed_static():
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env.update(PRODUCTION_ENV)
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='cms.settings.production'; django.setup();"
        "from django.conf import settings as s;"
        "print(s.TASKS['default']['BACKEND']); print(s.STORAGES['staticfiles']['BACKEND']);"
        "print(s.DATABASES['default']['CONN_MAX_AGE']); print(s.DEBUG)"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert out.stdout.split() == [
        "django_tasks_db.DatabaseBackend",
        "whitenoise.storage.CompressedManifestStaticFilesStorage",
        "60",
        "False",
    ], out.stderr


def test_collectstatic_with_the_production_storage_succeeds(tmp_path):
    """docs/deploy.md step 4: the manifest storage must resolve every file a CSS or JS file refers to (it failed on
    Leaflet's source-map comment, which pointed to a file we do not ship)."""
    env = dict(PRODUCTION_ENV, DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}", VECHE_STATIC_ROOT=str(tmp_path / "static"))
    result = _run("collectstatic", "--noinput", env_extra=env)
    assert result.returncode == 0, result.stdout + result.stderr
    manifest = (tmp_path / "static" / "staticfiles.json").read_text()
    assert "vendor/leaflet/leaflet.js" in manifest


def test_production_refuses_a_public_address_that_is_not_one():
    for bad in ("uchastie.example.bg", "ftp://uchastie.example.bg", "https://uchastie.example.bg/veche/"):
        result = _run("check", env_extra=dict(PRODUCTION_ENV, VECHE_BASE_URL=bad))
        assert result.returncode != 0
        assert "VECHE_BASE_URL" in result.stderr
