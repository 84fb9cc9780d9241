"""Outcome rules for participatory budgeting with approval ballots.

Plain Python (standard library only, no Django) so that anyone can audit and
re-run it.  Two rules are provided:

* :func:`greedy` -- "greedy by votes": projects in order of decreasing number of
  votes, each one funded if it still fits in the money that is left.
* :func:`equal_shares` -- the Method of Equal Shares (MES) with cost
  utilities, completed by the "add1" method (each voter's share raised one
  currency unit at a time) and then by greedy-by-votes for what is left,
  optionally followed by Wieliczka's comparison step against greedy.

Both rules are written to give exactly the same selected projects as the
reference implementation ``pabutools`` (see ``docs/budget-rules.md``):

* ``greedy`` == ``greedy_utilitarian_welfare(instance, profile, sat_class=Cost_Sat)``
* ``equal_shares`` == ``completion_by_rule_combination(instance, profile,
  [method_of_equal_shares, greedy_utilitarian_welfare],
  [{"sat_class": Cost_Sat, "voter_budget_increment": 1}, {"sat_class": Cost_Sat}])``

All decisions are exact (integers and :class:`fractions.Fraction`).  For
speed, the many MES runs of the add1 completion are first tried with
floating-point numbers that carry a bound on their rounding error; any
comparison that the bound cannot settle (a tie or a near-tie) makes that run
start again in exact arithmetic, and the run whose result is kept is always
redone exactly (its projects are checked to be the same).

Ties are broken in favour of the project whose identifier comes first in
plain character-by-character order of ``str(id)`` (so ``"10"`` comes before
``"9"``), which is what pabutools does with the ``project_id`` column of the
pabulib export; an explicit priority order can be passed instead.

The code is split by concern, each module plain Python: ``election`` (inputs, outputs, the election),
``greedy``, ``mes_run`` (one MES run, exact and fast) and ``mes`` (MES with its completions); this
module is the public face and names the rules as pabulib does.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from .election import Ballot, Outcome, Project, ProjectId, ProjectResult
from .greedy import greedy
from .mes import equal_shares

__all__ = [
    "PABULIB_RULES",
    "Ballot",
    "Outcome",
    "Project",
    "ProjectResult",
    "compute",
    "equal_shares",
    "greedy",
]


# --------------------------------------------------------------------------
# Rules by their pabulib name
# --------------------------------------------------------------------------

PABULIB_RULES = {
    "greedy": {},
    "equalshares": {"completion": None, "fill": False},
    "equalshares-comparison": {"completion": None, "fill": False, "comparison": True},
    "equalshares/add1": {},
    "equalshares/add1-comparison": {"exhaustive_stop": False, "comparison": True},
}


def compute(rule: str, budget: int, projects: Iterable[Any], ballots: Iterable[Any], *,
            tie_breaking: Sequence[ProjectId] | None = None) -> Outcome:
    """The outcome of a rule named as in pabulib's META ``rule`` field.

    ``greedy``; ``equalshares`` (one MES run, nothing else);
    ``equalshares/add1`` (add1 completion stopping at the first exhaustive
    outcome, then greedy for the leftover -- pabutools' add1);
    ``equalshares/add1-comparison`` (Wieliczka 2023: add1 raised until the
    next step would overspend, then the comparison with greedy);
    ``equalshares-comparison``.
    """
    key = rule.strip().lower()
    if key not in PABULIB_RULES:
        raise ValueError(f"unknown rule {rule!r}; known: {', '.join(PABULIB_RULES)}")
    if key == "greedy":
        return greedy(budget, projects, ballots, tie_breaking=tie_breaking)
    return equal_shares(budget, projects, ballots, tie_breaking=tie_breaking, **PABULIB_RULES[key])
