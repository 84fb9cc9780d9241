"""Writes caused by moderators that every participation app shares."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from .exceptions import NotAllowed
from .models import ModerationStatus

MODERATION_ACTIONS = {
    ModerationStatus.PUBLISHED: "veche.moderation.publish",
    ModerationStatus.HIDDEN: "veche.moderation.hide",
    ModerationStatus.REJECTED: "veche.moderation.reject",
    ModerationStatus.PENDING: "veche.moderation.pending",
}


def moderate(*, contribution, status, actor, reason=""):
    """Set a contribution's moderation status, keeping the reason and an audit log entry.

    Hiding or rejecting needs a reason: the author and the public are told why.
    """
    status = ModerationStatus(status)
    reason = (reason or "").strip()
    if status in (ModerationStatus.HIDDEN, ModerationStatus.REJECTED) and not reason:
        raise NotAllowed(_("Give a reason when you hide or reject a contribution."), code="reason_required")
    model = type(contribution)
    with transaction.atomic():
        locked = model.objects.select_for_update().get(pk=contribution.pk)
        previous = locked.moderation_status
        locked.moderation_status = status
        locked.moderation_reason = reason
        locked.moderated_at = timezone.now()
        locked.moderated_by = actor
        locked.save(update_fields=["moderation_status", "moderation_reason", "moderated_at", "moderated_by"])
        log(
            instance=locked,
            action=MODERATION_ACTIONS[status],
            user=actor,
            data={"previous": previous, "status": status.value, "reason": reason},
        )
    contribution.refresh_from_db()
    return contribution


def anonymise(*, queryset, now=None):
    """Anonymise every record in `queryset` that is not anonymised yet. Returns how many changed."""
    now = now or timezone.now()
    changed = 0
    with transaction.atomic():
        for record in queryset.select_for_update().filter(is_anonymised=False):
            record.anonymise(now=now)
            record.save()
            changed += 1
    return changed
