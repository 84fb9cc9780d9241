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
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter, deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from itertools import repeat
from math import ceil, gcd
from operator import add, mul, sub
from typing import Any, Hashable

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


# --------------------------------------------------------------------------
# Method of Equal Shares
# --------------------------------------------------------------------------


class _MesRun:
    """One run of MES (cost utilities) with a fixed share per voter.

    Voters are tracked by *budget class*: voters whose remaining money is the
    same amount share a class, so the arithmetic is done once per distinct
    amount, not once per voter.  ``cls[g]`` is the class of ballot group
    ``g``.  The money left to each voter of class ``c`` is exactly
    ``num[c] / epoch_den[ep[c]]``: integers over a denominator that was
    current when the class was created.  ``D`` is the current common
    denominator (every epoch denominator divides it; ``mult[e] = D //
    epoch_den[e]``), so exact comparisons are integer comparisons.
    ``fval[c]`` is the correctly rounded float of the amount, used only to
    sort (rounding is monotone, so a float order is the exact order except
    between equal floats, which is checked).
    """

    __slots__ = ("el", "share", "D", "num", "ep", "fval", "mult", "epoch_den", "cls",
                 "zero", "selected", "rounds", "spent", "stop_above")

    def __init__(self, el: _Election, eligible: list[int], share: Fraction,
                 stop_above: int | None = None) -> None:
        self.el = el
        self.share = share
        self.D = share.denominator
        self.epoch_den = [self.D]
        self.mult = [1]
        self.num: list[int] = [share.numerator, 0]
        self.ep: list[int] = [0, 0]
        self.fval: list[float] = [float(share), 0.0]
        self.zero = 1
        self.cls: list[int] = [0] * len(el.group_weight)
        self.selected: list[int] = []
        self.rounds: list[dict] = []
        self.spent = 0
        self.stop_above = stop_above
        self._run(eligible)

    def _evaluate(self, p: int):
        """Price of ``p`` now: ``(rest, r, counts)`` or ``None`` if unaffordable.

        The supporters of ``p`` each pay ``q = rest / (r * D)``, or all their
        money if they have less (``r`` of them pay the full ``q``); ``q`` is
        the smallest such payment.  ``None`` if the supporters together have
        less money than the cost.
        """
        num, ep, mult, fval = self.num, self.ep, self.mult, self.fval
        cnt = self.el.class_counts(p, self.cls)
        rest = self.el.cost[p] * self.D  # cost not yet covered (scaled by D)
        r = self.el.votes[p]  # supporters not yet known to be short
        order = sorted(cnt, key=fval.__getitem__)
        for i, c in enumerate(order):
            v = num[c] * mult[ep[c]]
            # A voter with v < rest / r cannot pay an equal share: pays all of v.
            if v * r < rest:
                k = cnt[c]
                rest -= v * k
                r -= k
            else:
                # Classes with the same float may be smaller: check them exactly.
                f = fval[c]
                i += 1
                while i < len(order) and fval[order[i]] == f:
                    c2 = order[i]
                    if num[c2] * mult[ep[c2]] * r < rest:
                        return self._evaluate_exact(p, cnt)
                    i += 1
                return rest, r, cnt
        return None

    def _evaluate_exact(self, p: int, cnt: Counter):
        num, ep, mult = self.num, self.ep, self.mult
        rest = self.el.cost[p] * self.D
        r = self.el.votes[p]
        for c in sorted(cnt, key=lambda c: num[c] * mult[ep[c]]):
            v = num[c] * mult[ep[c]]
            if v * r < rest:
                k = cnt[c]
                rest -= v * k
                r -= k
            else:
                return rest, r, cnt
        return None

    def _run(self, eligible: list[int]) -> None:
        el = self.el
        cost = el.cost
        rank = el.rank
        # stale[p] = (a, b): lower bound a/b on the price per unit of utility
        # (q / cost) of p.  Prices only grow during a run, so a project whose
        # bound is already worse than this round's best is not recomputed
        # (the result is the same as recomputing every project every round).
        # Floats only order the scan: a strictly larger float means a larger
        # exact number.
        stale: dict[int, tuple[int, int]] = {p: (1, el.votes[p]) for p in eligible}
        fstale: dict[int, float] = {p: 1 / el.votes[p] for p in eligible}
        remaining = set(eligible)
        rnd = 0
        while remaining:
            rnd += 1
            D = self.D
            best = None  # (a, b)
            fbest = 0.0
            tied: list[int] = []
            evals: dict[int, tuple] = {}
            for p in sorted(remaining, key=fstale.__getitem__):
                if best is not None:
                    if fstale[p] > fbest:
                        break
                    sa, sb = stale[p]
                    if sa * best[1] > best[0] * sb:
                        continue
                res = self._evaluate(p)
                if res is None:
                    remaining.discard(p)
                    continue
                rest, r, cnt = res
                den = r * D * cost[p]
                stale[p] = (rest, den)
                fstale[p] = rest / den
                evals[p] = res
                if best is None:
                    best, fbest, tied = (rest, den), rest / den, [p]
                else:
                    lhs, rhs = rest * best[1], best[0] * den
                    if lhs < rhs:
                        best, fbest, tied = (rest, den), rest / den, [p]
                    elif lhs == rhs:
                        tied.append(p)
            if not tied:
                break
            win = min(tied, key=rank.__getitem__)
            rest, r, cnt = evals[win]
            self._pay(win, rest, r, cnt, rnd, len(tied))
            remaining.discard(win)
            if self.stop_above is not None and self.spent > self.stop_above:
                return

    def _pay(self, p: int, rest: int, r: int, cnt: Counter, rnd: int, ntied: int) -> None:
        el = self.el
        # Payment q = rest / r in units of 1/D; refine D so that q is an integer.
        g = gcd(rest, r)
        f = r // g
        q = rest // g
        if f > 1:
            self.D *= f
            self.mult = [m * f for m in self.mult]
        D = self.D
        num, ep, mult, fval = self.num, self.ep, self.mult, self.fval
        if self.epoch_den[-1] != D:
            self.epoch_den.append(D)
            mult.append(1)
        e_now = len(self.epoch_den) - 1
        zero = self.zero
        trans: dict[int, int] = {}
        created: dict[int, int] = {}
        money = 0
        full = partial = 0
        for c, k in cnt.items():
            v = num[c] * mult[ep[c]]
            money += v * k
            if v < q:
                trans[c] = zero
                partial += k
            else:
                nv = v - q
                if nv == 0:
                    trans[c] = zero
                else:
                    nc = created.get(nv)
                    if nc is None:
                        nc = created[nv] = len(num)
                        num.append(nv)
                        ep.append(e_now)
                        fval.append(nv / D)
                    trans[c] = nc
                full += k
        cls = self.cls
        supp = el.supp_uni[p]
        # cls[g] = trans[cls[g]] for every supporting group, looped in C.
        deque(map(cls.__setitem__, supp, map(trans.__getitem__, map(cls.__getitem__, supp))), 0)
        self.selected.append(p)
        self.spent += el.cost[p]
        self.rounds.append({
            "project": p, "round": rnd, "payment": Fraction(q, D),
            "money_before": Fraction(money, D),
            "paid_full_share": full, "paid_all_they_had": partial, "tied": ntied,
        })

    def money_behind(self, p: int) -> Fraction:
        num, ep, mult = self.num, self.ep, self.mult
        cnt = self.el.class_counts(p, self.cls)
        return Fraction(sum(num[c] * mult[ep[c]] * k for c, k in cnt.items()), self.D)


class _Uncertain(Exception):
    """A floating-point MES run met a comparison too close to call."""


_U4 = 4 * 2.0 ** -53  # four units of rounding of a double


class _FloatMesRun:
    """Fast screening version of :class:`_MesRun` for the add1 steps.

    Same algorithm with floats, carrying for every amount a bound on its
    rounding error.  Every comparison must be decided with its error bound
    to spare; if one is not (a near-tie, or a true tie between projects), the
    run raises :class:`_Uncertain` and the caller redoes it exactly.  When it
    finishes, the funded projects are therefore exactly those of the exact
    run.  Only ``selected`` and ``spent`` are produced.
    """

    __slots__ = ("el", "fv", "fe", "emax", "cls", "selected", "spent", "stop_above")

    def __init__(self, el: _Election, eligible: list[int], share: Fraction,
                 stop_above: int | None = None) -> None:
        self.el = el
        s = float(share)
        self.fv: list[float] = [s, 0.0]  # class amounts
        self.fe: list[float] = [abs(s) * _U4, 0.0]  # bounds on their errors
        self.emax = self.fe[0]
        self.cls: list[int] = [0] * len(el.group_weight)
        self.selected: list[int] = []
        self.spent = 0
        self.stop_above = stop_above
        self._run(eligible)

    def _evaluate(self, p: int):
        """Like :meth:`_MesRun._evaluate`, with the loops done in C (sorted
        classes, bisection, sums), then every class whose amount is close to
        the resulting share checked against its error bound."""
        fv = self.fv
        cnt = self.el.class_counts(p, self.cls)
        order = sorted(cnt, key=fv.__getitem__)
        vals = list(map(fv.__getitem__, order))
        m = len(order)
        N = self.el.votes[p]
        cost = float(self.el.cost[p])
        # Supporters in classes order[:j] (amount below the equal share of
        # what they leave to the others) pay all they have.  Start with
        # nobody short and grow the prefix until it is stable (the share only
        # grows, so this ends).
        j = 0
        S = 0.0  # money of the classes order[:j]
        K = 0  # voters in them
        q = cost / N
        while True:
            j2 = bisect_left(vals, q, j)
            if j2 == j:
                break
            S += sum(map(mul, vals[j:j2], map(cnt.__getitem__, order[j:j2])))
            K += sum(map(cnt.__getitem__, order[j:j2]))
            j = j2
            if K == N:
                break
            q = (cost - S) / (N - K)
        fe = self.fe
        emax = self.emax
        rest = cost - S
        rest_err = (sum(map(mul, map(fe.__getitem__, order[:j]), map(cnt.__getitem__, order[:j])))
                    + _U4 * (j + 2) * (S + cost))
        if j == m:
            if rest - rest_err > 0:
                return None  # certainly unaffordable
            raise _Uncertain
        r = N - K
        q_lo = (rest - rest_err) / r * (1 - _U4)
        q_hi = (rest + rest_err) / r * (1 + _U4)
        if not q_lo > 0:
            raise _Uncertain
        # Classes before j must be certainly below the share, those from j on
        # certainly at or above it; only those near it need a look.
        for i in range(bisect_left(vals, (q_lo - emax) * (1 - _U4), 0, j), j):
            if not (vals[i] + fe[order[i]]) * (1 + _U4) < q_lo:
                raise _Uncertain
        for i in range(j, bisect_right(vals, (q_hi + emax) * (1 + _U4), j, m)):
            if not (vals[i] - fe[order[i]]) * (1 - _U4) > q_hi:
                raise _Uncertain
        return rest, rest_err, r, order, j, vals

    def _run(self, eligible: list[int]) -> None:
        el = self.el
        cost = el.cost
        stale: dict[int, float] = {p: (1.0 / el.votes[p]) * (1 - _U4) for p in eligible}
        remaining = set(eligible)
        while remaining:
            best_hi = None
            cands: list[tuple[float, float, int, tuple]] = []
            for p in sorted(remaining, key=stale.__getitem__):
                if best_hi is not None and stale[p] > best_hi:
                    break
                res = self._evaluate(p)
                if res is None:
                    remaining.discard(p)
                    continue
                rest, rest_err, r = res[0], res[1], res[2]
                scale = r * float(cost[p])
                lo = (rest - rest_err) / scale * (1 - _U4)
                hi = (rest + rest_err) / scale * (1 + _U4)
                stale[p] = lo
                cands.append((lo, hi, p, res))
                if best_hi is None or hi < best_hi:
                    best_hi = hi
            if not cands:
                break
            cands.sort(key=lambda t: t[1])
            lo_w, hi_w, win, res = cands[0]
            for lo, hi, p, _ in cands[1:]:
                if not lo > hi_w:
                    raise _Uncertain  # a tie or a near-tie: decide exactly
            self._pay(win, res)
            remaining.discard(win)
            if self.stop_above is not None and self.spent > self.stop_above:
                return

    def _pay(self, p: int, res: tuple) -> None:
        rest, rest_err, r, order, npoor, vals = res
        fv, fe = self.fv, self.fe
        q = rest / r
        q_err = rest_err / r + _U4 * q
        rich = order[npoor:]
        first = len(fv)
        # Richer supporters pay q: new classes (amounts v - q); the others
        # paid all they had: the exact zero class 1.
        grow = q_err + _U4 * (vals[-1] + q)
        fv.extend(map(sub, vals[npoor:], repeat(q)))
        new_fe = list(map(add, map(fe.__getitem__, rich), repeat(grow)))
        fe.extend(new_fe)
        if new_fe:
            self.emax = max(self.emax, max(new_fe))
        trans = dict(zip(rich, range(first, first + len(rich))))
        trans.update(dict.fromkeys(order[:npoor], 1))
        cls = self.cls
        supp = self.el.supp_uni[p]
        deque(map(cls.__setitem__, supp, map(trans.__getitem__, map(cls.__getitem__, supp))), 0)
        self.selected.append(p)
        self.spent += self.el.cost[p]


def _screen(el: _Election, eligible: list[int], share: Fraction,
            stop_above: int | None, stats: dict) -> tuple[list[int], int]:
    """Funded projects and their cost for one share: fast path, exact if needed."""
    try:
        run: _FloatMesRun | _MesRun = _FloatMesRun(el, eligible, share, stop_above)
        stats["float_runs"] = stats.get("float_runs", 0) + 1
    except _Uncertain:
        run = _MesRun(el, eligible, share, stop_above)
        stats["exact_runs"] = stats.get("exact_runs", 0) + 1
    return run.selected, run.spent


def _mes_eligible(el: _Election) -> list[int]:
    # With cost utilities a project of cost 0 brings no utility and a project
    # without votes has no one to pay for it: MES does not consider either
    # (pabutools does the same); the greedy fill may still fund them.
    return [i for i in range(el.m) if el.cost[i] > 0 and el.votes[i] > 0]


def _is_exhaustive(el: _Election, selected: list[int], among: list[int]) -> bool:
    spent = el.total_cost(selected)
    chosen = set(selected)
    return all(i in chosen or spent + el.cost[i] > el.budget for i in among)


def equal_shares(budget: int, projects: Iterable[Any], ballots: Iterable[Any], *,
                 completion: str | None = "add1", exhaustive_stop: bool = True,
                 fill: bool = True, comparison: bool = False,
                 tie_breaking: Sequence[ProjectId] | None = None) -> Outcome:
    """Method of Equal Shares with cost utilities.

    Every voter gets an equal share of ``budget``; a project is paid by its
    supporters, equally except that those who have less pay all they have;
    each round funds the project whose price per supporter is lowest compared
    with its cost; runs until no project can be paid for.  Candidates are the
    projects with a positive cost and at least one vote.

    ``completion="add1"`` (default): start with ``budget / voters`` per voter
    and rerun with one more currency unit per voter as long as the outcome is
    not exhaustive (no other candidate fits in the money left); keep the
    previous outcome as soon as the next one would overspend.  With
    ``exhaustive_stop=False`` (Wieliczka 2023) the shares keep rising while
    the outcome stays within budget, exhaustive or not.
    ``completion=None``: a single run with ``budget / voters`` per voter.

    ``fill=True`` (default): money still left is then spent greedily by votes
    among the projects not funded yet.

    ``comparison=True``: Wieliczka's comparison step -- the result is compared
    with plain greedy-by-votes; each voter prefers the outcome that funds more
    of the projects they approved; greedy replaces MES only if strictly more
    voters prefer it.

    ``tie_breaking``: every project id once, first wins a tie; default: ids
    compared as text.
    """
    el = _Election(budget, projects, ballots, tie_breaking)
    if completion not in (None, "none", "add1"):
        raise ValueError(f"unknown completion {completion!r} (use 'add1' or None)")
    return _equal_shares(el, completion=completion if completion != "none" else None,
                         exhaustive_stop=exhaustive_stop, fill=fill, comparison=comparison)


def _equal_shares(el: _Election, *, completion: str | None, exhaustive_stop: bool,
                  fill: bool, comparison: bool) -> Outcome:
    eligible = _mes_eligible(el)
    details: dict[str, Any] = {"completion": completion or "none",
                               "exhaustive_stop": exhaustive_stop, "fill": fill,
                               "comparison": comparison}
    if el.n == 0:
        run = None
        share = Fraction(0)
        steps = 0
    else:
        base = Fraction(el.budget, el.n)
        run, steps, stats = _run_with_completion(el, eligible, base, completion, exhaustive_stop)
        details["computation"] = stats
        share = run.share if run is not None else base
    details["voter_share"] = _money(share)
    details["voter_share_exact"] = _fraction_str(share)
    details["base_share_exact"] = _fraction_str(Fraction(el.budget, el.n) if el.n else 0)
    details["add1_steps"] = steps

    expl: dict[int, dict] = {}
    selected: list[int] = []
    if run is not None:
        for rd in run.rounds:
            p = rd["project"]
            selected.append(p)
            expl[p] = {
                "kind": "funded_equal_shares",
                "round": rd["round"],
                "votes": el.votes[p],
                "cost": el.cost[p],
                "payment": _money(rd["payment"]),
                "paid_full_share": rd["paid_full_share"],
                "paid_all_they_had": rd["paid_all_they_had"],
                "supporters_money": _money(rd["money_before"]),
                "tied_with": rd["tied"] - 1,
            }
    mes_selected = list(selected)
    remaining = el.budget - el.total_cost(selected)
    short: dict[int, Fraction] = {}
    if run is not None:
        chosen = set(selected)
        for p in eligible:
            if p not in chosen:
                short[p] = run.money_behind(p)

    filled: list[int] = []
    skipped: dict[int, int] = {}
    if fill:
        filled, remaining, skipped = _greedy_fill(el, selected, remaining, expl, "funded_leftover")
        selected = selected + filled
    details["mes_selected"] = [el.ids[i] for i in mes_selected]
    details["fill_selected"] = [el.ids[i] for i in filled]

    chosen = set(selected)
    for i in range(el.m):
        if i in chosen:
            continue
        e: dict[str, Any]
        if el.votes[i] == 0 and el.cost[i] > 0:
            e = {"kind": "no_votes", "cost": el.cost[i], "votes": 0}
        elif el.cost[i] > el.budget:
            e = {"kind": "exceeds_budget", "cost": el.cost[i], "budget": el.budget,
                 "votes": el.votes[i]}
        elif i in short:
            e = {"kind": "supporters_short", "supporters": el.votes[i],
                 "supporters_money": _money(short[i]), "cost": el.cost[i]}
        elif el.cost[i] == 0:  # only without the greedy fill: MES ignores free projects
            e = {"kind": "not_considered", "reason": "zero_cost", "cost": 0, "votes": el.votes[i]}
        else:  # pragma: no cover - every other case is handled above
            e = {"kind": "not_fits", "remaining": remaining, "cost": el.cost[i],
                 "votes": el.votes[i]}
        if fill and i in skipped:
            e["leftover_at_turn"] = skipped[i]
        expl[i] = e

    rule = "equal_shares"
    if comparison:
        g = _greedy_outcome(el)
        g_sel = [el.index[pid] for pid in g.selected]
        prefer_mes, prefer_greedy = _compare(el, selected, g_sel)
        details["comparison_prefers_mes"] = prefer_mes
        details["comparison_prefers_greedy"] = prefer_greedy
        details["greedy_selected"] = list(g.selected)
        if prefer_greedy > prefer_mes:
            details["comparison_winner"] = "greedy"
            out = g
            out.rule = rule
            out.details = {**details, **g.details}
            for pr in out.projects.values():
                pr.explanation = {**pr.explanation, "comparison": "greedy_preferred"}
            return out
        details["comparison_winner"] = "equal_shares"
    return _make_outcome(el, rule, selected, expl, details)


def _compare(el: _Election, a: list[int], b: list[int]) -> tuple[int, int]:
    """Number of voters who approve more projects of ``a`` than of ``b``, and vice versa."""
    sa, sb = set(a), set(b)
    prefer_a = prefer_b = 0
    for key, w in zip(el.group_ballots, el.group_weight):
        ua = sum(1 for i in key if i in sa)
        ub = sum(1 for i in key if i in sb)
        if ua > ub:
            prefer_a += w
        elif ub > ua:
            prefer_b += w
    return prefer_a, prefer_b


def _certified_steps(el: _Election, eligible: list[int], base: Fraction,
                     exhaustive_stop: bool) -> int | None:
    """How many add1 steps ``k = 0, 1, ...`` are known, without running MES,
    to give an outcome that is within budget and (if ``exhaustive_stop``) not
    exhaustive -- so the add1 loop would go on past them.

    With share ``t`` per voter, a project whose supporters hold less than its
    cost from the start (``votes * t < cost``) cannot be funded.  So the
    outcome costs at most ``U(t)``, the total cost of the other projects; if
    ``U(t) <= budget`` it is within budget, and if moreover one of the
    unfundable projects fits next to ``U(t)``, it is not exhaustive.  Both
    tests only get harder as ``t`` grows, so they hold for a first stretch of
    steps.  Returns ``None`` if they hold for every ``t`` (only possible
    without ``exhaustive_stop``, when all candidates fit in the budget).
    """
    thresholds = sorted((Fraction(el.cost[p], el.votes[p]), p) for p in eligible)
    costs_after = [0] * (len(thresholds) + 1)  # min cost among thresholds[j:]
    costs_after[-1] = None
    for j in range(len(thresholds) - 1, -1, -1):
        c = el.cost[thresholds[j][1]]
        nxt = costs_after[j + 1]
        costs_after[j] = c if nxt is None else min(c, nxt)
    U = 0
    j = 0
    # Segment [start, next threshold): projects thresholds[:j] are fundable.
    start = base
    while True:
        while j < len(thresholds) and thresholds[j][0] <= start:
            U += el.cost[thresholds[j][1]]
            j += 1
        if exhaustive_stop:
            ok = costs_after[j] is not None and U + costs_after[j] <= el.budget
        else:
            ok = U <= el.budget
        if not ok:
            break
        if j == len(thresholds):
            return None
        start = thresholds[j][0]
    return max(0, ceil(start - base))


def _run_with_completion(el: _Election, eligible: list[int], base: Fraction,
                         completion: str | None, exhaustive_stop: bool = True,
                         fast: bool = True) -> tuple[_MesRun, int, dict]:
    """MES, then the add1 completion: share ``base + k`` for k = 0, 1, 2, ...

    Same result as running every step exactly: stop at the first exhaustive
    outcome (if ``exhaustive_stop``), or keep the previous outcome as soon as
    the next one would overspend.  Steps known to continue are skipped (see
    :func:`_certified_steps`); the others are screened with the
    floating-point run (exact fallback on any close call); the chosen share
    is then run exactly, which must -- and is checked to -- give the same
    projects.
    """
    stats: dict[str, Any] = {}
    if completion is None:
        return _MesRun(el, eligible, base), 0, stats
    k_cert = _certified_steps(el, eligible, base, exhaustive_stop)
    stats["skipped_steps"] = max(0, (k_cert or 0) - 1)
    if k_cert is None:
        # Everything MES can fund fits in the budget and nothing stops the
        # loop before each voter alone can pay for all of it: at that share
        # every candidate is funded.
        total = el.total_cost(eligible)
        k = max(0, ceil(total - base))
        return _MesRun(el, eligible, base + k), k, stats

    def step(share: Fraction, stop_above: int | None) -> tuple[list[int], int]:
        if fast:
            return _screen(el, eligible, share, stop_above, stats)
        run = _MesRun(el, eligible, share, stop_above)
        stats["exact_runs"] = stats.get("exact_runs", 0) + 1
        return run.selected, run.spent

    k = max(0, k_cert - 1)
    sel, _ = step(base + k, None)
    while True:
        if len(sel) == len(eligible):
            break
        if exhaustive_stop and _is_exhaustive(el, sel, eligible):
            break
        nsel, nspent = step(base + k + 1, el.budget)
        if nspent > el.budget:
            break
        sel = nsel
        k += 1
    run = _MesRun(el, eligible, base + k)
    if run.selected != sel:  # cannot happen unless the error bounds are wrong
        if fast:
            return _run_with_completion(el, eligible, base, completion, exhaustive_stop, fast=False)
        raise AssertionError("inconsistent MES runs")  # pragma: no cover
    return run, k, stats


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
