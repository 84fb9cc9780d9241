"""The pabulib .pb format (budgets/counting/pabulib.py): parsing, writing, conversion to the rule inputs.

No database needed.
"""

import random
from collections import Counter
from pathlib import Path

import pytest

from budgets.counting import outcomes, pabulib

try:  # the reference implementation, optional: the test that compares with it skips without it
    from pabutools.election import Cost_Sat
    from pabutools.election.pabulib import parse_pabulib_from_string
    from pabutools.rules import completion_by_rule_combination, greedy_utilitarian_welfare, method_of_equal_shares
except ImportError:  # pragma: no cover - CI installs it
    parse_pabulib_from_string = None

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "pabulib"
FILES = ["Poland_Swiecie_2023.pb", "Poland_Warszawa_2023_Ursynow.pb", "Poland_Wieliczka_2023_Green_Budget.pb"]


@pytest.fixture(scope="module", params=FILES)
def parsed(request):
    return request.param, pabulib.load(FIXTURES / request.param)


def test_parse_sections_and_counts(parsed):
    name, election = parsed
    assert election.meta["vote_type"] == "approval"
    assert int(election.meta["num_projects"]) == len(election.projects)
    assert int(election.meta["num_votes"]) == len(election.votes)
    assert election.project_columns[:2] == ["project_id", "cost"]
    assert "selected" in election.project_columns
    assert election.vote_columns[0] == "voter_id" and "vote" in election.vote_columns
    for p in election.projects:
        assert list(p) == election.project_columns


def test_votes_column_matches_ballots(parsed):
    name, election = parsed
    budget, projects, ballots = pabulib.to_rule_inputs(election)
    assert budget == int(election.meta["budget"])
    assert [p.id for p in projects] == [p["project_id"] for p in election.projects]
    assert sum(b.weight for b in ballots) == len(election.votes)
    counted = Counter()
    for b in ballots:
        for pid in b.approvals:
            counted[pid] += b.weight
    for p in election.projects:
        assert counted[p["project_id"]] == int(p["votes"]), p["project_id"]


def test_round_trip(parsed):
    name, election = parsed
    text = pabulib.dumps(election)
    again = pabulib.loads(text)
    assert again == election
    assert pabulib.dumps(again) == text


def test_quoted_fields():
    election = pabulib.load(FIXTURES / "Poland_Wieliczka_2023_Green_Budget.pb")
    p81 = next(p for p in election.projects if p["project_id"] == "81")
    assert 'Parku "Stok pod Baranem"' in p81["name"]
    assert p81["cost"] == "68000" and p81["selected"] == "0"
    line = next(line for line in pabulib.dumps(election).splitlines() if line.startswith("81;"))
    assert '"Sensoryczna' in line and '""Stok pod Baranem""' in line


def test_extra_columns_are_kept():
    election = pabulib.load(FIXTURES / "Poland_Warszawa_2023_Ursynow.pb")
    assert election.project_columns == ["project_id", "cost", "votes", "name", "category", "beneficiaries",
                                         "selected", "latitude", "longitude"]
    assert election.vote_columns == ["voter_id", "vote", "age", "sex", "voting_method"]
    first = election.projects[0]
    assert first["category"] == "sport,public space,environmental protection"
    assert election.votes[0]["voting_method"] == "internet"


def test_official_winners():
    counts = {name: len(pabulib.official_winners(pabulib.load(FIXTURES / name))) for name in FILES}
    assert counts == {"Poland_Swiecie_2023.pb": 17, "Poland_Warszawa_2023_Ursynow.pb": 16,
                      "Poland_Wieliczka_2023_Green_Budget.pb": 30}
    with pytest.raises(ValueError):
        pabulib.official_winners(pabulib.loads("META\nkey;value\nbudget;1\nPROJECTS\nproject_id;cost\na;1\nVOTES\nvoter_id;vote\n"))


SMALL = (
    "\ufeffMETA\r\n"
    "key;value\r\n"
    "description;Small test\r\n"
    "budget;100\r\n"
    "vote_type;approval\r\n"
    "PROJECTS\n"
    "project_id;cost;name\n"
    'a;60;"Park; with ""benches"""\n'
    "b;50;Library\n"
    "c;45;None\n"
    "\n"
    "VOTES\n"
    "voter_id;vote\n"
    "1;a,b\n"
    "2;b\n"
    "3;\n"
    "4;b,c, a\n"
)


def test_small_file_with_bom_crlf_quotes_and_empty_ballot():
    election = pabulib.loads(SMALL)
    assert election.meta == {"description": "Small test", "budget": "100", "vote_type": "approval"}
    assert election.projects[0]["name"] == 'Park; with "benches"'
    budget, projects, ballots = pabulib.to_rule_inputs(election)
    assert budget == 100
    assert {b.approvals: b.weight for b in ballots} == {
        frozenset({"a", "b"}): 1, frozenset({"b"}): 1, frozenset(): 1, frozenset({"a", "b", "c"}): 1,
    }
    assert pabulib.loads(pabulib.dumps(election)) == election
    outcome = outcomes.greedy(budget, projects, ballots)
    assert outcome.selected == ["b", "c"] and outcome.num_voters == 4


def test_unsupported_vote_type_and_bad_input():
    for vote_type in ("ordinal", "cumulative", "scoring"):
        election = pabulib.loads(SMALL.replace("vote_type;approval", f"vote_type;{vote_type}"))
        with pytest.raises(ValueError, match="only approval"):
            pabulib.to_rule_inputs(election)
    with pytest.raises(ValueError, match="unknown project"):
        pabulib.to_rule_inputs(pabulib.loads(SMALL.replace("2;b\n", "2;zz\n")))
    with pytest.raises(ValueError, match="whole amount"):
        pabulib.to_rule_inputs(pabulib.loads(SMALL.replace("budget;100", "budget;100.5")))
    with pytest.raises(ValueError, match="fields"):
        pabulib.loads(SMALL.replace("b;50;Library", "b;50;Library;extra"))
    with pytest.raises(ValueError):
        pabulib.loads("just some text\n")
    assert pabulib.parse_budget(pabulib.loads(SMALL.replace("budget;100", "budget;1 000,00"))) == 1000


def test_make_election_round_trip_and_rules(tmp_path):
    meta = {"description": "Veche test", "country": "", "unit": "Town", "instance": "2025",
            "budget": 100, "vote_type": "approval", "rule": "greedy", "currency": "EUR"}
    projects = [{"project_id": 7, "cost": 60, "name": "Park", "category": "green"},
                {"project_id": 12, "cost": 50, "name": 'The "big" one; really', "votes": 2}]
    ballots = [[7, 12], [12], [], [7]]
    election = pabulib.make_election(meta, projects, ballots)
    assert election.meta["num_projects"] == "2" and election.meta["num_votes"] == "4"
    assert election.project_columns == ["project_id", "cost", "name", "category", "votes"]
    assert election.votes[1] == {"voter_id": "2", "vote": "12"}
    path = tmp_path / "export.pb"
    pabulib.dump(election, path)
    assert pabulib.load(path) == election
    budget, ps, bs = pabulib.to_rule_inputs(election)
    assert budget == 100 and [p.id for p in ps] == ["7", "12"]
    assert outcomes.greedy(budget, ps, bs).selected == ["12"]
    with pytest.raises(ValueError):
        pabulib.make_election(meta, projects, [[99]])
    with pytest.raises(ValueError):
        pabulib.make_election({"unit": "x"}, projects, ballots)


def test_pabutools_reads_our_files_and_agrees():
    """An export recomputed with pabutools gives our funded projects."""
    if parse_pabulib_from_string is None:
        pytest.skip("pabutools (the reference implementation) is not installed")

    election = pabulib.load(FIXTURES / "Poland_Swiecie_2023.pb")
    instance, profile = parse_pabulib_from_string(pabulib.dumps(election))
    assert len(instance) == 22 and profile.num_ballots() == 2553
    budget, projects, ballots = pabulib.to_rule_inputs(election)
    assert instance.budget_limit == budget
    assert {p.name: p.cost for p in instance} == {p.id: p.cost for p in projects}
    reference = greedy_utilitarian_welfare(instance, profile, sat_class=Cost_Sat)
    assert {p.name for p in reference} == set(outcomes.greedy(budget, projects, ballots).selected)

    # A generated export (numeric ids, as the site writes them), MES with add1.
    rng = random.Random(5)
    rows = [{"project_id": i, "cost": rng.randint(5, 40) * 100, "name": f"P{i}"} for i in range(1, 13)]
    lines = [rng.sample(range(1, 13), rng.randint(1, 4)) for _ in range(80)]
    export = pabulib.make_election({"budget": 6000, "rule": "equalshares/add1"}, rows, lines)
    instance, profile = parse_pabulib_from_string(pabulib.dumps(export))
    reference = completion_by_rule_combination(
        instance, profile, [method_of_equal_shares, greedy_utilitarian_welfare],
        [{"sat_class": Cost_Sat, "voter_budget_increment": 1}, {"sat_class": Cost_Sat}],
    )
    budget, projects, ballots = pabulib.to_rule_inputs(export)
    assert set(outcomes.equal_shares(budget, projects, ballots).selected) == {p.name for p in reference}
