"""Drafting a petition: a citizen's draft page, co-sponsors through the author's private link, the author's
edits after changes were requested."""

import datetime
import secrets

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from participation import drafts
from participation.exceptions import AlreadyDone, NotAllowed, PhaseClosed
from participation.models import VerificationLevel
from participation.rules import meets_level, refusal
from participation.services import create_once

from ..models import PetitionPage, PetitionState, Signature, Stage
from .counting import add_to_tally, email_author, normalise_email

DUPLICATE_DRAFT_WINDOW = datetime.timedelta(minutes=10)


CYRILLIC = dict(
    zip(
        "абвгдежзийклмнопрстуфхцчшщъьюяєіїґэыё",
        ["a", "b", "v", "g", "d", "e", "zh", "z", "i", "y", "k", "l", "m", "n", "o", "p", "r", "s", "t", "u", "f",
         "h", "ts", "ch", "sh", "sht", "a", "", "yu", "ya", "ye", "i", "yi", "g", "e", "y", "yo"],
    )
)


def petition_slug(index, title):
    """A Latin slug for a citizen's title (Bulgarian/Ukrainian transliterated), unique under the index."""
    base = slugify("".join(CYRILLIC.get(char, char) for char in title.lower()))[:70].strip("-") or "petition"
    slug, number = base, 1
    siblings = set(index.get_children().values_list("slug", flat=True))
    while slug in siblings:
        number += 1
        slug = f"{base}-{number}"
    return slug



def create_draft(*, index, author, title, summary, background, settlement=None, tags=(), now=None):
    """A citizen's petition becomes a draft child page of the index, authored by them, with their own
    signature. With co-sponsors required it waits for them, otherwise it goes to moderation.

    A repeated submit (double click, resent form) returns the draft the first one made.
    """
    now = now or timezone.now()
    index = index.specific
    failed = refusal(author, "petitions.start_petition", index)  # the view decided; this is defence in depth
    if failed is not None:
        raise NotAllowed(failed.explain(author, index), code=failed.code)
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
        add_to_tally(page.pk, author_settlement.pk if author_settlement else 0, 1)
        if state.stage == Stage.MODERATION:
            send_to_moderation(page=page, state=state, author=author, now=now)
        log(instance=page, action="veche.petition.drafted", user=author, data={"stage": state.stage})
        email_author(
            page,
            template="petitions_draft_received",
            context={
                "title": page.title,
                "sponsors_required": state.sponsors_required,
                "sponsor_url": sponsor_url(index, state),
                "mine_url": index.get_full_url() + index.reverse_subpage("mine"),
            },
        )
    return page


def sponsor_url(index, state):
    return index.get_full_url() + index.reverse_subpage("sponsor", args=[state.sponsor_token])


def send_to_moderation(*, page, state, author, now):
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
        create_once(
            Signature,
            message=_("You already support this petition. Thank you!"),
            petition=page,
            author=user,
            email=normalise_email(user.email),
            name=profile.public_name if profile else "",
            settlement=settlement,
            is_sponsor=True,
            confirmed_at=now,
            notify=True,
        )
        add_to_tally(page.pk, settlement.pk if settlement else 0, 1)
        sponsors = Signature.objects.filter(petition=page, is_sponsor=True).counted().count()
        if sponsors >= state.sponsors_required:
            send_to_moderation(page=page, state=state, author=page.citizen_author, now=now)
            email_author(page, template="petitions_sponsored", context={"title": page.title, "sponsors": sponsors})
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
