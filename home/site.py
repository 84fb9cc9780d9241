"""The public address (`VECHE_BASE_URL`) drives the Wagtail Site record, so every `page.full_url`, canonical link,
open-data URL and email link uses it. Applied after every `migrate` (docs/deploy.md runs it on each install and
upgrade); `manage.py check` warns while the record and the setting differ."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core import checks
from django.db.models.signals import post_migrate
from django.dispatch import receiver
from wagtail.models import Site


def base_url_parts(base_url=None):
    """(hostname, port) of the public address, or None when it is not set."""
    base = urlsplit(base_url if base_url is not None else getattr(settings, "VECHE_BASE_URL", ""))
    if base.scheme not in ("http", "https") or not base.hostname:
        return None
    return base.hostname, base.port or (443 if base.scheme == "https" else 80)


def sync_default_site(*, using="default", base_url=None):
    """Point the default Site at the public address. Returns the site when it changed, else None."""
    parts = base_url_parts(base_url)
    if parts is None:
        return None
    site = Site.objects.using(using).filter(is_default_site=True).first()
    if site is None or (site.hostname, site.port) == parts:
        return None
    site.hostname, site.port = parts
    site.save(using=using, update_fields=["hostname", "port"])
    Site.clear_site_root_paths_cache()
    return site


@receiver(post_migrate, dispatch_uid="veche_sync_default_site")
def sync_after_migrate(sender, using="default", **kwargs):
    if sender.name == "home":
        sync_default_site(using=using)


@checks.register(checks.Tags.compatibility, deploy=True)
def check_site_matches_base_url(app_configs=None, **kwargs):
    parts = base_url_parts()
    if parts is None:
        return []
    try:
        site = Site.objects.filter(is_default_site=True).first()
    except Exception:  # noqa: BLE001  (no database yet: nothing to compare)
        return []
    if site is not None and (site.hostname, site.port) != parts:
        return [
            checks.Warning(
                f"The default Wagtail site is {site.hostname}:{site.port}, but VECHE_BASE_URL is {settings.VECHE_BASE_URL}.",
                hint="Run `manage.py migrate`: it points the site at VECHE_BASE_URL, so links in emails are right.",
                id="veche.W001",
            )
        ]
    return []
