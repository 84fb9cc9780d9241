"""Writes every participation app shares: moderation, anonymisation, create-once, following and notifications."""

import contextlib
import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from .exceptions import AlreadyDone, NotAllowed
from .i18n import email_language
from .models import Follow, ModerationStatus, NotificationLog
from .tasks import queue_email

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


# --- One person, one action ----------------------------------------------------------------------------------


@contextlib.contextmanager
def once(message, *, code="duplicate"):
    """Run the block in a savepoint; a unique constraint that fires becomes `AlreadyDone(message)`.

    The database constraint is the guard (DESIGN.md §5.1): two requests at the same moment both pass the
    friendly check before it, and the second one ends here with the same kind message.
    """
    try:
        with transaction.atomic():
            yield
    except IntegrityError:
        raise AlreadyDone(message, code=code) from None


def create_once(model, *, message, code="duplicate", **fields):
    """`model.objects.create(**fields)`, or `AlreadyDone(message)` when a unique constraint says it exists."""
    with once(message, code=code):
        return model.objects.create(**fields)


# --- Following and notifications -----------------------------------------------------------------------------


def notification_interval():
    """How long after one email about followed pages the next may go (the daily cap)."""
    return datetime.timedelta(seconds=getattr(settings, "VECHE_NOTIFICATION_INTERVAL_SECONDS", 24 * 3600))


def follow(*, page, user, digest=False):
    """Follow the canonical version of `page`; following again only changes the digest choice."""
    page = getattr(page, "canonical", page)
    try:
        with transaction.atomic():
            item, created = Follow.objects.get_or_create(page_id=page.pk, user=user, defaults={"digest": digest})
    except IntegrityError:  # two clicks at once: the first one made it
        item, created = Follow.objects.get(page_id=page.pk, user=user), False
    if not created and item.digest != digest:
        item.digest = digest
        item.save(update_fields=["digest"])
    return item


def unfollow(*, page, user):
    page = getattr(page, "canonical", page)
    return Follow.objects.filter(page_id=page.pk, user=user).delete()[0]


def is_following(*, page, user):
    if not (user and user.is_authenticated):
        return None
    page = getattr(page, "canonical", page)
    return Follow.objects.filter(page_id=page.pk, user=user).first()


def notify(*, user, template, context, now=None, always=False):
    """Email `user` in their own language, at most once per interval unless `always` (a promised email).

    Returns True when an email was queued. Every email counts for the cap, so a promised email today holds
    back tomorrow's digest by one interval.
    """
    now = now or timezone.now()
    if not (user and user.email):
        return False
    with transaction.atomic():
        log_row = NotificationLog.objects.select_for_update().filter(user=user).first()
        if not always and log_row is not None and now - log_row.last_sent_at < notification_interval():
            return False
        queue_email(to=[user.email], template=template, context=context, language=email_language(user=user))
        NotificationLog.objects.update_or_create(user=user, defaults={"last_sent_at": now})
    return True


def notify_followers(*, page, template, context, now=None, always=False):
    """`notify()` every follower of `page`. Returns how many emails were queued."""
    page = getattr(page, "canonical", page)
    followers = Follow.objects.filter(page_id=page.pk).select_related("user__profile").order_by("pk")
    return sum(notify(user=item.user, template=template, context=context, now=now, always=always) for item in followers)


def digest_candidates(*, now=None):
    """Followers who asked for a digest and may be emailed now: {user: [Follow, …]}, the cap applied."""
    now = now or timezone.now()
    by_user = {}
    for item in Follow.objects.filter(digest=True).select_related("user__profile", "page").order_by("user_id", "pk"):
        by_user.setdefault(item.user, []).append(item)
    recent = dict(NotificationLog.objects.filter(user__in=list(by_user)).values_list("user_id", "last_sent_at"))
    interval = notification_interval()
    return {
        user: items
        for user, items in by_user.items()
        if user.email and not (recent.get(user.pk) and now - recent[user.pk] < interval)
    }


def mark_digest_sent(*, follows, now):
    Follow.objects.filter(pk__in=[item.pk for item in follows]).update(digest_sent_until=now)
