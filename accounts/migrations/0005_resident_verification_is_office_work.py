"""Least privilege: verifying residents and seeing citizen profiles is the office staff's task
(participation/roles.py). Editors and moderators no longer get the profile permissions that 0003 gave them;
office staff get them after `migrate` (AccountsConfig.role_permissions)."""

from django.db import migrations


def move(apps, schema_editor):
    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")
    permissions = Permission.objects.filter(content_type__app_label="accounts", codename__in=["view_profile", "change_profile"])
    for group in Group.objects.filter(name__in=["Editors", "Moderators"]):
        group.permissions.remove(*permissions)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0004_settlement_protect"), ("participation", "0003_roles")]

    operations = [migrations.RunPython(move, migrations.RunPython.noop)]
