"""One public address, VECHE_BASE_URL, drives the Site record, absolute URLs and every link in an email; emails
come from the municipality by name, and allauth's never show a username the citizen did not choose."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.apps import apps
from django.db.models.signals import post_migrate
from wagtail.models import Site

from home.site import base_url_parts, check_site_matches_base_url, sync_after_migrate, sync_default_site
from participation.tasks import queue_email
from tests.factories.site import municipality

BASE = "https://uchastie.zornitsa.example"


def test_base_url_parts():
    assert base_url_parts("https://uchastie.example.bg") == ("uchastie.example.bg", 443)
    assert base_url_parts("http://127.0.0.1:8801") == ("127.0.0.1", 8801)
    assert base_url_parts("") is None
    assert base_url_parts("uchastie.example.bg") is None


@pytest.mark.django_db
def test_the_site_record_follows_the_public_address(settings, home_page):
    settings.VECHE_BASE_URL = BASE
    assert check_site_matches_base_url()[0].id == "veche.W001"  # `check` says so until it is applied
    assert sync_default_site() is not None
    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port) == ("uchastie.zornitsa.example", 443)
    assert site.root_url == BASE
    assert home_page.specific.get_full_url().startswith(f"{BASE}/")
    assert check_site_matches_base_url() == []
    assert sync_default_site() is None  # nothing to change the second time


@pytest.mark.django_db
def test_migrate_applies_the_public_address(settings, home_page):
    """`migrate` sends post_migrate for every app; the shell's receiver applies the address."""
    settings.VECHE_BASE_URL = "http://127.0.0.1:8801"
    assert "veche_sync_default_site" in [item[0][0] for item in post_migrate.receivers]
    sync_after_migrate(sender=apps.get_app_config("home"))
    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port) == ("127.0.0.1", 8801)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_our_emails_come_from_the_municipality(home_page):
    settings_obj = municipality()
    settings_obj.sender_email = "no-reply@zornitsa.example"
    settings_obj.save()
    queue_email(to=["a@example.org"], template="test_message", context={"name": "Ана"}, language="bg")
    assert mail.outbox[0].from_email == f"{settings_obj.name} <no-reply@zornitsa.example>"


@pytest.mark.django_db
def test_allauth_emails_use_the_public_address_the_municipality_and_no_username(client, settings, home_page):
    settings.VECHE_BASE_URL = BASE
    sync_default_site()
    settings_obj = municipality()
    settings_obj.sender_email = "no-reply@zornitsa.example"
    settings_obj.save()
    response = client.post(
        "/bg/accounts/signup/",
        {
            "email": "elena.d@example.org",
            "password1": "long-enough-pass-42",
            "password2": "long-enough-pass-42",
            "display_name": "Елена Д.",
            "consent": "on",
        },
        HTTP_HOST="127.0.0.1:8801",  # the request's host must not leak into the email
    )
    assert response.status_code == 302
    message = mail.outbox[-1]
    assert message.subject.startswith(f"{settings_obj.name}: ")
    assert "[127.0.0.1" not in message.subject
    assert message.from_email == f"{settings_obj.name} <no-reply@zornitsa.example>"
    links = re.findall(r"https?://\S+", message.body)
    assert links and all(link.startswith(f"{BASE}/") for link in links), links
    username = get_user_model().objects.get(email="elena.d@example.org").username
    assert username not in message.body
    assert "127.0.0.1" not in message.body

    mail.outbox.clear()
    client.post("/bg/accounts/password/reset/", {"email": "elena.d@example.org"}, HTTP_HOST="127.0.0.1:8801")
    reset = mail.outbox[-1]
    links = re.findall(r"https?://\S+", reset.body)
    assert links and all(link.startswith(f"{BASE}/") for link in links), links
    assert username not in reset.body
