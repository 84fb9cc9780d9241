"""Reads of the budgets app: the projects on a ballot, a cycle's settlements, ballots as the counting wants
them, turnout, and the contexts of the public pages, each with a constant number of queries.

Writes live in services.py; this module imports neither rules nor services (rules call it).
"""

from collections import Counter

from django.db.models import CharField, Count, F, OuterRef, Subquery
from django.db.models.functions import Cast, Left, Length
from django.utils import timezone
from wagtail.models import Locale, Page, WorkflowState

from .counting import ballot_rules
from .models import (
    Ballot,
    BallotChoice,
    BudgetPage,
    BudgetPhase,
    BudgetResult,
    Channel,
    Feasibility,
    ImplementationStatus,
    ProposalPage,
)


def settlement_ids(budget):
    """The settlements a cycle is for (empty: the whole municipality), cached on the instance."""
    if not hasattr(budget, "_settlement_ids"):
        budget._settlement_ids = {settlement.pk for settlement in budget.settlements.all()}
    return budget._settlement_ids


def ballot_projects(budget):
    """Projects on the ballot: live, feasible children of the canonical cycle, by category then title.

    Only projects first published before voting opened: the ballot is fixed then (ProposalPage.ballot_refusal
    refuses later additions; this keeps a project added some other way out of the ballot and the results).
    """
    canonical = budget.canonical
    return list(
        ProposalPage.objects.child_of(canonical)
        .live()
        .filter(feasibility=Feasibility.FEASIBLE, first_published_at__lt=canonical.voting_opens_at)
        .select_related("category", "photo")
        .order_by("category__sort_order", "title")
    )


def published_result(budget):
    """The cycle's published BudgetResult or None, cached on the instance."""
    if not hasattr(budget, "_result_cache"):
        budget._result_cache = BudgetResult.objects.filter(budget=budget.canonical).first()
    return budget._result_cache


def my_ballot(budget, user):
    if not (user and user.is_authenticated):
        return None
    return Ballot.objects.filter(budget=budget.canonical, author=user).first()


def ballots_of(user, limit=20):
    """A citizen's ballots, newest first ("did my vote count?" on the profile page)."""
    if not (user and user.is_authenticated):
        return []
    return list(Ballot.objects.filter(author=user).select_related("budget").order_by("-created_at")[:limit])


def ballot_by_receipt(budget, code):
    """The ballot with this receipt code in this cycle (the code with or without its dash), or None."""
    if len(code) == 10:
        code = f"{code[:5]}-{code[5:]}"
    return Ballot.objects.filter(budget=budget.canonical, receipt_code=code).first()


def chosen_projects(ballot):
    return list(
        ProposalPage.objects.filter(pk__in=ballot.choices.values("project_id")).select_related("category").order_by("title")
    )


def load_ballots(budget):
    """Counted ballots of the cycle as a Counter {frozenset(project ids): number of identical ballots}."""
    rows = (
        BallotChoice.objects.filter(ballot__budget=budget.canonical, ballot__moderation_status="published")
        .order_by("ballot_id")
        .values_list("ballot_id", "project_id")
        .iterator(chunk_size=20000)
    )
    groups = Counter()
    current, chosen = None, []
    for ballot_id, project_id in rows:
        if ballot_id != current:
            if chosen:
                groups[frozenset(chosen)] += 1
            current, chosen = ballot_id, []
        chosen.append(project_id)
    if chosen:
        groups[frozenset(chosen)] += 1
    return groups


def ballot_choices(budget):
    """{ballot id: sorted project ids} of every ballot of the cycle (counted or not), in one query."""
    choices = {}
    rows = BallotChoice.objects.filter(ballot__budget=budget.canonical).order_by("ballot_id", "project_id")
    for ballot_id, project_id in rows.values_list("ballot_id", "project_id"):
        choices.setdefault(ballot_id, []).append(project_id)
    return choices


def turnout(budget):
    counted = Ballot.objects.counted().filter(budget=budget.canonical)
    by_channel = dict(counted.values_list("channel").annotate(n=Count("id")).order_by())
    by_settlement = counted.values("settlement__name").annotate(n=Count("id")).order_by("-n", "settlement__name")
    return {
        "total": sum(by_channel.values()),
        "online": by_channel.get(Channel.ONLINE, 0),
        "paper": by_channel.get(Channel.PAPER, 0),
        "assisted": by_channel.get(Channel.ASSISTED, 0),
        "by_settlement": [{"name": row["settlement__name"] or "", "count": row["n"]} for row in by_settlement],
    }


# --- page contexts -------------------------------------------------------------------------------------------


def budget_context(budget, user):
    """The cycle page: timeline, projects, the ballot rule, the result and the overall progress of funded ones."""
    canonical = budget.canonical
    result = published_result(budget)
    projects = list(
        ProposalPage.objects.child_of(canonical).live().select_related("category").order_by("category__sort_order", "title")
    )
    context = {
        "budget_phase": budget.budget_phase(),
        "timeline": budget.timeline(),
        "projects": projects,
        "rule_text": ballot_rules.describe(canonical),
        "result": result,
        "my_ballot": my_ballot(budget, user),
    }
    if result:
        funded = [p for p in projects if p.pk in result.funded_ids]
        total = sum(p.cost for p in funded) or 1
        context["funded"] = funded
        context["overall_progress"] = round(
            sum(
                p.cost * (0 if p.implementation_status == ImplementationStatus.CANCELLED else p.implementation_progress)
                for p in funded
            )
            / total
        )
    return context


def proposal_context(proposal):
    budget = proposal.get_parent().specific
    result = published_result(budget)
    return {
        "budget": budget,
        "funded": bool(result and proposal.pk in result.funded_ids),
        "result_row": next((row for row in result.data["projects"] if row["id"] == proposal.pk), None) if result else None,
        "updates": list(proposal.updates.select_related("photo").order_by("-date")),
        "Feasibility": Feasibility,
    }


def ballot_filters(params):
    """The ballot page's filters from the query string: {"category": id or None, "max_cost": amount or None}."""
    filters = {"category": None, "max_cost": None}
    for key in filters:
        value = params.get(key, "")
        if value.isdigit():
            filters[key] = int(value)
    return filters


def _matches(project, filters):
    if filters["category"] and project.category_id != filters["category"]:
        return False
    if filters["max_cost"] and project.cost > filters["max_cost"]:
        return False
    return True


def vote_context(budget, user, selected, params):
    """The ballot: the projects shown under the filters, the ones chosen so far and the money left."""
    canonical = budget.canonical
    projects = ballot_projects(canonical)
    filters = ballot_filters(params)
    shown = [p for p in projects if _matches(p, filters)]
    chosen = [p for p in projects if p.pk in selected]
    return {
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
        "my_ballot": my_ballot(budget, user),
    }


def check_context(budget, user, chosen):
    canonical = budget.canonical
    return {
        "chosen": chosen,
        "money_rows": ballot_rules.spent_by_limit(canonical, chosen),
        "total": sum(p.cost for p in chosen),
        "my_ballot": my_ballot(budget, user),
    }


def receipt_context(budget, ballot, now=None):
    chosen = chosen_projects(ballot)
    return {
        "ballot": ballot,
        "chosen": chosen,
        "total": sum(p.cost for p in chosen),
        "changes": ballot.history.count(),
        "can_change": budget.allow_ballot_changes and budget.budget_phase(now) == BudgetPhase.VOTING,
    }


def live_projects(budget):
    """{id: project} of the cycle's live projects (titles and URLs for the results page)."""
    return {p.pk: p for p in ProposalPage.objects.child_of(budget.canonical).live()}


# --- The admin dashboard (budgets/admin.py panels): (rows, total), two queries (and the default locale) -------


def _with_cycle(proposals):
    """Proposals annotated with their cycle's title and the opening of voting (the end of the review)."""
    cycle = BudgetPage.objects.filter(path=Left(OuterRef("path"), Length(OuterRef("path")) - Page.steplen))
    return proposals.annotate(
        cycle_title=Subquery(cycle.values("title")[:1]), review_by=Subquery(cycle.values("voting_opens_at")[:1])
    )


def dashboard_drafts(limit=10, now=None):
    """Proposal drafts in the moderation workflow (not those sent back to their author), the longest waiting first."""
    in_progress = WorkflowState.objects.filter(
        status=WorkflowState.STATUS_IN_PROGRESS, object_id=Cast(OuterRef("pk"), output_field=CharField())
    ).filter(base_content_type__app_label="wagtailcore", base_content_type__model="page")
    waiting = _with_cycle(ProposalPage.objects.all()).annotate(
        since=Subquery(in_progress.values("current_task_state__started_at")[:1])
    ).filter(since__isnull=False)
    now = now or timezone.now()
    pages = list(waiting.order_by("since", "pk")[:limit])
    return [{"page": page, "since": page.since, "days": (now - page.since).days} for page in pages], waiting.count()


def dashboard_reviews(limit=10):
    """Published proposals of the default language whose feasibility review is pending, the nearest vote first."""
    pending = ProposalPage.objects.live().filter(feasibility=Feasibility.PENDING, locale=Locale.get_default())
    pages = list(_with_cycle(pending).order_by(F("review_by").asc(nulls_last=True), "title", "pk")[:limit])
    return [{"page": page, "cycle": page.cycle_title, "review_by": page.review_by} for page in pages], pending.count()
