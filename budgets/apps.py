from django.utils.translation import gettext_lazy as _

from participation.apps import FeatureAppConfig


class BudgetsConfig(FeatureAppConfig):
    # `default`: this module also holds FeatureAppConfig (imported), and Django picks the app's config
    # automatically only when it is the one AppConfig subclass here or the one marked default.
    name = "budgets"
    verbose_name = _("Participatory budgets")
