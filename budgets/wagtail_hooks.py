"""Registration only: the Budgets admin menu group (budgets/admin.py), the app's log actions, and the ballots a
settlement has (the core's settlement hook)."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from participation.settlements import SETTLEMENT_RECORDS_HOOK, SettlementRecords

from .admin import BudgetsMenu
from .settlements import count_ballots, move_ballots


@hooks.register("register_admin_viewset")
def register_budgets_menu():
    return BudgetsMenu()


@hooks.register("register_log_actions")
def register_budget_actions(actions):
    actions.register_action("veche.budgets.paper_ballot", _("Enter paper ballot"), _("Paper or assisted ballot entered"))
    actions.register_action("veche.budgets.publish_results", _("Publish budget results"), _("Budget results published"))


@hooks.register(SETTLEMENT_RECORDS_HOOK)
def budget_settlement_records():
    return SettlementRecords(label=_("budget ballots"), count=count_ballots, move=move_ballots)
