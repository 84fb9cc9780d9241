"""The "Budgets" admin menu group: cycles with their proposals, ballots (list, CSV), paper ballots, import and
results preview. Staff views check the app's rules (budgets/rules.py)."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import admin_views


@hooks.register("register_admin_urls")
def register_budget_urls():
    urls = [
        path("", admin_views.budget_list, name="list"),
        path("<int:budget_id>/proposals/", admin_views.proposals, name="proposals"),
        path("proposal/<int:proposal_id>/review/", admin_views.review, name="review"),
        path("<int:budget_id>/ballots/", admin_views.ballots, name="ballots"),
        path("<int:budget_id>/paper/", admin_views.paper_ballot, name="paper"),
        path("<int:budget_id>/import/", admin_views.paper_import, name="import"),
        path("<int:budget_id>/results/", admin_views.results_preview, name="results"),
    ]
    return [path("budgets/", include((urls, "budgets_admin"), namespace="budgets_admin"))]


class BudgetsMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("budgets.review_proposal")


@hooks.register("register_admin_menu_item")
def register_budgets_menu():
    return BudgetsMenuItem(_("Budgets"), reverse("budgets_admin:list"), name="budgets", icon_name="tasks", order=320)


@hooks.register("register_log_actions")
def register_budget_actions(actions):
    actions.register_action("veche.budgets.paper_ballot", _("Enter paper ballot"), _("Paper or assisted ballot entered"))
    actions.register_action("veche.budgets.publish_results", _("Publish budget results"), _("Budget results published"))
