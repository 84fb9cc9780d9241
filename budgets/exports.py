"""A cycle as a pabulib election (export), and a pabulib election as a closed cycle (import)."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from home.models import MunicipalitySettings
from participation.exports import safe_cell

from .counting import pabulib
from .models import Ballot, BallotChoice, BudgetPage, BudgetResult, Channel, Currency, Feasibility, ProposalPage
from .queries import ballot_projects, load_ballots


def election_for(budget):
    """The cycle's projects and counted ballots in pabulib's format: anyone can recompute the result from it.

    Voters are numbered 1, 2, ... after sorting the ballots by their content, so nothing links a line to a
    person or to the time a ballot was cast. Titles that a spreadsheet would read as a formula are written as
    text (participation.exports.safe_cell), as in every other download.
    """
    budget = budget.canonical
    projects = ballot_projects(budget)
    ballots = load_ballots(budget)
    lines = []
    for chosen, weight in sorted(ballots.items(), key=lambda item: sorted(item[0])):
        lines.extend([sorted(chosen)] * weight)
    votes = {pk: 0 for pk in (p.pk for p in projects)}
    for chosen in lines:
        for pk in chosen:
            votes[pk] = votes.get(pk, 0) + 1
    result = BudgetResult.objects.filter(budget=budget).first()
    funded = result.funded_ids if result else None
    municipality = MunicipalitySettings.load()
    # The keys in the order of pabulib's format description (META_FIELDS_ORDER of pabulib's checker).
    meta = {
        "description": safe_cell(budget.title),
        "country": municipality.country,
        "unit": safe_cell(municipality.name),
        "instance": str(budget.proposals_opens_at.year),
        "num_projects": len(projects),
        "num_votes": len(lines),
        "budget": budget.amount,
        "vote_type": "approval",
        "rule": "greedy" if budget.outcome_rule == "greedy" else "equalshares/add1",
        "date_begin": timezone.localtime(budget.voting_opens_at).strftime("%d.%m.%Y"),
        "date_end": timezone.localtime(budget.voting_closes_at).strftime("%d.%m.%Y"),
    }
    if budget.ballot_rule == "approval":
        meta["min_length"] = budget.approval_min
        meta["max_length"] = budget.approval_max
    elif budget.ballot_rule == "knapsack" and not budget.has_categories:
        if budget.knapsack_min_percent:
            meta["min_sum_cost"] = -(-budget.amount * budget.knapsack_min_percent // 100)
        meta["max_sum_cost"] = budget.amount
    elif budget.ballot_rule == "one_per_category":
        meta["max_length_per_category"] = 1
    meta["language"] = budget.locale.language_code
    meta["currency"] = budget.currency
    rows = []
    for project in projects:
        row = {"project_id": project.pk, "cost": project.cost, "votes": votes.get(project.pk, 0), "name": safe_cell(project.title),
               "category": safe_cell(project.category.name if project.category else "")}
        if funded is not None:
            row["selected"] = int(project.pk in funded)
        rows.append(row)
    return pabulib.make_election(meta, rows, lines)


def import_election(election, *, parent, title=None, now=None):
    """Create a closed cycle under `parent` with the election's projects (live, feasible) and ballots."""
    now = now or timezone.now()
    budget_amount, projects, ballots = pabulib.to_rule_inputs(election)
    currency = election.meta.get("currency", "").upper()
    title = title or election.meta.get("description") or f"{election.meta.get('unit', '')} {election.meta.get('instance', '')}".strip() or "Pabulib"
    with transaction.atomic():
        budget = BudgetPage(
            title=title[:255],
            slug=(slugify(title, allow_unicode=True)[:40] or "budget") + f"-{int(now.timestamp())}",
            summary=election.meta.get("comment", "")[:600] or title[:600],
            amount=budget_amount,
            currency=currency if currency in Currency.values else Currency.EUR,
            proposals_opens_at=now - datetime.timedelta(days=120),
            proposals_closes_at=now - datetime.timedelta(days=90),
            voting_opens_at=now - datetime.timedelta(days=30),
            voting_closes_at=now - datetime.timedelta(days=1),
            approval_max=int(election.meta.get("max_length") or max([len(b.approvals) for b in ballots] or [1]) or 1),
            approval_min=int(election.meta.get("min_length") or 1),
            locale_id=parent.locale_id,
        )
        parent.add_child(instance=budget)
        by_id = {}
        names = {p["project_id"]: p for p in election.projects}
        for project in projects:
            page = ProposalPage(
                title=(project.name or f"Project {project.id}")[:255],
                slug=f"p-{slugify(str(project.id))}",
                summary=(project.name or str(project.id))[:600],
                description=names.get(project.id, {}).get("description", "") or project.name or str(project.id),
                estimated_cost=project.cost,
                final_cost=project.cost,
                feasibility=Feasibility.FEASIBLE,
                whole_municipality=True,
                live=True,
                first_published_at=budget.proposals_closes_at,  # on the ballot before voting opened
                last_published_at=budget.proposals_closes_at,
                locale_id=parent.locale_id,
            )
            budget.add_child(instance=page)
            by_id[project.id] = page.pk
        pending = []
        for ballot in ballots:
            for _n in range(ballot.weight):
                pending.append(ballot.approvals)
        for start in range(0, len(pending), 5000):
            chunk = pending[start:start + 5000]
            created = Ballot.objects.bulk_create(
                [Ballot(budget=budget, channel=Channel.IMPORTED, created_at=now, updated_at=now) for _c in chunk]
            )
            BallotChoice.objects.bulk_create(
                [BallotChoice(ballot=b, project_id=by_id[pid]) for b, chosen in zip(created, chunk) for pid in chosen],
                batch_size=10000,
            )
    return budget
