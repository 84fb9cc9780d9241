from django import forms
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


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


class HomeConfig(AppConfig):
    name = "home"
    verbose_name = _("Site")

    def ready(self):
        from wagtailgeowidget import widgets

        widgets.LeafletField.media = property(_offline_leaflet_media)
