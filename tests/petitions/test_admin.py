"""The "Petitions" admin group: queue with waiting times, rejection, signatures listing, CSV, invalidation."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from participation.models import ModerationStatus
from petitions.models import PetitionState, Signature, SignatureTally, Stage
from tests.factories import petitions as f
from tests.factories.users import PASSWORD, CitizenFactory, EditorFactory, ModeratorFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def moderator_client(client):
    moderator = ModeratorFactory()
    assert client.login(username=moderator.username, password=PASSWORD)
    return client


def test_queue_shows_waiting_time_and_overdue(moderator_client, index):
    waiting = f.draft(index, title="Чака модерация от дълго време")
    PetitionState.objects.filter(page=waiting).update(submitted_at=timezone.now() - datetime.timedelta(days=index.moderation_overdue_days + 2))
    fresh = f.draft(index, title="Съвсем нова петиция за модерация")
    response = moderator_client.get(reverse("petitions_admin:list"))
    assert response.status_code == 200
    rows = {row["page"].pk: row for row in response.context["rows"]}
    assert rows[waiting.pk]["moderation_overdue"] and rows[waiting.pk]["waiting"] == index.moderation_overdue_days + 2
    assert not rows[fresh.pk]["moderation_overdue"]
    assert moderator_client.get(reverse("petitions_admin:list") + "?stage=moderation").status_code == 200


def test_citizen_cannot_open_the_queue(client, index):
    citizen = CitizenFactory()
    client.login(username=citizen.username, password=PASSWORD)
    assert client.get(reverse("petitions_admin:list")).status_code in (302, 403)


def test_reject_from_admin(moderator_client, index):
    page = f.draft(index)
    url = reverse("petitions_admin:reject", args=[page.pk])
    assert moderator_client.get(url).status_code == 200
    response = moderator_client.post(url, {"reason": "other", "details": ""})
    assert response.status_code == 200 and "details" in response.context["form"].errors
    response = moderator_client.post(url, {"reason": "duplicate", "details": "Вижте петиция 12."})
    assert response.status_code == 302
    assert PetitionState.objects.get(page=page).stage == Stage.REJECTED


def _export(client, page):
    response = client.get(reverse("petitions_signature:index") + f"?petition={page.pk}&export=csv")
    assert response.status_code == 200
    return b"".join(response.streaming_content).decode() if response.streaming else response.content.decode()


def test_signatures_listing_export_and_invalidation(moderator_client, index, settlements):
    page = f.open_petition(index)
    f.bulk_signatures(page, 4, settlements)
    listing = moderator_client.get(reverse("petitions_signature:index") + f"?petition={page.pk}")
    assert listing.status_code == 200
    assert _export(moderator_client, page).count("@example.org") == 5
    signature = Signature.objects.filter(petition=page, author__isnull=True).first()
    url = reverse("petitions_signature:moderate", args=[signature.pk])
    assert url in listing.content.decode()
    assert moderator_client.get(url).status_code == 200
    assert moderator_client.post(url, {"status": "rejected", "reason": ""}).status_code == 200  # a reason is required
    assert moderator_client.post(url, {"status": "rejected", "reason": "Фалшив адрес"}).status_code == 302
    signature.refresh_from_db()
    assert signature.moderation_status == ModerationStatus.REJECTED and signature.moderation_reason == "Фалшив адрес"
    assert SignatureTally.objects.total(page.pk) == 4
    response = moderator_client.post(url, {"status": "rejected", "reason": "Отново"})  # already invalid: nothing changes
    assert response.status_code == 200 and SignatureTally.objects.total(page.pk) == 4
    assert moderator_client.post(url, {"status": "published", "reason": ""}).status_code == 302  # counts again
    assert SignatureTally.objects.total(page.pk) == 5
    assert moderator_client.get(reverse("petitions_signature:add")).status_code in (302, 403, 404)


def test_signature_export_keeps_a_formula_as_text(moderator_client, index):
    page = f.open_petition(index)
    Signature.objects.create(petition=page, name='=HYPERLINK("http://evil.example","x")', email="evil@example.org", confirmed_at=timezone.now())
    rows = list(csv.DictReader(io.StringIO(_export(moderator_client, page).lstrip("\ufeff"))))
    cells = [value for row in rows for value in row.values()]
    assert '\'=HYPERLINK("http://evil.example","x")' in cells
    assert not [value for value in cells if value.startswith("=")]


def test_citizen_cannot_moderate_a_signature(client, index):
    page = f.open_petition(index)
    signature = Signature.objects.get(petition=page)
    citizen = CitizenFactory()
    client.login(username=citizen.username, password=PASSWORD)
    response = client.post(reverse("petitions_signature:moderate", args=[signature.pk]), {"status": "rejected", "reason": "x"})
    assert response.status_code in (302, 403)
    signature.refresh_from_db()
    assert signature.moderation_status == ModerationStatus.PUBLISHED


def test_citizen_cannot_see_signatures(client, index):
    citizen = CitizenFactory()
    client.login(username=citizen.username, password=PASSWORD)
    assert client.get(reverse("petitions_signature:index")).status_code in (302, 403)


def test_editors_preview_a_draft_and_edit_the_page(moderator_client, index):
    page = f.draft(index)
    editor = EditorFactory()
    moderator_client.logout()
    moderator_client.login(username=editor.username, password=PASSWORD)
    assert moderator_client.get(reverse("wagtailadmin_pages:view_draft", args=[page.pk])).status_code == 200
    assert moderator_client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).status_code == 200
    assert moderator_client.get(reverse("wagtailadmin_pages:edit", args=[index.pk])).status_code == 200
