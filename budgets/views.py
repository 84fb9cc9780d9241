"""Routes of a budget cycle: permission, form, service, message, redirect (POST/redirect/GET)."""

import csv
import json
import secrets

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from participation.exceptions import ParticipationError

from . import ballot_rules, pabulib
from .forms import CastForm, ProposalForm, VerifyForm
from .models import Ballot, BudgetPhase, BudgetResult, Feasibility, ImplementationStatus, ProposalPage
from .results import presented
from .services import InvalidBallot, cast_ballot, eligibility_problem, submit_proposal


def _sub(page, name):
    return page.url + page.reverse_subpage(name)


def _result(budget):
    if not hasattr(budget, "_result_cache"):
        budget._result_cache = BudgetResult.objects.filter(budget=budget.canonical).first()
    return budget._result_cache


def _translations_by_canonical(page, projects):
    """Titles and URLs of the projects in the reader's language when a translation exists."""
    titles, urls = {}, {}
    for project in projects:
        titles[project.pk] = project.title
        urls[project.pk] = project.url
    return titles, urls


def what_you_can_do(budget, request, phase):
    user = request.user
    actions = []
    problem = eligibility_problem(budget, user)
    if phase == BudgetPhase.PROPOSALS:
        if problem and user.is_authenticated:
            actions.append({"text": problem})
        else:
            actions.append({"text": _("Propose a project"), "url": _sub(budget, "propose_route"), "primary": True})
    elif phase == BudgetPhase.REVIEW:
        actions.append({"text": _("The municipality is checking which proposals can be carried out. Voting opens soon.")})
    elif phase == BudgetPhase.VOTING:
        if problem and user.is_authenticated:
            actions.append({"text": problem})
        else:
            actions.append({"text": _("Vote for projects"), "url": _sub(budget, "vote_route"), "primary": True})
        actions.append({"text": _("You can also vote on paper at the municipal office.")})
    elif phase in (BudgetPhase.RESULTS, BudgetPhase.IMPLEMENTATION):
        if _result(budget):
            actions.append({"text": _("See the results"), "url": _sub(budget, "results_route"), "primary": True})
        else:
            actions.append({"text": _("Voting has closed. The votes are being counted.")})
    else:
        actions.append({"text": _("Proposals open on %(date)s.") % {"date": _date(budget.proposals_opens_at)}})
    return actions


def _date(value):
    from django.utils import timezone
    from django.utils.dateformat import format as date_format

    return date_format(timezone.localtime(value), "j E Y")


def budget_context(budget, request):
    phase = budget.budget_phase()
    canonical = budget.canonical
    result = _result(budget)
    projects = list(
        ProposalPage.objects.child_of(canonical).live().select_related("category").order_by("category__sort_order", "title")
    )
    context = {
        "budget_phase": phase,
        "timeline": budget.timeline(),
        "actions": what_you_can_do(budget, request, phase),
        "projects": projects,
        "rule_text": ballot_rules.describe(canonical),
        "result": result,
    }
    if result:
        funded = [p for p in projects if p.pk in result.funded_ids]
        total = sum(p.cost for p in funded) or 1
        context["funded"] = funded
        context["overall_progress"] = round(
            sum(p.cost * (0 if p.implementation_status == ImplementationStatus.CANCELLED else p.implementation_progress) for p in funded) / total
        )
    if request.user.is_authenticated:
        context["my_ballot"] = Ballot.objects.filter(budget=canonical, author=request.user).first()
    return context


def proposal_context(proposal, request):
    budget = proposal.get_parent().specific
    result = _result(budget)
    return {
        "budget": budget,
        "funded": bool(result and proposal.pk in result.funded_ids),
        "result_row": next((row for row in result.data["projects"] if row["id"] == proposal.pk), None) if result else None,
        "updates": list(proposal.updates.select_related("photo").order_by("-date")),
        "Feasibility": Feasibility,
    }


def _render(request, budget, template, context):
    context = {"page": budget, "self": budget, "request": request, **context}
    return TemplateResponse(request, template, context)


def propose(request, budget):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    problem = None if budget.budget_phase() == BudgetPhase.PROPOSALS else _("Proposals for this budget are not open now.")
    problem = problem or eligibility_problem(budget.canonical, request.user)
    form = ProposalForm(request.POST or None, request.FILES or None, budget=budget.canonical)
    if request.method == "POST" and not problem and form.is_valid():
        try:
            submit_proposal(budget=budget, author=request.user, **form.service_kwargs())
        except ParticipationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Thank you. Your proposal was sent to the moderators; we will email you when it is published."))
            return redirect(budget.url)
    return _render(
        request, budget, "budgets/propose.html",
        {"form": form, "problem": problem, "map_center": settings.GEO_WIDGET_DEFAULT_LOCATION},
    )


def _selection_key(budget):
    return f"budgets:selection:{budget.canonical.pk}"


def vote(request, budget):
    canonical = budget.canonical
    projects = ballot_rules.ballot_projects(canonical)
    key = _selection_key(budget)
    selected = set(request.session.get(key, []))
    if request.method == "POST":
        shown = {int(pk) for pk in request.POST.getlist("shown") if pk.isdigit()}
        posted = {int(pk) for pk in request.POST.getlist("project") if pk.isdigit()}
        selected = (selected - shown) | posted
        request.session[key] = sorted(selected)
        chosen = [p for p in projects if p.pk in selected]
        errors = ballot_rules.validate(canonical, chosen) if len(chosen) == len(selected) else [
            _("That ballot contains a project that is not on this ballot.")
        ]
        if not errors:
            return redirect(_sub(budget, "check_route"))
        request.session[key] = sorted(p.pk for p in chosen)
        for error in errors:
            messages.error(request, error)
        return redirect(_sub(budget, "vote_route") + ("?" + request.GET.urlencode() if request.GET else ""))
    filters = _filters(request, canonical)
    shown = [p for p in projects if _matches(p, filters)]
    chosen = [p for p in projects if p.pk in selected]
    return _render(request, budget, "budgets/vote.html", {
        "ballot_projects": shown,
        "mapped": [p for p in shown if p.lat_lng],
        "all_count": len(projects),
        "selected": selected,
        "chosen": chosen,
        "money_rows": ballot_rules.spent_by_limit(canonical, chosen),
        "rule_text": ballot_rules.describe(canonical),
        "filters": filters,
        "categories": canonical.category_list(),
        "budget_phase": budget.budget_phase(),
        "problem": eligibility_problem(canonical, request.user),
        "my_ballot": Ballot.objects.filter(budget=canonical, author=request.user).first() if request.user.is_authenticated else None,
    })


def _filters(request, budget):
    filters = {"category": None, "max_cost": None}
    value = request.GET.get("category", "")
    if value.isdigit():
        filters["category"] = int(value)
    value = request.GET.get("max_cost", "")
    if value.isdigit():
        filters["max_cost"] = int(value)
    return filters


def _matches(project, filters):
    if filters["category"] and project.category_id != filters["category"]:
        return False
    if filters["max_cost"] and project.cost > filters["max_cost"]:
        return False
    return True


def check(request, budget):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    canonical = budget.canonical
    key = _selection_key(budget)
    selected = set(request.session.get(key, []))
    chosen = [p for p in ballot_rules.ballot_projects(canonical) if p.pk in selected]
    if not chosen:
        messages.error(request, _("Choose at least one project."))
        return redirect(_sub(budget, "vote_route"))
    form = CastForm(request.POST or None, budget=canonical, initial={"token": secrets.token_urlsafe(16)})
    if request.method == "POST" and form.is_valid():
        try:
            ballot, changed = cast_ballot(
                budget=canonical, voter=request.user, project_ids=[p.pk for p in chosen],
                token=form.cleaned_data["token"], identity=form.identity(),
            )
        except InvalidBallot as error:
            for message in error.errors:
                messages.error(request, message)
            return redirect(_sub(budget, "vote_route"))
        except ParticipationError as error:
            form.add_error(None, str(error))
        else:
            request.session.pop(key, None)
            messages.success(request, _("Your ballot was changed.") if changed else _("Your ballot was cast. Thank you for voting."))
            return redirect(_sub(budget, "receipt_route"))
    return _render(request, budget, "budgets/check.html", {
        "form": form,
        "chosen": chosen,
        "money_rows": ballot_rules.spent_by_limit(canonical, chosen),
        "total": sum(p.cost for p in chosen),
        "my_ballot": Ballot.objects.filter(budget=canonical, author=request.user).first(),
    })


def receipt(request, budget):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    ballot = Ballot.objects.filter(budget=budget.canonical, author=request.user).first()
    if ballot is None:
        messages.info(request, _("You have not voted in this budget yet."))
        return redirect(budget.url)
    chosen = list(ProposalPage.objects.filter(pk__in=ballot.choices.values("project_id")).select_related("category").order_by("title"))
    return _render(request, budget, "budgets/receipt.html", {
        "ballot": ballot,
        "chosen": chosen,
        "total": sum(p.cost for p in chosen),
        "changes": ballot.history.count(),
        "can_change": budget.allow_ballot_changes and budget.budget_phase() == BudgetPhase.VOTING,
    })


def verify(request, budget):
    form = VerifyForm(request.GET or None)
    found = None
    if form.is_bound and form.is_valid():
        code = form.cleaned_data["code"]
        if len(code) == 10:
            code = f"{code[:5]}-{code[5:]}"
        found = Ballot.objects.filter(budget=budget.canonical, receipt_code=code).first()
        if found is None:
            form.add_error("code", _("No ballot in this budget has that code. Check it and try again."))
    return _render(request, budget, "budgets/verify.html", {"form": form, "found": found})


def results(request, budget):
    result = _result(budget)
    context = {"result": result}
    if result:
        live = {p.pk: p for p in ProposalPage.objects.child_of(budget.canonical).live()}
        context["data"] = presented(
            result.data, titles={pk: p.title for pk, p in live.items()}, urls={pk: p.url for pk, p in live.items()}
        )
    return _render(request, budget, "budgets/results.html", context)


def _open_data(budget):
    result = _result(budget)
    canonical = budget.canonical
    projects = ballot_rules.ballot_projects(canonical)
    rows = {row["id"]: row for row in result.data["projects"]} if result else {}
    return {
        "budget": {"id": canonical.pk, "title": canonical.title, "amount": canonical.amount, "currency": canonical.currency,
                   "ballot_rule": canonical.ballot_rule, "outcome_rule": canonical.outcome_rule,
                   "phase": canonical.budget_phase().value},
        "result": {"rule": result.rule, "published_at": result.computed_at.isoformat(),
                   "turnout": result.data["turnout"], "groups": result.data["groups"]} if result else None,
        "projects": [
            {"id": p.pk, "title": p.title, "category": p.category.name if p.category else "", "cost": p.cost,
             "votes": rows[p.pk]["votes"] if p.pk in rows else None,
             "selected": rows[p.pk]["selected"] if p.pk in rows else None,
             "explanation": rows[p.pk]["explanation"] if p.pk in rows else None,
             "implementation_status": p.implementation_status, "implementation_progress": p.implementation_progress}
            for p in projects
        ],
    }


def data_json(request, budget):
    response = JsonResponse(_open_data(budget), json_dumps_params={"ensure_ascii": False, "indent": 1})
    response["Content-Disposition"] = 'inline; filename="data.json"'
    return response


def data_csv(request, budget):
    data = _open_data(budget)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="data.csv"'
    writer = csv.writer(response)
    writer.writerow(["project_id", "title", "category", "cost", "votes", "selected", "explanation", "implementation_status", "implementation_progress"])
    for p in data["projects"]:
        writer.writerow([p["id"], p["title"], p["category"], p["cost"], "" if p["votes"] is None else p["votes"],
                         "" if p["selected"] is None else int(p["selected"]),
                         json.dumps(p["explanation"], ensure_ascii=False) if p["explanation"] else "",
                         p["implementation_status"], p["implementation_progress"]])
    return response


def export_pb(request, budget):
    from .exports import election_for

    if budget.budget_phase() not in (BudgetPhase.RESULTS, BudgetPhase.IMPLEMENTATION):
        return HttpResponse(_("The election is published once voting has closed."), status=404, content_type="text/plain; charset=utf-8")
    response = HttpResponse(pabulib.dumps(election_for(budget.canonical)), content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="budget-{budget.canonical.pk}.pb"'
    return response
