from django import forms
from django.utils.translation import gettext_lazy as _

from participation.apps import FeatureAppConfig


def _offline_leaflet_media(widget):
    """wagtailgeowidget loads Leaflet from a CDN; the admin must work offline, so serve our copy."""
    return forms.Media(
        css={"all": ("vendor/leaflet/leaflet.css", "wagtailgeowidget/css/leaflet-field.css")},
        js=(
            "vendor/leaflet/leaflet.js",
            "wagtailgeowidget/js/leaflet-field.js",
            "wagtailgeowidget/js/leaflet-field-controller.js",
        ),
    )


class HomeConfig(FeatureAppConfig):
    name = "home"
    verbose_name = _("Site")
    ready_modules = ("site",)  # the public address drives the Site record (home/site.py)
    role_permissions = {"Editors": ["change_municipalitysettings"]}  # Settings → Municipality

    def ready(self):
        super().ready()
        from wagtailgeowidget import widgets

        widgets.LeafletField.media = property(_offline_leaflet_media)
