"""Bridges Wagtail's page_published (which we do not own) into one email to a proposal's citizen author."""

from django.dispatch import receiver
from wagtail.signals import page_published

from participation.tasks import queue_email


@receiver(page_published)
def proposal_published(sender, instance, revision, **kwargs):
    from .models import ProposalPage
    from .services import _language_of

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
        language=_language_of(author),
    )
