"""Moderators and editors see the ballots listing (budgets/admin.py BallotViewSet, read-only, with export),
as they did on the earlier hand-written admin page."""

from django.db import migrations


def grant(apps, schema_editor):
    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")
    ContentType = apps.get_model("contenttypes.ContentType")
    content_type, _created = ContentType.objects.get_or_create(app_label="budgets", model="ballot")
    permission, _created = Permission.objects.get_or_create(
        content_type=content_type, codename="view_ballot", defaults={"name": "Can view ballot"}
    )
    for group in Group.objects.filter(name__in=["Editors", "Moderators"]):
        group.permissions.add(permission)


class Migration(migrations.Migration):
    dependencies = [
        ("budgets", "0001_initial"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("wagtailcore", "0002_initial_data"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
