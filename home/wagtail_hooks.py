"""Registration only: the site shell fills the core's hooks, and adds "Merge settlements" to the admin."""

import re
from email.utils import parseaddr

from django.conf import settings
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from participation.tasks import SENDER_HOOK

from . import views
from .models import MunicipalitySettings


@hooks.register(SENDER_HOOK)
def municipality_sender():
    """Every email comes from the municipality by name, from the sender address in its settings."""
    municipality = MunicipalitySettings.load()
    default_name, default_address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    name = municipality.name or default_name
    address = municipality.sender_email or default_address
    if not name:
        return address
    if re.search(r'[,;:"<>()\[\]@\\]', name):
        name = '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'
    # Django encodes a non-ASCII display name itself when it sends the message.
    return f"{name} <{address}>"


@hooks.register("register_admin_urls")
def register_admin_urls():
    urls = [path("merge/", views.merge_settlements, name="merge_settlements")]
    return [path("settlements/", include((urls, "home_admin"), namespace="home_admin"))]


class MergeSettlementsMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("participation.merge_settlements")


@hooks.register("register_settings_menu_item")
def register_merge_settlements_menu_item():
    return MergeSettlementsMenuItem(_("Merge settlements"), reverse("home_admin:merge_settlements"), icon_name="site", order=900)


@hooks.register("register_log_actions")
def register_home_actions(actions):
    actions.register_action("veche.settlement.merge", _("Merge settlements"), _("Settlement merged into another"))
