"""Results of a cycle: stored ballots -> the outcome rules in budgets/outcomes.py -> a published snapshot.

Identical ballots are grouped before counting; with categories every category is counted on its own with its
own amount (a ballot counts in each category where it chose something). Explanations stay machine-readable
in the snapshot and become sentences in the reader's language when shown (`sentence()`).
"""

from collections import Counter, defaultdict

from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from wagtail.log_actions import log

from participation.exceptions import AlreadyDone, PhaseClosed

from . import outcomes
from .ballot_rules import ballot_projects
from .models import Ballot, BallotChoice, BudgetPhase, BudgetResult, Channel, OutcomeRule
from .money import money

RULES = {OutcomeRule.GREEDY: "greedy", OutcomeRule.MES: "equal_shares"}


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


def _groups(budget, projects):
    """[(category or None, amount, [projects])]: one group per category, or the whole budget."""
    categories = budget.category_list()
    if not categories:
        return [(None, budget.amount, projects)]
    by_category = defaultdict(list)
    for project in projects:
        by_category[project.category_id].append(project)
    return [(category, category.amount, by_category.get(category.pk, [])) for category in categories]


def compute(budget, rule, *, projects=None, ballots=None):
    """The outcome of `rule` ("greedy" or "mes") for the cycle, as a JSON-serialisable dict."""
    budget = budget.canonical
    rule = OutcomeRule(rule)
    projects = projects if projects is not None else ballot_projects(budget)
    ballots = ballots if ballots is not None else load_ballots(budget)
    function = outcomes.greedy if rule == OutcomeRule.GREEDY else outcomes.equal_shares
    rows, groups = [], []
    for category, amount, members in _groups(budget, projects):
        ids = {project.pk for project in members}
        grouped = Counter()
        for chosen, weight in ballots.items():
            mine = chosen & ids
            if mine:
                grouped[mine] += weight
        outcome = function(
            int(amount),
            [outcomes.Project(project.pk, int(project.cost), project.title) for project in members],
            [outcomes.Ballot(chosen, weight) for chosen, weight in grouped.items()],
        )
        groups.append(
            {
                "category": category.pk if category else None,
                "name": category.name if category else "",
                "amount": int(amount),
                "spent": outcome.spent,
                "leftover": outcome.leftover,
                "voters": outcome.num_voters,
                "details": outcome.details,
            }
        )
        for project in sorted(members, key=lambda p: (-outcome.projects[p.pk].votes, p.title)):
            result = outcome.projects[project.pk]
            rows.append(
                {
                    "id": project.pk,
                    "title": project.title,
                    "category": category.pk if category else None,
                    "category_name": category.name if category else "",
                    "votes": result.votes,
                    "cost": int(project.cost),
                    "selected": result.selected,
                    "explanation": result.explanation,
                }
            )
    return {
        "rule": rule.value,
        "computed_at": timezone.now().isoformat(),
        "currency": budget.currency,
        "amount": int(budget.amount),
        "turnout": turnout(budget),
        "groups": groups,
        "projects": rows,
    }


def turnout(budget):
    counted = Ballot.objects.counted().filter(budget=budget.canonical)
    by_channel = dict(counted.values_list("channel").annotate(n=Count("id")).order_by())
    by_settlement = (
        counted.values("settlement__name").annotate(n=Count("id")).order_by("-n", "settlement__name")
    )
    return {
        "total": sum(by_channel.values()),
        "online": by_channel.get(Channel.ONLINE, 0),
        "paper": by_channel.get(Channel.PAPER, 0),
        "assisted": by_channel.get(Channel.ASSISTED, 0),
        "by_settlement": [{"name": row["settlement__name"] or "", "count": row["n"]} for row in by_settlement],
    }


def publish_results(*, budget, rule, actor, now=None):
    """Editors publish the result of the chosen rule once voting has closed. Returns the BudgetResult."""
    now = now or timezone.now()
    budget = budget.canonical
    if budget.budget_phase(now) not in (BudgetPhase.RESULTS, BudgetPhase.IMPLEMENTATION):
        raise PhaseClosed(_("Results can be published once voting has closed."), code="phase")
    with transaction.atomic():
        type(budget).objects.select_for_update().get(pk=budget.pk)
        if BudgetResult.objects.filter(budget=budget).exists():
            raise AlreadyDone(_("The results of this budget are already published."), code="published")
        data = compute(budget, rule)
        result = BudgetResult.objects.create(budget=budget, rule=rule, data=data, published_by=actor, computed_at=now)
        log(instance=budget, action="veche.budgets.publish_results", user=actor, data={"rule": str(rule)})
    return result


def sentence(project, currency):
    """Why a project was or was not funded, in the reader's language."""
    e = project["explanation"]
    kind = e.get("kind")
    votes = e.get("votes", project["votes"])
    values = {
        "votes": votes,
        "cost": money(e.get("cost", project["cost"]), currency),
        "remaining": money(e.get("remaining_before", e.get("remaining")), currency),
        "budget": money(e.get("budget"), currency),
        "payment": money(e.get("payment"), currency),
        "supporters": e.get("supporters", votes),
        "money": money(e.get("supporters_money"), currency),
    }
    if kind == "funded_fits":
        return ngettext(
            "Funded: %(votes)s vote; its cost fits the %(remaining)s still available.",
            "Funded: %(votes)s votes; its cost fits the %(remaining)s still available.",
            votes,
        ) % values
    if kind == "funded_leftover":
        return ngettext(
            "Funded from the money left after equal shares: %(votes)s vote; its cost fits the %(remaining)s still available.",
            "Funded from the money left after equal shares: %(votes)s votes; its cost fits the %(remaining)s still available.",
            votes,
        ) % values
    if kind == "funded_equal_shares":
        return ngettext(
            "Funded: its %(votes)s voter could pay its cost of %(cost)s from their equal share.",
            "Funded: its %(votes)s voters could pay its cost of %(cost)s together, at most %(payment)s each.",
            votes,
        ) % values
    if kind == "not_fits":
        return ngettext(
            "Not funded: %(votes)s vote, but only %(remaining)s was left of the %(cost)s it needed.",
            "Not funded: %(votes)s votes, but only %(remaining)s was left of the %(cost)s it needed.",
            votes,
        ) % values
    if kind == "exceeds_budget":
        return _("Not funded: it costs %(cost)s, more than the whole %(budget)s available.") % values
    if kind == "no_votes":
        return _("Not funded: nobody voted for it.")
    if kind == "supporters_short":
        return ngettext(
            "Not funded: its %(supporters)s voter had %(money)s left of the %(cost)s it needed.",
            "Not funded: its %(supporters)s voters had %(money)s left of the %(cost)s it needed.",
            values["supporters"],
        ) % values
    return _("Funded.") if project["selected"] else _("Not funded.")


def presented(data, *, titles=None, urls=None):
    """The snapshot ready for a template: sentences, bars and money per category."""
    currency = data["currency"]
    projects = []
    top_votes = max([p["votes"] for p in data["projects"]] or [0]) or 1
    for project in data["projects"]:
        row = dict(project)
        row["title"] = (titles or {}).get(project["id"], project["title"])
        row["url"] = (urls or {}).get(project["id"])
        row["sentence"] = sentence(project, currency)
        row["cost_text"] = money(project["cost"], currency)
        row["bar"] = round(project["votes"] * 100 / top_votes)
        projects.append(row)
    groups = []
    for group in data["groups"]:
        amount = group["amount"] or 1
        groups.append(
            {
                **group,
                "spent_text": money(group["spent"], currency),
                "amount_text": money(group["amount"], currency),
                "leftover_text": money(group["leftover"], currency),
                "bar": round(group["spent"] * 100 / amount),
                "projects": [p for p in projects if p["category"] == group["category"]],
            }
        )
    turnout_data = data["turnout"]
    top_settlement = max([row["count"] for row in turnout_data["by_settlement"]] or [0]) or 1
    settlements = [
        {**row, "bar": round(row["count"] * 100 / top_settlement)} for row in turnout_data["by_settlement"]
    ]
    return {
        "rule": data["rule"],
        "projects": projects,
        "groups": groups,
        "turnout": turnout_data,
        "settlements": settlements,
        "spent_text": money(sum(g["spent"] for g in data["groups"]), currency),
        "amount_text": money(data["amount"], currency),
        "funded_count": sum(1 for p in projects if p["selected"]),
    }
