"""Citizen account journey and admin access in a real browser."""

import re

from django.core import mail

from tests.e2e.conftest import axe_check, login, screenshot
from tests.factories.users import PASSWORD


def _verification_link(message):
    match = re.search(r"https?://\S+/accounts/confirm-email/\S+", message.body)
    assert match, message.body
    return match.group(0)


def test_citizen_signs_up_verifies_edits_profile_and_logs_out(page, live_server, demo):
    base = live_server.url
    page.goto(f"{base}/bg/accounts/signup/")
    page.fill("input[name=email]", "ivana@example.org")
    page.fill("input[name=password1]", "a-long-pass-phrase-42")
    page.fill("input[name=password2]", "a-long-pass-phrase-42")
    page.fill("input[name=display_name]", "Ивана П.")
    page.select_option("select[name=settlement]", label="Бреза")
    page.check("input[name=consent]")
    screenshot(page, "signup-bg-390")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert "/accounts/confirm-email/" in page.url

    assert len(mail.outbox) == 1
    link = _verification_link(mail.outbox[0]).replace("http://testserver", base)
    link = re.sub(r"^https?://[^/]+", base, link)
    page.goto(link)
    axe_check(page, "confirm email")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()

    # Verified and logged in: the profile shows the settlement chosen at sign-up.
    page.goto(f"{base}/bg/accounts/profile/")
    assert page.locator("select[name=settlement] option:checked").inner_text() == "Бреза"
    axe_check(page, "profile")
    page.select_option("select[name=settlement]", label="Липово")
    page.select_option("select[name=language]", value="uk")
    page.locator("main form.form button[type=submit]").click()
    page.wait_for_load_state()
    assert "/uk/accounts/profile/" in page.url
    assert page.locator("html").get_attribute("lang") == "uk"
    assert page.locator("select[name=settlement] option:checked").inner_text() == "Липово"
    screenshot(page, "profile-uk-390")

    page.locator("header form button[type=submit]").click()  # log out
    page.wait_for_load_state()
    assert page.locator("header").get_by_role("link", name="Увійти").is_visible(), page.locator("header").inner_text()
    page.goto(f"{base}/uk/accounts/profile/")
    assert "/accounts/login/" in page.url  # logged out: the profile asks to log in


def test_editor_reaches_admin_and_citizen_is_refused(new_page, live_server, demo):
    base = live_server.url
    editor = new_page()
    editor.goto(f"{base}/admin/login/")
    editor.fill("input[name=username]", "editor")
    editor.fill("input[name=password]", "demo-editor-2026")
    editor.locator("form button[type=submit]").click()
    editor.wait_for_load_state()
    assert editor.url.rstrip("/").endswith("/admin")
    assert editor.blocked_requests == [], editor.blocked_requests

    citizen = new_page()
    login(citizen, base, "citizen@zornitsa.example", "demo-citizen-2026")
    response = citizen.goto(f"{base}/admin/")
    assert response.status == 403
    axe_check(citizen, "403 page")


def test_bad_login_shows_translated_error(page, live_server, demo):
    login(page, live_server.url, "citizen@zornitsa.example", "wrong-" + PASSWORD)
    assert page.locator(".error-summary").is_visible()
    # The visitor's language is pinned (/bg/): allauth's own Bulgarian message, never the English source.
    assert "паролата, които въведохте, са грешни" in page.locator(".error-summary").inner_text()
