"""The staff roles of a municipality (participation/roles.py, docs/roles.md), created for every new install.

- Editors: content (pages, including publishing: an official response, a report, results are published pages),
  settings, responses, feasibility review, results, the consultation report.
- Moderators: citizen drafts, comments, flags, signature review. They keep Wagtail's own page permissions:
  approving a citizen's draft in the workflow publishes it as the approving moderator, which needs them.
- Office staff: paper and assisted ballots, resident verification.
- NGO publishers: the admin for their organisation's section (the organisations app gives them more).

Model permissions of each app come from `FeatureAppConfig.role_permissions` after `migrate`.
"""

from django.db import migrations

STAFF = ("Editors", "Moderators", "Office staff", "NGO publishers")


def _permission(apps, app_label, model, codename, name):
    ContentType = apps.get_model("contenttypes.ContentType")
    Permission = apps.get_model("auth.Permission")
    content_type, _created = ContentType.objects.get_or_create(app_label=app_label, model=model)
    permission, _created = Permission.objects.get_or_create(content_type=content_type, codename=codename, defaults={"name": name})
    return permission


def create_roles(apps, schema_editor):
    Group = apps.get_model("auth.Group")
    Page = apps.get_model("wagtailcore.Page")
    GroupPagePermission = apps.get_model("wagtailcore.GroupPagePermission")
    access = _permission(apps, "wagtailadmin", "admin", "access_admin", "Can access Wagtail admin")
    for name in STAFF:
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.add(access)
    # Editors publish what they write (Wagtail's default Editors may only submit for moderation).
    root = Page.objects.filter(depth=1).first()
    if root is not None:
        editors = Group.objects.get(name="Editors")
        for codename, name in (("add_page", "Can add page"), ("change_page", "Can change page"), ("publish_page", "Can publish page")):
            GroupPagePermission.objects.get_or_create(
                group=editors, page=root, permission=_permission(apps, "wagtailcore", "page", codename, name)
            )


class Migration(migrations.Migration):
    dependencies = [
        ("participation", "0002_cache_table"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
