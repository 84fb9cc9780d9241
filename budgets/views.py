"""Routes of a budget cycle (the page's one-line stubs call these): permission by the app's rules, form,
service, message, redirect (POST/redirect/GET). Reads come from queries.py, open data from opendata.py."""

import secrets

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext as _

from participation.exceptions import NotAllowed, ParticipationError
from participation.views import login_url, refusal_message, refuse, require, subpage_url

from . import opendata, queries
from .counting import ballot_rules, pabulib
from .exports import election_for
from .forms import CastForm, ProposalForm, VerifyForm
from .models import BudgetPhase
from .results import duplicate_check_text, presented
from .services import InvalidBallot, cast_ballot, submit_proposal

CLOSED_PHASES = (BudgetPhase.RESULTS, BudgetPhase.IMPLEMENTATION)


def _action(request, budget, perm, text, route):
    problem = refusal_message(request, perm, budget.canonical)
    if problem:
        return {"text": problem}
    return {"text": text, "url": subpage_url(budget, route, request=request), "primary": True}


def what_you_can_do(budget, request, phase):
    if phase == BudgetPhase.PROPOSALS:
        return [_action(request, budget, "budgets.propose_project", _("Propose a project"), "propose_route")]
    if phase == BudgetPhase.REVIEW:
        return [{"text": _("The municipality is checking which proposals can be carried out. Voting opens soon.")}]
    if phase == BudgetPhase.VOTING:
        return [
            _action(request, budget, "budgets.vote_budget", _("Vote for projects"), "vote_route"),
            {"text": _("You can also vote on paper at the municipal office.")},
        ]
    if phase in CLOSED_PHASES:
        if queries.published_result(budget):
            return [{"text": _("See the results"), "url": subpage_url(budget, "results_route", request=request), "primary": True}]
        return [{"text": _("Voting has closed. The votes are being counted.")}]
    date = date_format(timezone.localtime(budget.proposals_opens_at), "j E Y")
    return [{"text": _("Proposals open on %(date)s.") % {"date": date}}]


def budget_context(budget, request):
    context = queries.budget_context(budget, request.user)
    context["actions"] = what_you_can_do(budget, request, context["budget_phase"])
    return context


def proposal_context(proposal, request):
    return queries.proposal_context(proposal)


def open_data(budget, request):
    return opendata.open_data(budget, request)


def _render(request, budget, template, context):
    return TemplateResponse(request, template, {"page": budget, "self": budget, "request": request, **context})


def propose(request, budget):
    try:
        require(request, "budgets.propose_project", budget.canonical)
        problem = None
    except NotAllowed as error:
        if error.code == "login":
            return refuse(request, error, request.get_full_path())
        problem = str(error)
    form = ProposalForm(request.POST or None, request.FILES or None, budget=budget.canonical)
    if request.method == "POST" and not problem and form.is_valid():
        try:
            submit_proposal(budget=budget, author=request.user, **form.service_kwargs())
        except ParticipationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Thank you. Your proposal was sent to the moderators; we will email you when it is published."))
            return redirect(budget.url)
    context = {"form": form, "problem": problem, "map_center": settings.GEO_WIDGET_DEFAULT_LOCATION}
    return _render(request, budget, "budgets/propose.html", context)


def _selection_key(budget):
    return f"budgets:selection:{budget.canonical.pk}"


def vote(request, budget):
    """Build a ballot over several requests (filters keep earlier choices); anyone may look."""
    key = _selection_key(budget)
    selected = set(request.session.get(key, []))
    if request.method != "POST":
        context = queries.vote_context(budget, request.user, selected, request.GET)
        context["problem"] = refusal_message(request, "budgets.vote_budget", budget.canonical)
        return _render(request, budget, "budgets/vote.html", context)
    shown = {int(pk) for pk in request.POST.getlist("shown") if pk.isdigit()}
    posted = {int(pk) for pk in request.POST.getlist("project") if pk.isdigit()}
    selected = (selected - shown) | posted
    chosen = [p for p in queries.ballot_projects(budget.canonical) if p.pk in selected]
    if len(chosen) == len(selected):
        errors = ballot_rules.validate(budget.canonical, chosen)
    else:
        errors = [_("That ballot contains a project that is not on this ballot.")]
    request.session[key] = sorted(selected if not errors else (p.pk for p in chosen))
    if not errors:
        return redirect(subpage_url(budget, "check_route", request=request))
    for error in errors:
        messages.error(request, error)
    return redirect(subpage_url(budget, "vote_route", request=request) + ("?" + request.GET.urlencode() if request.GET else ""))


def check(request, budget):
    """"Check your answers", then cast: the rule decides, the service re-checks and records."""
    try:
        require(request, "budgets.vote_budget", budget.canonical)
        refused = None
    except NotAllowed as error:
        if error.code == "login":
            return refuse(request, error, request.get_full_path())
        refused = error
    canonical = budget.canonical
    key = _selection_key(budget)
    selected = set(request.session.get(key, []))
    chosen = [p for p in queries.ballot_projects(canonical) if p.pk in selected]
    if not chosen:
        messages.error(request, _("Choose at least one project."))
        return redirect(subpage_url(budget, "vote_route", request=request))
    form = CastForm(request.POST or None, budget=canonical, initial={"token": secrets.token_urlsafe(16)})
    if request.method == "POST" and form.is_valid() and refused:
        form.add_error(None, str(refused))
    elif request.method == "POST" and form.is_valid():
        try:
            ballot, changed = cast_ballot(
                budget=canonical, voter=request.user, project_ids=[p.pk for p in chosen],
                token=form.cleaned_data["token"], identity=form.identity(),
            )
        except InvalidBallot as error:
            for message in error.errors:
                messages.error(request, message)
            return redirect(subpage_url(budget, "vote_route", request=request))
        except ParticipationError as error:
            form.add_error(None, str(error))
        else:
            request.session.pop(key, None)
            messages.success(request, _("Your ballot was changed.") if changed else _("Your ballot was cast. Thank you for voting."))
            return redirect(subpage_url(budget, "receipt_route", request=request))
    return _render(request, budget, "budgets/check.html", {"form": form, **queries.check_context(budget, request.user, chosen)})


def receipt(request, budget):
    if not request.user.is_authenticated:
        return redirect(login_url(request))
    ballot = queries.my_ballot(budget, request.user)
    if ballot is None:
        messages.info(request, _("You have not voted in this budget yet."))
        return redirect(budget.url)
    return _render(request, budget, "budgets/receipt.html", queries.receipt_context(budget, ballot))


def verify(request, budget):
    form = VerifyForm(request.GET or None)
    found = None
    if form.is_bound and form.is_valid():
        found = queries.ballot_by_receipt(budget, form.cleaned_data["code"])
        if found is None:
            form.add_error("code", _("No ballot in this budget has that code. Check it and try again."))
    return _render(request, budget, "budgets/verify.html", {"form": form, "found": found})


def results(request, budget):
    result = queries.published_result(budget)
    context = {"result": result, "duplicate_check": duplicate_check_text(budget)}
    if result:
        live = queries.live_projects(budget)
        context["data"] = presented(result.data, titles={pk: p.title for pk, p in live.items()}, urls={pk: p.url for pk, p in live.items()})
    return _render(request, budget, "budgets/results.html", context)


def export_pb(request, budget):
    if budget.budget_phase() not in CLOSED_PHASES:
        return HttpResponse(_("The election is published once voting has closed."), status=404, content_type="text/plain; charset=utf-8")
    response = HttpResponse(pabulib.dumps(election_for(budget.canonical)), content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="budget-{budget.canonical.pk}.pb"'
    return response
