"""Bridges from events we do not own into petition services (DESIGN.md §3: one service each). Loaded by
`FeatureAppConfig.ready()`, when the app registry is ready."""

from django.apps import apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission
from django.db.models.signals import post_migrate
from django.dispatch import receiver
from wagtail.signals import page_published, task_rejected

from . import services
from .models import PetitionPage

STAFF_PERMISSIONS = {
    # Moderators and editors see signatures (listing, export); moderating one is the rule
    # "petitions.moderate_signature".
    "Moderators": ["view_signature", "change_signature"],
    "Editors": ["view_signature", "change_signature"],
}


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


def grant_staff_permissions(sender, using="default", **kwargs):
    # Our receiver may run before auth's: make sure this app's permissions exist first.
    create_permissions(sender, verbosity=0, interactive=False, using=using)
    for group_name, codenames in STAFF_PERMISSIONS.items():
        group = Group.objects.using(using).filter(name=group_name).first()
        if group is None:
            continue
        permissions = Permission.objects.using(using).filter(content_type__app_label="petitions", codename__in=codenames)
        group.permissions.add(*permissions)


post_migrate.connect(grant_staff_permissions, sender=apps.get_app_config("petitions"))
