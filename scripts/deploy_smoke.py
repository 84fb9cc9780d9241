#!/usr/bin/env python3
"""Take a fresh clone through docs/deploy.md and prove the production path works (CI runs this; see .ci/run).

Steps, as the guide writes them: clone, a virtualenv with requirements.txt, the production settings from the
environment, migrate, compile_translations, collectstatic, check --deploy, then gunicorn with gunicorn.conf.py,
reached the way the reverse proxy reaches it (Host of the public address, X-Forwarded-Proto: https,
X-Forwarded-For), and the task worker (db_worker). It then checks:

- every live page of every public page type, and a static file, answer 200 through gunicorn;
- a citizen signs up through gunicorn: the verification email links to VECHE_BASE_URL, not to the host the
  request came to, and comes from the municipality;
- an email task queued in the database is sent by db_worker, and its link points to VECHE_BASE_URL.

Needs PostgreSQL (DEPLOY_DATABASE_URL, default a fresh database `veche_deploy` on 127.0.0.1). Standard library only.
Usage: python3 scripts/deploy_smoke.py [--repo PATH] [--keep]
"""

import argparse
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

BASE_URL = "https://uchastie.zornitsa.example"
HOST = urllib.parse.urlsplit(BASE_URL).hostname


def step(title):
    print(f"== deploy: {title}", flush=True)


def run(args, *, cwd, env, timeout=600, check=True):
    result = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    if check and result.returncode != 0:
        sys.stdout.write(result.stdout[-4000:])
        sys.stderr.write(result.stderr[-4000:])
        raise SystemExit(f"deploy smoke test: {' '.join(map(str, args))} exited {result.returncode}")
    return result


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def fetch(opener, port, path, *, data=None, referer=None, cookies=None):
    """A request as the reverse proxy forwards it: public Host, HTTPS, the visitor's address.

    `cookies` (a dict) is sent and updated by hand: the cookies are `Secure`, and this leg is plain HTTP
    between the proxy and gunicorn, so a cookie jar would (rightly) keep them to itself."""
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=data)
    if cookies:
        request.add_header("Cookie", "; ".join(f"{name}={value}" for name, value in cookies.items()))
    request.add_header("Host", HOST)
    request.add_header("X-Forwarded-Proto", "https")
    request.add_header("X-Forwarded-For", "203.0.113.10")
    if referer:
        request.add_header("Referer", referer)
    try:
        with opener.open(request, timeout=30) as response:
            result = response.status, response.read().decode("utf-8", "replace"), response.headers
    except urllib.error.HTTPError as error:
        result = error.code, error.read().decode("utf-8", "replace"), error.headers
    if cookies is not None:
        for header in result[2].get_all("Set-Cookie") or []:
            name, _sep, rest = header.partition("=")
            cookies[name.strip()] = rest.split(";", 1)[0]
    return result


def wait_for(port, seconds=60):
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.5)
    raise SystemExit("deploy smoke test: gunicorn did not start")


def links(text):
    return re.findall(r"https?://[^\s<>\"]+", text)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repo", default=str(Path(__file__).resolve().parent.parent))
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    options = parser.parse_args()
    options.repo = str(Path(options.repo).resolve())  # the clone runs in a temporary folder

    work = Path(tempfile.mkdtemp(prefix="veche-deploy-"))
    app = work / "app"
    mail_dir = work / "mail"
    database_url = os.environ.get("DEPLOY_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/veche_deploy")
    database = urllib.parse.urlsplit(database_url).path.lstrip("/")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "VECHE_", "DATABASE_URL"))}
    env.update(
        {
            "SECRET_KEY": "deploy-smoke-" + "x" * 60,
            "ALLOWED_HOSTS": HOST,
            "DATABASE_URL": database_url,
            "VECHE_BASE_URL": BASE_URL,
            "DEFAULT_FROM_EMAIL": "no-reply@zornitsa.example",
            # Mail goes to files so the test can read it (docs/deploy.md: EMAIL_BACKEND for a staging copy).
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": str(mail_dir),
            "GUNICORN_WORKERS": "2",
        }
    )
    gunicorn = None
    try:
        step("fresh clone")
        run(["git", "clone", "--quiet", options.repo, str(app)], cwd=work, env=env)
        step("virtualenv with requirements.txt")
        run([sys.executable, "-m", "venv", ".venv"], cwd=app, env=env)
        python = str(app / ".venv" / "bin" / "python")
        run([python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-r", "requirements.txt"], cwd=app, env=env, timeout=900)

        step(f"a fresh database ({database})")
        admin_url = database_url.rsplit("/", 1)[0] + "/postgres"
        for sql in (f'DROP DATABASE IF EXISTS "{database}"', f'CREATE DATABASE "{database}"'):
            run(["psql", admin_url, "-qc", sql], cwd=work, env=env)

        manage = [python, "manage.py"]  # cms.settings.production is the default of manage.py in this env
        env["DJANGO_SETTINGS_MODULE"] = "cms.settings.production"
        step("migrate, compile_translations, collectstatic, check --deploy")
        run([*manage, "migrate", "--noinput"], cwd=app, env=env)
        run([*manage, "compile_translations"], cwd=app, env=env)
        run([*manage, "collectstatic", "--noinput"], cwd=app, env=env)
        check = run([*manage, "check", "--deploy", "--fail-level", "WARNING"], cwd=app, env=env)
        assert "no issues" in check.stdout, check.stdout + check.stderr
        step("content to serve (the demo municipality)")
        run([*manage, "load_demo"], cwd=app, env=env)

        step("gunicorn -c gunicorn.conf.py cms.wsgi")
        port = free_port()
        env["GUNICORN_BIND"] = f"127.0.0.1:{port}"
        gunicorn = subprocess.Popen(
            [str(app / ".venv" / "bin" / "gunicorn"), "-c", "gunicorn.conf.py", "cms.wsgi"],
            cwd=app, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        )
        wait_for(port)
        opener = urllib.request.build_opener(NoRedirect())

        step("every live page of every public page type answers 200")
        pages, offset = [], 0
        while True:  # Wagtail's API serves at most 20 items a request
            status, body, _headers = fetch(opener, port, f"/api/v2/pages/?limit=20&offset={offset}")
            assert status == 200, (status, body[:500])
            batch = json.loads(body)
            pages.extend(batch["items"])
            offset += 20
            if offset >= batch["meta"]["total_count"]:
                break
        kinds = {}
        for item in pages:
            path = urllib.parse.urlsplit(item["meta"]["html_url"]).path
            assert item["meta"]["html_url"].startswith(f"{BASE_URL}/"), item["meta"]["html_url"]
            status, _body, _headers = fetch(opener, port, path)
            assert status == 200, f"{path}: {status}"
            kinds.setdefault(item["meta"]["type"], path)
        print(f"   {len(pages)} pages, {len(kinds)} page types: {', '.join(sorted(kinds))}")
        assert len(kinds) >= 6, kinds
        for path in ("/", "/healthz"):
            status, _body, _headers = fetch(opener, port, path)
            assert status in (200, 302), f"{path}: {status}"
        status, body, _headers = fetch(opener, port, "/bg/")
        css = re.search(r'href="(/static/[^"]+\.css)"', body).group(1)
        status, _body, headers = fetch(opener, port, css)
        assert status == 200 and "immutable" in headers.get("Cache-Control", ""), (css, status, dict(headers))
        assert f'<link rel="canonical" href="{BASE_URL}/bg/"' in body

        step("a citizen signs up through gunicorn; the email links to the public address")
        cookies = {}
        status, body, _headers = fetch(opener, port, "/bg/accounts/signup/", cookies=cookies)
        assert status == 200, status
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)
        form = urllib.parse.urlencode(
            {
                "csrfmiddlewaretoken": token,
                "email": "new.citizen@example.org",
                "password1": "a-long-enough-pass-42",
                "password2": "a-long-enough-pass-42",
                "display_name": "Нов Гражданин",
                "consent": "on",
            }
        ).encode()
        status, body, _headers = fetch(
            opener, port, "/bg/accounts/signup/", data=form, referer=f"{BASE_URL}/bg/accounts/signup/", cookies=cookies
        )
        assert status == 302, (status, body[-2000:])
        messages = sorted(mail_dir.glob("*.log"))
        assert messages, "no email was written"
        signup_mail = messages[-1].read_text()
        found = links(signup_mail)
        assert found and all(link.startswith(f"{BASE_URL}/") for link in found), found
        assert "127.0.0.1" not in signup_mail

        step("db_worker sends a queued email task; its link points to the public address")
        before = set(mail_dir.glob("*.log"))
        queue = (
            "from wagtail.models import Page\n"
            "from participation.tasks import send_email\n"
            "page = Page.objects.live().filter(depth__gt=2).first()\n"
            "send_email.enqueue(to=['follower@example.org'], template='consultations/report_published',"
            " context={'title': page.title, 'url': page.full_url}, language='bg')\n"
        )
        run([*manage, "shell", "-c", queue], cwd=app, env=env)
        run([*manage, "db_worker", "--batch", "--no-startup-delay"], cwd=app, env=env, timeout=120)
        new = sorted(set(mail_dir.glob("*.log")) - before)
        assert new, "db_worker sent nothing"
        task_mail = new[-1].read_text()
        found = links(task_mail)
        assert found and all(link.startswith(f"{BASE_URL}/") for link in found), found
        print("deploy smoke test: passed")
    finally:
        if gunicorn is not None:
            gunicorn.terminate()
            try:
                gunicorn.wait(timeout=20)
            except subprocess.TimeoutExpired:
                gunicorn.kill()
        if not options.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
