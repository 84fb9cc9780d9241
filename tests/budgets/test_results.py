"""Results from the database equal the outcome rules run on the same input; pabulib import/export round trip;
real elections reproduce their official winners; management commands."""

import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command

from budgets.counting import outcomes, pabulib
from budgets.exports import election_for, import_election
from budgets.models import Ballot, BallotChoice, Channel, ProposalPage
from budgets.queries import load_ballots
from budgets.results import compute, sentence
from budgets.services import cast_ballot

pytestmark = pytest.mark.django_db

SHARED = Path(__file__).resolve().parent.parent / "fixtures" / "pabulib"  # copies of ../shared/data/pabulib


def _ballots(budget, choices):
    for chosen in choices:
        ballot = Ballot.objects.create(budget=budget, channel=Channel.PAPER, identity_hash=str(Ballot.objects.count()))
        BallotChoice.objects.bulk_create([BallotChoice(ballot=ballot, project=p) for p in chosen])


def test_identical_ballots_are_grouped(voting_budget):
    budget, (a, b, c) = voting_budget
    _ballots(budget, [[a, b], [b, a], [c], [a]])
    assert load_ballots(budget) == {frozenset({a.pk, b.pk}): 2, frozenset({c.pk}): 1, frozenset({a.pk}): 1}


@pytest.mark.parametrize("rule", ["greedy", "mes"])
def test_per_category_results_equal_the_rule_on_each_category(knapsack_budget, rule):
    budget, (playground, alley, fountain, stop) = knapsack_budget
    _ballots(budget, [[playground, fountain], [alley, stop], [alley, fountain], [playground], [stop]])
    data = compute(budget, rule)
    city, villages = budget.category_list()
    function = outcomes.greedy if rule == "greedy" else outcomes.equal_shares
    expected = set()
    for category, members, ballots in (
        (city, [playground, alley], [{playground.pk}, {alley.pk}, {alley.pk}, {playground.pk}]),
        (villages, [fountain, stop], [{fountain.pk}, {stop.pk}, {fountain.pk}, {stop.pk}]),
    ):
        outcome = function(category.amount, [outcomes.Project(p.pk, p.cost) for p in members], [frozenset(b) for b in ballots])
        expected |= set(outcome.selected)
    assert {p["id"] for p in data["projects"] if p["selected"]} == expected
    assert [g["name"] for g in data["groups"]] == ["Град", "Села"]
    assert all(sentence(p, "EUR") for p in data["projects"])


def test_turnout_by_channel_and_settlement(voting_budget, settlements, citizen):
    budget, (a, b, c) = voting_budget
    citizen.profile.settlement = settlements[1]
    citizen.profile.save()
    cast_ballot(budget=budget, voter=citizen, project_ids=[a.pk])
    _ballots(budget, [[b], [c]])
    turnout = compute(budget, "greedy")["turnout"]
    assert (turnout["total"], turnout["online"], turnout["paper"]) == (3, 1, 2)
    assert {row["name"]: row["count"] for row in turnout["by_settlement"]} == {settlements[1].name: 1, "": 2}


def test_pabulib_round_trip_recomputes_the_same_result(voting_budget):
    budget, (a, b, c) = voting_budget
    _ballots(budget, [[a, b], [b], [b, c], [c], [a]])
    election = election_for(budget)
    text = pabulib.dumps(election)
    amount, projects, ballots = pabulib.to_rule_inputs(pabulib.loads(text))
    assert amount == budget.amount
    for rule, function in (("greedy", outcomes.greedy), ("mes", outcomes.equal_shares)):
        from_file = function(amount, projects, ballots)
        from_db = compute(budget, rule)
        assert {str(p["id"]) for p in from_db["projects"] if p["selected"]} == set(from_file.selected)
    # Importing the file creates a closed cycle with the same ballots.
    copy = import_election(pabulib.loads(text), parent=budget.get_parent().specific, title="Копие")
    assert copy.ballots.count() == 5 and ProposalPage.objects.child_of(copy).count() == 3
    assert copy.budget_phase().value == "results"


@pytest.mark.parametrize(
    "name,rule", [("Poland_Swiecie_2023.pb", "mes"), ("Poland_Warszawa_2023_Ursynow.pb", "greedy")]
)
def test_real_elections_from_the_database_give_the_official_winners(home_page, name, rule):
    election = pabulib.load(SHARED / name)
    budget = import_election(election, parent=home_page)
    data = compute(budget, rule)
    original = {page.pk: page.slug.removeprefix("p-") for page in ProposalPage.objects.child_of(budget)}
    winners = {original[p["id"]] for p in data["projects"] if p["selected"]}
    assert winners == pabulib.official_winners(election)


def test_management_commands(voting_budget, tmp_path, home_page):
    budget, (a, b, c) = voting_budget
    _ballots(budget, [[a], [a, b], [c]])
    out = io.StringIO()
    call_command("budget_results", budget.pk, "--rule", "greedy", "--format", "json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["rule"] == "greedy" and {p["id"] for p in data["projects"]} == {a.pk, b.pk, c.pk}
    target = tmp_path / "cycle.pb"
    call_command("export_pabulib", budget.pk, "--output", str(target))
    assert "num_votes;3" in target.read_text()
    out = io.StringIO()
    call_command("import_pabulib", str(target), "--parent", home_page.pk, stdout=out)
    assert "3 ballots" in out.getvalue()
