from django.utils.translation import gettext_lazy as _

from participation.apps import FeatureAppConfig


class PetitionsConfig(FeatureAppConfig):
    """`ready()` loads rules, signals (Wagtail events) and views. Staff see signatures in the admin; moderating
    one is the rule "petitions.moderate_signature"."""

    name = "petitions"
    verbose_name = _("Petitions")
    role_permissions = {"Editors": ["view_signature"], "Moderators": ["view_signature"]}
