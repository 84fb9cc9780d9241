"""Constraints, paragraph ids that survive edits, and system state that publishing a revision cannot touch."""

import uuid

import pytest
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from consultations.models import (
    Comment,
    CommentFlag,
    CommentSupport,
    ConsultationPage,
    PollVote,
    QuestionnaireAnswer,
    ReportPublication,
)
from participation.models import Follow
from tests.factories.consultations import comment, consultation, meeting, paragraph_ids, poll
from tests.factories.users import CitizenFactory

pytestmark = pytest.mark.django_db


def _raises_integrity(create):
    with pytest.raises(IntegrityError):
        with transaction.atomic():
            create()


def test_one_support_per_person_per_comment(index, citizen):
    page = consultation(index)
    c = comment(page, CitizenFactory())
    CommentSupport.objects.create(comment=c, user=citizen)
    _raises_integrity(lambda: CommentSupport.objects.create(comment=c, user=citizen))
    assert CommentSupport.objects.filter(comment=c).count() == 1


def test_one_flag_per_person_per_comment(index, citizen):
    c = comment(consultation(index), CitizenFactory())
    CommentFlag.objects.create(comment=c, user=citizen)
    _raises_integrity(lambda: CommentFlag.objects.create(comment=c, user=citizen))


def test_one_answer_per_respondent(index, citizen):
    page = consultation(index)
    QuestionnaireAnswer.objects.create(page=page, author=citizen, respondent=f"u{citizen.pk}", data={})
    _raises_integrity(lambda: QuestionnaireAnswer.objects.create(page=page, author=citizen, respondent=f"u{citizen.pk}", data={}))


def test_one_vote_per_person_per_poll(db, citizen):
    p = poll()
    PollVote.objects.create(poll=p, user=citizen)
    _raises_integrity(lambda: PollVote.objects.create(poll=p, user=citizen))


def test_one_follow_per_person(index, citizen):
    # Following is the core's (participation.Follow): a consultation page is followed once per person.
    page = consultation(index)
    Follow.objects.create(page=page, user=citizen)
    _raises_integrity(lambda: Follow.objects.create(page=page, user=citizen))


def test_same_submit_token_makes_one_comment(index, citizen):
    page = consultation(index)
    token = uuid.uuid4()
    comment(page, citizen, client_token=token)
    _raises_integrity(lambda: comment(page, citizen, client_token=token))


def test_deleting_a_consultation_with_comments_is_refused(index, citizen):
    page = consultation(index)
    comment(page, citizen)
    with pytest.raises(ProtectedError):
        page.delete()
    assert Comment.objects.count() == 1


def test_paragraph_ids_survive_edits_of_the_draft(index, citizen):
    page = consultation(index)
    first, second, third = paragraph_ids(page)
    on_second = comment(page, citizen, paragraph=1)

    # The editor rewrites paragraph 2, inserts a paragraph before it and deletes paragraph 3 (as the admin does:
    # the StreamField form posts each block with its id).
    draft = list(page.draft.raw_data)
    draft[2] = {**draft[2], "value": {"label": "Чл. 2 (нова редакция)", "text": "<p>Паркирането е забранено, освен за линейки.</p>"}}
    draft.insert(2, {"type": "paragraph", "value": {"label": "Чл. 1а", "text": "<p>Нов текст.</p>"}})
    draft = [block for block in draft if block.get("id") != third]
    page.draft = draft
    page.save_revision().publish()
    page = ConsultationPage.objects.get(pk=page.pk)

    ids = paragraph_ids(page)
    assert ids[0] == first and ids[2] == second and third not in ids
    assert len(set(ids)) == 3 and all(ids)
    labels = page.paragraph_labels
    assert labels[on_second.paragraph_id] == "Чл. 2 (нова редакция)"
    # The comment still belongs to the rewritten paragraph, and its thread shows it.
    assert Comment.objects.get(pk=on_second.pk).paragraph_id == second


def test_publishing_an_old_revision_leaves_comments_report_and_decisions_alone(index, citizen, editor):
    page = consultation(index, phase="closed")
    old_revision = page.latest_revision
    c = comment(page, citizen, decision="accepted", decision_reason="Прието.")
    ReportPublication.objects.create(page=page, published_by=editor)
    page.report_summary = "<p>Доклад</p>"
    page.save_revision().publish()

    old_revision.publish()
    page = ConsultationPage.objects.get(pk=page.pk)
    assert page.report is not None
    assert page.state() == "reported"
    c.refresh_from_db()
    assert c.decision == "accepted" and c.decision_reason == "Прието."
    assert Comment.objects.filter(page=page).count() == 1


def test_meeting_point_parses_the_location(index):
    m = meeting(consultation(index), location="SRID=4326;POINT(25.5 42.25)")
    assert m.point == (42.25, 25.5)
    m.location = "garbage"
    assert m.point is None
