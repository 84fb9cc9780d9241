"""Every write a citizen, moderator or editor causes on a consultation.

Keyword-only functions, `transaction.atomic`, domain exceptions with translated messages. One person, one
action: the services check first for a kind message; the unique constraints are the guard, and an
`IntegrityError` from a race gives the same message (the first result wins).
"""

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from wagtail.log_actions import log

from participation.exceptions import AlreadyDone, NotAllowed, PhaseClosed
from participation.models import ModerationStatus
from participation.rules import is_staff_member
from participation.services import moderate
from participation.tasks import queue_email

from .models import (
    Comment,
    CommentFlag,
    CommentSupport,
    Decision,
    EmailLog,
    Follow,
    MeetingProposal,
    ModerationMode,
    PollChoice,
    PollVote,
    PollVoteChoice,
    QuestionnaireAnswer,
    ReportPublication,
)

EMAIL_INTERVAL = datetime.timedelta(days=1)


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
    try:
        with transaction.atomic():
            comment = Comment.objects.create(
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
    except IntegrityError:
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
    if CommentSupport.objects.filter(comment=comment, user=user).exists():
        raise AlreadyDone(_("You already support this comment."), code="already")
    try:
        with transaction.atomic():
            CommentSupport.objects.create(comment=comment, user=user, created_at=now or timezone.now())
    except IntegrityError:
        raise AlreadyDone(_("You already support this comment."), code="already") from None
    return True


def flag_comment(*, comment, user, reason=""):
    """Ask moderators to look at a comment. Once per person."""
    if comment.author_id == user.pk:
        raise NotAllowed(_("You cannot report your own comment."), code="own")
    if CommentFlag.objects.filter(comment=comment, user=user).exists():
        raise AlreadyDone(_("You have already reported this comment. A moderator will look at it."), code="already")
    try:
        with transaction.atomic():
            CommentFlag.objects.create(comment=comment, user=user, reason=(reason or "")[:300])
    except IntegrityError:
        raise AlreadyDone(_("You have already reported this comment. A moderator will look at it."), code="already") from None
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


def undecided_count(page):
    page = page.canonical
    comments = Comment.objects.proposals().filter(page=page, decision="").count()
    proposals = MeetingProposal.objects.filter(meeting__page=page, decision="").count()
    return comments + proposals


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
        try:
            with transaction.atomic():
                publication = ReportPublication.objects.create(page=page, published_at=now, published_by=actor)
        except IntegrityError:
            raise AlreadyDone(_("The report has already been published."), code="already") from None
        log(instance=page, action="veche.consultation.report", user=actor, data={"published_at": now.isoformat()})
        followers = Follow.objects.filter(page=page).select_related("user")
        for follow in followers:
            if not follow.user.email:
                continue
            # The report is the one email a follower is promised: it is always sent, and counts for the day.
            queue_email(
                to=[follow.user.email],
                template="consultations/report_published",
                context={"title": page.title, "url": page.full_url or page.url or ""},
                language=_language_of(follow.user),
            )
            EmailLog.objects.update_or_create(user=follow.user, defaults={"last_sent_at": now})
    page._report_cache = publication
    return publication


def _language_of(user):
    profile = getattr(user, "profile", None)
    return (profile.language if profile and profile.language else None)


# --- Following and digests -------------------------------------------------------------------------------


def follow(*, page, user, digest=False):
    page = page.canonical
    try:
        with transaction.atomic():
            follow_obj, created = Follow.objects.get_or_create(page=page, user=user, defaults={"digest": digest})
    except IntegrityError:
        follow_obj, created = Follow.objects.get(page=page, user=user), False
    if not created and follow_obj.digest != digest:
        follow_obj.digest = digest
        follow_obj.save(update_fields=["digest"])
    return follow_obj


def unfollow(*, page, user):
    return Follow.objects.filter(page=page.canonical, user=user).delete()[0]


def send_digests(*, now=None):
    """One email per person with the new replies to their comments across the consultations they follow.

    Skips anyone emailed by us in the last day (never more than one email a day). Returns emails queued.
    """
    now = now or timezone.now()
    sent = 0
    follows = Follow.objects.filter(digest=True).select_related("user", "page").order_by("user_id", "pk")
    by_user = {}
    for item in follows:
        by_user.setdefault(item.user, []).append(item)
    recent = dict(EmailLog.objects.filter(user__in=list(by_user)).values_list("user_id", "last_sent_at"))
    for user, items in by_user.items():
        if not user.email or (recent.get(user.pk) and now - recent[user.pk] < EMAIL_INTERVAL):
            continue
        sections = []
        for item in items:
            since = item.digest_sent_until or item.created_at
            replies = list(
                Comment.objects.visible()
                .filter(page=item.page, parent__author=user, created_at__gt=since, created_at__lte=now)
                .exclude(author=user)
                .select_related("author__profile", "parent")
                .order_by("created_at")
            )
            if replies:
                sections.append(
                    {
                        "title": item.page.title,
                        "url": item.page.full_url or "",
                        "replies": [
                            {"author": str(reply.author_name), "body": reply.body[:500], "official": reply.is_official}
                            for reply in replies
                        ],
                    }
                )
        if not sections:
            continue
        with transaction.atomic():
            queue_email(to=[user.email], template="consultations/digest", context={"sections": sections}, language=_language_of(user))
            Follow.objects.filter(pk__in=[item.pk for item in items]).update(digest_sent_until=now)
            EmailLog.objects.update_or_create(user=user, defaults={"last_sent_at": now})
        sent += 1
    return sent


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
            with transaction.atomic():
                answer = QuestionnaireAnswer.objects.create(
                    page=page, respondent=respondent, author=author, data=data, created_at=now, updated_at=now
                )
        except IntegrityError:
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
    if PollVote.objects.filter(poll=poll, user=user).exists():
        raise AlreadyDone(_("You have already voted in this poll."), code="already")
    try:
        with transaction.atomic():
            vote = PollVote.objects.create(poll=poll, user=user, created_at=now or timezone.now())
            PollVoteChoice.objects.bulk_create([PollVoteChoice(vote=vote, choice=choice) for choice in choices])
    except IntegrityError:
        raise AlreadyDone(_("You have already voted in this poll."), code="already") from None
    return vote
