"""Staff views of the "Budgets" admin menu: cycles, feasibility review, ballots (list, CSV), paper ballots,
CSV import and the side-by-side preview of both outcome rules before publishing results."""

import csv

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from wagtail.models import Locale

from participation.exceptions import ParticipationError

from . import ballot_rules
from .forms import PaperBallotForm, PaperImportForm, PublishForm, ReviewForm
from .models import Ballot, BudgetPage, BudgetResult, Channel, OutcomeRule, ProposalPage
from .results import compute, presented, publish_results
from .services import InvalidBallot, enter_paper_ballot, import_paper_ballots, review_proposal


def _require(request, perm, obj=None):
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied


def _budget(budget_id):
    return get_object_or_404(BudgetPage, pk=budget_id)


def budget_list(request):
    _require(request, "budgets.review_proposal")
    budgets = (
        BudgetPage.objects.filter(locale=Locale.get_default())
        .annotate(ballot_count=Count("ballots", distinct=True))
        .order_by("-proposals_opens_at")
    )
    return TemplateResponse(request, "budgets/admin/budget_list.html", {"budgets": budgets})


def proposals(request, budget_id):
    _require(request, "budgets.review_proposal")
    budget = _budget(budget_id)
    items = ProposalPage.objects.child_of(budget).select_related("category").order_by("feasibility", "title")
    return TemplateResponse(request, "budgets/admin/proposals.html", {"budget": budget, "items": items})


def review(request, proposal_id):
    _require(request, "budgets.review_proposal")
    proposal = get_object_or_404(ProposalPage, pk=proposal_id)
    form = ReviewForm(
        request.POST or None,
        initial={"feasibility": proposal.feasibility, "reason": proposal.feasibility_reason,
                 "final_cost": proposal.final_cost if proposal.final_cost is not None else proposal.estimated_cost},
    )
    if request.method == "POST" and form.is_valid():
        try:
            review_proposal(proposal=proposal, actor=request.user, **form.cleaned_data)
        except ParticipationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Review saved; the author has been emailed."))
            return redirect("budgets_admin:proposals", budget_id=proposal.get_parent().pk)
    return TemplateResponse(request, "budgets/admin/review.html", {"proposal": proposal, "form": form})


def ballots(request, budget_id):
    _require(request, "budgets.review_proposal")
    budget = _budget(budget_id)
    queryset = Ballot.objects.filter(budget=budget).select_related("settlement", "entered_by").order_by("-created_at")
    channel = request.GET.get("channel", "")
    if channel in Channel.values:
        queryset = queryset.filter(channel=channel)
    if request.GET.get("format") == "csv":
        # Never personal data: no account, no identity hash, no receipt code.
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="ballots-{budget.pk}.csv"'
        writer = csv.writer(response)
        writer.writerow(["ballot", "channel", "settlement", "cast_at", "last_changed", "version", "counted", "projects"])
        choices = {}
        for ballot_id, project_id in Ballot.projects.through.objects.filter(ballot__budget=budget).values_list("ballot_id", "project_id"):
            choices.setdefault(ballot_id, []).append(project_id)
        for number, ballot in enumerate(queryset.order_by("pk").iterator(), start=1):
            writer.writerow([number, ballot.channel, ballot.settlement.name if ballot.settlement else "",
                             ballot.created_at.isoformat(), ballot.updated_at.isoformat(), ballot.version,
                             int(ballot.moderation_status == "published"),
                             " ".join(str(pk) for pk in sorted(choices.get(ballot.pk, [])))])
        return response
    page_obj = Paginator(queryset, 50).get_page(request.GET.get("p"))
    return TemplateResponse(request, "budgets/admin/ballots.html", {
        "budget": budget, "page_obj": page_obj, "channel": channel, "channels": Channel.choices,
    })


def paper_ballot(request, budget_id):
    budget = _budget(budget_id)
    _require(request, "budgets.enter_paper_ballot", budget)
    projects = ballot_rules.ballot_projects(budget)
    form = PaperBallotForm(request.POST or None, projects=projects)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            ballot = enter_paper_ballot(
                budget=budget, actor=request.user, name=data["name"], settlement_id=data["settlement"],
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
    return TemplateResponse(request, "budgets/admin/paper_ballot.html", {"budget": budget, "form": form, "rule_text": ballot_rules.describe(budget)})


def paper_import(request, budget_id):
    budget = _budget(budget_id)
    _require(request, "budgets.enter_paper_ballot", budget)
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
    _require(request, "budgets.review_proposal")
    budget = _budget(budget_id)
    published = BudgetResult.objects.filter(budget=budget).first()
    form = PublishForm(request.POST or None, initial={"rule": budget.outcome_rule})
    if request.method == "POST":
        _require(request, "budgets.publish_results", budget)
        if form.is_valid():
            try:
                publish_results(budget=budget, rule=form.cleaned_data["rule"], actor=request.user)
            except ParticipationError as error:
                messages.error(request, str(error))
            else:
                messages.success(request, _("The results are published."))
            return redirect("budgets_admin:results", budget_id=budget.pk)
    previews = []
    if not published:
        projects = ballot_rules.ballot_projects(budget)
        from .results import load_ballots

        ballots_grouped = load_ballots(budget)
        for rule in OutcomeRule:
            previews.append({"label": rule.label, "data": presented(compute(budget, rule, projects=projects, ballots=ballots_grouped))})
    return TemplateResponse(request, "budgets/admin/results.html", {
        "budget": budget, "published": published, "previews": previews, "form": form,
        "can_publish": request.user.has_perm("budgets.publish_results", budget),
        "public_url": budget.url + budget.reverse_subpage("results_route") if budget.url else "",
    })


def admin_links(budget):
    return {
        "proposals": reverse("budgets_admin:proposals", args=[budget.pk]),
        "ballots": reverse("budgets_admin:ballots", args=[budget.pk]),
        "paper": reverse("budgets_admin:paper", args=[budget.pk]),
        "import": reverse("budgets_admin:import", args=[budget.pk]),
        "results": reverse("budgets_admin:results", args=[budget.pk]),
    }
