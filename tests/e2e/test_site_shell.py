"""The site shell in a real browser: languages, accessibility, screenshots, keyboard."""

import re

import pytest

from tests.e2e.conftest import DESKTOP, PHONE, axe_check, login, screenshot

LANGUAGES = {"bg": "Гражданско участие", "uk": "Громадська участь", "en": "Citizen participation"}


@pytest.mark.parametrize("language", ["bg", "uk", "en"])
def test_public_pages_pass_axe_in_every_language(page, live_server, demo, language):
    base = live_server.url
    page.goto(f"{base}/{language}/")
    assert page.locator("html").get_attribute("lang") == language
    assert LANGUAGES[language] in page.locator("h1").inner_text()
    axe_check(page, f"home ({language})")

    # A standard page, reached through the main menu.
    page.locator(".site-nav__links a").nth(1).click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == language
    axe_check(page, f"standard page ({language})")

    for path in ("accounts/signup/", "accounts/login/", "accounts/password/reset/"):
        page.goto(f"{base}/{language}/{path}")
        axe_check(page, f"{path} ({language})")

    # The profile page of a logged-in citizen.
    login(page, base, "citizen@zornitsa.example", "demo-citizen-2026", language=language)
    page.goto(f"{base}/{language}/accounts/profile/")
    assert page.locator("html").get_attribute("lang") == language
    axe_check(page, f"profile ({language})")
    page.locator("header form button[type=submit]").click()  # log out
    page.wait_for_load_state()

    # Error state of a form: the summary links to the field.
    page.goto(f"{base}/{language}/accounts/signup/")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator(".error-summary").is_visible()
    axe_check(page, f"signup with errors ({language})")
    # Nothing but map tiles (from the configured tile server, unreachable in tests) was requested elsewhere.
    assert all(url.startswith("http://tiles.invalid/") for url in page.blocked_requests), page.blocked_requests


def test_home_page_screenshots_phone_and_desktop(page, desktop_page, live_server, demo):
    page.goto(f"{live_server.url}/bg/")
    screenshot(page, "home-bg-390")
    desktop_page.goto(f"{live_server.url}/bg/")
    screenshot(desktop_page, "home-bg-1280")
    # Nothing overflows the phone's width.
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0
    assert page.viewport_size == PHONE and desktop_page.viewport_size == DESKTOP


def test_language_switcher_keeps_the_page(page, live_server, demo):
    page.goto(f"{live_server.url}/bg/kak-raboti/")
    page.get_by_role("link", name="English").click()
    page.wait_for_load_state()
    assert page.url.endswith("/en/how-it-works/")
    assert page.locator("html").get_attribute("lang") == "en"
    page.get_by_role("link", name="Українська").click()
    page.wait_for_load_state()
    assert page.url.endswith("/uk/yak-tse-pratsyuye/")


def test_skip_link_and_keyboard(page, live_server, demo):
    page.goto(f"{live_server.url}/bg/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.className")
    assert "skip-link" in focused
    assert page.locator(".skip-link").is_visible()
    page.keyboard.press("Enter")
    assert re.search(r"#main$", page.url)


def test_map_block_has_text_alternative_and_loads_no_tiles(page, live_server, demo):
    page.goto(f"{live_server.url}/en/how-it-works/")
    assert page.get_by_text("1 Saedinenie Square, Zornitsa").is_visible()
    # Leaflet comes from our static files; tile requests go to the (unreachable) configured server and are blocked.
    page.wait_for_function("window.L !== undefined")
    assert page.locator(".leaflet-container").count() == 1
    assert all("tiles.invalid" in url for url in page.blocked_requests), page.blocked_requests
