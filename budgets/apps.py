from django.utils.translation import gettext_lazy as _

from participation.apps import FeatureAppConfig


class BudgetsConfig(FeatureAppConfig):
    name = "budgets"
    verbose_name = _("Participatory budgets")
    # The ballots listing (read-only, without personal data); every action on a cycle is a rule.
    role_permissions = {"Editors": ["view_ballot"], "Moderators": ["view_ballot"]}
