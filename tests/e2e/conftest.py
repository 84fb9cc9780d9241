"""Browser tests: Playwright drives Debian's Chromium against pytest-django's live server.

- Every test here is marked `e2e`. `make test-fast` (and CI's SQLite run) deselects them.
- Without /usr/bin/chromium they are skipped with one line saying how to install it, unless
  VECHE_REQUIRE_BROWSER=1, when a missing browser fails the run.
- Requests to anything but the live server are blocked: no page may depend on the network.
- `axe_check(page)` fails on any axe-core violation (WCAG 2.1 A/AA rules).
- `screenshot(page, name)` saves a full-page PNG under test-artifacts/ (git-ignored).
"""

import io
import os
import shutil
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import sync_playwright

from accounts import demo as accounts_demo
from home import demo as home_demo

CHROMIUM = os.environ.get("VECHE_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parent.parent.parent / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--disable-dev-shm-usage",
]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def pytest_collection_modifyitems(config, items):
    here = str(Path(__file__).parent)
    browser_missing = not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM))
    required = os.environ.get("VECHE_REQUIRE_BROWSER") == "1"
    skip = pytest.mark.skip(
        reason=f"browser tests need Chromium at {CHROMIUM}: install it with `sudo apt-get install chromium`"
    )
    for item in items:
        if str(item.fspath).startswith(here):
            item.add_marker(pytest.mark.e2e)
            # The live server needs committed data; serialized rollback restores what migrations made.
            item.add_marker(pytest.mark.django_db(transaction=True, serialized_rollback=True))
            if browser_missing and not required:
                item.add_marker(skip)


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"VECHE_REQUIRE_BROWSER=1 but no Chromium at {CHROMIUM} (apt-get install chromium)")

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def demo(live_server):
    """The site shell of the demo (municipality, settlements, pages in three languages, demo users)."""
    home_demo.load(io.StringIO())
    accounts_demo.load(io.StringIO())
    return home_demo


def _new_page(browser, live_server_url, viewport, locale="bg-BG"):
    context = browser.new_context(viewport=viewport, locale=locale)
    page = context.new_page()
    page.set_default_timeout(15_000)
    blocked = []

    def block(route):
        blocked.append(route.request.url)
        route.abort()

    # The catch-all block goes first: routes added later are tried first.
    page.route("**/*", block)
    page.route(f"{live_server_url}/**", lambda route: route.continue_())
    page.blocked_requests = blocked
    return context, page


@pytest.fixture
def page(browser, live_server):
    context, page = _new_page(browser, live_server.url, PHONE)
    yield page
    context.close()


@pytest.fixture
def desktop_page(browser, live_server):
    context, page = _new_page(browser, live_server.url, DESKTOP)
    yield page
    context.close()


@pytest.fixture
def new_page(browser, live_server):
    """Factory for extra pages (another person, another viewport)."""
    contexts = []

    def make(viewport=PHONE, locale="bg-BG"):
        context, page = _new_page(browser, live_server.url, viewport, locale)
        contexts.append(context)
        return page

    yield make
    for context in contexts:
        context.close()


def screenshot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def axe_check(page, context_name=""):
    """Run axe-core (WCAG 2.0/2.1 A and AA, best practices) on the page; fail listing every violation."""
    results = Axe().run(
        page,
        options={"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]}},
    )
    violations = results.response["violations"]
    if violations:
        lines = [f"axe found {len(violations)} violation(s) on {context_name or page.url}:"]
        for violation in violations:
            lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
            for node in violation["nodes"][:5]:
                lines.append(f"    {node['target']}: {node.get('failureSummary', '')[:200]}")
        pytest.fail("\n".join(lines))
    return results


def login(page, base_url, email, password, language="bg"):
    page.goto(f"{base_url}/{language}/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", password)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
