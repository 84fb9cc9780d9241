from django.utils.translation import gettext_lazy as _

from participation.apps import FeatureAppConfig


class ConsultationsConfig(FeatureAppConfig):
    default = True  # FeatureAppConfig is imported here too: tell Django which config is this app's
    name = "consultations"
    verbose_name = _("Consultations")
