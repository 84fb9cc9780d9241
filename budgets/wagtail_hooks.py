"""Registration only: the Budgets admin menu group and dashboard panels (budgets/admin.py) and the app's log
actions."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from .admin import BudgetsMenu, dashboard_panels


@hooks.register("register_admin_viewset")
def register_budgets_menu():
    return BudgetsMenu()


@hooks.register("register_log_actions")
def register_budget_actions(actions):
    actions.register_action("veche.budgets.paper_ballot", _("Enter paper ballot"), _("Paper or assisted ballot entered"))
    actions.register_action("veche.budgets.publish_results", _("Publish budget results"), _("Budget results published"))


@hooks.register("construct_homepage_panels")
def add_budget_panels(request, panels):
    panels.extend(dashboard_panels(request.user))
