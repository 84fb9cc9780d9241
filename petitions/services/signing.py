"""Signing a petition: with an account (counts at once), or by email (counts after the emailed link)."""

import datetime
import secrets

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from participation.exceptions import AlreadyDone, NotAllowed, PhaseClosed
from participation.i18n import email_language
from participation.models import ModerationStatus, VerificationLevel
from participation.rules import meets_level
from participation.services import once
from participation.tasks import queue_email

from ..models import PetitionIndexPage, PetitionState, Signature
from .counting import add_to_tally, check_threshold, hash_token, normalise_email


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
    acted_on = page  # the language version the visitor signed: an emailed link comes in its language
    page = page.canonical
    state = PetitionState.objects.filter(page_id=page.pk).first()
    if state is None or not state.is_collecting(now):
        raise PhaseClosed(_("This petition is not open for signatures."), code="closed")
    index = PetitionIndexPage.objects.get(pk=page.get_parent().pk)
    if user is not None and user.is_authenticated:
        return _sign_with_account(page=page, index=index, user=user, settlement=settlement, show_name=show_name, notify=notify, ip_hash=ip_hash, now=now)
    if page.verification_level != VerificationLevel.EMAIL:
        raise NotAllowed(_("Log in to sign this petition."), code="login")
    return _sign_by_email(
        page=page, index=index, name=name, email=email, settlement=settlement, show_name=show_name, notify=notify,
        ip_hash=ip_hash, now=now, language=email_language(page=acted_on),
    )


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
    with once(already):
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
            add_to_tally(page.pk, signature.settlement_key, 1)
    if status == ModerationStatus.PUBLISHED:
        check_threshold(petition_id=page.pk, now=now)
        return SignResult(SignResult.SIGNED, signature)
    return SignResult(SignResult.REVIEW, signature)


def _sign_by_email(*, page, index, name, email, settlement, show_name, notify, ip_hash, now, language):
    """The answer is the same whether or not the address signed before (signing reveals opinions):
    "check your email". The email then says what happened."""
    email = normalise_email(email)
    token = secrets.token_urlsafe(24)
    context = {"title": page.title, "url": page.get_full_url()}
    with transaction.atomic():
        existing = Signature.objects.select_for_update().filter(petition=page, email=email).first()
        if existing is not None and existing.confirmed_at is not None:
            queue_email(to=[email], template="petitions_already_signed", context=context, language=language)
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
        queue_email(to=[email], template="petitions_confirm", context=context, language=language)
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
            add_to_tally(page.pk, signature.settlement_key, 1)
    check_threshold(petition_id=page.pk, now=now)
    return signature
