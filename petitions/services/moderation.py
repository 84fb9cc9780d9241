"""Moderation of petitions and of signatures. Wagtail's workflow approves and requests changes; these keep
the petition's state, the counts and the emails right."""

import datetime
import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from participation.exceptions import AlreadyDone, NotAllowed, PhaseClosed
from participation.models import ModerationStatus
from participation.services import moderate

from ..models import PetitionIndexPage, PetitionPage, PetitionState, RejectionReason, Signature, Stage
from ..tasks import send_response_emails
from .counting import add_to_tally, check_threshold, email_author, recount


def petition_published(*, page, now=None):
    """Called for every publish of a petition (any language, any revision). The first publish opens the
    petition; every publish re-applies the system's dates to the page row, which a revision cannot hold."""
    now = now or timezone.now()
    canonical = page.canonical
    with transaction.atomic():
        state = PetitionState.objects.select_for_update().filter(page_id=canonical.pk).first()
        if state is None:  # created by an editor in the admin, not through the citizen form
            state = PetitionState.objects.create(page=canonical, stage=Stage.MODERATION, sponsor_token=secrets.token_urlsafe(24))
            state = PetitionState.objects.select_for_update().get(pk=state.pk)
        index = PetitionIndexPage.objects.get(pk=canonical.get_parent().pk)
        first = state.opened_at is None
        if first:
            state.stage = Stage.PUBLISHED
            state.opened_at = now
            state.closes_at = now + datetime.timedelta(days=index.effective_collection_days)
            state.threshold = index.effective_threshold
            state.response_working_days = index.effective_response_working_days
            state.rejected_at = None
            state.save()
            # The author's language, never the language of the moderator's admin.
            email_author(
                canonical,
                template="petitions_approved",
                context={"title": canonical.title, "url": canonical.get_full_url(), "closes_at": state.closes_at.isoformat(), "threshold": state.threshold},
            )
        elif state.stage != Stage.PUBLISHED:
            state.stage = Stage.PUBLISHED
            state.save(update_fields=["stage"])
        live = PetitionPage.objects.get(pk=page.pk)
        if live.has_response and state.responded_at is None:
            state.responded_at = now
            state.save(update_fields=["responded_at"])
            log(instance=live, action="veche.petition.responded", data={"decision": live.response_decision})
            petition_id = canonical.pk
            transaction.on_commit(lambda: send_response_emails.enqueue(petition_id=petition_id))
        # The page row mirrors the system's dates for listings that only read pages (the home page): a
        # responded petition no longer collects, so it is not listed as open there.
        collecting_until = min(state.closes_at, state.responded_at) if state.responded_at else state.closes_at
        PetitionPage.objects.filter(translation_key=canonical.translation_key).update(
            opens_at=state.opened_at, closes_at=collecting_until
        )
    if first:
        check_threshold(petition_id=canonical.pk, now=now)
    return state


def changes_requested(*, page, comment="", actor=None):
    with transaction.atomic():
        state = PetitionState.objects.select_for_update().filter(page_id=page.pk).first()
        if state is None:
            return None
        state.stage = Stage.CHANGES
        state.save(update_fields=["stage"])
        index = PetitionIndexPage.objects.get(pk=page.get_parent().pk)
        email_author(
            page,
            template="petitions_changes",
            context={
                "title": page.title,
                "comment": comment,
                "edit_url": index.get_full_url() + index.reverse_subpage("edit", args=[page.pk]),
            },
        )
    return state


def reject(*, page, actor, reason, details=""):
    """Refuse a petition for good, with a reason from the list and free text; the author is told why."""
    reason = RejectionReason(reason)
    details = (details or "").strip()
    if reason == RejectionReason.OTHER and not details:
        raise NotAllowed(_("Explain the reason when you choose 'Other reason'."), code="details_required")
    with transaction.atomic():
        state = PetitionState.objects.select_for_update().get(page_id=page.pk)
        if state.stage == Stage.PUBLISHED or state.stage == Stage.REJECTED:
            raise PhaseClosed(_("Only a petition that has not been published can be rejected."), code="published")
        workflow_state = page.current_workflow_state
        if workflow_state is not None:
            workflow_state.cancel(user=actor)
        state.stage = Stage.REJECTED
        state.rejected_at = timezone.now()
        state.rejection_reason = reason
        state.rejection_details = details
        state.save()
        log(instance=page, action="veche.petition.rejected", user=actor, data={"reason": reason.value, "details": details})
        email_author(
            page,
            template="petitions_rejected",
            context={"title": page.title, "reason": str(reason.label), "details": details},
        )
    return state



ALREADY = {
    ModerationStatus.REJECTED: _("This signature is already invalid."),
    ModerationStatus.PUBLISHED: _("This signature already counts."),
}


def moderate_signature(*, signature, status, actor, reason=""):
    """A moderator's decision on one signature (the shared moderation, logged), with the counter moved in
    the same transaction when the decision changes whether the signature counts. The row is always kept."""
    status = ModerationStatus(status)
    with transaction.atomic():
        locked = Signature.objects.select_for_update().get(pk=signature.pk)
        if locked.moderation_status == status and status in ALREADY:
            raise AlreadyDone(ALREADY[status], code="duplicate")
        counted_before = locked.counts
        moderate(contribution=locked, status=status, actor=actor, reason=reason)
        counts_now = locked.counts
        if counts_now != counted_before:
            add_to_tally(locked.petition_id, locked.settlement_key, 1 if counts_now else -1)
    if counts_now:
        check_threshold(petition_id=signature.petition_id)
    else:
        recount(petition_id=signature.petition_id)
    signature.refresh_from_db()
    return signature


def invalidate(*, signature, actor, reason):
    """Take a fraudulent signature out of the count, with a logged reason. The row is kept."""
    return moderate_signature(signature=signature, status=ModerationStatus.REJECTED, actor=actor, reason=reason)


def approve(*, signature, actor):
    """Accept a signature that waited for staff review (for example from a listed email domain)."""
    return moderate_signature(signature=signature, status=ModerationStatus.PUBLISHED, actor=actor)
