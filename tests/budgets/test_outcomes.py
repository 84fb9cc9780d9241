"""Outcome rules (budgets/counting/outcomes.py): real elections, pabutools as the reference, edge cases.

No database: the rules are plain Python.
"""

import ast
import json
import random
import sys
from fractions import Fraction
from pathlib import Path

import pytest

from budgets.counting import election, greedy as greedy_module, mes, mes_run, outcomes, pabulib
from budgets.counting.outcomes import Ballot, Project, equal_shares, greedy

try:  # the reference implementation, optional: the tests that compare with it skip without it
    from pabutools import election as pabutools_model
    from pabutools.election import Cost_Sat
    from pabutools.rules import (
        completion_by_rule_combination,
        exhaustion_by_budget_increase,
        greedy_utilitarian_welfare,
        method_of_equal_shares,
    )
except ImportError:  # pragma: no cover - CI installs it
    pabutools_model = None

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "pabulib"


def load(name):
    election = pabulib.load(FIXTURES / name)
    return election, pabulib.to_rule_inputs(election)


def check_invariants(outcome, budget, projects):
    assert outcome.spent + outcome.leftover == budget
    assert 0 <= outcome.spent <= budget
    assert list(outcome.projects) == [p.id for p in projects]
    assert len(set(outcome.selected)) == len(outcome.selected)
    assert {pid for pid, r in outcome.projects.items() if r.selected} == set(outcome.selected)
    assert outcome.spent == sum(outcome.projects[pid].cost for pid in outcome.selected)
    json.dumps([r.explanation for r in outcome.projects.values()])
    json.dumps(outcome.details)
    for r in outcome.projects.values():
        assert r.explanation["kind"] in {
            "funded_fits", "funded_leftover", "funded_equal_shares",
            "not_fits", "exceeds_budget", "no_votes", "supporters_short", "not_considered",
        }


# --------------------------------------------------------------------------
# Real elections: the `selected` column of the file (official winners)
# --------------------------------------------------------------------------


def test_warszawa_ursynow_greedy_reproduces_16_official_winners():
    election, (budget, projects, ballots) = load("Poland_Warszawa_2023_Ursynow.pb")
    outcome = greedy(budget, projects, ballots)
    official = pabulib.official_winners(election)
    assert len(official) == 16
    assert set(outcome.selected) == official
    check_invariants(outcome, budget, projects)
    # Funded in order of votes.
    votes = [outcome.projects[pid].votes for pid in outcome.selected]
    assert votes == sorted(votes, reverse=True)


def test_swiecie_equal_shares_add1_reproduces_17_official_winners():
    election, (budget, projects, ballots) = load("Poland_Swiecie_2023.pb")
    assert election.meta["rule"] == "equalshares/add1"
    outcome = outcomes.compute(election.meta["rule"], budget, projects, ballots)
    official = pabulib.official_winners(election)
    assert len(official) == 17
    assert set(outcome.selected) == official
    check_invariants(outcome, budget, projects)
    assert outcome.details["add1_steps"] == 226
    assert outcome.details["voter_share_exact"] == "1646978/2553"
    assert outcome.details["fill_selected"] == []
    # The project of the example in the docs: 623 supporters, not enough money left.
    c8 = outcome.projects["c8"].explanation
    assert c8["kind"] == "supporters_short" and c8["supporters"] == 623 and c8["cost"] == 413000
    assert c8["supporters_money"] < 413000
    c12 = outcome.projects["c12"].explanation
    assert c12["kind"] == "funded_equal_shares" and c12["round"] == 1 and c12["votes"] == 1030


def test_wieliczka_add1_gives_31_projects():
    election, (budget, projects, ballots) = load("Poland_Wieliczka_2023_Green_Budget.pb")
    outcome = equal_shares(budget, projects, ballots)
    official = pabulib.official_winners(election)
    assert len(outcome.selected) == 31
    assert set(outcome.selected) - official == {"66", "67"}
    assert official - set(outcome.selected) == {"46"}
    check_invariants(outcome, budget, projects)


def test_wieliczka_add1_comparison_reproduces_30_official_winners():
    election, (budget, projects, ballots) = load("Poland_Wieliczka_2023_Green_Budget.pb")
    assert election.meta["rule"] == "equalshares/add1-comparison"
    # == equal_shares(budget, projects, ballots, exhaustive_stop=False, comparison=True)
    outcome = outcomes.compute(election.meta["rule"], budget, projects, ballots)
    assert set(outcome.selected) == pabulib.official_winners(election)
    assert outcome.details["exhaustive_stop"] is False and outcome.details["voter_share_exact"] == "1040052/3293"
    assert len(outcome.selected) == 30
    assert outcome.spent == 995079  # as published by the city
    d = outcome.details
    assert d["comparison_winner"] == "equal_shares"
    assert (d["comparison_prefers_mes"], d["comparison_prefers_greedy"]) == (1615, 873)
    assert len(d["greedy_selected"]) == 23
    check_invariants(outcome, budget, projects)


def test_compute_by_pabulib_rule_name():
    election, (budget, projects, ballots) = load("Poland_Warszawa_2023_Ursynow.pb")
    assert election.meta["rule"] == "greedy"
    outcome = outcomes.compute("greedy", budget, projects, ballots)
    assert set(outcome.selected) == pabulib.official_winners(election)
    small = ([Project("a", 3), Project("b", 2)], [frozenset({"a"}), frozenset({"a", "b"})])
    plain = outcomes.compute("equalshares", 4, *small)
    assert plain.details["completion"] == "none" and not plain.details["fill"]
    assert outcomes.compute("equalshares-comparison", 4, *small).details["comparison"]
    with pytest.raises(ValueError):
        outcomes.compute("borda", 10, [], [])


def test_fast_add1_path_equals_exact_path_on_swiecie():
    _, (budget, projects, ballots) = load("Poland_Swiecie_2023.pb")
    el = election._Election(budget, projects, ballots)
    eligible = mes._mes_eligible(el)
    base = Fraction(budget, el.n)
    fast, k_fast, stats = mes._run_with_completion(el, eligible, base, "add1", True, fast=True)
    exact, k_exact, _ = mes._run_with_completion(el, eligible, base, "add1", True, fast=False)
    assert (fast.selected, k_fast) == (exact.selected, k_exact)
    assert stats.get("float_runs", 0) > 0


def test_float_runs_equal_exact_runs_on_wieliczka():
    _, (budget, projects, ballots) = load("Poland_Wieliczka_2023_Green_Budget.pb")
    el = election._Election(budget, projects, ballots)
    eligible = mes._mes_eligible(el)
    base = Fraction(budget, el.n)
    for k in (0, 60, 150, 154, 164, 165):
        fast = mes_run._FloatMesRun(el, eligible, base + k)
        exact = mes_run._MesRun(el, eligible, base + k)
        assert (fast.selected, fast.spent) == (exact.selected, exact.spent), k


# --------------------------------------------------------------------------
# Comparison with pabutools on random small elections
# --------------------------------------------------------------------------


def random_election(seed):
    """A small election that often has ties, empty ballots, an unaffordable
    project, projects without votes and (sometimes) a free project."""
    rng = random.Random(seed)
    m = rng.randint(2, 12)
    n = rng.randint(1, 60)
    names = rng.sample([f"p{i}" for i in range(1, 15)] + ["9", "10", "11", "a", "B"], m)
    costs = [rng.choice([rng.randint(1, 60), rng.randint(1, 6) * 10]) for _ in range(m)]
    if rng.random() < 0.15:
        costs[rng.randrange(m)] = 0
    budget = rng.randint(0, max(1, sum(costs))) if rng.random() < 0.9 else sum(costs) + 5
    if rng.random() < 0.3:
        costs[rng.randrange(m)] = budget + rng.randint(1, 30)
    popularity = [rng.random() for _ in range(m)]
    ballots = []
    for _ in range(n):
        if rng.random() < 0.08:
            ballots.append(frozenset())
            continue
        k = rng.randint(1, min(m, 4))
        chosen = set()
        while len(chosen) < k:
            chosen.add(rng.choices(names, popularity)[0])
        ballots.append(frozenset(chosen))
    return budget, [Project(name, cost) for name, cost in zip(names, costs)], ballots


def need_pabutools():
    if pabutools_model is None:
        pytest.skip("pabutools (the reference implementation) is not installed")


def pabutools_election(budget, projects, ballots):
    election = pabutools_model
    by_id = {p.id: election.Project(p.id, p.cost) for p in projects}
    instance = election.Instance(by_id.values(), budget_limit=budget)
    profile = election.ApprovalProfile([election.ApprovalBallot([by_id[i] for i in b]) for b in ballots])
    return instance, profile


SEEDS = range(40)


@pytest.mark.parametrize("seed", SEEDS)
def test_greedy_matches_pabutools(seed):
    need_pabutools()
    budget, projects, ballots = random_election(seed)
    instance, profile = pabutools_election(budget, projects, ballots)
    reference = greedy_utilitarian_welfare(instance, profile, sat_class=Cost_Sat)
    outcome = greedy(budget, projects, ballots)
    assert set(outcome.selected) == {p.name for p in reference}
    check_invariants(outcome, budget, projects)


@pytest.mark.parametrize("seed", SEEDS)
def test_equal_shares_add1_matches_pabutools(seed):
    need_pabutools()
    budget, projects, ballots = random_election(seed)
    instance, profile = pabutools_election(budget, projects, ballots)
    reference = completion_by_rule_combination(
        instance, profile, [method_of_equal_shares, greedy_utilitarian_welfare],
        [{"sat_class": Cost_Sat, "voter_budget_increment": 1}, {"sat_class": Cost_Sat}],
    )
    outcome = equal_shares(budget, projects, ballots)
    assert set(outcome.selected) == {p.name for p in reference}
    check_invariants(outcome, budget, projects)
    # Without the completions: plain MES, same funded projects in the same order.
    plain = method_of_equal_shares(instance, profile, sat_class=Cost_Sat)
    ours = equal_shares(budget, projects, ballots, completion=None, fill=False)
    assert ours.selected == [p.name for p in plain]


@pytest.mark.parametrize("seed", range(0, 40, 4))
def test_equal_shares_matches_pabutools_exhaustion_by_budget_increase(seed):
    """With every project voted for and not free, pabutools' two ways of
    writing add1 agree with ours; also the variant without the exhaustive stop."""
    need_pabutools()
    budget, projects, ballots = random_election(seed)
    voted = set().union(*ballots) if ballots else set()
    projects = [p for p in projects if p.id in voted and p.cost > 0]
    kept = {p.id for p in projects}
    ballots = [b & kept for b in ballots]
    if not projects:
        pytest.skip("no voted-for project in this draw")
    instance, profile = pabutools_election(budget, projects, ballots)
    for stop in (True, False):
        reference = completion_by_rule_combination(
            instance, profile, [exhaustion_by_budget_increase, greedy_utilitarian_welfare],
            [{"rule": method_of_equal_shares, "rule_params": {"sat_class": Cost_Sat},
              "budget_step": len(ballots), "exhaustive_stop": stop}, {"sat_class": Cost_Sat}],
        )
        outcome = equal_shares(budget, projects, ballots, exhaustive_stop=stop)
        assert set(outcome.selected) == {p.name for p in reference}, stop


def test_fast_path_equals_exact_path_on_random_medium_elections():
    for seed in range(2):
        rng = random.Random(100 + seed)
        projects = [Project(f"x{i}", rng.randint(20, 400) * 100) for i in range(25)]
        weights = [rng.random() ** 2 for _ in projects]
        ballots = []
        for _ in range(1000):
            k = rng.randint(1, 6)
            ballots.append(frozenset(p.id for p in rng.choices(projects, weights, k=k)))
        budget = sum(p.cost for p in projects) // 3
        el = election._Election(budget, projects, ballots)
        eligible = mes._mes_eligible(el)
        base = Fraction(budget, el.n)
        fast = mes._run_with_completion(el, eligible, base, "add1", True, fast=True)
        exact = mes._run_with_completion(el, eligible, base, "add1", True, fast=False)
        assert (fast[0].selected, fast[1]) == (exact[0].selected, exact[1])


# --------------------------------------------------------------------------
# Edge cases
# --------------------------------------------------------------------------


def test_empty_ballots_count_as_voters_but_fund_nothing():
    projects = [Project("a", 50), Project("b", 60)]
    ballots = [frozenset(), frozenset(), frozenset({"a"})]
    g = greedy(100, projects, ballots)
    assert g.selected == ["a"] and g.num_voters == 3
    assert g.projects["b"].explanation == {"kind": "not_fits", "remaining": 50, "cost": 60, "votes": 0}
    m = equal_shares(100, projects, ballots)
    # The one voter of "a" starts with 100/3, less than 50: add1 raises the
    # shares until that voter can pay for "a" alone (share 50 1/3).
    assert m.num_voters == 3 and m.details["add1_steps"] == 17
    assert m.projects["a"].explanation["kind"] == "funded_equal_shares"
    assert set(m.selected) == {"a"}
    check_invariants(m, 100, projects)


def test_no_ballots_at_all():
    projects = [Project("b", 30), Project("a", 80)]
    g = greedy(100, projects, [])
    assert g.selected == ["a"]  # 0 votes each: "a" comes first by id; then "b" (30) does not fit
    assert g.num_voters == 0
    m = equal_shares(100, projects, [])
    assert m.details["add1_steps"] == 0
    assert set(m.selected) == set(g.selected)


def test_tie_breaking_by_id_then_explicit_order():
    projects = [Project("9", 60), Project("10", 60)]
    ballots = [frozenset({"9", "10"})] * 4
    # Same votes, same cost, only one fits: "10" < "9" as text.
    assert greedy(100, projects, ballots).selected == ["10"]
    assert equal_shares(100, projects, ballots).selected == ["10"]
    assert greedy(100, projects, ballots, tie_breaking=["9", "10"]).selected == ["9"]
    assert equal_shares(100, projects, ballots, tie_breaking=["9", "10"]).selected == ["9"]
    with pytest.raises(ValueError):
        greedy(100, projects, ballots, tie_breaking=["9"])
    # Integer ids are compared as text too ("10" before "9"), as in the export.
    int_projects = [Project(9, 60), Project(10, 60)]
    assert greedy(100, int_projects, [frozenset({9, 10})]).selected == [10]


def test_project_costing_more_than_the_budget():
    projects = [Project("big", 500), Project("small", 40)]
    ballots = [frozenset({"big"})] * 10 + [frozenset({"small"})]
    g = greedy(100, projects, ballots)
    assert g.selected == ["small"]
    assert g.projects["big"].explanation == {"kind": "exceeds_budget", "cost": 500, "budget": 100, "votes": 10}
    m = equal_shares(100, projects, ballots)
    assert m.selected == ["small"]
    assert m.projects["big"].explanation["kind"] == "exceeds_budget"


def test_zero_cost_project_is_funded():
    projects = [Project("free", 0), Project("a", 100)]
    ballots = [frozenset({"a"}), frozenset({"a", "free"})]
    g = greedy(100, projects, ballots)
    assert set(g.selected) == {"free", "a"}
    m = equal_shares(100, projects, ballots)
    assert set(m.selected) == {"free", "a"}
    assert m.projects["free"].explanation["kind"] == "funded_leftover"
    assert m.projects["a"].explanation["kind"] == "funded_equal_shares"
    plain = equal_shares(100, projects, ballots, completion=None, fill=False)
    assert plain.selected == ["a"]
    assert plain.projects["free"].explanation == {"kind": "not_considered", "reason": "zero_cost", "cost": 0, "votes": 1}


def test_budget_zero():
    projects = [Project("free", 0), Project("a", 10)]
    ballots = [frozenset({"a", "free"})] * 3
    for outcome in (greedy(0, projects, ballots), equal_shares(0, projects, ballots)):
        assert outcome.selected == ["free"]
        assert outcome.spent == 0 and outcome.leftover == 0
        assert outcome.projects["a"].explanation["kind"] == "exceeds_budget"


def test_weights_equal_repeated_ballots():
    budget, projects, ballots = random_election(7)
    grouped = {}
    for b in ballots:
        grouped[b] = grouped.get(b, 0) + 1
    weighted = [Ballot(b, w) for b, w in grouped.items()]
    for rule in (greedy, equal_shares):
        a, b = rule(budget, projects, ballots), rule(budget, projects, weighted)
        assert a.selected == b.selected and a.num_voters == b.num_voters == len(ballots)


def test_equal_shares_explanations():
    # 6 voters, budget 600: 100 each.  "x" (300, 4 voters) and "y" (250, 4
    # voters) both cost 1/4 of their price per voter: a tie, "x" wins by id
    # and its voters pay 75 each.  "y" then has 2 voters with 25 left and 2
    # with 100: exactly 250, the first two pay all they have.
    projects = [Project("x", 300, "X"), Project("y", 250), Project("z", 500)]
    ballots = [frozenset({"x", "y"})] * 2 + [frozenset({"x"})] * 2 + [frozenset({"y"})] * 2
    m = equal_shares(600, projects, ballots, completion=None, fill=False)
    assert m.selected == ["x", "y"]
    x = m.projects["x"].explanation
    assert x == {"kind": "funded_equal_shares", "round": 1, "votes": 4, "cost": 300, "payment": 75,
                 "paid_full_share": 4, "paid_all_they_had": 0, "supporters_money": 400, "tied_with": 1}
    y = m.projects["y"].explanation
    assert y["payment"] == 100 and y["paid_all_they_had"] == 2 and y["supporters_money"] == 250
    assert m.projects["x"].name == "X"
    assert m.projects["z"].explanation == {"kind": "no_votes", "cost": 500, "votes": 0}


def test_invalid_input():
    with pytest.raises(ValueError):
        greedy(100, [Project("a", 1)], [frozenset({"b"})])
    with pytest.raises(ValueError):
        greedy(100, [Project("a", 1), Project("a", 2)], [])
    with pytest.raises(ValueError):
        greedy(100, [Project("a", -1)], [])
    with pytest.raises(ValueError):
        greedy(-1, [Project("a", 1)], [])
    with pytest.raises(ValueError):
        greedy(10.5, [Project("a", 1)], [])
    with pytest.raises(ValueError):
        equal_shares(10, [Project("a", 1)], [], completion="add2")
    # Accepted input shapes: Project / dict / tuple; set / list / (set, weight) / Ballot.
    out = greedy(10, [{"id": "a", "cost": 5}, ("b", 5, "B")], [["a"], ({"b"}, 2), Ballot(frozenset({"a"}), 3)])
    assert out.projects["a"].votes == 4 and out.projects["b"].votes == 2 and out.projects["b"].name == "B"


def test_rules_and_format_use_the_standard_library_only():
    for module in (election, greedy_module, mes_run, mes, outcomes, pabulib):
        tree = ast.parse(Path(module.__file__).read_text(encoding="utf-8"))
        imported = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                imported.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                imported.add(node.module.split(".")[0])
        assert imported <= set(sys.stdlib_module_names) | {"__future__"}, (module.__name__, imported)
