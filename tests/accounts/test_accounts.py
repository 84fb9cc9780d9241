import re
from html.parser import HTMLParser

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core import mail

from accounts.models import Profile
from tests.factories.site import municipality
from tests.factories.users import PASSWORD, CitizenFactory, OfficeStaffFactory
from django.test import Client
from wagtail.models import ModelLogEntry

pytestmark = pytest.mark.django_db


def test_signup_needs_consent_and_shows_linked_errors(client, home_page):
    response = client.post("/bg/accounts/signup/", {"email": "a@example.org", "password1": "x", "password2": "y"})
    assert response.status_code == 200
    body = response.content.decode()
    assert 'class="error-summary"' in body
    assert 'href="#id_consent"' in body
    assert 'aria-invalid="true"' in body
    assert not get_user_model().objects.filter(email="a@example.org").exists()


def test_signup_creates_profile_and_sends_verification_email(client, home_page):
    settings_obj = municipality()
    breza = settings_obj.settlements.get(name="Бреза")
    response = client.post(
        "/uk/accounts/signup/",
        {
            "email": "olena@example.org",
            "password1": "long-enough-pass-42",
            "password2": "long-enough-pass-42",
            "display_name": "Олена",
            "settlement": breza.pk,
            "consent": "on",
        },
    )
    assert response.status_code == 302
    user = get_user_model().objects.get(email="olena@example.org")
    assert user.profile.display_name == "Олена"
    assert user.profile.settlement == breza
    assert user.profile.language == "uk"
    assert not EmailAddress.objects.get(user=user).verified
    assert len(mail.outbox) == 1
    assert re.search(r"/accounts/confirm-email/", mail.outbox[0].body)


def test_honeypot_refuses_bots(client, home_page):
    response = client.post(
        "/bg/accounts/signup/",
        {"email": "bot@example.org", "password1": "long-enough-pass-42", "password2": "long-enough-pass-42", "consent": "on", "website": "http://spam"},
    )
    assert response.status_code == 200
    assert not get_user_model().objects.filter(email="bot@example.org").exists()


def test_unverified_user_cannot_log_in(client, home_page):
    user = CitizenFactory(verified=False)
    response = client.post("/bg/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert "confirm-email" in response["Location"]
    assert "_auth_user_id" not in client.session


def test_profile_requires_login(client, home_page):
    response = client.get("/bg/accounts/profile/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_profile_update_changes_language_and_settlement(client, home_page):
    settings_obj = municipality()
    user = CitizenFactory()
    client.force_login(user)
    lipovo = settings_obj.settlements.get(name="Липово")
    response = client.post(
        "/bg/accounts/profile/",
        {"display_name": "Нови Име", "settlement": lipovo.pk, "language": "en", "notify_updates": "on"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/en/accounts/profile/"
    profile = Profile.objects.get(user=user)
    assert (profile.display_name, profile.settlement, profile.language) == ("Нови Име", lipovo, "en")


def test_profile_rejects_unknown_settlement(client, home_page):
    user = CitizenFactory()
    client.force_login(user)
    response = client.post("/bg/accounts/profile/", {"settlement": 999999, "language": "bg"})
    assert response.status_code == 200
    assert 'class="error-summary"' in response.content.decode()


def test_profile_post_without_csrf_token_is_refused(home_page):
    client = Client(enforce_csrf_checks=True)
    client.force_login(CitizenFactory())
    response = client.post("/bg/accounts/profile/", {"language": "en"})
    assert response.status_code == 403


def test_citizen_is_refused_the_admin(client, home_page):
    client.force_login(CitizenFactory())
    response = client.get("/admin/", HTTP_ACCEPT_LANGUAGE="bg")
    assert response.status_code == 403
    assert "Тази част от сайта е само за служители на общината." in response.content.decode()


def test_editor_reaches_the_admin(client, editor):
    client.force_login(editor)
    assert client.get("/admin/").status_code == 200


def test_anonymous_admin_goes_to_login(client):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_download_my_data_is_json_with_profile(client, home_page):
    user = CitizenFactory()
    client.force_login(user)
    assert client.get("/bg/accounts/profile/my-data/").status_code == 405  # POST only
    response = client.post("/bg/accounts/profile/my-data/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    data = response.json()
    assert data["account"]["email"] == user.email
    assert data["profile"]["display_name"] == user.profile.display_name
    assert "contributions" in data


def test_delete_account_needs_password_then_deletes_and_logs(client, home_page):
    user = CitizenFactory()
    client.force_login(user)
    response = client.post("/bg/accounts/profile/delete/", {"password": "wrong"})
    assert response.status_code == 200
    assert 'class="error-summary"' in response.content.decode()
    assert get_user_model().objects.filter(pk=user.pk).exists()
    response = client.post("/bg/accounts/profile/delete/", {"password": PASSWORD})
    assert response.status_code == 302
    assert not get_user_model().objects.filter(pk=user.pk).exists()
    assert ModelLogEntry.objects.filter(action="veche.account.delete").count() == 1
    assert "_auth_user_id" not in client.session


def test_office_staff_verify_resident_in_admin_with_audit(client, editor, moderator):
    citizen = CitizenFactory()
    for other in (editor, moderator):  # resident verification is the office's task, not theirs
        client.force_login(other)
        assert client.get("/admin/citizens/").status_code == 302
    editor = OfficeStaffFactory()
    client.force_login(editor)
    listing = client.get("/admin/citizens/")
    assert listing.status_code == 200
    assert citizen.email in listing.content.decode()
    url = f"/admin/citizens/edit/{citizen.profile.pk}/"
    assert client.get(url).status_code == 200
    response = client.post(url, {"display_name": "Проверена", "settlement": "", "resident_verified": "on"})
    assert response.status_code == 302, response.content.decode()[:2000]
    profile = Profile.objects.get(pk=citizen.profile.pk)
    assert profile.resident_verified_at is not None
    assert profile.resident_verified_by == editor
    assert ModelLogEntry.objects.filter(action="veche.resident.verify").count() == 1


def test_citizen_cannot_open_citizens_admin(client):
    client.force_login(CitizenFactory())
    assert client.get("/admin/citizens/").status_code == 403


class StrayEndTags(HTMLParser):
    """Finds </p> that close nothing, following HTML's rule that a block element ends an open paragraph."""

    CLOSES_P = {"address", "article", "aside", "blockquote", "div", "dl", "fieldset", "footer", "form", "h1", "h2", "h3",
                "h4", "h5", "h6", "header", "hr", "main", "nav", "ol", "p", "pre", "section", "table", "ul"}

    def __init__(self):
        super().__init__()
        self.open_p = 0
        self.stray = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.CLOSES_P and self.open_p:
            self.open_p = 0
        if tag == "p":
            self.open_p = 1

    def handle_endtag(self, tag):
        if tag == "p":
            if self.open_p:
                self.open_p = 0
            else:
                self.stray += 1


def test_signup_page_is_well_formed_html(client, home_page):
    """No stray end tags: the password rules (a list) sat inside a <p>, which the browser closed early."""
    parser = StrayEndTags()
    parser.feed(client.get("/bg/accounts/signup/").content.decode())
    assert parser.stray == 0
