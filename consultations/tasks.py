"""Periodic work of consultations: the daily digest of new replies to a follower's comments.

Following and the daily cap are the core's (`participation.services`): a person gets at most one email per
interval from Veche, in their own language, whatever the number of consultations they follow.
"""

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from participation.services import digest_candidates, mark_digest_sent, notify

from .models import Comment, ConsultationPage

DIGEST_TEMPLATE = "consultations/digest"
REPLY_EXCERPT = 500


def _section(follow, user, now):
    """New replies to `user`'s comments on the followed consultation, since the last digest (None if none)."""
    since = follow.digest_sent_until or follow.created_at
    replies = list(
        Comment.objects.visible()
        .filter(page_id=follow.page_id, parent__author=user, created_at__gt=since, created_at__lte=now)
        .exclude(author=user)
        .select_related("author__profile", "parent")
        .order_by("created_at")
    )
    if not replies:
        return None
    return {
        "title": follow.page.title,
        "url": follow.page.full_url or "",
        "replies": [{"author": str(reply.author_name), "body": reply.body[:REPLY_EXCERPT], "official": reply.is_official} for reply in replies],
    }


def send_digests(*, now=None):
    """One email per person with the new replies across the consultations they follow. Returns emails queued."""
    now = now or timezone.now()
    candidates = digest_candidates(now=now)
    followed = {item.page_id for items in candidates.values() for item in items}
    consultations = set(ConsultationPage.objects.filter(pk__in=followed).values_list("pk", flat=True))
    sent = 0
    for user, items in candidates.items():
        items = [item for item in items if item.page_id in consultations]
        sections = [section for section in (_section(item, user, now) for item in items) if section]
        if not sections:
            continue
        with transaction.atomic():
            if notify(user=user, template=DIGEST_TEMPLATE, context={"sections": sections}, now=now):
                mark_digest_sent(follows=items, now=now)
                sent += 1
    return sent


@task()
def daily_digest() -> int:
    """Run once a day (a scheduler, or `manage.py send_consultation_digests`)."""
    return send_digests()
