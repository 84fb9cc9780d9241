"""The Method of Equal Shares with its completions (add1, then greedy for the leftover; optionally the
comparison with greedy), built on the runs of mes_run.py (see outcomes.py)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from fractions import Fraction
from math import ceil
from typing import Any

from .election import Outcome, ProjectId, _Election, _fraction_str, _make_outcome, _money
from .greedy import _greedy_fill, _greedy_outcome
from .mes_run import _FloatMesRun, _MesRun, _Uncertain


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
