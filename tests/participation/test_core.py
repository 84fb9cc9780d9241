import datetime

import pytest
from django.core import mail
from django.test import RequestFactory, override_settings
from django.utils import timezone

from participation import ratelimit
from participation.forms import CitizenForm
from participation.models import Phase, VerificationLevel, working_days_after
from participation.rules import meets_level
from participation.tasks import queue_email
from tests.factories.users import CitizenFactory, UnverifiedCitizenFactory
from django.db import transaction
from home.models import participation_page_models
from participation.models import ParticipationPage


def test_working_days_skip_weekends_and_holidays():
    friday = datetime.date(2026, 11, 20)
    assert working_days_after(friday, 1) == datetime.date(2026, 11, 23)
    assert working_days_after(friday, 10) == datetime.date(2026, 12, 4)
    assert working_days_after(friday, 1, holidays={datetime.date(2026, 11, 23)}) == datetime.date(2026, 11, 24)


def test_citizen_form_requires_consent_and_refuses_honeypot():
    form = CitizenForm(data={})
    assert not form.is_valid()
    assert "consent" in form.errors
    form = CitizenForm(data={"consent": "on", "website": "spam"})
    assert not form.is_valid()
    assert form.is_honeypot()
    assert CitizenForm(data={"consent": "on"}).is_valid()


@pytest.mark.django_db
def test_verification_levels():
    verified = CitizenFactory()
    unverified = UnverifiedCitizenFactory()
    assert meets_level(verified, VerificationLevel.ACCOUNT)
    assert not meets_level(unverified, VerificationLevel.ACCOUNT)
    assert not meets_level(verified, VerificationLevel.RESIDENT)
    verified.profile.resident_verified_at = timezone.now()
    verified.profile.save()
    verified = type(verified).objects.get(pk=verified.pk)
    assert meets_level(verified, VerificationLevel.RESIDENT)
    assert VerificationLevel.rank(VerificationLevel.EMAIL) < VerificationLevel.rank(VerificationLevel.RESIDENT)


ratelimit.declare("test_sign", ip="1/60", user="1/60")


@override_settings(VECHE_RATE_LIMITS={"default": {"ip": "3/60"}})
def test_rate_limit_counts_per_ip_and_scope():
    factory = RequestFactory()
    request = factory.post("/", REMOTE_ADDR="10.0.0.1")
    request.user = type("Anon", (), {"is_authenticated": False})()
    assert [ratelimit.check(request) for _ in range(4)] == [True, True, True, False]
    other = factory.post("/", REMOTE_ADDR="10.0.0.2")
    other.user = request.user
    assert ratelimit.check(other)
    assert ratelimit.check(other, "test_sign")
    assert not ratelimit.check(other, "test_sign")


@pytest.mark.django_db
@override_settings(VECHE_RATE_LIMITS={"default": {"ip": "2/60"}})
def test_rate_limit_middleware_returns_translated_429(client, home_page):
    user = CitizenFactory()
    client.force_login(user)
    for _ in range(2):
        client.post("/bg/accounts/profile/", {"language": "bg"})
    response = client.post("/bg/accounts/profile/", {"language": "bg"})
    assert response.status_code == 429
    assert '<html lang="bg">' in response.content.decode()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_queue_email_sends_after_commit_only():
    with transaction.atomic():
        queue_email(to=["a@example.org"], template="test_message", context={"name": "Ана"}, language="bg")
        assert mail.outbox == []
    assert len(mail.outbox) == 1
    assert "Ана" in mail.outbox[0].body

    try:
        with transaction.atomic():
            queue_email(to=["b@example.org"], template="test_message", context={"name": "Борис"})
            raise RuntimeError
    except RuntimeError:
        pass
    assert len(mail.outbox) == 1


def test_phase_from_dates():
    class Dated:
        opens_at = None
        closes_at = None


    page = Dated()
    now = timezone.now()
    page.opens_at = now + datetime.timedelta(days=1)
    assert ParticipationPage.phase(page, now) == Phase.UPCOMING
    page.opens_at = now - datetime.timedelta(days=1)
    page.closes_at = now + datetime.timedelta(days=1)
    assert ParticipationPage.phase(page, now) == Phase.OPEN
    page.closes_at = now
    assert ParticipationPage.phase(page, now) == Phase.CLOSED
    assert isinstance(participation_page_models(), list)
