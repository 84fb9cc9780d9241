import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core import mail

from accounts.models import Profile
from tests.factories.site import municipality
from tests.factories.users import PASSWORD, CitizenFactory

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
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(CitizenFactory())
    response = client.post("/bg/accounts/profile/", {"language": "en"})
    assert response.status_code == 403


def test_citizen_is_refused_the_admin(client, home_page):
    client.force_login(CitizenFactory())
    response = client.get("/admin/")
    assert response.status_code == 403
    assert "municipal staff" in response.content.decode() or "служители" in response.content.decode()


def test_editor_reaches_the_admin(client, editor):
    client.force_login(editor)
    assert client.get("/admin/").status_code == 200


def test_anonymous_admin_goes_to_login(client):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
