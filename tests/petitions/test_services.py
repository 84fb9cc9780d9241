"""The petition journey through the services: drafting, co-sponsors, moderation, signing, closing, response."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from wagtail.models import ModelLogEntry

from home.models import MunicipalitySettings
from participation.exceptions import AlreadyDone, NotAllowed, PhaseClosed
from participation.models import ModerationStatus, VerificationLevel, working_days_after
from petitions import services, tasks
from petitions.models import PetitionPage, PetitionState, Signature, SignatureTally, Stage, Status
from tests.factories import petitions as f
from tests.factories.users import CitizenFactory, ModeratorFactory

pytestmark = pytest.mark.django_db


def test_draft_becomes_child_page_in_moderation_with_author_signature(index):
    author = CitizenFactory()
    page = f.draft(index, author=author, settlement=None, tags=["транспорт"])
    assert not page.live
    assert page.get_parent().pk == index.pk
    assert page.citizen_author == author and page.owner is None
    assert page.workflow_in_progress
    state = f.state(page)
    assert state.stage == Stage.MODERATION and state.submitted_at
    assert Signature.objects.get(petition=page).author == author
    assert SignatureTally.objects.total(page.pk) == 1
    assert [tag.name for tag in page.tags.all()] == ["транспорт"]
    # The author's language (no profile language: the page's, Bulgarian), to the author alone.
    assert mail.outbox[-1].to == [author.email]
    assert mail.outbox[-1].subject.startswith("Петицията ви „Нова детска площадка в Бреза“")


def test_double_submit_returns_the_first_draft(index):
    author = CitizenFactory()
    first = f.draft(index, author=author)
    second = f.draft(index, author=author)
    assert first.pk == second.pk
    assert PetitionPage.objects.filter(citizen_author=author).count() == 1


def test_unverified_citizen_cannot_draft(index):
    with pytest.raises(NotAllowed):
        f.draft(index, author=CitizenFactory(verified=False))


def test_cosponsors_send_the_draft_to_moderation(home_page, settlements):
    index = f.petition_index(home_page, slug="sponsored", sponsors_required=2)
    author = CitizenFactory()
    page = f.draft(index, author=author)
    state = f.state(page)
    assert state.stage == Stage.SPONSORING and not page.workflow_in_progress
    with pytest.raises(NotAllowed):
        services.sponsor(state=state, user=author)
    first = CitizenFactory()
    services.sponsor(state=state, user=first)
    with pytest.raises(AlreadyDone):
        services.sponsor(state=state, user=first)
    assert f.state(page).stage == Stage.SPONSORING
    services.sponsor(state=state, user=CitizenFactory())
    assert f.state(page).stage == Stage.MODERATION
    assert PetitionPage.objects.get(pk=page.pk).workflow_in_progress
    with pytest.raises(PhaseClosed):
        services.sponsor(state=state, user=CitizenFactory())
    assert SignatureTally.objects.total(page.pk) == 3  # the author and two co-sponsors count once published


def test_approval_publishes_and_opens_with_index_rules(index):
    page = f.open_petition(index)
    state = f.state(page)
    assert page.live and state.stage == Stage.PUBLISHED
    assert state.threshold == 3 and state.closes_at - state.opened_at == datetime.timedelta(days=30)
    assert page.closes_at == state.closes_at  # mirrored for listings
    assert page.status() == Status.OPEN
    assert any("публикувана" in m.subject for m in mail.outbox)


def test_approval_email_goes_in_the_authors_language_not_the_moderators(index):
    """Bug fixed: the approval email went out in the language of the moderator's admin."""
    author = CitizenFactory()
    author.profile.language = "uk"
    author.profile.save()
    page = f.draft(index, author=author)
    mail.outbox = []
    with translation.override("en"):  # the moderator works in an English admin
        f.approve(page)
    subjects = [message.subject for message in mail.outbox if message.to == [author.email]]
    assert subjects == ["Вашу петицію «Нова детска площадка в Бреза» опубліковано"]


def test_email_signer_gets_the_link_in_the_language_of_the_version_they_signed(index, locales):
    page = f.open_petition(index)
    index_uk = index.copy_for_translation(locales["uk"], copy_parents=True)
    index_uk.save_revision().publish()
    page_uk = page.copy_for_translation(locales["uk"])
    page_uk.save_revision().publish()
    mail.outbox = []
    with translation.override("en"):
        services.sign(page=PetitionPage.objects.get(pk=page_uk.pk), name="Оксана", email="oksana@example.org")
    assert mail.outbox[-1].to == ["oksana@example.org"]
    # The title is the canonical petition's (the signature belongs to it); the words are Ukrainian.
    assert mail.outbox[-1].subject == "Підтвердьте підпис під «Нова детска площадка в Бреза»"


def test_statutory_defaults_apply_when_index_leaves_them_empty(home_page, settlements):
    settings_obj = MunicipalitySettings.load()
    settings_obj.petition_threshold, settings_obj.petition_collection_days = 250, 45
    settings_obj.save()
    index = f.petition_index(home_page, slug="statutory", threshold=None, collection_days=None)
    state = f.state(f.open_petition(index))
    assert state.threshold == 250 and (state.closes_at - state.opened_at).days == 45


def test_request_changes_then_author_edits_and_resubmits(index):
    author = CitizenFactory()
    page = f.request_changes(f.draft(index, author=author), comment="Уточнете адреса.")
    assert f.state(page).stage == Stage.CHANGES
    assert "Уточнете адреса." in mail.outbox[-1].body
    with pytest.raises(NotAllowed):
        services.edit_draft(page=page, author=CitizenFactory(), title="Друго заглавие на петицията", summary=f.TEXT, background=f.WHY)
    services.edit_draft(page=page, author=author, title="Нова площадка на ул. Липа 5", summary=f.TEXT, background=f.WHY)
    page = PetitionPage.objects.get(pk=page.pk)
    assert f.state(page).stage == Stage.MODERATION
    assert page.current_workflow_state.status == "in_progress"
    page = f.approve(page)
    assert page.title == "Нова площадка на ул. Липа 5" and page.live


def test_reject_with_reason_cancels_workflow_and_emails_author(index):
    page = f.draft(index)
    moderator = ModeratorFactory()
    with pytest.raises(NotAllowed):
        services.reject(page=page, actor=moderator, reason="other", details="")
    services.reject(page=page, actor=moderator, reason="competence", details="Това е работа на областта.")
    state = f.state(page)
    assert state.stage == Stage.REJECTED and state.rejection_reason == "competence"
    assert not PetitionPage.objects.get(pk=page.pk).workflow_in_progress
    assert "Това е работа на областта." in mail.outbox[-1].body
    with pytest.raises(PhaseClosed):
        services.reject(page=page, actor=moderator, reason="competence")


def test_signing_with_account_counts_once(index, settlements):
    page = f.open_petition(index)
    citizen = CitizenFactory()
    result = services.sign(page=page, user=citizen, settlement=settlements[1], show_name=True, notify=True)
    assert result.outcome == services.SignResult.SIGNED
    with pytest.raises(AlreadyDone):
        services.sign(page=page, user=citizen)
    assert Signature.objects.filter(petition=page, author=citizen).count() == 1
    assert SignatureTally.objects.by_settlement(page.pk)[settlements[1].pk] == 1


def test_database_constraint_refuses_a_second_signature(index):
    page = f.open_petition(index)
    citizen = CitizenFactory()
    services.sign(page=page, user=citizen)
    with pytest.raises(IntegrityError), transaction.atomic():
        Signature.objects.create(petition=page, author=citizen, confirmed_at=timezone.now())
    with pytest.raises(IntegrityError), transaction.atomic():
        Signature.objects.create(petition=page, email=citizen.email, confirmed_at=timezone.now())


def test_required_level_is_enforced(home_page, settlements):
    index = f.petition_index(home_page, slug="residents", signature_level=VerificationLevel.RESIDENT)
    author = CitizenFactory()
    author.profile.resident_verified_at = timezone.now()
    author.profile.save()
    page = f.open_petition(index, author=type(author).objects.get(pk=author.pk))
    with pytest.raises(NotAllowed):
        services.sign(page=page, user=CitizenFactory())
    with pytest.raises(NotAllowed):
        services.sign(page=page, user=None, name="Анна", email="anna@example.org")


def test_email_signature_counts_only_after_confirmation(index, settlements):
    page = f.open_petition(index)
    mail.outbox = []
    result = services.sign(page=page, name="Анна Петрова", email="Anna@Example.org", settlement=settlements[0], notify=True)
    assert result.outcome == services.SignResult.CHECK_EMAIL
    assert SignatureTally.objects.total(page.pk) == 1  # only the author
    body = mail.outbox[-1].body
    token = body.split("/confirm/")[1].split("/")[0]
    services.confirm(page=page, token=token)
    assert SignatureTally.objects.total(page.pk) == 2
    with pytest.raises(AlreadyDone):
        services.confirm(page=page, token=token)
    assert SignatureTally.objects.total(page.pk) == 2
    # Signing again with the same address gives the same answer and sends an "already signed" email.
    result = services.sign(page=page, name="Анна", email="anna@example.org", settlement=settlements[0])
    assert result.outcome == services.SignResult.CHECK_EMAIL
    assert "вече" in mail.outbox[-1].subject.lower()
    assert Signature.objects.filter(petition=page, email="anna@example.org").count() == 1


def test_unconfirmed_signature_expires(index, settlements):
    page = f.open_petition(index)
    services.sign(page=page, name="Борис", email="boris@example.org", settlement=settlements[0])
    token = mail.outbox[-1].body.split("/confirm/")[1].split("/")[0]
    later = timezone.now() + datetime.timedelta(hours=index.confirmation_hours + 1)
    with pytest.raises(PhaseClosed):
        services.confirm(page=page, token=token, now=later)
    assert tasks.expire_unconfirmed(now=later) == 1
    with pytest.raises(NotAllowed):
        services.confirm(page=page, token=token, now=later)
    assert SignatureTally.objects.total(page.pk) == 1


def test_disposable_domain_needs_staff_review(home_page, settlements):
    index = f.petition_index(home_page, slug="review", review_domains="mailinator.com")
    page = f.open_petition(index)
    services.sign(page=page, name="Бот", email="bot@mailinator.com", settlement=settlements[0])
    token = mail.outbox[-1].body.split("/confirm/")[1].split("/")[0]
    services.confirm(page=page, token=token)
    signature = Signature.objects.get(email="bot@mailinator.com")
    assert signature.moderation_status == ModerationStatus.PENDING
    assert SignatureTally.objects.total(page.pk) == 1
    services.approve(signature=signature, actor=ModeratorFactory())
    assert SignatureTally.objects.total(page.pk) == 2


def test_threshold_marks_awaiting_response_and_starts_clock(index):
    page = f.open_petition(index)
    for _ in range(2):
        services.sign(page=page, user=CitizenFactory())
    state = f.state(page)
    assert state.threshold_reached_at is not None
    page = PetitionPage.objects.get(pk=page.pk)
    assert page.status() == Status.AWAITING
    assert state.response_due == working_days_after(timezone.localtime(state.threshold_reached_at).date(), 10)
    assert not state.is_overdue()
    assert state.is_overdue(now=state.threshold_reached_at + datetime.timedelta(days=20))


def test_closing_comes_from_the_date(index):
    page = f.open_petition(index)
    state = f.state(page)
    with time_machine.travel(state.closes_at + datetime.timedelta(minutes=1)):
        assert PetitionPage.objects.get(pk=page.pk).status() == Status.CLOSED
        with pytest.raises(PhaseClosed):
            services.sign(page=page, user=CitizenFactory())
        mail.outbox = []
        assert tasks.notify_closed() == 1
        assert tasks.notify_closed() == 0
        assert len(mail.outbox) == 1


def test_response_emails_signers_who_asked_once(index):
    page = f.open_petition(index)
    wants, not_wanted = CitizenFactory(), CitizenFactory()
    services.sign(page=page, user=wants, notify=True)
    services.sign(page=page, user=not_wanted, notify=False)
    mail.outbox = []
    page = f.respond(page)
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == sorted([wants.email, page.citizen_author.email])
    assert all(len(message.to) == 1 for message in mail.outbox)
    state = f.state(page)
    assert state.responded_at and state.response_notified_at
    assert page.status() == Status.RESPONDED
    mail.outbox = []
    page.save_revision().publish()
    assert mail.outbox == []  # publishing again does not email again
    with pytest.raises(PhaseClosed):
        services.sign(page=page, user=CitizenFactory())


def test_publishing_an_old_revision_leaves_counts_and_state_alone(index):
    page = f.open_petition(index)
    first_revision = page.latest_revision
    for _ in range(3):
        services.sign(page=page, user=CitizenFactory())
    page = f.respond(page)
    before = PetitionState.objects.get(page=page)
    count = SignatureTally.objects.total(page.pk)
    first_revision.publish()
    after = PetitionState.objects.get(page=page)
    page = PetitionPage.objects.get(pk=page.pk)
    assert SignatureTally.objects.total(page.pk) == count == 4
    for field in ("opened_at", "closes_at", "threshold_reached_at", "responded_at", "threshold", "stage"):
        assert getattr(after, field) == getattr(before, field), field
    assert page.closes_at == after.responded_at and page.opens_at == after.opened_at  # mirrored: collecting until the response


def test_invalidation_is_logged_and_recounted(index, settlements):
    page = f.open_petition(index)
    citizen = CitizenFactory()
    services.sign(page=page, user=citizen, settlement=settlements[2])
    signature = Signature.objects.get(petition=page, author=citizen)
    moderator = ModeratorFactory()
    services.invalidate(signature=signature, actor=moderator, reason="Same person as signature 12")
    signature.refresh_from_db()
    assert signature.moderation_status == ModerationStatus.REJECTED
    assert SignatureTally.objects.total(page.pk) == 1
    assert ModelLogEntry.objects.filter(object_id=str(signature.pk), action="veche.moderation.reject").exists()
    with pytest.raises(AlreadyDone):
        services.invalidate(signature=signature, actor=moderator, reason="again")


def test_verify_counts_detects_and_fixes_drift(index, settlements):
    page = f.open_petition(index)
    f.bulk_signatures(page, 25, settlements)
    call_command("verify_counts")
    SignatureTally.objects.filter(petition=page).update(count=0)
    with pytest.raises(CommandError) as error:
        call_command("verify_counts")
    assert error.value.returncode == 1
    assert len(services.count_differences()) > 0
    services.recount(petition_id=page.pk)
    assert services.count_differences() == []
    assert SignatureTally.objects.total(page.pk) == 26


def test_anonymisation_keeps_counts(index, settlements):
    page = f.open_petition(index)
    f.bulk_signatures(page, 5, settlements)
    page = f.close(page, days_ago=index.anonymise_after_months * 31 + 1)
    assert tasks.anonymise_due() == 6
    assert not Signature.objects.filter(petition=page).exclude(email="").exists()
    assert not Signature.objects.filter(petition=page, author__isnull=False).exists()
    assert SignatureTally.objects.total(page.pk) == 6
    assert services.count_differences() == []
    assert f.state(page).anonymised_at is not None
    assert tasks.anonymise_due() == 0
    call_command("anonymise_petitions")


def test_translation_signs_into_canonical_records(index, locales):
    page = f.open_petition(index)
    index_uk = index.copy_for_translation(locales["uk"], copy_parents=True)
    index_uk.save_revision().publish()
    page_uk = page.copy_for_translation(locales["uk"])
    page_uk.save_revision().publish()
    page_uk = PetitionPage.objects.get(pk=page_uk.pk)
    assert page_uk.canonical.pk == page.pk
    services.sign(page=page_uk, user=CitizenFactory())
    assert Signature.objects.filter(petition=page).count() == 2
    assert page_uk.signature_count == page.signature_count == 2
    assert PetitionPage.objects.get(pk=page_uk.pk).closes_at == f.state(page).closes_at
