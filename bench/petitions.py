"""Petitions benchmark: gunicorn (2 workers) against PostgreSQL on this machine.

(a) petition page: requests per second, p50/p99 latency, with 100,000 signatures stored;
(b) signing spike: as many distinct signed-in citizens as it can push in 30 s; signatures per second, errors,
    and whether the stored count equals the rows afterwards;
(c) the raw limit: rows per second inserted into the signatures table by plain psycopg (one row per
    transaction, as the web path does), so we can say how close the web path gets.

Usage: .venv/bin/python bench/petitions.py [--signatures 100000] [--spike-seconds 30] [--page-seconds 20]
Database: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/veche_petitions); it is dropped and
recreated. Results: bench/results/petitions-<UTC timestamp>.json (and petitions-latest.json).
"""

import argparse
import datetime
import http.client
import json
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlparse

import psycopg

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
PORT = int(os.environ.get("BENCH_PORT", "8011"))
DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/veche_petitions")

SETTINGS = '''
from cms.settings.dev import *  # noqa
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
# Every request of the benchmark comes from one address: the per-IP limits would stop it after a few
# dozen signatures. The signing path is otherwise the production one.
VECHE_RATE_LIMITS = {}
EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "ERROR"}}
'''


def log(message):
    print(f"[{datetime.datetime.now():%H:%M:%S}] {message}", flush=True)


def recreate_database():
    url = urlparse(DATABASE_URL)
    name = url.path.lstrip("/")
    admin = DATABASE_URL.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def prepare(settings_dir, signatures, users):
    """Migrate, create the site, a petition with `signatures` counted signatures and `users` citizens
    with sessions (for the signing spike). Returns what the load needs."""
    env = {**os.environ, "DATABASE_URL": DATABASE_URL, "PYTHONPATH": f"{settings_dir}:{ROOT}", "DJANGO_SETTINGS_MODULE": "veche_bench_settings"}
    subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True)
    code = f"""
import json, secrets
from django.contrib.auth import get_user_model
from django.contrib.sessions.backends.db import SessionStore
from django.utils import timezone
from allauth.account.models import EmailAddress
from accounts.models import Profile
from petitions import services
from petitions.models import Signature
from tests.factories import petitions as f
from tests.factories.site import municipality
from tests.factories.users import CitizenFactory
settlements = list(municipality(("Зорница", "Бреза", "Липово", "Каменец", "Ясеново", "Дъбрава")).settlements.all())
index = f.petition_index(threshold=1000000, collection_days=60)
page = f.open_petition(index, title="Автобусна линия до Дъбрава и в неделя")
now = timezone.now()
rows = [Signature(petition=page, name=f"Подписал {{n}}", email=f"b{{n}}@bench.example", settlement=settlements[n % 6], show_name=n % 4 == 0, confirmed_at=now) for n in range({signatures} - 1)]
Signature.objects.bulk_create(rows, batch_size=5000)
services.recount(petition_id=page.pk)
User = get_user_model()
User.objects.bulk_create([User(username=f"bench{{n}}", email=f"bench{{n}}@bench.example", password="!") for n in range({users})], batch_size=5000)
created = list(User.objects.filter(username__startswith="bench").values_list("pk", "email"))
EmailAddress.objects.bulk_create([EmailAddress(user_id=pk, email=email, verified=True, primary=True) for pk, email in created], batch_size=5000)
Profile.objects.bulk_create([Profile(user_id=pk, settlement=settlements[pk % 6], display_name=f"Гражданин {{pk}}") for pk, email in created], batch_size=5000)
from django.contrib.sessions.models import Session
from django.contrib.auth import HASH_SESSION_KEY, SESSION_KEY, BACKEND_SESSION_KEY
user = User.objects.get(pk=created[0][0])
session_hash = user.get_session_auth_hash()
keys = []
sessions = []
expire = now + timezone.timedelta(days=1)
store = SessionStore()
for pk, email in created:
    key = secrets.token_hex(16)
    u = User(pk=pk, password="!")
    data = store.encode({{SESSION_KEY: str(pk), BACKEND_SESSION_KEY: "django.contrib.auth.backends.ModelBackend", HASH_SESSION_KEY: u.get_session_auth_hash()}})
    sessions.append(Session(session_key=key, session_data=data, expire_date=expire))
    keys.append(key)
Session.objects.bulk_create(sessions, batch_size=5000)
print(json.dumps({{"url": page.url, "sign_url": page.url + "sign/", "petition_id": page.pk, "sessions": keys}}))
"""
    result = subprocess.run([sys.executable, "manage.py", "shell", "-c", code], cwd=ROOT, env=env, check=True, capture_output=True, text=True)
    return json.loads(result.stdout.strip().splitlines()[-1]), env


def start_gunicorn(env):
    # The project's gunicorn.conf.py (as in production), with 2 workers and no access log.
    env = {**env, "GUNICORN_WORKERS": "2", "GUNICORN_BIND": f"127.0.0.1:{PORT}", "GUNICORN_ACCESSLOG": "/dev/null", "GUNICORN_TIMEOUT": "60"}
    process = subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "gunicorn"), "-c", str(ROOT / "gunicorn.conf.py"), "cms.wsgi", "--log-level", "warning"],
        cwd=ROOT, env=env,
    )
    for _ in range(100):
        try:
            connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=2)
            connection.request("GET", "/healthz")
            connection.getresponse().read()
            return process
        except OSError:
            time.sleep(0.2)
    process.terminate()
    raise SystemExit("gunicorn did not start")


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * fraction))] if ordered else None


def page_load(path, seconds, clients):
    latencies, errors = [], [0]
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def worker():
        connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
        mine = []
        while time.monotonic() < stop:
            start = time.perf_counter()
            try:
                connection.request("GET", path, headers={"Host": "127.0.0.1"})
                response = connection.getresponse()
                response.read()
                ok = response.status == 200
            except (OSError, http.client.HTTPException):
                ok = False
                connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
            elapsed = time.perf_counter() - start
            if ok:
                mine.append(elapsed)
            else:
                with lock:
                    errors[0] += 1
        with lock:
            latencies.extend(mine)

    started = time.monotonic()
    threads = [threading.Thread(target=worker) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    duration = time.monotonic() - started
    return {
        "clients": clients,
        "seconds": round(duration, 2),
        "requests": len(latencies),
        "errors": errors[0],
        "requests_per_second": round(len(latencies) / duration, 1),
        "p50_ms": round(statistics.median(latencies) * 1000, 1) if latencies else None,
        "p99_ms": round(percentile(latencies, 0.99) * 1000, 1) if latencies else None,
    }


def signing_spike(path, sessions, seconds, clients):
    """Each signature is a distinct signed-in citizen POSTing the sign form (CSRF token included)."""
    queue = list(reversed(sessions))
    lock = threading.Lock()
    outcome = {"signed": 0, "errors": 0, "statuses": {}}
    latencies = []
    stop = time.monotonic() + seconds

    def worker():
        connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=60)
        mine = []
        while time.monotonic() < stop:
            with lock:
                if not queue:
                    break
                session = queue.pop()
            csrf = secrets.token_hex(16)  # a 32-character secret is accepted as cookie and form token
            body = f"csrfmiddlewaretoken={csrf}&consent=on&notify=on"
            headers = {
                "Host": "127.0.0.1",
                "Cookie": f"sessionid={session}; csrftoken={csrf}",
                "Content-Type": "application/x-www-form-urlencoded",
                "Referer": f"http://127.0.0.1:{PORT}{path}",
            }
            start = time.perf_counter()
            try:
                connection.request("POST", path, body=body.encode(), headers=headers)
                response = connection.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException):
                status = "connection"
                connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=60)
            mine.append(time.perf_counter() - start)
            with lock:
                outcome["statuses"][str(status)] = outcome["statuses"].get(str(status), 0) + 1
                if status == 302:
                    outcome["signed"] += 1
                else:
                    outcome["errors"] += 1
        with lock:
            latencies.extend(mine)

    started = time.monotonic()
    threads = [threading.Thread(target=worker) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    duration = time.monotonic() - started
    outcome.update(
        {
            "clients": clients,
            "seconds": round(duration, 2),
            "signatures_per_second": round(outcome["signed"] / duration, 1),
            "p50_ms": round(statistics.median(latencies) * 1000, 1) if latencies else None,
            "p99_ms": round(percentile(latencies, 0.99) * 1000, 1) if latencies else None,
            "ran_out_of_signers": not queue,
        }
    )
    return outcome


def stored_versus_rows(petition_id):
    with psycopg.connect(DATABASE_URL) as connection:
        stored = connection.execute("SELECT COALESCE(SUM(count), 0) FROM petitions_signaturetally WHERE petition_id = %s", [petition_id]).fetchone()[0]
        rows = connection.execute(
            "SELECT COUNT(*) FROM petitions_signature WHERE petition_id = %s AND confirmed_at IS NOT NULL AND moderation_status = 'published'",
            [petition_id],
        ).fetchone()[0]
    return int(stored), int(rows)


def raw_inserts(petition_id, seconds, connections, label):
    """Plain psycopg: one signature row per transaction (autocommit), as fast as it goes."""
    counts = [0] * connections
    stop = time.monotonic() + seconds

    def worker(n):
        with psycopg.connect(DATABASE_URL, autocommit=True) as connection:
            i = 0
            while time.monotonic() < stop:
                connection.execute(
                    "INSERT INTO petitions_signature (petition_id, name, email, settlement_id, show_name, notify, is_sponsor, "
                    "confirmed_at, token_hash, ip_hash, created_at, moderation_status, moderation_reason, is_anonymised) "
                    "VALUES (%s, 'Raw', %s, NULL, false, false, false, now(), '', '', now(), 'published', '', false)",
                    [petition_id, f"raw-{label}-{n}-{i}@bench.example"],
                )
                i += 1
            counts[n] = i

    started = time.monotonic()
    threads = [threading.Thread(target=worker, args=(n,)) for n in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    duration = time.monotonic() - started
    return {"connections": connections, "seconds": round(duration, 2), "rows": sum(counts), "rows_per_second": round(sum(counts) / duration, 1)}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--signatures", type=int, default=100_000)
    parser.add_argument("--signers", type=int, default=20_000, help="distinct citizens prepared for the spike")
    parser.add_argument("--page-seconds", type=int, default=20)
    parser.add_argument("--spike-seconds", type=int, default=30)
    parser.add_argument("--raw-seconds", type=int, default=10)
    parser.add_argument("--clients", type=int, default=8)
    args = parser.parse_args()

    settings_dir = tempfile.mkdtemp(prefix="veche-bench-")
    Path(settings_dir, "veche_bench_settings.py").write_text(SETTINGS)
    log(f"recreating {DATABASE_URL}")
    recreate_database()
    log(f"preparing {args.signatures:,} signatures and {args.signers:,} signers")
    prepared, env = prepare(settings_dir, args.signatures, args.signers)
    gunicorn = start_gunicorn(env)
    try:
        page_path = prepared["url"]  # already percent-encoded by Wagtail
        sign_path = prepared["sign_url"]
        page_load(page_path, 3, 2)  # warm up both workers
        log("(a) petition page")
        page = page_load(page_path, args.page_seconds, args.clients)
        log(f"    {page}")
        log("(b) signing spike")
        spike = signing_spike(sign_path, prepared["sessions"], args.spike_seconds, args.clients)
        stored, rows = stored_versus_rows(prepared["petition_id"])
        spike.update({"stored_count": stored, "counted_rows": rows, "count_equals_rows": stored == rows, "expected_rows": args.signatures + spike["signed"]})
        log(f"    {spike}")
    finally:
        gunicorn.terminate()
        gunicorn.wait(timeout=30)
    log("(c) raw inserts")
    raw_one = raw_inserts(prepared["petition_id"], args.raw_seconds, 1, "one")
    raw_many = raw_inserts(prepared["petition_id"], args.raw_seconds, args.clients, "many")
    log(f"    {raw_one} / {raw_many}")
    result = {
        "benchmark": "petitions",
        "measured_at": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0]},
        "setup": {
            "gunicorn": "gunicorn.conf.py with 2 workers x 2 threads, no access log",
            "signatures_stored": args.signatures,
            "clients": args.clients,
            "database": "PostgreSQL (same machine)",
            "load_average_at_start": os.getloadavg()[0],
        },
        "petition_page": page,
        "signing_spike": spike,
        "raw_insert_one_connection": raw_one,
        "raw_insert_parallel": raw_many,
        "web_path_share_of_raw_limit": round(spike["signatures_per_second"] / raw_many["rows_per_second"], 3) if raw_many["rows_per_second"] else None,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    for name in (f"petitions-{stamp}.json", "petitions-latest.json"):
        (RESULTS / name).write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    print(json.dumps(result, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
