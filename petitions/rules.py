"""Who may do what with a petition (objects are petition pages, or the index for starting one).

Each permission is a list of requirements (`participation.rules.add_rule`): the first one that fails gives
the refusal its message. Views ask `participation.views.require(request, "petitions.<verb>_petition", page)`.
"""

import rules
from django.utils.translation import gettext_lazy as _

from participation.models import VerificationLevel
from participation.rules import Requirement, add_rule, is_moderator, must_edit, must_log_in, must_moderate, page_level

from . import queries
from .models import Stage

NOT_COLLECTING = _("This petition is not open for signatures.")


def _stage(page):
    state = getattr(page, "state", None)
    return state.stage if state is not None else None


@rules.predicate
def is_author(user, page):
    return bool(user and user.is_authenticated and page is not None and page.canonical.citizen_author_id == user.pk)


@rules.predicate
def is_public(user, page):
    return bool(page.live and _stage(page) == Stage.PUBLISHED)


@rules.predicate
def is_collecting(user, page):
    state = getattr(page, "state", None)
    return bool(state is not None and state.is_collecting())


@rules.predicate
def has_not_signed(user, page):
    return not queries.has_signed(page, user)


@rules.predicate
def is_sponsoring(user, page):
    return _stage(page) == Stage.SPONSORING


@rules.predicate
def is_editable(user, page):
    return _stage(page) in (Stage.SPONSORING, Stage.CHANGES)


# Public speech under a name needs at least an account, even where signing by email is enough.
account_level = page_level(minimum=VerificationLevel.ACCOUNT)

add_rule(
    "petitions.view_petition",
    Requirement(is_public, _("This petition is not public."), code="not_public") | is_author | is_moderator,
)
add_rule(
    "petitions.sign_petition",
    Requirement(is_public, NOT_COLLECTING, code="phase"),
    Requirement(is_collecting, NOT_COLLECTING, code="phase"),
    page_level(),  # anonymous visitors pass only where an email confirmation is enough
    Requirement(
        has_not_signed,
        _("You have already signed this petition. Each person can sign once, and your signature is counted."),
        code="duplicate",
    ),
)
add_rule(
    "petitions.sponsor_petition",
    must_log_in,
    Requirement(is_sponsoring, _("This petition no longer needs co-sponsors."), code="phase"),
    Requirement(~is_author, _("You wrote this petition, so it already has your signature."), code="author"),
    account_level,
    Requirement(has_not_signed, _("You already support this petition. Thank you!"), code="duplicate"),
)
add_rule(
    "petitions.edit_petition",
    must_log_in,
    Requirement(is_author, _("Only the author can change this petition."), code="not_author"),
    Requirement(is_editable, _("This petition cannot be changed now."), code="phase"),
)
# The index's `verification_level` is the level its petitions ask of signers; starting one needs an account.
add_rule("petitions.start_petition", must_log_in, account_level)
add_rule("petitions.moderate_petition", must_log_in, must_moderate)
add_rule("petitions.moderate_signature", must_log_in, must_moderate)
# The official response (and its deadline on the admin dashboard) is the editors' work.
add_rule("petitions.respond_petition", must_log_in, must_edit)
