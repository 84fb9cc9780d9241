"""Who may do what on a consultation, each refusal with its one message (participation.rules.add_rule).

Phases come from the page's dates (services check them again). Commenting is public speech under a name: it
needs at least an account with a confirmed email address, whatever the page asks for signing.
"""

import rules
from django.utils.translation import gettext_lazy as _

from participation.models import Phase, VerificationLevel
from participation.rules import (
    Requirement,
    add_rule,
    has_verified_email,
    is_authenticated,
    is_staff_member,
    must_be_staff,
    must_confirm_email,
    must_log_in,
    must_moderate,
    page_level,
)


@rules.predicate
def may_answer_anonymously(user, page):
    return page.allow_anonymous_answers


@rules.predicate
def is_comment_author(user, comment):
    return bool(user and user.is_authenticated and comment.author_id == user.pk)


def _closed_message(user, page):
    if page.phase() == Phase.UPCOMING:
        return _("This consultation is not open for comments yet.")
    return _("This consultation is closed: comments and answers are no longer accepted.")


consultation_open = Requirement(lambda user, page: page.is_open(), _closed_message, code="phase")
comment_page_open = Requirement(
    lambda user, comment: comment.page.is_open(), lambda user, comment: _closed_message(user, comment.page), code="phase"
)
account_level = page_level(minimum=VerificationLevel.ACCOUNT)
# Staff may always reply (officially) while the consultation is open; citizens need the page's level.
account_level_or_staff = account_level | is_staff_member
# Answers without an account, where the page allows them (one per browser session).
answer_level = Requirement(
    may_answer_anonymously | (is_authenticated & account_level.predicate),
    account_level.message,
    code="level",
)
not_own_comment_to_support = Requirement(~is_comment_author, _("You cannot support your own comment."))
not_own_comment_to_flag = Requirement(~is_comment_author, _("You cannot report your own comment."))
supporter_level = Requirement(has_verified_email, _("Supporting comments needs an account with a confirmed email address."), code="level")
voter_level = Requirement(has_verified_email, _("Voting needs an account with a confirmed email address."), code="level")
poll_open = Requirement(lambda user, poll: poll.is_open(), _("This poll is closed."), code="phase")

add_rule("consultations.comment_consultation", must_log_in, consultation_open, account_level_or_staff)
add_rule("consultations.support_comment", must_log_in, not_own_comment_to_support, comment_page_open, supporter_level)
add_rule("consultations.flag_comment", must_log_in, not_own_comment_to_flag, must_confirm_email)
add_rule("consultations.answer_questionnaire", consultation_open, answer_level)
add_rule("consultations.follow_consultation", must_log_in)
add_rule("consultations.vote_poll", must_log_in, poll_open, voter_level)
add_rule("consultations.reply_officially", must_be_staff)
add_rule("consultations.moderate_comment", must_moderate)
add_rule("consultations.decide_proposal", must_moderate)
