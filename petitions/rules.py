"""Who may do what with a petition. Objects are petition pages (or the index for drafting)."""

import rules

from participation.models import VerificationLevel
from participation.rules import is_authenticated, is_moderator, meets_level

from .models import Stage


def _state(page):
    return getattr(page, "state", None)


@rules.predicate
def is_author(user, page):
    return bool(user and user.is_authenticated and page is not None and page.canonical.citizen_author_id == user.pk)


@rules.predicate
def is_public(user, page):
    state = _state(page)
    return bool(page.live and state is not None and state.stage == Stage.PUBLISHED)


@rules.predicate
def is_collecting(user, page):
    state = _state(page)
    return bool(state is not None and state.is_collecting())


@rules.predicate
def meets_signing_level(user, page):
    if user and user.is_authenticated:
        return meets_level(user, page.verification_level)
    # Without an account, only where an email confirmation is enough.
    return page.verification_level == VerificationLevel.EMAIL


@rules.predicate
def has_not_signed(user, page):
    if not (user and user.is_authenticated):
        return True
    from .models import Signature

    return not Signature.objects.filter(petition_id=page.canonical.pk, author=user).exists()


@rules.predicate
def in_stage_sponsoring(user, page):
    state = _state(page)
    return bool(state is not None and state.stage == Stage.SPONSORING)


@rules.predicate
def is_editable_by_author(user, page):
    state = _state(page)
    return bool(state is not None and state.stage in (Stage.SPONSORING, Stage.CHANGES))


@rules.predicate
def can_sponsor_level(user, page):
    level = page.verification_level
    if level == VerificationLevel.EMAIL:
        level = VerificationLevel.ACCOUNT
    return meets_level(user, level)


@rules.predicate
def can_start_petition(user, index):
    from .services import can_draft

    return can_draft(user, index)


rules.add_perm("petitions.view_petition", is_public | is_author | is_moderator)
rules.add_perm("petitions.sign_petition", is_public & is_collecting & meets_signing_level & has_not_signed)
rules.add_perm("petitions.sponsor_petition", is_authenticated & in_stage_sponsoring & ~is_author & can_sponsor_level & has_not_signed)
rules.add_perm("petitions.edit_petition", is_author & is_editable_by_author)
rules.add_perm("petitions.start_petition", can_start_petition)
rules.add_perm("petitions.moderate_petition", is_moderator)
