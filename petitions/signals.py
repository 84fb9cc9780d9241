"""Bridges from events we do not own into petition services (DESIGN.md §3: one service each). Loaded by
`FeatureAppConfig.ready()`, when the app registry is ready."""

from django.dispatch import receiver
from wagtail.signals import page_published, task_rejected

from . import services
from .models import PetitionPage

@receiver(page_published)
def petition_published(sender, instance, **kwargs):
    if isinstance(instance, PetitionPage) or getattr(instance, "specific_class", None) is PetitionPage:
        services.petition_published(page=instance.specific)


@receiver(task_rejected)
def changes_requested(sender, instance, user=None, **kwargs):
    """Wagtail's "Request changes": the author may edit the draft and send it again."""
    page = instance.workflow_state.content_object
    if getattr(page, "specific_class", None) is PetitionPage:
        services.changes_requested(page=page.specific, comment=instance.comment, actor=user)
