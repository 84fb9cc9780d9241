"""The staff roles a municipality has, with least privilege (docs/roles.md).

The groups themselves (and their admin access and page permissions) come from a data migration
(`participation/migrations/0003_roles.py`), so a new install has them. Model permissions exist only once each
app has migrated, so each app declares what its roles need (`FeatureAppConfig.role_permissions`) and this
module grants it after every `migrate`. Granting is additive: what an administrator adds by hand is kept.
"""

from django.apps import apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ImproperlyConfigured
from django.db.models.signals import post_migrate
from django.dispatch import receiver

from .rules import ROLES


def grant_role_permissions(app_config, *, using="default"):
    declared = getattr(app_config, "role_permissions", None) or {}
    if not declared:
        return
    create_permissions(app_config, verbosity=0, interactive=False, using=using)  # auth's receiver may run later
    for group_name, codenames in declared.items():
        if group_name not in ROLES:
            raise ImproperlyConfigured(f"{app_config.label}: unknown role {group_name!r} (one of {', '.join(ROLES)})")
        permissions = list(
            Permission.objects.using(using).filter(content_type__app_label=app_config.label, codename__in=codenames)
        )
        missing = set(codenames) - {permission.codename for permission in permissions}
        if missing:
            raise ImproperlyConfigured(f"{app_config.label}: no permissions {sorted(missing)} for {group_name}")
        # The groups come from the data migration; a group an administrator deleted is not recreated here (and a
        # flush between tests, which also sends post_migrate, must not create rows either).
        group = Group.objects.using(using).filter(name=group_name).first()
        if group is not None:
            group.permissions.add(*permissions)


@receiver(post_migrate, dispatch_uid="veche_role_permissions")
def after_migrate(sender, using="default", **kwargs):
    if sender is not None and sender.label in {config.label for config in apps.get_app_configs()}:
        grant_role_permissions(sender, using=using)
