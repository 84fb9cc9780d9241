"""Registration only: the Budgets admin menu group and dashboard panels (budgets/admin.py), the app's log
actions, the ballots a settlement has (the core's settlement hook), and the refusals that keep a ballot fixed
once voting opens (budgets/admin.py) on Wagtail's publishing screens."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from participation.settlements import SETTLEMENT_RECORDS_HOOK, SettlementRecords

from .admin import BudgetsMenu, dashboard_panels, refuse_late_approval, refuse_late_bulk_publication, refuse_late_publication
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


hooks.register("before_publish_page", refuse_late_publication)
hooks.register("before_edit_page", refuse_late_approval)
hooks.register("before_bulk_action", refuse_late_bulk_publication)

@hooks.register("construct_homepage_panels")
def add_budget_panels(request, panels):
    panels.extend(dashboard_panels(request.user))
