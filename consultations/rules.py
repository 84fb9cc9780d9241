"""Who may do what on a consultation. Phases come from the page's dates (checked again in services)."""

import rules

from participation.models import VerificationLevel
from participation.rules import has_verified_email, is_authenticated, is_moderator, is_staff_member, meets_level


@rules.predicate
def consultation_is_open(user, page):
    return page.is_open()


@rules.predicate
def meets_consultation_level(user, page):
    # Commenting is public speech under a name: at least a verified account, whatever the page says.
    level = page.verification_level
    if level == VerificationLevel.EMAIL:
        level = VerificationLevel.ACCOUNT
    return meets_level(user, level)


@rules.predicate
def may_answer_anonymously(user, page):
    return page.allow_anonymous_answers


@rules.predicate
def comment_page_is_open(user, comment):
    return comment.page.is_open()


@rules.predicate
def is_comment_author(user, comment):
    return bool(user and user.is_authenticated and comment.author_id == user.pk)


@rules.predicate
def poll_is_open(user, poll):
    return poll.is_open()


# Staff may always reply (officially) while the consultation is open; citizens need the page's level.
can_comment = is_authenticated & consultation_is_open & (meets_consultation_level | is_staff_member)
rules.add_perm("consultations.comment_consultation", can_comment)
rules.add_perm(
    "consultations.support_comment",
    is_authenticated & has_verified_email & comment_page_is_open & ~is_comment_author,
)
rules.add_perm("consultations.flag_comment", is_authenticated & has_verified_email & ~is_comment_author)
rules.add_perm(
    "consultations.answer_questionnaire",
    consultation_is_open & (may_answer_anonymously | (is_authenticated & meets_consultation_level)),
)
rules.add_perm("consultations.follow_consultation", is_authenticated)
rules.add_perm("consultations.vote_poll", is_authenticated & has_verified_email & poll_is_open)
rules.add_perm("consultations.reply_officially", is_staff_member)
rules.add_perm("consultations.moderate_comment", is_moderator)
rules.add_perm("consultations.decide_proposal", is_moderator)
