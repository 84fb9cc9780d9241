"""Background work of petitions. Tasks take ids, never instances."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django_tasks import task

BATCH = 200


@task()
def send_response_emails(*, petition_id: int):
    """Email the official response to every signatory who asked for updates, one message each (never a
    shared recipient list), in batches over one connection. Marks the petition notified once."""
    from .models import PetitionPage, PetitionState, Signature

    state = PetitionState.objects.filter(page_id=petition_id, response_notified_at__isnull=True).first()
    if state is None:
        return 0
    page = PetitionPage.objects.get(pk=petition_id)
    live = page.get_latest_revision_as_object() if not page.live else page
    from .queries import plain

    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "title": live.title,
            "url": page.get_full_url(),
            "decision": str(live.get_response_decision_display()),
            "response": plain(live.response_text),
        }
        subject = " ".join(render_to_string("emails/petitions_response_subject.txt", context).split())
        body = render_to_string("emails/petitions_response.txt", context)
    addresses = (
        Signature.objects.counted()
        .filter(petition_id=petition_id, notify=True)
        .exclude(email="")
        .values_list("email", flat=True)
        .order_by("pk")
    )
    sent = 0
    batch = []
    connection = get_connection()
    for address in addresses.iterator(chunk_size=BATCH):
        batch.append(EmailMultiAlternatives(subject=subject, body=body, to=[address], connection=connection))
        if len(batch) >= BATCH:
            sent += connection.send_messages(batch) or 0
            batch = []
    if batch:
        sent += connection.send_messages(batch) or 0
    PetitionState.objects.filter(pk=state.pk).update(response_notified_at=timezone.now())
    return sent


@task()
def housekeeping():
    """Periodic: tell authors their petition closed, remove expired unconfirmed signatures, anonymise
    signatories when their time comes. Correctness never depends on it running (states come from dates)."""
    from . import services

    return {
        "closed_notified": services.notify_closed(),
        "expired_removed": services.expire_unconfirmed(),
        "anonymised": services.anonymise_due(),
    }
