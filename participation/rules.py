"""Shared predicates, and the one place where a refusal gets its message.

Feature apps combine these in their own `rules.py` with `add_rule()`:

    add_rule("budgets.vote_budget", must_log_in, page_level(), in_phase(BudgetPhase.VOTING, of="budget_phase"))

`add_rule` registers the permission with django-rules (so views ask `user.has_perm(perm, page)`) and keeps
the list of requirements, so `refusal(user, perm, obj)` can name the first one that fails with its own
translated message. Views never write their own refusal texts.
"""

import functools
import operator

import rules
from allauth.account.models import EmailAddress
from django.utils.translation import gettext_lazy as _

from .exceptions import NotAllowed
from .models import VerificationLevel

MODERATORS_GROUP = "Moderators"
EDITORS_GROUP = "Editors"
OFFICE_GROUP = "Office staff"
NGO_GROUP = "NGO publishers"


# --- Roles --------------------------------------------------------------------------------------------------


@rules.predicate
def is_authenticated(user):
    return bool(user and user.is_authenticated)


STAFF_ROLES = (EDITORS_GROUP, MODERATORS_GROUP, OFFICE_GROUP)
ROLES = (*STAFF_ROLES, NGO_GROUP)


def _in_groups(user, names):
    if not (user and user.is_authenticated):
        return False
    if user.is_superuser:
        return True
    cache = getattr(user, "_veche_groups", None)
    if cache is None:
        cache = set(user.groups.values_list("name", flat=True))
        user._veche_groups = cache
    return bool(cache & set(names))


@rules.predicate
def is_staff_member(user):
    """Municipal staff: editors, moderators, office staff. Not everyone who may open the admin: an NGO's
    publisher opens it too, and speaks for the NGO, not for the municipality."""
    return _in_groups(user, STAFF_ROLES)


@rules.predicate
def is_moderator(user):
    return _in_groups(user, [MODERATORS_GROUP, EDITORS_GROUP])


@rules.predicate
def is_editor(user):
    return _in_groups(user, [EDITORS_GROUP])


@rules.predicate
def is_office_staff(user):
    """Staff at the municipal office: paper and assisted ballots, resident verification."""
    return _in_groups(user, [OFFICE_GROUP])


# --- Verification -------------------------------------------------------------------------------------------


@rules.predicate
def has_verified_email(user):
    if not (user and user.is_authenticated):
        return False
    cached = getattr(user, "_veche_email_verified", None)
    if cached is None:
        cached = EmailAddress.objects.filter(user=user, verified=True).exists()
        user._veche_email_verified = cached
    return cached


@rules.predicate
def is_verified_resident(user):
    if not (user and user.is_authenticated):
        return False
    profile = getattr(user, "profile", None)
    return bool(profile and profile.resident_verified_at)


def required_level(page, minimum=None):
    """The page's verification level, raised to `minimum` when the page asks for less.

    Public speech under a name (a comment, a co-sponsorship) needs at least an account even where signing
    by email is enough: those rules pass `minimum=VerificationLevel.ACCOUNT`.
    """
    level = VerificationLevel(page.verification_level)
    if minimum is not None and VerificationLevel.rank(minimum) > VerificationLevel.rank(level):
        return VerificationLevel(minimum)
    return level


def meets_level(user, level):
    """Does this user meet a verification level? EMAIL: anyone (an anonymous act is confirmed by email)."""
    level = VerificationLevel(level)
    if level == VerificationLevel.RESIDENT:
        return is_verified_resident(user)
    if level == VerificationLevel.ACCOUNT:
        return has_verified_email(user)
    return True


@rules.predicate
def meets_page_level(user, page):
    return meets_level(user, page.verification_level)


@rules.predicate
def page_is_open(user, page):
    return page.is_open()


# --- Requirements: a predicate with the message a citizen reads when it fails --------------------------------


class Requirement:
    """A predicate and the translated sentence that explains a refusal by it.

    `code` lets a view react (for "login" it sends the visitor to the log-in page instead of an error).
    `message` may be a callable `(user, obj) -> str` when the sentence depends on the page.
    """

    def __init__(self, predicate, message, code="not_allowed"):
        self.predicate = predicate if isinstance(predicate, rules.Predicate) else rules.predicate(predicate)
        self.message = message
        self.code = code

    def test(self, user, obj):
        return self.predicate.test(user, obj)

    def explain(self, user, obj):
        return str(self.message(user, obj) if callable(self.message) else self.message)

    def __and__(self, other):
        return Requirement(self.predicate & _predicate(other), self.message, self.code)

    def __or__(self, other):
        return Requirement(self.predicate | _predicate(other), self.message, self.code)


def _predicate(item):
    return item.predicate if isinstance(item, Requirement) else item


_LEVEL_MESSAGES = {
    VerificationLevel.EMAIL: _("This needs a confirmed email address."),
    VerificationLevel.ACCOUNT: _("This needs an account with a confirmed email address."),
    VerificationLevel.RESIDENT: _("This is open to residents verified by the municipality. Ask at the municipal office."),
}


def page_level(minimum=None):
    """The page's verification level (raised to `minimum`), explained by the level the page needs."""

    @rules.predicate(name=f"meets_page_level_{minimum or 'page'}")
    def predicate(user, page):
        return meets_level(user, required_level(page, minimum))

    return Requirement(predicate, lambda user, page: _LEVEL_MESSAGES[required_level(page, minimum)], code="level")


def in_phase(*phases, of="phase", message=None):
    """The object's phase (its method named `of`, evaluated now) is one of `phases`."""
    wanted = frozenset(phases)

    @rules.predicate(name=f"in_phase_{of}_{'_'.join(sorted(str(p) for p in phases))}")
    def predicate(user, obj):
        return obj is not None and getattr(obj, of)() in wanted

    return Requirement(predicate, message or _("This is not open for participation at the moment."), code="phase")


must_log_in = Requirement(is_authenticated, _("Log in to take part."), code="login")
must_confirm_email = Requirement(has_verified_email, _LEVEL_MESSAGES[VerificationLevel.ACCOUNT], code="level")
must_be_open = Requirement(page_is_open, _("This is not open for participation at the moment."), code="phase")
must_be_staff = Requirement(is_staff_member, _("Only municipal staff can do this."))
must_moderate = Requirement(is_moderator, _("Only moderators can do this."))
must_edit = Requirement(is_editor, _("Only editors can do this."))
must_be_office_staff = Requirement(is_office_staff, _("Only office staff can do this."))

_REQUIREMENTS: dict[str, tuple[Requirement, ...]] = {}


def add_rule(perm, *requirements):
    """Register `perm` as all of `requirements`; their messages explain a refusal, first failing first."""
    requirements = tuple(item if isinstance(item, Requirement) else Requirement(item, _("You cannot do this.")) for item in requirements)
    _REQUIREMENTS[perm] = requirements
    predicate = functools.reduce(operator.and_, (item.predicate for item in requirements))
    if rules.perm_exists(perm):
        rules.set_perm(perm, predicate)
    else:
        rules.add_perm(perm, predicate)


def check_requirements(user, obj, requirements, *, code=None):
    """Raise `NotAllowed` with the message of the first requirement `user` does not meet for `obj`.

    Services use it to re-check a rule's requirements (defence in depth) with the rule's own words.
    """
    for requirement in requirements:
        if not requirement.test(user, obj):
            raise NotAllowed(requirement.explain(user, obj), code=code or requirement.code)


def refusal(user, perm, obj=None):
    """The first requirement of `perm` that `user` does not meet for `obj` (None when allowed)."""
    for requirement in _REQUIREMENTS.get(perm, ()):
        if not requirement.test(user, obj):
            return requirement
    if not user.has_perm(perm, obj):
        return Requirement(lambda *args: False, _("You cannot do this."))
    return None


add_rule("participation.moderate_contribution", must_log_in, must_moderate)
add_rule("participation.merge_settlements", must_log_in, must_edit)
