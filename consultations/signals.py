"""Bridges from events we do not own: after `migrate`, staff groups may see the citizen records that the
consultations admin lists (comments, questionnaire answers). Loaded by `FeatureAppConfig.ready()`."""

from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission
from django.db.models.signals import post_migrate
from django.dispatch import receiver

from participation.rules import EDITORS_GROUP, MODERATORS_GROUP

# The admin listings are read-only (participation.admin.ReadOnlyPolicy): viewing is all they need.
STAFF_PERMISSIONS = {
    MODERATORS_GROUP: ["view_comment", "view_questionnaireanswer"],
    EDITORS_GROUP: ["view_comment", "view_questionnaireanswer"],
}


@receiver(post_migrate)
def grant_staff_permissions(sender, using="default", **kwargs):
    if getattr(sender, "name", None) != "consultations":
        return
    # Our receiver may run before auth's: make sure this app's permissions exist first.
    create_permissions(sender, verbosity=0, interactive=False, using=using)
    for group in Group.objects.using(using).filter(name__in=STAFF_PERMISSIONS):
        codenames = STAFF_PERMISSIONS[group.name]
        group.permissions.add(
            *Permission.objects.using(using).filter(content_type__app_label="consultations", codename__in=codenames)
        )
