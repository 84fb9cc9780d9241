"""Every write a citizen, moderator or editor causes on a consultation.

Keyword-only functions, `transaction.atomic`, domain exceptions with translated messages. One person, one
action: the services check first for a kind message; the unique constraints are the guard, and a race ends in
`participation.services.once`/`create_once` with the same message (the first result wins). Following and the
daily digest are the core's (`participation.services`, `consultations.tasks`).
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from wagtail.log_actions import log

from participation.exceptions import AlreadyDone, NotAllowed, PhaseClosed
from participation.models import ModerationStatus
from participation.rules import is_staff_member
from participation.services import create_once, moderate, notify_followers, once

from .models import (
    Comment,
    CommentFlag,
    CommentSupport,
    Decision,
    ModerationMode,
    PollChoice,
    PollVote,
    PollVoteChoice,
    QuestionnaireAnswer,
    ReportPublication,
)
from .queries import undecided_count


def _require_open(page, now=None):
    if not page.is_open(now):
        if page.phase(now) == "upcoming":
            raise PhaseClosed(_("This consultation is not open for comments yet."), code="upcoming")
        raise PhaseClosed(_("This consultation is closed: comments and answers are no longer accepted."), code="closed")


# --- Comments --------------------------------------------------------------------------------------------


def post_comment(*, page, author, body, paragraph_id="", parent=None, client_token=None, now=None):
    """Add a comment (or a reply) to the canonical page. Returns (comment, created)."""
    page = page.canonical
    _require_open(page, now)
    body = (body or "").strip()
    if not body:
        raise NotAllowed(_("Write your comment before you send it."), code="empty")
    if len(body) > 5000:
        raise NotAllowed(_("A comment can be at most 5,000 characters long."), code="too_long")
    if paragraph_id and paragraph_id not in page.paragraph_labels:
        raise NotAllowed(_("This paragraph is no longer in the draft text."), code="no_paragraph")
    if parent is not None:
        if parent.page_id != page.pk:
            raise NotAllowed(_("You can only reply to a comment on this consultation."), code="wrong_page")
        if parent.parent_id is not None:
            raise NotAllowed(_("You can reply to a comment, not to a reply."), code="reply_to_reply")
        if parent.moderation_status != ModerationStatus.PUBLISHED:
            raise NotAllowed(_("This comment cannot be answered."), code="parent_hidden")
        paragraph_id = parent.paragraph_id
    official = bool(is_staff_member(author))
    status = (
        ModerationStatus.PENDING
        if page.moderation_mode == ModerationMode.PRE and not official
        else ModerationStatus.PUBLISHED
    )
    if client_token:
        existing = Comment.objects.filter(page=page, author=author, client_token=client_token).first()
        if existing:
            return existing, False
    already = _("Your comment had already been received.")
    try:
        comment = create_once(
            Comment,
            message=already,
            page=page,
            author=author,
            body=body,
            paragraph_id=paragraph_id or "",
            parent=parent,
            is_official=official,
            moderation_status=status,
            client_token=client_token,
            created_at=now or timezone.now(),
        )
    except AlreadyDone:  # the same submit from two requests at once: the first one made it
        existing = Comment.objects.filter(page=page, author=author, client_token=client_token).first()
        if existing is None:
            raise
        return existing, False
    return comment, True


def support_comment(*, comment, user, now=None):
    """"I agree", once per person. Returns True when this call added the support."""
    _require_open(comment.page, now)
    if comment.author_id == user.pk:
        raise NotAllowed(_("You cannot support your own comment."), code="own")
    if comment.moderation_status != ModerationStatus.PUBLISHED:
        raise NotAllowed(_("This comment cannot be supported."), code="hidden")
    message = _("You already support this comment.")
    if CommentSupport.objects.filter(comment=comment, user=user).exists():
        raise AlreadyDone(message, code="already")
    create_once(CommentSupport, message=message, code="already", comment=comment, user=user, created_at=now or timezone.now())
    return True


def flag_comment(*, comment, user, reason=""):
    """Ask moderators to look at a comment. Once per person."""
    if comment.author_id == user.pk:
        raise NotAllowed(_("You cannot report your own comment."), code="own")
    message = _("You have already reported this comment. A moderator will look at it.")
    if CommentFlag.objects.filter(comment=comment, user=user).exists():
        raise AlreadyDone(message, code="already")
    create_once(CommentFlag, message=message, code="already", comment=comment, user=user, reason=(reason or "")[:300])
    return True


def moderate_comment(*, comment, status, actor, reason=""):
    """Publish, hide or reject a comment (logged by participation.services.moderate); resolves its flags."""
    with transaction.atomic():
        result = moderate(contribution=comment, status=status, actor=actor, reason=reason)
        CommentFlag.objects.filter(comment=comment, resolved=False).update(resolved=True)
    return result


# --- Decisions and the report ----------------------------------------------------------------------------


def decide(*, items, decision, reason, actor, now=None):
    """Give comments and meeting proposals a decision with a reason (bulk). Returns how many changed."""
    decision = Decision(decision)
    reason = (reason or "").strip()
    if decision != Decision.NOTED and not reason:
        raise NotAllowed(_("Give a reason for the decision: it is published in the report."), code="reason_required")
    now = now or timezone.now()
    changed = 0
    with transaction.atomic():
        for item in items:
            item.decision = decision
            item.decision_reason = reason
            item.decided_at = now
            item.decided_by = actor
            item.save(update_fields=["decision", "decision_reason", "decided_at", "decided_by"])
            if isinstance(item, Comment):
                log(instance=item, action="veche.consultation.decide", user=actor, data={"decision": decision.value, "reason": reason})
            changed += 1
    return changed


def publish_report(*, page, actor, now=None):
    """Publish the outcome report once the consultation has closed and every proposal has a decision."""
    page = page.canonical
    now = now or timezone.now()
    if page.is_open(now) or page.phase(now) == "upcoming":
        raise PhaseClosed(_("The report can be published only after the consultation closes."), code="open")
    missing = undecided_count(page)
    if missing:
        raise NotAllowed(
            ngettext(
                "%(count)s proposal still needs a decision before the report can be published.",
                "%(count)s proposals still need a decision before the report can be published.",
                missing,
            )
            % {"count": missing},
            code="undecided",
        )
    with transaction.atomic():
        publication = create_once(
            ReportPublication,
            message=_("The report has already been published."),
            code="already",
            page=page,
            published_at=now,
            published_by=actor,
        )
        log(instance=page, action="veche.consultation.report", user=actor, data={"published_at": now.isoformat()})
        # The report is the one email a follower is promised: it is always sent, and counts for the day.
        notify_followers(
            page=page,
            template="consultations/report_published",
            context={"title": page.title, "url": page.full_url or page.url or ""},
            now=now,
            always=True,
        )
    page._report_cache = publication
    return publication


# --- Questionnaire ---------------------------------------------------------------------------------------


def answer_questionnaire(*, page, respondent, author, data, now=None):
    """Save the respondent's answer; a second answer replaces the first until closing. Returns (answer, created)."""
    page = page.canonical
    now = now or timezone.now()
    _require_open(page, now)
    if not respondent:
        raise NotAllowed(_("Log in to answer the questionnaire."), code="login")
    with transaction.atomic():
        answer = QuestionnaireAnswer.objects.select_for_update().filter(page=page, respondent=respondent).first()
        if answer:
            answer.data = data
            answer.updated_at = now
            answer.save(update_fields=["data", "updated_at"])
            return answer, False
        try:
            answer = create_once(
                QuestionnaireAnswer,
                message=_("Your answers are updated."),
                page=page,
                respondent=respondent,
                author=author,
                data=data,
                created_at=now,
                updated_at=now,
            )
        except AlreadyDone:  # answered from two requests at once: the later one replaces the answer
            answer = QuestionnaireAnswer.objects.get(page=page, respondent=respondent)
            answer.data = data
            answer.updated_at = now
            answer.save(update_fields=["data", "updated_at"])
            return answer, False
    return answer, True


# --- Polls -----------------------------------------------------------------------------------------------


def vote_poll(*, poll, user, choice_ids, now=None):
    """One vote per person per poll. Returns the vote."""
    if not poll.is_open(now):
        raise PhaseClosed(_("This poll is closed."), code="closed")
    choice_ids = {int(pk) for pk in choice_ids}
    if not choice_ids:
        raise NotAllowed(_("Choose an answer."), code="empty")
    if len(choice_ids) > 1 and not poll.multiple:
        raise NotAllowed(_("Choose only one answer."), code="too_many")
    choices = list(PollChoice.objects.filter(poll=poll, pk__in=choice_ids))
    if len(choices) != len(choice_ids):
        raise NotAllowed(_("This answer is not part of the poll."), code="bad_choice")
    message = _("You have already voted in this poll.")
    if PollVote.objects.filter(poll=poll, user=user).exists():
        raise AlreadyDone(message, code="already")
    with once(message, code="already"):
        vote = PollVote.objects.create(poll=poll, user=user, created_at=now or timezone.now())
        PollVoteChoice.objects.bulk_create([PollVoteChoice(vote=vote, choice=choice) for choice in choices])
    return vote
