"""The pabulib export of every demo budget is valid by the format's own rules (pabulib.org/format and the META
field order of pabulib's checker): obligatory fields filled, `country` and `unit` from the site settings, the
meta fields in the documented order, every value of the documented type."""

import io
import re

import pytest

from accounts import demo as accounts_demo
from budgets import demo as budgets_demo
from budgets.counting import pabulib
from budgets.exports import election_for
from budgets.models import BudgetPage
from home import demo as home_demo
from home.models import MunicipalitySettings

pytestmark = pytest.mark.django_db

# The META keys in the format's order (the ones a Veche export may write), and which of them are obligatory.
META_ORDER = [
    "description", "country", "unit", "district", "subunit", "instance", "num_projects", "num_votes", "budget",
    "vote_type", "rule", "date_begin", "date_end", "min_length", "max_length", "min_sum_cost", "max_sum_cost",
    "max_length_per_category", "language", "edition", "currency", "acknowledgments", "comment",
]
OBLIGATORY = ["description", "country", "unit", "instance", "num_projects", "num_votes", "budget", "vote_type", "rule",
              "date_begin", "date_end"]
VOTE_TYPES = {"ordinal", "approval", "cumulative", "choose-1"}
RULES = {"greedy", "unknown", "equalshares", "equalshares/add1"}
DATE = re.compile(r"^(\d{4}|\d{2}\.\d{2}\.\d{4})$")


@pytest.fixture
def demo_budgets(home_page):
    home_demo.load(io.StringIO())
    accounts_demo.load(io.StringIO())
    budgets_demo.load(io.StringIO())
    return list(BudgetPage.objects.filter(slug__in=[budgets_demo.VOTING_SLUG, budgets_demo.CLOSED_SLUG]))


def test_every_demo_export_is_valid_field_by_field(demo_budgets):
    assert len(demo_budgets) == 2
    municipality = MunicipalitySettings.load()
    for budget in demo_budgets:
        election = pabulib.loads(pabulib.dumps(election_for(budget)))
        meta = election.meta
        keys = list(meta)
        assert set(keys) <= set(META_ORDER), set(keys) - set(META_ORDER)
        assert keys == sorted(keys, key=META_ORDER.index), f"{budget.title}: META not in the documented order: {keys}"
        for key in OBLIGATORY:
            assert meta.get(key, "").strip(), f"{budget.title}: obligatory META field {key!r} is empty"
        assert meta["country"] == municipality.country == "Bulgaria"
        assert meta["unit"] == municipality.name == "Община Зорница"
        assert meta["description"] == budget.title
        assert re.fullmatch(r"\d{4}", meta["instance"])
        assert int(meta["num_projects"]) == len(election.projects) > 0
        assert int(meta["num_votes"]) == len(election.votes) > 0
        assert float(meta["budget"]) == budget.amount
        assert meta["vote_type"] in VOTE_TYPES
        assert meta["rule"] in RULES
        assert DATE.match(meta["date_begin"]) and DATE.match(meta["date_end"])
        for key in ("min_length", "max_length", "min_sum_cost", "max_sum_cost", "max_length_per_category"):
            if key in meta:
                assert meta[key].isdigit(), (key, meta[key])
        assert re.fullmatch(r"[a-z]{2}", meta["language"])
        assert re.fullmatch(r"[A-Z]{3}", meta["currency"])
        # PROJECTS: an id and a whole cost on every line; VOTES: every vote names known projects.
        assert election.project_columns[:2] == ["project_id", "cost"]
        ids = {project["project_id"] for project in election.projects}
        assert len(ids) == len(election.projects)
        for project in election.projects:
            assert project["cost"].isdigit() and project["votes"].isdigit()
            assert project.get("selected", "0") in ("0", "1")
        assert election.vote_columns == ["voter_id", "vote"]
        for vote in election.votes:
            assert vote["voter_id"] and set(vote["vote"].split(",")) <= ids
        # And the counting reads it back.
        pabulib.to_rule_inputs(election)
