"""Greedy by votes: projects in order of decreasing votes, each funded if it still fits (see outcomes.py)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from .election import Outcome, ProjectId, _Election, _make_outcome, _not_fits


# --------------------------------------------------------------------------
# Greedy by votes
# --------------------------------------------------------------------------


def _greedy_fill(el: _Election, already: list[int], remaining: int,
                 explanations: dict[int, dict], kind_funded: str) -> tuple[list[int], int, dict[int, int]]:
    """Go through the not-yet-selected projects by decreasing votes (ties:
    tie-breaking rank) and fund each one that fits in ``remaining``.

    Returns the added projects, the money left and, for every project that was
    looked at and skipped, the money that was left when its turn came.
    """
    taken = set(already)
    order = sorted((i for i in range(el.m) if i not in taken),
                   key=lambda i: (-el.votes[i], el.rank[i]))
    added: list[int] = []
    skipped_with: dict[int, int] = {}
    for pos, i in enumerate(order, start=1):
        c = el.cost[i]
        if c <= remaining:
            explanations[i] = {
                "kind": kind_funded,
                "votes": el.votes[i],
                "position": pos,
                "remaining_before": remaining,
                "remaining_after": remaining - c,
            }
            remaining -= c
            added.append(i)
        else:
            skipped_with[i] = remaining
    return added, remaining, skipped_with


def greedy(budget: int, projects: Iterable[Any], ballots: Iterable[Any], *,
           tie_breaking: Sequence[ProjectId] | None = None) -> Outcome:
    """Greedy by votes ("standard" participatory budgeting rule).

    Projects are taken in order of decreasing number of votes (ties: see
    module docstring); each one is funded if its cost is at most the money
    still left, otherwise it is skipped and the next one is considered.
    """
    el = _Election(budget, projects, ballots, tie_breaking)
    return _greedy_outcome(el)


def _greedy_outcome(el: _Election) -> Outcome:
    expl: dict[int, dict] = {}
    added, remaining, skipped = _greedy_fill(el, [], el.budget, expl, "funded_fits")
    for i, rem in skipped.items():
        expl[i] = _not_fits(el, i, rem)
    return _make_outcome(el, "greedy", added, expl, {})
