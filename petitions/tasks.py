"""Background and periodic work of petitions. Tasks take ids, never instances; management commands only call
tasks. Correctness never depends on the periodic work running: states come from dates."""

import datetime

from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django_tasks import task
from wagtail.log_actions import log

from participation.i18n import email_language
from participation.services import anonymise
from participation.tasks import queue_email

from .models import PetitionIndexPage, PetitionPage, PetitionState, Signature, SignatureTally, Stage
from .queries import plain

BATCH = 200


def _response_message(page, live, language):
    with translation.override(language):
        context = {
            "title": live.title,
            "url": page.get_full_url(),
            "decision": str(live.get_response_decision_display()),
            "response": plain(live.response_text),
        }
        subject = " ".join(render_to_string("emails/petitions_response_subject.txt", context).split())
        body = render_to_string("emails/petitions_response.txt", context)
    return subject, body


@task()
def send_response_emails(*, petition_id: int):
    """Email the official response to every signatory who asked for updates, one message each (never a
    shared recipient list), in the signatory's language (their profile's, else the petition's), in batches
    over one connection. Marks the petition notified once."""
    state = PetitionState.objects.filter(page_id=petition_id, response_notified_at__isnull=True).first()
    if state is None:
        return 0
    page = PetitionPage.objects.select_related("locale").get(pk=petition_id)
    live = page.get_latest_revision_as_object() if not page.live else page
    signatures = (
        Signature.objects.counted()
        .filter(petition_id=petition_id, notify=True)
        .exclude(email="")
        .select_related("author__profile")
        .order_by("pk")
    )
    messages_by_language = {}
    sent = 0
    batch = []
    connection = get_connection()
    for signature in signatures.iterator(chunk_size=BATCH):
        language = email_language(user=signature.author, page=page)
        if language not in messages_by_language:
            messages_by_language[language] = _response_message(page, live, language)
        subject, body = messages_by_language[language]
        batch.append(EmailMultiAlternatives(subject=subject, body=body, to=[signature.email], connection=connection))
        if len(batch) >= BATCH:
            sent += connection.send_messages(batch) or 0
            batch = []
    if batch:
        sent += connection.send_messages(batch) or 0
    PetitionState.objects.filter(pk=state.pk).update(response_notified_at=timezone.now())
    return sent


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
    """Tell authors their petition closed (once), in their language. The petition is closed by its date,
    not by this."""
    now = now or timezone.now()
    sent = 0
    for state in PetitionState.objects.select_related("page", "page__locale", "page__citizen_author__profile").filter(
        stage=Stage.PUBLISHED, closes_at__lte=now, closed_notified_at__isnull=True
    ):
        page = state.page
        with transaction.atomic():
            if not PetitionState.objects.filter(pk=state.pk, closed_notified_at__isnull=True).update(closed_notified_at=now):
                continue
            author = page.citizen_author
            queue_email(
                to=[author.email] if author and author.email else [],
                template="petitions_closed",
                context={
                    "title": page.title,
                    "url": page.get_full_url(),
                    "count": SignatureTally.objects.total(state.page_id),
                    "threshold": state.threshold,
                    "reached": bool(state.threshold_reached_at),
                },
                language=email_language(user=author, page=page),
            )
            sent += 1
    return sent


@task()
def housekeeping():
    """Periodic: tell authors their petition closed, remove expired unconfirmed signatures, anonymise
    signatories when their time comes."""
    return {
        "closed_notified": notify_closed(),
        "expired_removed": expire_unconfirmed(),
        "anonymised": anonymise_due(),
    }


@task()
def anonymise_signatories():
    """Erase signatories' personal data that is due, and expired unconfirmed signatures (`anonymise_petitions`)."""
    return {"anonymised": anonymise_due(), "expired_removed": expire_unconfirmed()}
