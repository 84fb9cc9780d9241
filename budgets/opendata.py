"""A cycle's open data (`<page url>data.json` / `data.csv`): one row per project on the ballot, with its
votes and whether it was funded once the result is published; the cycle and its turnout in `meta`.

Aggregates only: no account, no receipt code, no identity (DESIGN.md §11).
"""

from participation.opendata import OpenData

from .queries import ballot_projects, published_result
from .results import duplicate_checks

COLUMNS = [
    "project_id",
    "title",
    "category",
    "cost",
    "votes",
    "selected",
    "explanation",
    "implementation_status",
    "implementation_progress",
]


def open_data(budget, request=None):
    canonical = budget.canonical
    result = published_result(budget)
    counted = {row["id"]: row for row in result.data["projects"]} if result else {}
    rows = []
    for project in ballot_projects(canonical):
        row = counted.get(project.pk, {})
        rows.append(
            {
                "project_id": project.pk,
                "title": project.title,
                "category": project.category.name if project.category else "",
                "cost": project.cost,
                "votes": row.get("votes"),
                "selected": row.get("selected"),
                "explanation": row.get("explanation"),
                "implementation_status": project.implementation_status,
                "implementation_progress": project.implementation_progress,
            }
        )
    meta = {
        "budget": {
            "id": canonical.pk,
            "amount": canonical.amount,
            "currency": canonical.currency,
            "ballot_rule": canonical.ballot_rule,
            "outcome_rule": canonical.outcome_rule,
            "phase": canonical.budget_phase().value,
            "duplicate_checks": duplicate_checks(canonical),
        },
        "result": {
            "rule": result.rule,
            "published_at": result.computed_at.isoformat(timespec="seconds"),
            "turnout": result.data["turnout"],
            "groups": result.data["groups"],
        }
        if result
        else None,
    }
    return OpenData(columns=COLUMNS, rows=rows, meta=meta)
