"""Shared predicates. Feature apps combine them in their own rules.py."""

import rules
from allauth.account.models import EmailAddress

from .models import VerificationLevel

MODERATORS_GROUP = "Moderators"
EDITORS_GROUP = "Editors"
NGO_GROUP = "NGO publishers"


@rules.predicate
def is_authenticated(user):
    return bool(user and user.is_authenticated)


@rules.predicate
def is_staff_member(user):
    """Municipal staff: anyone who may use the Wagtail admin."""
    return bool(user and user.is_authenticated and (user.is_superuser or user.has_perm("wagtailadmin.access_admin")))


@rules.predicate
def is_moderator(user):
    if not (user and user.is_authenticated):
        return False
    return user.is_superuser or user.groups.filter(name__in=[MODERATORS_GROUP, EDITORS_GROUP]).exists()


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


def meets_level(user, level):
    """Does this user meet a page's required verification level?"""
    level = VerificationLevel(level)
    if level == VerificationLevel.RESIDENT:
        return is_verified_resident(user)
    if level == VerificationLevel.ACCOUNT:
        return has_verified_email(user)
    # EMAIL: anyone may take part; an anonymous contribution is confirmed by email later.
    return True


@rules.predicate
def meets_page_level(user, page):
    return meets_level(user, page.verification_level)


@rules.predicate
def page_is_open(user, page):
    return page.is_open()


rules.add_perm("participation.moderate_contribution", is_moderator)
