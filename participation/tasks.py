"""Background work shared by every app. Tasks take plain data (ids, strings), never model instances."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import translation
from django_tasks import task
from wagtail import hooks

SENDER_HOOK = "veche_email_sender"


def sender_address():
    """The From of every email: what the site shell registers (the municipality's name and sender address)
    through the `veche_email_sender` hook, else DEFAULT_FROM_EMAIL."""
    for hook in hooks.get_hooks(SENDER_HOOK):
        value = hook()
        if value:
            return value
    return settings.DEFAULT_FROM_EMAIL


@task()
def send_email(*, to: list[str], template: str, context: dict, language: str | None = None):
    """Render `emails/<template>_subject.txt`, `emails/<template>.txt` (and `.html` if present) and send."""
    with translation.override(language or settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string(f"emails/{template}_subject.txt", context).split())
        body = render_to_string(f"emails/{template}.txt", context)
        message = EmailMultiAlternatives(subject=subject, body=body, to=to, from_email=sender_address())
        try:
            message.attach_alternative(render_to_string(f"emails/{template}.html", context), "text/html")
        except TemplateDoesNotExist:
            pass
        message.send()
    return len(to)


def queue_email(*, to, template, context, language=None):
    """Send an email after the current transaction commits (never for a write that rolled back)."""
    recipients = [address for address in to if address]
    if not recipients:
        return
    transaction.on_commit(
        lambda: send_email.enqueue(to=recipients, template=template, context=context, language=language)
    )
