"""The "Budgets" admin menu: the cycles with their actions (feasibility review, paper ballots, CSV import, the
side-by-side preview of both outcome rules before publishing) and the read-only ballots listing with filters
and export; the dashboard panels (proposal drafts waiting for moderation, feasibility reviews pending). Every
action checks the app's rule (budgets/rules.py); wagtail_hooks.py only registers these."""

from django.contrib import messages
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from wagtail.admin.viewsets.base import ViewSet
from wagtail.models import Locale

from participation.admin import AppMenuGroup, CitizenRecordViewSet, DashboardPanel, PermissionMenuItem
from participation.exceptions import ParticipationError
from participation.views import require_admin

from . import queries
from .counting import ballot_rules
from .forms import PaperBallotForm, PaperImportForm, PublishForm, ReviewForm
from .models import Ballot, BudgetPage, BudgetPhase, OutcomeRule, ProposalPage
from .results import compute, presented
from .services import InvalidBallot, enter_paper_ballot, import_paper_ballots, publish_results, review_proposal


def budget_list(request):
    require_admin(request, "budgets.open_cycles")
    budgets = (
        BudgetPage.objects.filter(locale=Locale.get_default())
        .annotate(ballot_count=Count("ballots", distinct=True))
        .order_by("-proposals_opens_at")
    )
    budgets = list(budgets)
    for budget in budgets:  # each role sees the actions its rules allow (office staff: paper ballots)
        budget.can_enter_paper = request.user.has_perm("budgets.enter_paper_ballot", budget)
    can_review = request.user.has_perm("budgets.review_proposal")
    return TemplateResponse(request, "budgets/admin/budget_list.html", {"budgets": budgets, "can_review": can_review})


def proposals(request, budget_id):
    require_admin(request, "budgets.review_proposal")
    budget = get_object_or_404(BudgetPage, pk=budget_id)
    items = ProposalPage.objects.child_of(budget).select_related("category").order_by("feasibility", "title")
    return TemplateResponse(request, "budgets/admin/proposals.html", {"budget": budget, "items": items})


def review(request, proposal_id):
    require_admin(request, "budgets.review_proposal")
    proposal = get_object_or_404(ProposalPage, pk=proposal_id)
    cost = proposal.final_cost if proposal.final_cost is not None else proposal.estimated_cost
    initial = {"feasibility": proposal.feasibility, "reason": proposal.feasibility_reason, "final_cost": cost}
    form = ReviewForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            review_proposal(proposal=proposal, actor=request.user, **form.cleaned_data)
        except ParticipationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Review saved; the author has been emailed."))
            return redirect("budgets_admin:proposals", budget_id=proposal.get_parent().pk)
    return TemplateResponse(request, "budgets/admin/review.html", {"proposal": proposal, "form": form})


def paper_ballot(request, budget_id):
    budget = get_object_or_404(BudgetPage, pk=budget_id)
    require_admin(request, "budgets.enter_paper_ballot", budget)
    form = PaperBallotForm(request.POST or None, projects=queries.ballot_projects(budget))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            ballot = enter_paper_ballot(
                budget=budget, actor=request.user, name=data["name"], settlement_id=data["settlement"].pk,
                document=data["document"], project_ids=data["projects"], channel=data["channel"],
            )
        except InvalidBallot as error:
            for message in error.errors:
                form.add_error("projects", message)
        except ParticipationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Ballot recorded. Receipt code for the voter: %(code)s") % {"code": ballot.receipt_code})
            return redirect("budgets_admin:paper", budget_id=budget.pk)
    context = {"budget": budget, "form": form, "rule_text": ballot_rules.describe(budget)}
    return TemplateResponse(request, "budgets/admin/paper_ballot.html", context)


def paper_import(request, budget_id):
    budget = get_object_or_404(BudgetPage, pk=budget_id)
    require_admin(request, "budgets.enter_paper_ballot", budget)
    form = PaperImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        try:
            report = import_paper_ballots(
                budget=budget, actor=request.user, file=form.cleaned_data["file"], channel=form.cleaned_data["channel"]
            )
        except ParticipationError as error:
            form.add_error("file", str(error))
    return TemplateResponse(request, "budgets/admin/paper_import.html", {"budget": budget, "form": form, "report": report})


def results_preview(request, budget_id):
    require_admin(request, "budgets.review_proposal")
    budget = get_object_or_404(BudgetPage, pk=budget_id)
    published = queries.published_result(budget)
    form = PublishForm(request.POST or None, initial={"rule": budget.outcome_rule})
    if request.method == "POST":
        require_admin(request, "budgets.publish_results", budget)
        if form.is_valid():
            try:
                publish_results(budget=budget, rule=form.cleaned_data["rule"], actor=request.user)
            except ParticipationError as error:
                messages.error(request, str(error))
            else:
                messages.success(request, _("The results are published."))
            return redirect("budgets_admin:results", budget_id=budget.pk)
    previews = []
    # Votes per project stay sealed until voting closes, for staff too: only turnout is shown before then.
    voting_closed = budget.budget_phase() in (BudgetPhase.RESULTS, BudgetPhase.IMPLEMENTATION)
    if not published and voting_closed:
        projects, ballots = queries.ballot_projects(budget), queries.load_ballots(budget)
        for rule in OutcomeRule:
            previews.append({"label": rule.label, "data": presented(compute(budget, rule, projects=projects, ballots=ballots))})
    return TemplateResponse(request, "budgets/admin/results.html", {
        "budget": budget, "published": published, "previews": previews, "form": form, "voting_closed": voting_closed,
        "turnout": None if voting_closed else queries.turnout(budget),
        "can_publish": request.user.has_perm("budgets.publish_results", budget),
        "public_url": budget.url + budget.reverse_subpage("results_route") if budget.url else "",
    })


# --- the ballot is fixed once voting opens: Wagtail's own publishing screens (registered in wagtail_hooks.py) ---


def _refusal_response(request, page, refusal):
    messages.error(request, refusal)
    return redirect("wagtailadmin_pages:edit", page.pk)


def refuse_late_publication(request, page):
    """before_publish_page: an editor publishes a proposal after voting opened (ProposalPage.ballot_refusal)."""
    page = page.specific
    refusal = page.ballot_refusal(publishing=True) if isinstance(page, ProposalPage) else None
    return _refusal_response(request, page, refusal) if refusal else None


def refuse_late_approval(request, page):
    """before_edit_page: a moderator approves a proposal's workflow (which publishes it) after voting opened."""
    if request.method != "POST" or not request.POST.get("workflow-action-name", "").startswith("approve"):
        return None
    page = page.specific
    if not isinstance(page, ProposalPage):
        return None
    refusal = page.get_latest_revision_as_object().ballot_refusal(publishing=True)
    return _refusal_response(request, page, refusal) if refusal else None


def refuse_late_bulk_publication(request, action_type, objects, action_class_instance):
    """before_bulk_action: "Publish" on several pages at once."""
    if action_type != "publish":
        return None
    for page in objects:
        page = page.specific
        refusal = page.ballot_refusal(publishing=True) if isinstance(page, ProposalPage) else None
        if refusal:
            messages.error(request, f"{page.title}: {refusal}")
            return redirect(request.GET.get("next") or "wagtailadmin_home")
    return None


class CycleViewSet(ViewSet):
    """The cycles and their actions: small views, each checking its rule (no model listing serves here)."""

    name = "budgets"
    url_namespace = "budgets_admin"
    icon = "tasks"
    menu_label = gettext_lazy("Budget cycles")
    permission = "budgets.open_cycles"

    def get_menu_item(self, order=None):
        return PermissionMenuItem(
            self.menu_label, self.menu_url, name="budget-cycles", icon_name=self.icon,
            order=self.get_menu_item_order(order), permission=self.permission,
        )

    def get_urlpatterns(self):
        return [
            path("", budget_list, name="list"),
            path("<int:budget_id>/proposals/", proposals, name="proposals"),
            path("proposal/<int:proposal_id>/review/", review, name="review"),
            path("<int:budget_id>/paper/", paper_ballot, name="paper"),
            path("<int:budget_id>/import/", paper_import, name="import"),
            path("<int:budget_id>/results/", results_preview, name="results"),
        ]


class BallotViewSet(CitizenRecordViewSet):
    """Ballots, read-only: filter by cycle, channel, settlement; export without personal data (no account,
    no identity hash, no receipt code)."""

    model = Ballot
    name = "budget_ballots"
    url_prefix = "budgets/ballots"
    menu_label = gettext_lazy("Ballots")
    icon = "list-ul"
    list_display = ["budget", "created_at", "channel", "settlement", "version", "entered_by", "moderation_status"]
    list_filter = ["budget", "channel", "settlement", "moderation_status"]
    list_export = ["budget", "channel", "settlement", "created_at", "updated_at", "version", "is_counted", "project_list"]
    export_headings = {
        "budget": "budget",
        "channel": "channel",
        "settlement": "settlement",
        "created_at": "cast_at",
        "updated_at": "last_changed",
        "version": "version",
        "is_counted": "counted",
        "project_list": "projects",
    }
    ordering = ["-created_at"]
    # Never used (the read-only policy refuses add and edit), but ModelViewSet builds those views.
    inspect_view_enabled = False

    def get_index_view_kwargs(self, **kwargs):
        queryset = Ballot.objects.select_related("budget", "settlement", "entered_by").prefetch_related("choices")
        return super().get_index_view_kwargs(queryset=queryset, **kwargs)


class BudgetsMenu(AppMenuGroup):
    menu_label = gettext_lazy("Budgets")
    menu_icon = "tasks"
    menu_name = "budgets"
    menu_order = 320
    items = (CycleViewSet, BallotViewSet)


# --- The admin dashboard (registered by wagtail_hooks.construct_homepage_panels) ------------------------------


class ProposalDraftsPanel(DashboardPanel):
    """Proposal drafts waiting for moderation, how long each has waited, and a link to review it."""

    name = "veche_proposal_drafts"
    dom_id = "veche-proposal-drafts"
    order = 101
    permission = "budgets.review_proposal"
    heading = gettext_lazy("Proposals waiting for moderation")
    caption = gettext_lazy("Project proposals waiting for moderation, the longest waiting first")
    columns = (gettext_lazy("Kind"), gettext_lazy("Title"), gettext_lazy("Budget cycle"), gettext_lazy("Waiting"), gettext_lazy("Actions"))
    empty_text = gettext_lazy("No proposal is waiting for moderation.")
    row_template = "budgets/admin/panels/draft_row.html"

    def rows(self, request):
        return queries.dashboard_drafts()

    def see_all(self, request, total):
        text = ngettext("All budget cycles (%(counter)s proposal waiting)", "All budget cycles (%(counter)s proposals waiting)", total)
        return reverse("budgets_admin:list"), text % {"counter": total}


class FeasibilityReviewsPanel(DashboardPanel):
    """Published proposals whose feasibility review is pending, with a link to the review screen."""

    name = "veche_feasibility_reviews"
    dom_id = "veche-feasibility-reviews"
    order = 120
    permission = "budgets.review_proposal"
    heading = gettext_lazy("Feasibility reviews pending")
    caption = gettext_lazy("Published proposals waiting for their feasibility review, the nearest vote first")
    columns = (gettext_lazy("Proposal"), gettext_lazy("Budget cycle"), gettext_lazy("Review by"), gettext_lazy("Actions"))
    empty_text = gettext_lazy("No feasibility review is pending.")
    row_template = "budgets/admin/panels/review_row.html"

    def rows(self, request):
        return queries.dashboard_reviews()

    def see_all(self, request, total):
        text = ngettext("All budget cycles (%(counter)s review pending)", "All budget cycles (%(counter)s reviews pending)", total)
        return reverse("budgets_admin:list"), text % {"counter": total}


def dashboard_panels(user):
    """The budgets panels `user`'s rules let them see."""
    return DashboardPanel.for_user(user, (ProposalDraftsPanel, FeasibilityReviewsPanel))
