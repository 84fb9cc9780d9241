"""The admin dashboard shows each role its petitions work, as non-superusers: drafts waiting for moderation to
moderators and editors, overdue responses to editors; NGO publishers and office staff see neither."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from petitions.models import PetitionState
from tests.factories import petitions as f
from tests.factories.users import EditorFactory, ModeratorFactory, NGOPublisherFactory, OfficeStaffFactory
from tests.helpers import assert_queries_constant, dashboard_panels

pytestmark = pytest.mark.django_db

ROLE_FACTORIES = {"NGO publishers": NGOPublisherFactory, "Office staff": OfficeStaffFactory}

DRAFTS = "veche-petition-drafts-section"
OVERDUE = "veche-petition-overdue-section"





@pytest.fixture
def work(index):
    waiting = f.draft(index, title="Пейки в парка на Бреза")
    PetitionState.objects.filter(page=waiting).update(submitted_at=timezone.now() - datetime.timedelta(days=4))
    late = f.open_petition(index, title="Осветление на улица Липа")
    PetitionState.objects.filter(page=late).update(threshold_reached_at=timezone.now() - datetime.timedelta(days=40))
    in_time = f.open_petition(index, title="Нова спирка до училището")
    PetitionState.objects.filter(page=in_time).update(threshold_reached_at=timezone.now())
    answered = f.open_petition(index, title="Чешма на площада")
    PetitionState.objects.filter(page=answered).update(threshold_reached_at=timezone.now() - datetime.timedelta(days=40))
    f.respond(answered)
    return {"waiting": waiting, "late": late, "in_time": in_time, "answered": answered}


def test_moderator_sees_the_drafts_only(client, work):
    shown = dashboard_panels(client, ModeratorFactory())
    assert DRAFTS in shown and OVERDUE not in shown
    drafts = shown[DRAFTS]
    assert "Пейки в парка на Бреза" in drafts and "Петиция" in drafts and "4 дни" in drafts
    assert reverse("wagtailadmin_pages:edit", args=[work["waiting"].pk]) in drafts
    assert "Осветление на улица Липа" not in drafts


def test_editor_sees_drafts_and_overdue_responses(client, work):
    shown = dashboard_panels(client, EditorFactory())
    assert DRAFTS in shown and OVERDUE in shown
    overdue = shown[OVERDUE]
    assert "Осветление на улица Липа" in overdue
    assert reverse("wagtailadmin_pages:edit", args=[work["late"].pk]) in overdue
    assert "Нова спирка до училището" not in overdue and "Чешма на площада" not in overdue
    assert "Пейки в парка на Бреза" not in overdue


@pytest.mark.parametrize("group", ["NGO publishers", "Office staff"])
def test_ngo_publishers_and_office_staff_see_no_petitions_panel(client, work, group):
    shown = dashboard_panels(client, ROLE_FACTORIES[group]())
    assert DRAFTS not in shown and OVERDUE not in shown


def test_empty_panels_say_so_in_one_line(client, index):
    shown = dashboard_panels(client, EditorFactory())
    assert "Няма петиции, които чакат модерация." in shown[DRAFTS]
    assert "Няма просрочени отговори на петиции." in shown[OVERDUE]


def test_at_most_ten_rows_and_a_link_to_all(client, index):
    for number in range(12):
        f.draft(index, title=f"Петиция номер {number} за модерация")
    drafts = dashboard_panels(client, ModeratorFactory())[DRAFTS]
    assert drafts.count("<tr>") == 11  # the header and ten rows
    assert reverse("petitions_admin:list") + "?stage=moderation" in drafts and "12" in drafts


def test_dashboard_queries_do_not_grow_with_the_work(client, index):
    client.force_login(EditorFactory())
    made = []

    def grow():
        for number in range(3):
            made.append(f.draft(index, title=f"Още една чернова {number}"))
            late = f.open_petition(index, title=f"Закъсняла петиция {number}")
            PetitionState.objects.filter(page=late).update(threshold_reached_at=timezone.now() - datetime.timedelta(days=40))

    f.draft(index, title="Първа чернова")
    first = f.open_petition(index, title="Първа закъсняла петиция")
    PetitionState.objects.filter(page=first).update(threshold_reached_at=timezone.now() - datetime.timedelta(days=40))
    assert_queries_constant(client, "/admin/", grow)
