"""Bridges Wagtail's page_published (which we do not own) into one email to a proposal's citizen author."""

from django.dispatch import receiver
from wagtail.signals import page_published

from participation.i18n import email_language
from participation.tasks import queue_email

from .models import ProposalPage


@receiver(page_published)
def proposal_published(sender, instance, revision, **kwargs):
    if not isinstance(instance, ProposalPage) or instance.citizen_author_id is None:
        return
    # Only the first publication (the moderator's approval) is news for the author.
    if instance.first_published_at and instance.last_published_at and instance.first_published_at != instance.last_published_at:
        return
    author = instance.citizen_author
    queue_email(
        to=[author.email],
        template="budgets/proposal_published",
        context={"title": instance.title, "url": instance.full_url or ""},
        language=email_language(user=author, page=instance),
    )
