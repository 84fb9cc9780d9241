"""Services: threading, moderation states, supports, decisions, the report, following, questionnaire, polls."""

import datetime
import uuid

import pytest
import time_machine
from django.core import mail
from django.utils import timezone, translation
from wagtail.models import ModelLogEntry, PageLogEntry

from consultations import services, tasks
from consultations.models import Comment, CommentFlag, CommentSupport, PollVote, QuestionnaireAnswer
from participation import services as core
from participation.exceptions import AlreadyDone, NotAllowed, PhaseClosed
from participation.models import Follow, NotificationLog
from tests.factories.consultations import comment, consultation, meeting, meeting_proposal, paragraph_ids, poll
from tests.factories.users import CitizenFactory

pytestmark = pytest.mark.django_db


def test_comment_on_paragraph_and_reply(index, citizen, editor):
    page = consultation(index)
    pid = paragraph_ids(page)[1]
    top, created = services.post_comment(page=page, author=citizen, body="  Добре е.  ", paragraph_id=pid)
    assert created and top.body == "Добре е." and top.paragraph_id == pid and top.moderation_status == "published"
    reply, _ = services.post_comment(page=page, author=editor, body="Благодарим.", parent=top)
    assert reply.parent_id == top.pk and reply.paragraph_id == pid
    assert reply.is_official  # staff replies are marked official
    assert not top.is_official


def test_one_level_of_replies(index, citizen):
    page = consultation(index)
    top, _ = services.post_comment(page=page, author=citizen, body="Първи.")
    reply, _ = services.post_comment(page=page, author=CitizenFactory(), body="Отговор.", parent=top)
    with pytest.raises(NotAllowed) as error:
        services.post_comment(page=page, author=citizen, body="Отговор на отговор.", parent=reply)
    assert error.value.code == "reply_to_reply"


def test_reply_to_a_comment_of_another_consultation_is_refused(index, citizen):
    page, other = consultation(index), consultation(index)
    foreign = comment(other, citizen)
    with pytest.raises(NotAllowed):
        services.post_comment(page=page, author=citizen, body="Х", parent=foreign)


@pytest.mark.parametrize("body,code", [("", "empty"), ("   ", "empty"), ("а" * 5001, "too_long")])
def test_bad_bodies(index, citizen, body, code):
    with pytest.raises(NotAllowed) as error:
        services.post_comment(page=consultation(index), author=citizen, body=body)
    assert error.value.code == code


def test_unknown_paragraph_is_refused(index, citizen):
    with pytest.raises(NotAllowed):
        services.post_comment(page=consultation(index), author=citizen, body="Х", paragraph_id="not-a-block")


@pytest.mark.parametrize("phase", ["upcoming", "closed"])
def test_comments_only_while_open(index, citizen, phase):
    with pytest.raises(PhaseClosed):
        services.post_comment(page=consultation(index, phase=phase), author=citizen, body="Х")


def test_double_submit_makes_one_comment(index, citizen):
    page = consultation(index)
    token = uuid.uuid4()
    first, created = services.post_comment(page=page, author=citizen, body="Веднъж.", client_token=token)
    second, created_again = services.post_comment(page=page, author=citizen, body="Веднъж.", client_token=token)
    assert created and not created_again and first.pk == second.pk
    assert Comment.objects.count() == 1


def test_pre_moderation_holds_comments_until_approved(index, citizen, moderator, editor):
    page = consultation(index, moderation_mode="pre")
    held, _ = services.post_comment(page=page, author=citizen, body="Чакам одобрение.")
    assert held.moderation_status == "pending"
    assert not Comment.objects.public().filter(pk=held.pk).exists()
    official, _ = services.post_comment(page=page, author=editor, body="Официално.")
    assert official.moderation_status == "published"  # staff are not held
    services.moderate_comment(comment=held, status="published", actor=moderator)
    held.refresh_from_db()
    assert held.moderation_status == "published" and held.moderated_by == moderator
    assert ModelLogEntry.objects.filter(action="veche.moderation.publish", object_id=str(held.pk)).exists()


def test_hiding_needs_a_reason_is_logged_and_resolves_flags(index, citizen, moderator):
    page = consultation(index)
    c = comment(page, citizen)
    services.flag_comment(comment=c, user=CitizenFactory(), reason="Обиди")
    with pytest.raises(NotAllowed):
        services.moderate_comment(comment=c, status="hidden", actor=moderator)
    services.moderate_comment(comment=c, status="hidden", actor=moderator, reason="Лични нападки.")
    c.refresh_from_db()
    assert c.moderation_status == "hidden" and c.moderation_reason == "Лични нападки."
    assert not CommentFlag.objects.filter(comment=c, resolved=False).exists()
    entry = ModelLogEntry.objects.get(action="veche.moderation.hide", object_id=str(c.pk))
    assert entry.data["reason"] == "Лични нападки." and entry.user_id == moderator.pk
    # A hidden comment stays in the thread as a placeholder with the reason, and cannot be supported.
    assert Comment.objects.public().filter(pk=c.pk).exists() and not Comment.objects.visible().filter(pk=c.pk).exists()
    with pytest.raises(NotAllowed):
        services.support_comment(comment=c, user=CitizenFactory())


def test_support_once_and_not_own(index, citizen):
    page = consultation(index)
    c = comment(page, CitizenFactory())
    assert services.support_comment(comment=c, user=citizen)
    with pytest.raises(AlreadyDone):
        services.support_comment(comment=c, user=citizen)
    with pytest.raises(NotAllowed):
        services.support_comment(comment=c, user=c.author)
    assert CommentSupport.objects.filter(comment=c).count() == 1
    annotated = Comment.objects.with_counts().get(pk=c.pk)
    assert annotated.supports == 1


def test_support_after_closing_is_refused(index, citizen):
    page = consultation(index)
    c = comment(page, CitizenFactory())
    with time_machine.travel(page.closes_at + datetime.timedelta(minutes=1)):
        with pytest.raises(PhaseClosed):
            services.support_comment(comment=c, user=citizen)


def test_flag_once(index, citizen):
    c = comment(consultation(index), CitizenFactory())
    services.flag_comment(comment=c, user=citizen, reason="Спам")
    with pytest.raises(AlreadyDone):
        services.flag_comment(comment=c, user=citizen)
    with pytest.raises(NotAllowed):
        services.flag_comment(comment=c, user=c.author)


def test_decisions_need_a_reason_except_noted(index, citizen, editor):
    page = consultation(index, phase="closed")
    c = comment(page, citizen)
    m = meeting_proposal(meeting(page))
    with pytest.raises(NotAllowed):
        services.decide(items=[c], decision="accepted", reason="", actor=editor)
    assert services.decide(items=[c, m], decision="partly", reason="Частично.", actor=editor) == 2
    c.refresh_from_db()
    m.refresh_from_db()
    assert (c.decision, c.decision_reason, c.decided_by) == ("partly", "Частично.", editor)
    assert m.decision == "partly"
    assert services.decide(items=[c], decision="noted", reason="", actor=editor) == 1
    assert ModelLogEntry.objects.filter(action="veche.consultation.decide", object_id=str(c.pk)).count() == 2


def test_report_only_after_closing_and_every_decision(index, citizen, editor):
    page = consultation(index)
    c = comment(page, citizen)
    official = comment(page, editor, is_official=True)
    with pytest.raises(PhaseClosed):
        services.publish_report(page=page, actor=editor)
    with time_machine.travel(page.closes_at + datetime.timedelta(days=1)):
        with pytest.raises(NotAllowed) as error:
            services.publish_report(page=page, actor=editor)
        assert error.value.code == "undecided"
        services.decide(items=[c], decision="accepted", reason="Да.", actor=editor)
        # Official replies are not proposals: they need no decision.
        assert services.undecided_count(page) == 0 and official.decision == ""
        Follow.objects.create(page=page, user=citizen)
        mail.outbox = []
        services.publish_report(page=page, actor=editor)
        with pytest.raises(AlreadyDone):
            services.publish_report(page=page, actor=editor)
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [citizen.email]
    assert page.title in mail.outbox[0].subject
    assert PageLogEntry.objects.filter(page=page, action="veche.consultation.report").exists()


def test_digest_of_replies_at_most_once_a_day(index, citizen):
    page = consultation(index)
    core.follow(page=page, user=citizen, digest=True)
    mine = comment(page, citizen)
    other = CitizenFactory()
    services.post_comment(page=page, author=other, body="Съгласен съм.", parent=mine)
    mail.outbox = []
    assert tasks.send_digests() == 1
    assert len(mail.outbox) == 1 and "Съгласен съм." in mail.outbox[0].body
    # A new reply the same day waits: never more than one email a day.
    services.post_comment(page=page, author=CitizenFactory(), body="И аз.", parent=mine)
    assert tasks.send_digests() == 0
    with time_machine.travel(timezone.now() + datetime.timedelta(days=1, minutes=1)):
        assert tasks.send_digests() == 1
    assert "И аз." in mail.outbox[-1].body and "Съгласен съм." not in mail.outbox[-1].body
    # Nothing new: no email.
    with time_machine.travel(timezone.now() + datetime.timedelta(days=3)):
        assert tasks.send_digests() == 0


def test_emails_go_in_the_recipients_language_and_the_report_counts_for_the_day(index, citizen, editor):
    citizen.profile.language = "uk"
    citizen.profile.save()
    page = consultation(index)
    core.follow(page=page, user=citizen, digest=True)
    mine = comment(page, citizen)
    services.post_comment(page=page, author=CitizenFactory(), body="Відповідь.", parent=mine)
    with translation.override("uk"):
        digest_subject = str(translation.gettext("New replies to your comments"))
    mail.outbox = []
    assert tasks.send_digests() == 1
    assert mail.outbox[0].subject == digest_subject != "New replies to your comments"
    # The report is the promised email: it goes even on a day that already had one, and it counts for the cap.
    services.decide(items=list(Comment.objects.all()), decision="noted", reason="", actor=editor)
    with time_machine.travel(page.closes_at + datetime.timedelta(hours=1)):
        services.publish_report(page=page, actor=editor)
        assert len(mail.outbox) == 2 and page.title in mail.outbox[1].subject
        assert NotificationLog.objects.get(user=citizen).last_sent_at >= page.closes_at
        assert tasks.send_digests() == 0


def test_digest_leaves_follows_of_other_pages_alone(index, citizen, home_page):
    page = consultation(index)
    core.follow(page=page, user=citizen, digest=True)
    other = core.follow(page=home_page, user=citizen, digest=True)
    mine = comment(page, citizen)
    services.post_comment(page=page, author=CitizenFactory(), body="Отговор.", parent=mine)
    assert tasks.send_digests() == 1
    other.refresh_from_db()
    assert other.digest_sent_until is None
    assert Follow.objects.get(page=page).digest_sent_until is not None


def test_follow_is_idempotent(index, citizen):
    page = consultation(index)
    core.follow(page=page, user=citizen)
    core.follow(page=page, user=citizen, digest=True)
    assert Follow.objects.get().digest is True
    assert core.unfollow(page=page, user=citizen) == 1


def test_questionnaire_answer_once_changeable_until_closing(index, citizen):
    page = consultation(index, questions=True)
    answer, created = services.answer_questionnaire(page=page, respondent=f"u{citizen.pk}", author=citizen, data={"a": "1"})
    again, created_again = services.answer_questionnaire(page=page, respondent=f"u{citizen.pk}", author=citizen, data={"a": "2"})
    assert created and not created_again and answer.pk == again.pk
    assert QuestionnaireAnswer.objects.get().data == {"a": "2"}
    with time_machine.travel(page.closes_at + datetime.timedelta(seconds=1)):
        with pytest.raises(PhaseClosed):
            services.answer_questionnaire(page=page, respondent=f"u{citizen.pk}", author=citizen, data={"a": "3"})
    assert QuestionnaireAnswer.objects.get().data == {"a": "2"}


def test_poll_vote_once_single_choice_and_closing(db, citizen):
    p = poll()
    a, b, _c = p.choices.all()
    with pytest.raises(NotAllowed):
        services.vote_poll(poll=p, user=citizen, choice_ids=[a.pk, b.pk])
    with pytest.raises(NotAllowed):
        services.vote_poll(poll=p, user=citizen, choice_ids=[])
    other_poll = poll()
    with pytest.raises(NotAllowed):
        services.vote_poll(poll=p, user=citizen, choice_ids=[other_poll.choices.first().pk])
    services.vote_poll(poll=p, user=citizen, choice_ids=[a.pk])
    with pytest.raises(AlreadyDone):
        services.vote_poll(poll=p, user=citizen, choice_ids=[b.pk])
    assert PollVote.objects.filter(poll=p).count() == 1
    with time_machine.travel(p.closes_at + datetime.timedelta(seconds=1)):
        with pytest.raises(PhaseClosed):
            services.vote_poll(poll=p, user=CitizenFactory(), choice_ids=[a.pk])


def test_poll_multiple_choice(db, citizen):
    p = poll(multiple=True)
    a, b, _c = p.choices.all()
    vote = services.vote_poll(poll=p, user=citizen, choice_ids=[a.pk, b.pk])
    assert vote.choice_rows.count() == 2
