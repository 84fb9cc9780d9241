"""The inputs and outputs of the outcome rules (projects, ballots, outcomes) and the election they are
counted on: ids in tie-breaking order, costs, approvals grouped by identical ballot (see outcomes.py)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Hashable


ProjectId = Hashable


# --------------------------------------------------------------------------
# Input and output structures
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Project:
    """A project on the ballot: an identifier, an integer cost, a display name."""

    id: ProjectId
    cost: int
    name: str = ""


@dataclass(frozen=True)
class Ballot:
    """An approval ballot: the set of approved project ids.

    ``weight`` is the number of voters who cast exactly this ballot, so that
    identical ballots can be passed once.
    """

    approvals: frozenset
    weight: int = 1


@dataclass
class ProjectResult:
    """What happened to one project.

    ``explanation`` is a JSON-serialisable dict whose ``kind`` key says why the
    project was or was not funded; the other keys hold the numbers needed to
    write a sentence about it (see ``docs/budget-rules.md`` for every kind).
    """

    id: ProjectId
    name: str
    cost: int
    votes: int
    selected: bool
    explanation: dict[str, Any]


@dataclass
class Outcome:
    """The result of a rule.

    ``selected`` lists the funded project ids in the order the rule funded
    them; ``projects`` maps every project id (in input order) to its
    :class:`ProjectResult`; ``spent + leftover == budget``.  ``details`` holds
    rule-level facts (for MES: the share each voter was given, how many add1
    steps were needed, which projects the greedy fill added, the comparison
    step's vote counts).
    """

    rule: str
    budget: int
    num_voters: int
    selected: list
    projects: dict
    spent: int
    leftover: int
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def selected_set(self) -> frozenset:
        return frozenset(self.selected)


# --------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------


def _money(x: Fraction | int) -> int | float:
    """An amount for display: an int when whole, else rounded to 2 decimals."""
    if isinstance(x, int):
        return x
    if x.denominator == 1:
        return int(x)
    return round(float(x), 2)


def _fraction_str(x: Fraction | int) -> str:
    x = Fraction(x)
    return str(x.numerator) if x.denominator == 1 else f"{x.numerator}/{x.denominator}"


class _Election:
    """Normalised, indexed input shared by the rules (computed once)."""

    def __init__(
        self,
        budget: int,
        projects: Iterable[Any],
        ballots: Iterable[Any],
        tie_breaking: Sequence[ProjectId] | None = None,
    ) -> None:
        if isinstance(budget, bool) or not isinstance(budget, int):
            raise ValueError(f"budget must be an int, got {budget!r}")
        if budget < 0:
            raise ValueError(f"budget must not be negative, got {budget}")
        self.budget = budget

        self.ids: list = []
        self.names: list[str] = []
        self.cost: list[int] = []
        index: dict = {}
        for raw in projects:
            p = _as_project(raw)
            if p.id in index:
                raise ValueError(f"duplicate project id {p.id!r}")
            if isinstance(p.cost, bool) or not isinstance(p.cost, int):
                raise ValueError(f"cost of project {p.id!r} must be an int, got {p.cost!r}")
            if p.cost < 0:
                raise ValueError(f"cost of project {p.id!r} must not be negative")
            index[p.id] = len(self.ids)
            self.ids.append(p.id)
            self.names.append(p.name or "")
            self.cost.append(p.cost)
        self.index = index
        m = self.m = len(self.ids)

        # Tie-breaking rank: lower rank wins a tie.
        if tie_breaking is None:
            order = sorted(range(m), key=lambda i: str(self.ids[i]))
        else:
            seen = []
            for pid in tie_breaking:
                if pid not in index:
                    raise ValueError(f"tie_breaking names unknown project {pid!r}")
                seen.append(index[pid])
            if len(set(seen)) != m or len(seen) != m:
                raise ValueError("tie_breaking must list every project exactly once")
            order = seen
        self.rank = [0] * m
        for r, i in enumerate(order):
            self.rank[i] = r

        # Group identical ballots.
        groups: dict[tuple, int] = {}
        n = 0
        for raw in ballots:
            approvals, weight = _as_ballot(raw)
            if isinstance(weight, bool) or not isinstance(weight, int) or weight < 0:
                raise ValueError(f"ballot weight must be a non-negative int, got {weight!r}")
            if weight == 0:
                continue
            idx = []
            for pid in approvals:
                try:
                    idx.append(index[pid])
                except KeyError:
                    raise ValueError(f"ballot approves unknown project {pid!r}") from None
            key = tuple(sorted(set(idx)))
            groups[key] = groups.get(key, 0) + weight
            n += weight
        self.n = n
        self.group_ballots: list[tuple] = list(groups)
        self.group_weight: list[int] = list(groups.values())

        votes = [0] * m
        supp_uni: list[list[int]] = [[] for _ in range(m)]
        for g, (key, w) in enumerate(groups.items()):
            for i in key:
                votes[i] += w
                supp_uni[i].append(g)
        self.votes = votes
        self.supp_uni = supp_uni  # supporters of each project: group indices
        self._supp_split: list | None = None

    @property
    def supp_split(self) -> list[tuple[list[int], list[tuple[int, int]]]]:
        """Supporters of each project: (groups of one voter, [(group, weight)]
        for groups of several voters), for counting voters per budget class."""
        if self._supp_split is None:
            w = self.group_weight
            self._supp_split = [
                ([g for g in sp if w[g] == 1], [(g, w[g]) for g in sp if w[g] != 1])
                for sp in self.supp_uni
            ]
        return self._supp_split

    def class_counts(self, p: int, cls: list[int]) -> Counter:
        """Number of supporters of ``p`` in each budget class."""
        light, heavy = self.supp_split[p]
        cnt = Counter(map(cls.__getitem__, light))
        for g, w in heavy:
            cnt[cls[g]] += w
        return cnt

    def total_cost(self, sel: Iterable[int]) -> int:
        return sum(self.cost[i] for i in sel)


def _as_project(raw: Any) -> Project:
    if isinstance(raw, Project):
        return raw
    if isinstance(raw, Mapping):
        pid = raw["id"] if "id" in raw else raw["project_id"]
        return Project(pid, raw["cost"], raw.get("name", "") or "")
    if isinstance(raw, (tuple, list)) and 2 <= len(raw) <= 3:
        return Project(*raw)
    pid = getattr(raw, "id", None)
    cost = getattr(raw, "cost", None)
    if pid is not None and cost is not None:
        return Project(pid, cost, getattr(raw, "name", "") or "")
    raise ValueError(f"cannot read a project from {raw!r}")


def _as_ballot(raw: Any) -> tuple[Iterable, int]:
    if isinstance(raw, Ballot):
        return raw.approvals, raw.weight
    if isinstance(raw, (set, frozenset, list)):
        return raw, 1
    if isinstance(raw, tuple):
        # (approvals, weight) if it looks like that, else a tuple of ids.
        if len(raw) == 2 and isinstance(raw[0], (set, frozenset, list, tuple)) and isinstance(raw[1], int):
            return raw[0], raw[1]
        return raw, 1
    if isinstance(raw, Mapping):
        return raw["approvals"], raw.get("weight", 1)
    raise ValueError(f"cannot read a ballot from {raw!r}")


def _not_fits(el: _Election, i: int, remaining: int) -> dict:
    if el.cost[i] > el.budget:
        return {"kind": "exceeds_budget", "cost": el.cost[i], "budget": el.budget,
                "votes": el.votes[i]}
    return {"kind": "not_fits", "remaining": remaining, "cost": el.cost[i],
            "votes": el.votes[i]}


def _make_outcome(el: _Election, rule: str, selected: list[int],
                  expl: dict[int, dict], details: dict) -> Outcome:
    sel_set = set(selected)
    spent = el.total_cost(selected)
    results = {}
    for i in range(el.m):
        results[el.ids[i]] = ProjectResult(
            id=el.ids[i], name=el.names[i], cost=el.cost[i], votes=el.votes[i],
            selected=i in sel_set, explanation=expl[i],
        )
    return Outcome(
        rule=rule, budget=el.budget, num_voters=el.n,
        selected=[el.ids[i] for i in selected], projects=results,
        spent=spent, leftover=el.budget - spent, details=details,
    )
