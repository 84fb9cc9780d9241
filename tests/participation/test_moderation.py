import pytest
from wagtail.models import ModelLogEntry

from participation.exceptions import NotAllowed
from participation.models import ModerationStatus
from participation.services import anonymise, moderate
from tests.factories.users import CitizenFactory
from tests.testapp.models import Note
from django.db.models import ProtectedError
from accounts.services import delete_account, export_personal_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def note(home_page):
    return Note.objects.create(page=home_page, text="Предлагам пейки", email="a@example.org", name="Ана", author=CitizenFactory())


def test_hiding_needs_a_reason(note, moderator):
    with pytest.raises(NotAllowed):
        moderate(contribution=note, status=ModerationStatus.HIDDEN, actor=moderator, reason="  ")
    note.refresh_from_db()
    assert note.moderation_status == ModerationStatus.PUBLISHED


def test_moderation_keeps_reason_and_writes_audit_log(note, moderator):
    moderate(contribution=note, status=ModerationStatus.HIDDEN, actor=moderator, reason="Обиден език")
    note.refresh_from_db()
    assert note.moderation_status == ModerationStatus.HIDDEN
    assert note.moderation_reason == "Обиден език"
    assert note.moderated_by == moderator and note.moderated_at
    entry = ModelLogEntry.objects.get(action="veche.moderation.hide")
    assert entry.user == moderator
    assert entry.data == {"previous": "published", "status": "hidden", "reason": "Обиден език"}
    assert Note.objects.visible().count() == 0

    moderate(contribution=note, status=ModerationStatus.PUBLISHED, actor=moderator)
    assert Note.objects.visible().count() == 1
    assert ModelLogEntry.objects.filter(action="veche.moderation.publish").count() == 1


def test_anonymise_erases_personal_fields_and_keeps_the_record(note):
    assert anonymise(queryset=Note.objects.all()) == 1
    note.refresh_from_db()
    assert (note.email, note.name, note.author_id, note.is_anonymised) == ("", "", None, True)
    assert note.text == "Предлагам пейки"
    assert anonymise(queryset=Note.objects.all()) == 0  # idempotent


def test_deleting_the_page_cannot_delete_citizen_records(note, home_page):
    with pytest.raises(ProtectedError):
        home_page.delete()
    assert Note.objects.count() == 1


def test_account_deletion_anonymises_contributions(note, client):
    author = note.author
    data = export_personal_data(author)
    assert data["contributions"]["testapp.Note"][0]["text"] == "Предлагам пейки"
    delete_account(user=author)
    note.refresh_from_db()
    assert note.author is None and note.is_anonymised and note.email == ""
