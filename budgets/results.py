"""Results of a cycle: stored ballots -> the outcome rules in budgets/counting/outcomes.py -> a snapshot
(services.publish_results stores it), and the snapshot shown to a reader.

Identical ballots are grouped before counting; with categories every category is counted on its own with its
own amount (a ballot counts in each category where it chose something). Explanations stay machine-readable
in the snapshot and become sentences in the reader's language when shown (`sentence()`).
"""

from collections import Counter, defaultdict

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .counting import outcomes
from .counting.money import money
from .models import OutcomeRule
from .queries import ballot_projects, load_ballots, turnout


def duplicate_checks(budget):
    """What was checked against one person voting twice, machine-readable (open data); nothing more is claimed."""
    return {
        "online": "one_ballot_per_account",
        "paper_and_assisted": "one_ballot_per_name_settlement_document",
        "online_and_paper_matched": bool(budget.canonical.identity_check),
        "note": duplicate_check_text(budget),
    }


def duplicate_check_text(budget):
    """The same, as a sentence in the reader's language (the results page)."""
    if budget.canonical.identity_check:
        return _(
            "How double voting was checked: one ballot per account online; every ballot, online or on paper, also "
            "carries a code made from the voter's name, settlement and identity document number, and a second "
            "ballot with the same code was refused."
        )
    return _(
        "How double voting was checked: one ballot per account online, and one paper or assisted ballot per name, "
        "settlement and identity document number. Online voters did not give a document number in this cycle, so "
        "a person who voted both online and on paper could not be detected."
    )


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
