"""The choices of petitions: what the public sees (`Status`), where a petition is (`Stage`), the decision and
the reasons for a rejection."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Decision(models.TextChoices):
    ACCEPTED = "accepted", _("Accepted")
    PARTLY = "partly", _("Partly accepted")
    REJECTED = "rejected", _("Rejected")
    FORWARDED = "forwarded", _("Forwarded to the municipal council")


class Status(models.TextChoices):
    """What the public sees. Derived from the stage and the dates, never stored (DESIGN.md §5.5)."""

    DRAFT = "draft", _("Draft")
    CHANGES = "changes", _("Changes requested")
    SPONSORING = "sponsoring", _("Collecting co-sponsors")
    MODERATION = "moderation", _("Waiting for moderation")
    REJECTED = "rejected", _("Rejected")
    OPEN = "open", _("Open for signatures")
    AWAITING = "awaiting", _("Awaiting response")
    RESPONDED = "responded", _("Responded")
    CLOSED = "closed", _("Closed")


class Stage(models.TextChoices):
    """Where a petition is in its life before and after publication (written by services only)."""

    DRAFT = "draft", _("Draft")
    SPONSORING = "sponsoring", _("Collecting co-sponsors")
    MODERATION = "moderation", _("In moderation")
    CHANGES = "changes", _("Changes requested")
    PUBLISHED = "published", _("Published")
    REJECTED = "rejected", _("Rejected")


class RejectionReason(models.TextChoices):
    DUPLICATE = "duplicate", _("It duplicates a petition that is already open")
    NOT_COMPETENT = "competence", _("It is not something the municipality is responsible for")
    UNCLEAR = "unclear", _("It does not say clearly what the municipality should do")
    OFFENSIVE = "offensive", _("It is offensive, defamatory or includes personal data")
    ADVERTISING = "advertising", _("It advertises a product or service, or is a joke")
    OTHER = "other", _("Other reason")
