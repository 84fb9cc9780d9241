from django.utils.translation import gettext_lazy as _

from participation.apps import FeatureAppConfig


class PetitionsConfig(FeatureAppConfig):
    """`ready()` loads rules, signals (Wagtail events, and the staff permissions after migrate) and views."""

    name = "petitions"
    verbose_name = _("Petitions")
