"""Every write a citizen or moderator causes on petitions (DESIGN.md §3, §5).

Keyword-only functions, one transaction each, domain exceptions with translated messages, emails after
commit. Counters are `SignatureTally` rows updated with F() in the signature's own transaction.
"""

import datetime
import hashlib
import random
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from participation import drafts
from participation.exceptions import AlreadyDone, NotAllowed, PhaseClosed
from participation.models import ModerationStatus, VerificationLevel
from participation.rules import meets_level
from participation.services import moderate
from participation.tasks import queue_email

from .models import (
    PetitionIndexPage,
    PetitionPage,
    PetitionState,
    RejectionReason,
    Signature,
    SignatureTally,
    Stage,
)

TALLY_SHARDS = getattr(settings, "VECHE_PETITION_TALLY_SHARDS", 4)
DUPLICATE_DRAFT_WINDOW = datetime.timedelta(minutes=10)


def hash_token(token):
    return hashlib.sha256(token.encode()).hexdigest()


def normalise_email(email):
    return (email or "").strip().lower()


CYRILLIC = dict(
    zip(
        "абвгдежзийклмнопрстуфхцчшщъьюяєіїґэыё",
        ["a", "b", "v", "g", "d", "e", "zh", "z", "i", "y", "k", "l", "m", "n", "o", "p", "r", "s", "t", "u", "f",
         "h", "ts", "ch", "sh", "sht", "a", "", "yu", "ya", "ye", "i", "yi", "g", "e", "y", "yo"],
    )
)


def petition_slug(index, title):
    """A Latin slug for a citizen's title (Bulgarian/Ukrainian transliterated), unique under the index."""
    from django.utils.text import slugify

    base = slugify("".join(CYRILLIC.get(char, char) for char in title.lower()))[:70].strip("-") or "petition"
    slug, number = base, 1
    siblings = set(index.get_children().values_list("slug", flat=True))
    while slug in siblings:
        number += 1
        slug = f"{base}-{number}"
    return slug


def _language():
    return translation.get_language() or settings.LANGUAGE_CODE


def _author_email(page):
    author = page.citizen_author
    return [author.email] if author and author.email else []


# Counters ------------------------------------------------------------------------------------------------


def _add_to_tally(petition_id, settlement_key, delta):
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
            _add_to_tally(pid, settlement_key, counted_rows - tallied)
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
        page = PetitionPage.objects.select_related("citizen_author").get(pk=petition_id)
        log(instance=page, action="veche.petition.threshold", data={"threshold": state.threshold})
        with transaction.atomic():
            queue_email(
                to=_author_email(page),
                template="petitions_threshold",
                context={"title": page.title, "url": page.get_full_url(), "threshold": state.threshold},
                language=_language(),
            )
    return bool(updated)


# Drafting ------------------------------------------------------------------------------------------------


def can_draft(user, index):
    level = index.signature_level
    if VerificationLevel.rank(level) < VerificationLevel.rank(VerificationLevel.ACCOUNT):
        level = VerificationLevel.ACCOUNT
    return bool(user and user.is_authenticated and meets_level(user, level))


def create_draft(*, index, author, title, summary, background, settlement=None, tags=(), now=None):
    """A citizen's petition becomes a draft child page of the index, authored by them, with their own
    signature. With co-sponsors required it waits for them, otherwise it goes to moderation.

    A repeated submit (double click, resent form) returns the draft the first one made.
    """
    now = now or timezone.now()
    index = index.specific
    if not can_draft(author, index):
        raise NotAllowed(_("Only citizens with a verified account can start a petition."), code="not_verified")
    title = " ".join(title.split())
    with transaction.atomic():
        # Serialise drafts of one author: the idempotency check and the insert happen under a lock.
        get_user_model().objects.select_for_update().filter(pk=author.pk).first()
        existing = (
            PetitionPage.objects.filter(citizen_author=author, title=title, petition_state__isnull=False)
            .filter(petition_state__stage__in=[Stage.SPONSORING, Stage.MODERATION, Stage.DRAFT])
            .order_by("-pk")
            .first()
        )
        if existing and existing.first_published_at is None and existing.latest_revision_created_at and now - existing.latest_revision_created_at < DUPLICATE_DRAFT_WINDOW:
            return existing
        page = PetitionPage(
            title=title,
            slug=petition_slug(index, title),
            summary=summary.strip(),
            background=background.strip(),
            verification_level=index.signature_level,
            locale_id=index.locale_id,
        )
        if settlement is not None:
            page.settlements = [settlement]
        for tag in tags:
            page.tags.add(tag)
        page, _revision = drafts.create_citizen_draft(parent=index, page=page, author=author, submit_for_moderation=False)
        state = PetitionState.objects.create(
            page=page,
            stage=Stage.SPONSORING if index.sponsors_required else Stage.MODERATION,
            sponsor_token=secrets.token_urlsafe(24),
            sponsors_required=index.sponsors_required,
        )
        profile = getattr(author, "profile", None)
        author_settlement = settlement or (profile.settlement if profile else None)
        Signature.objects.create(
            petition=page,
            author=author,
            email=normalise_email(author.email),
            name=profile.public_name if profile else "",
            settlement=author_settlement,
            confirmed_at=now,
            notify=True,
        )
        _add_to_tally(page.pk, author_settlement.pk if author_settlement else 0, 1)
        if state.stage == Stage.MODERATION:
            _send_to_moderation(page=page, state=state, author=author, now=now)
        log(instance=page, action="veche.petition.drafted", user=author, data={"stage": state.stage})
        queue_email(
            to=_author_email(page),
            template="petitions_draft_received",
            context={
                "title": page.title,
                "sponsors_required": state.sponsors_required,
                "sponsor_url": sponsor_url(index, state),
                "mine_url": index.get_full_url() + index.reverse_subpage("mine"),
            },
            language=_language(),
        )
    return page


def sponsor_url(index, state):
    return index.get_full_url() + index.reverse_subpage("sponsor", args=[state.sponsor_token])


def _send_to_moderation(*, page, state, author, now):
    drafts.submit_draft(page=page, author=author)
    state.stage = Stage.MODERATION
    state.submitted_at = now
    state.save(update_fields=["stage", "submitted_at"])


def sponsor(*, state, user, now=None):
    """A supporter signs the draft through the author's private link. When enough have signed, the draft
    goes to moderation. Checked under a lock of the petition's state row (DESIGN.md §5.3)."""
    now = now or timezone.now()
    if not (user and user.is_authenticated):
        raise NotAllowed(_("Log in to support this petition."), code="login")
    with transaction.atomic():
        state = PetitionState.objects.select_for_update().select_related("page").get(pk=state.pk)
        page = state.page
        if state.stage != Stage.SPONSORING:
            raise PhaseClosed(_("This petition no longer needs co-sponsors."), code="not_sponsoring")
        if page.citizen_author_id == user.pk:
            raise NotAllowed(_("You wrote this petition, so it already has your signature."), code="author")
        if not meets_level(user, page.verification_level if page.verification_level != VerificationLevel.EMAIL else VerificationLevel.ACCOUNT):
            raise NotAllowed(_("Your account does not have the verification this petition requires."), code="level")
        if Signature.objects.filter(petition=page, author=user).exists():
            raise AlreadyDone(_("You already support this petition. Thank you!"), code="duplicate")
        profile = getattr(user, "profile", None)
        settlement = profile.settlement if profile else None
        try:
            with transaction.atomic():
                Signature.objects.create(
                    petition=page,
                    author=user,
                    email=normalise_email(user.email),
                    name=profile.public_name if profile else "",
                    settlement=settlement,
                    is_sponsor=True,
                    confirmed_at=now,
                    notify=True,
                )
        except IntegrityError:
            raise AlreadyDone(_("You already support this petition. Thank you!"), code="duplicate") from None
        _add_to_tally(page.pk, settlement.pk if settlement else 0, 1)
        sponsors = Signature.objects.filter(petition=page, is_sponsor=True).counted().count()
        if sponsors >= state.sponsors_required:
            _send_to_moderation(page=page, state=state, author=page.citizen_author, now=now)
            queue_email(
                to=_author_email(page),
                template="petitions_sponsored",
                context={"title": page.title, "sponsors": sponsors},
                language=_language(),
            )
    return state


def edit_draft(*, page, author, title, summary, background, now=None):
    """The author changes a draft (while it collects co-sponsors or after changes were requested) and,
    after changes were requested, sends it back to moderation."""
    now = now or timezone.now()
    page = PetitionPage.objects.get(pk=page.pk)
    with transaction.atomic():
        state = PetitionState.objects.select_for_update().get(page=page)
        if page.citizen_author_id != author.pk:
            raise NotAllowed(_("Only the author can change this petition."), code="not_author")
        if state.stage not in (Stage.SPONSORING, Stage.CHANGES):
            raise PhaseClosed(_("This petition can no longer be changed."), code="locked")
        latest = page.get_latest_revision_as_object()
        latest.title = " ".join(title.split())
        latest.summary = summary.strip()
        latest.background = background.strip()
        latest.save_revision(user=author, log_action=True)
        if state.stage == Stage.CHANGES:
            workflow_state = page.current_workflow_state
            if workflow_state is not None and workflow_state.status == workflow_state.STATUS_NEEDS_CHANGES:
                workflow_state.resume(user=author)
            else:
                drafts.submit_draft(page=page, author=author)
            state.stage = Stage.MODERATION
            state.submitted_at = now
            state.save(update_fields=["stage", "submitted_at"])
    return page


# Moderation (Wagtail's workflow does approve and request changes; these keep our state and emails) ---------


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
            queue_email(
                to=_author_email(canonical),
                template="petitions_approved",
                context={"title": canonical.title, "url": canonical.get_full_url(), "closes_at": state.closes_at.isoformat(), "threshold": state.threshold},
                language=_language(),
            )
        elif state.stage != Stage.PUBLISHED:
            state.stage = Stage.PUBLISHED
            state.save(update_fields=["stage"])
        live = PetitionPage.objects.get(pk=page.pk)
        if live.has_response and state.responded_at is None:
            state.responded_at = now
            state.save(update_fields=["responded_at"])
            log(instance=live, action="veche.petition.responded", data={"decision": live.response_decision})
            from .tasks import send_response_emails

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
        queue_email(
            to=_author_email(page),
            template="petitions_changes",
            context={
                "title": page.title,
                "comment": comment,
                "edit_url": index.get_full_url() + index.reverse_subpage("edit", args=[page.pk]),
            },
            language=_language(),
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
        queue_email(
            to=_author_email(page),
            template="petitions_rejected",
            context={"title": page.title, "reason": str(reason.label), "details": details},
            language=_language(),
        )
    return state


# Signing -------------------------------------------------------------------------------------------------


class SignResult:
    SIGNED = "signed"  # counted now
    REVIEW = "review"  # stored, counts once staff approve it
    CHECK_EMAIL = "check_email"  # an email was sent; counts once the link is followed

    def __init__(self, outcome, signature=None):
        self.outcome = outcome
        self.signature = signature


def _needs_review(index, email):
    domain = email.rpartition("@")[2]
    return domain in index.review_domain_set()


def sign(*, page, user=None, name="", email="", settlement=None, show_name=False, notify=False, ip_hash="", now=None):
    """Sign a petition. With an account that meets the required level, the signature counts at once;
    a visitor without one (when the petition allows it) gets an email, and it counts after confirmation.

    The second attempt by the same person never makes a second record (a UniqueConstraint guards it).
    """
    now = now or timezone.now()
    page = page.canonical
    state = PetitionState.objects.filter(page_id=page.pk).first()
    if state is None or not state.is_collecting(now):
        raise PhaseClosed(_("This petition is not open for signatures."), code="closed")
    index = PetitionIndexPage.objects.get(pk=page.get_parent().pk)
    if user is not None and user.is_authenticated:
        return _sign_with_account(page=page, index=index, user=user, settlement=settlement, show_name=show_name, notify=notify, ip_hash=ip_hash, now=now)
    if page.verification_level != VerificationLevel.EMAIL:
        raise NotAllowed(_("Log in to sign this petition."), code="login")
    return _sign_by_email(page=page, index=index, name=name, email=email, settlement=settlement, show_name=show_name, notify=notify, ip_hash=ip_hash, now=now)


def _sign_with_account(*, page, index, user, settlement, show_name, notify, ip_hash, now):
    already = _("You have already signed this petition. Each person can sign once, and your signature is counted.")
    if not meets_level(user, page.verification_level):
        raise NotAllowed(_("Your account does not have the verification this petition requires."), code="level")
    email = normalise_email(user.email)
    if Signature.objects.filter(petition=page, author=user).exists() or (email and Signature.objects.filter(petition=page, email=email, confirmed_at__isnull=False).exists()):
        raise AlreadyDone(already, code="duplicate")
    profile = getattr(user, "profile", None)
    if settlement is None and profile is not None:
        settlement = profile.settlement
    status = ModerationStatus.PENDING if email and _needs_review(index, email) else ModerationStatus.PUBLISHED
    try:
        with transaction.atomic():
            # An unconfirmed email signature with the same address is replaced by this confirmed one.
            Signature.objects.filter(petition=page, email=email, confirmed_at__isnull=True, author__isnull=True).delete()
            signature = Signature.objects.create(
                petition=page,
                author=user,
                email=email,
                name=profile.public_name if profile else "",
                settlement=settlement,
                show_name=show_name,
                notify=notify,
                confirmed_at=now,
                ip_hash=ip_hash,
                moderation_status=status,
            )
            if status == ModerationStatus.PUBLISHED:
                _add_to_tally(page.pk, signature.settlement_key, 1)
    except IntegrityError:
        raise AlreadyDone(already, code="duplicate") from None
    if status == ModerationStatus.PUBLISHED:
        check_threshold(petition_id=page.pk, now=now)
        return SignResult(SignResult.SIGNED, signature)
    return SignResult(SignResult.REVIEW, signature)


def _sign_by_email(*, page, index, name, email, settlement, show_name, notify, ip_hash, now):
    """The answer is the same whether or not the address signed before (signing reveals opinions):
    "check your email". The email then says what happened."""
    email = normalise_email(email)
    token = secrets.token_urlsafe(24)
    context = {"title": page.title, "url": page.get_full_url()}
    with transaction.atomic():
        existing = Signature.objects.select_for_update().filter(petition=page, email=email).first()
        if existing is not None and existing.confirmed_at is not None:
            queue_email(to=[email], template="petitions_already_signed", context=context, language=_language())
            return SignResult(SignResult.CHECK_EMAIL, existing)
        status = ModerationStatus.PENDING if _needs_review(index, email) else ModerationStatus.PUBLISHED
        if existing is not None:  # not confirmed yet: refresh it and send a new link
            existing.name, existing.settlement, existing.show_name, existing.notify = name.strip(), settlement, show_name, notify
            existing.token_hash, existing.created_at, existing.ip_hash = hash_token(token), now, ip_hash
            existing.moderation_status = status
            existing.save()
            signature = existing
        else:
            try:
                with transaction.atomic():
                    signature = Signature.objects.create(
                        petition=page,
                        name=name.strip(),
                        email=email,
                        settlement=settlement,
                        show_name=show_name,
                        notify=notify,
                        token_hash=hash_token(token),
                        ip_hash=ip_hash,
                        created_at=now,
                        moderation_status=status,
                    )
            except IntegrityError:  # the same address, at the same moment: the first one wins
                return SignResult(SignResult.CHECK_EMAIL, Signature.objects.get(petition=page, email=email))
        context.update(
            {
                "confirm_url": page.get_full_url() + page.reverse_subpage("confirm", args=[token]),
                "hours": index.confirmation_hours,
                "name": signature.name,
            }
        )
        queue_email(to=[email], template="petitions_confirm", context=context, language=_language())
    return SignResult(SignResult.CHECK_EMAIL, signature)


def signature_for_token(*, page, token):
    if not token:
        return None
    return Signature.objects.filter(petition_id=page.canonical.pk, token_hash=hash_token(token)).first()


def confirm(*, page, token, now=None):
    """Follow the emailed link: the signature counts from now. Following it twice changes nothing."""
    now = now or timezone.now()
    page = page.canonical
    index = PetitionIndexPage.objects.get(pk=page.get_parent().pk)
    signature = signature_for_token(page=page, token=token)
    if signature is None:
        raise NotAllowed(_("This confirmation link is not valid. Check that you copied the whole link from the email."), code="invalid")
    with transaction.atomic():
        signature = Signature.objects.select_for_update().get(pk=signature.pk)
        if signature.confirmed_at is not None:
            raise AlreadyDone(_("Your signature was already confirmed. It is counted once."), code="duplicate")
        if now - signature.created_at > datetime.timedelta(hours=index.confirmation_hours):
            raise PhaseClosed(_("This confirmation link has expired. Please sign again to get a new one."), code="expired")
        state = PetitionState.objects.get(page_id=page.pk)
        if not state.is_collecting(now):
            raise PhaseClosed(_("This petition closed before you confirmed, so your signature cannot be counted."), code="closed")
        signature.confirmed_at = now
        signature.save(update_fields=["confirmed_at"])
        if signature.moderation_status == ModerationStatus.PUBLISHED:
            _add_to_tally(page.pk, signature.settlement_key, 1)
    check_threshold(petition_id=page.pk, now=now)
    return signature


# Staff actions on signatures ------------------------------------------------------------------------------


def invalidate(*, signature, actor, reason):
    """Take a fraudulent signature out of the count, with a logged reason. The row is kept."""
    with transaction.atomic():
        locked = Signature.objects.select_for_update().get(pk=signature.pk)
        if locked.moderation_status == ModerationStatus.REJECTED:
            raise AlreadyDone(_("This signature is already invalid."), code="duplicate")
        was_counted = locked.counts
        moderate(contribution=locked, status=ModerationStatus.REJECTED, actor=actor, reason=reason)
        if was_counted:
            _add_to_tally(locked.petition_id, locked.settlement_key, -1)
    recount(petition_id=signature.petition_id)
    signature.refresh_from_db()
    return signature


def approve(*, signature, actor):
    """Accept a signature that waited for staff review (for example from a listed email domain)."""
    with transaction.atomic():
        locked = Signature.objects.select_for_update().get(pk=signature.pk)
        if locked.moderation_status == ModerationStatus.PUBLISHED:
            raise AlreadyDone(_("This signature already counts."), code="duplicate")
        moderate(contribution=locked, status=ModerationStatus.PUBLISHED, actor=actor)
        if locked.confirmed_at is not None:
            _add_to_tally(locked.petition_id, locked.settlement_key, 1)
    check_threshold(petition_id=signature.petition_id)
    signature.refresh_from_db()
    return signature


# Housekeeping (tasks and commands call these) -------------------------------------------------------------


def expire_unconfirmed(*, now=None):
    """Delete email signatures whose confirmation link expired: they never counted and hold personal data."""
    now = now or timezone.now()
    removed = 0
    for index in PetitionIndexPage.objects.all():
        cutoff = now - datetime.timedelta(hours=index.confirmation_hours)
        petitions = PetitionPage.objects.child_of(index).values_list("pk", flat=True)
        removed += Signature.objects.filter(
            petition_id__in=list(petitions), confirmed_at__isnull=True, author__isnull=True, created_at__lt=cutoff
        ).delete()[0]
    return removed


def anonymise_due(*, now=None):
    """Erase signatories' personal data a configured number of months after each petition closed."""
    from participation.services import anonymise

    now = now or timezone.now()
    changed = 0
    for index in PetitionIndexPage.objects.all():
        months = index.anonymise_after_months
        cutoff = now - datetime.timedelta(days=round(months * 30.44))
        states = PetitionState.objects.filter(
            page__in=PetitionPage.objects.child_of(index), closes_at__lte=cutoff, anonymised_at__isnull=True
        )
        for state in states:
            changed += anonymise(queryset=Signature.objects.filter(petition_id=state.page_id), now=now)
            PetitionState.objects.filter(pk=state.pk).update(anonymised_at=now)
            log(instance=state.page, action="veche.anonymise", data={"petition": state.page_id})
    return changed


def notify_closed(*, now=None):
    """Tell authors their petition closed (once). The petition is closed by its date, not by this."""
    now = now or timezone.now()
    sent = 0
    for state in PetitionState.objects.select_related("page", "page__citizen_author").filter(
        stage=Stage.PUBLISHED, closes_at__lte=now, closed_notified_at__isnull=True
    ):
        with transaction.atomic():
            if not PetitionState.objects.filter(pk=state.pk, closed_notified_at__isnull=True).update(closed_notified_at=now):
                continue
            queue_email(
                to=_author_email(state.page),
                template="petitions_closed",
                context={
                    "title": state.page.title,
                    "url": state.page.get_full_url(),
                    "count": SignatureTally.objects.total(state.page_id),
                    "threshold": state.threshold,
                    "reached": bool(state.threshold_reached_at),
                },
                language=settings.LANGUAGE_CODE,
            )
            sent += 1
    return sent
