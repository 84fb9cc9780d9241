from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

STAFF_PERMISSIONS = {
    # Moderators and editors see signatures (listing, CSV) and may invalidate or approve one.
    "Moderators": ["view_signature", "change_signature"],
    "Editors": ["view_signature", "change_signature"],
}


def grant_staff_permissions(sender, using="default", **kwargs):
    from django.contrib.auth.management import create_permissions
    from django.contrib.auth.models import Group, Permission

    # Our receiver may run before auth's: make sure this app's permissions exist first.
    create_permissions(sender, verbosity=0, interactive=False, using=using)
    for group_name, codenames in STAFF_PERMISSIONS.items():
        group = Group.objects.using(using).filter(name=group_name).first()
        if group is None:
            continue
        permissions = Permission.objects.using(using).filter(content_type__app_label="petitions", codename__in=codenames)
        group.permissions.add(*permissions)


class PetitionsConfig(AppConfig):
    name = "petitions"
    verbose_name = _("Petitions")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import signals  # noqa: F401

        post_migrate.connect(grant_staff_permissions, sender=self)
