"""Counters of signatures: the sharded `SignatureTally`, the drift check, recounting, the threshold.

`add_to_tally` runs inside the caller's transaction, so a signature and its count commit together.
"""

import hashlib
import random

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone
from wagtail.log_actions import log

from participation.i18n import email_language
from participation.models import ModerationStatus
from participation.tasks import queue_email

from ..models import PetitionPage, PetitionState, Signature, SignatureTally, Stage

TALLY_SHARDS = getattr(settings, "VECHE_PETITION_TALLY_SHARDS", 4)


def hash_token(token):
    return hashlib.sha256(token.encode()).hexdigest()


def normalise_email(email):
    return (email or "").strip().lower()


def author_email(page):
    author = page.citizen_author
    return [author.email] if author and author.email else []


def email_author(page, *, template, context):
    """Queue an email to the petition's author, in the author's language (else the page's)."""
    queue_email(to=author_email(page), template=template, context=context, language=email_language(user=page.citizen_author, page=page))


def add_to_tally(petition_id, settlement_key, delta):
    """Add `delta` to one shard of the petition's counter for a settlement, creating the row if needed.

    Runs inside the caller's transaction. Concurrent creators of the same row meet at the unique
    constraint; the loser retries as an update inside a savepoint.
    """
    shard = random.randrange(TALLY_SHARDS)
    rows = SignatureTally.objects.filter(petition_id=petition_id, settlement_key=settlement_key, shard=shard)
    if rows.update(count=F("count") + delta):
        return
    try:
        with transaction.atomic():
            SignatureTally.objects.create(petition_id=petition_id, settlement_key=settlement_key, shard=shard, count=delta)
    except IntegrityError:
        rows.update(count=F("count") + delta)


def _drift_sql(petition_id=None):
    """One statement (one snapshot) comparing counted signature rows with the stored counters."""
    sig = Signature._meta.db_table
    tally = SignatureTally._meta.db_table
    where_sig = "WHERE confirmed_at IS NOT NULL AND moderation_status = %s"
    where_tally = ""
    params = [ModerationStatus.PUBLISHED.value]
    if petition_id is not None:
        where_sig += " AND petition_id = %s"
        where_tally = "WHERE petition_id = %s"
        params.append(petition_id)
    sql = f"""
        SELECT petition_id, settlement_key, SUM(r) AS counted_rows, SUM(t) AS tallied FROM (
            SELECT petition_id, COALESCE(settlement_id, 0) AS settlement_key, COUNT(*) AS r, 0 AS t
            FROM {sig} {where_sig} GROUP BY petition_id, COALESCE(settlement_id, 0)
            UNION ALL
            SELECT petition_id, settlement_key, 0 AS r, SUM(count) AS t
            FROM {tally} {where_tally} GROUP BY petition_id, settlement_key
        ) x GROUP BY petition_id, settlement_key HAVING SUM(r) <> SUM(t)
        ORDER BY petition_id, settlement_key
    """
    if petition_id is not None:
        params.append(petition_id)
    return sql, params


def count_differences(petition_id=None):
    """[(petition_id, settlement_key, counted rows, stored counter)] wherever they differ."""
    sql, params = _drift_sql(petition_id)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [(row[0], row[1], int(row[2] or 0), int(row[3] or 0)) for row in cursor.fetchall()]


def recount(*, petition_id=None):
    """Bring the stored counters back to the rows. The difference is read in one snapshot and added with
    F(), so signatures arriving meanwhile are neither lost nor counted twice. Returns the differences fixed."""
    differences = count_differences(petition_id)
    with transaction.atomic():
        for pid, settlement_key, counted_rows, tallied in differences:
            add_to_tally(pid, settlement_key, counted_rows - tallied)
    for pid, *_rest in differences:
        check_threshold(petition_id=pid)
    return differences


def check_threshold(*, petition_id, now=None):
    """Mark the threshold reached (once) when the count has reached it before the deadline.

    Called after the signature's transaction commits, so the last of two concurrent signers sees both.
    """
    now = now or timezone.now()
    state = PetitionState.objects.filter(page_id=petition_id, stage=Stage.PUBLISHED, threshold_reached_at__isnull=True).first()
    if state is None or state.threshold <= 0:
        return False
    if SignatureTally.objects.total(petition_id) < state.threshold:
        return False
    reached_at = min(now, state.closes_at) if state.closes_at else now
    updated = PetitionState.objects.filter(page_id=petition_id, threshold_reached_at__isnull=True).update(
        threshold_reached_at=reached_at
    )
    if updated:
        page = PetitionPage.objects.select_related("citizen_author__profile", "locale").get(pk=petition_id)
        log(instance=page, action="veche.petition.threshold", data={"threshold": state.threshold})
        with transaction.atomic():
            email_author(
                page,
                template="petitions_threshold",
                context={"title": page.title, "url": page.get_full_url(), "threshold": state.threshold},
            )
    return bool(updated)
