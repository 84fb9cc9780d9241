"""Each ballot rule's validation (DESIGN.md §6)."""

import pytest

from budgets import queries
from budgets.counting import ballot_rules
from tests.factories.budgets import budget_page, proposal

pytestmark = pytest.mark.django_db


def test_approval_up_to_n_and_at_least_m(home_page, settlements):
    budget = budget_page(home_page, approval_max=2, approval_min=2)
    a, b, c = (proposal(budget, name, 1000) for name in "abc")
    assert ballot_rules.validate(budget, [a, b]) == []
    errors = ballot_rules.validate(budget, [a, b, c])
    assert len(errors) == 1 and "3" in errors[0] and "2" in errors[0]
    assert ballot_rules.validate(budget, [a]) != []
    assert ballot_rules.validate(budget, []) != []


def test_approval_limit_applies_per_category(home_page, settlements):
    budget = budget_page(home_page, approval_max=1, categories=[("Град", 1000), ("Села", 1000)])
    city, villages = budget.category_list()
    a = proposal(budget, "a", 100, category=city)
    b = proposal(budget, "b", 100, category=city)
    c = proposal(budget, "c", 100, category=villages)
    assert ballot_rules.validate(budget, [a, c]) == []
    errors = ballot_rules.validate(budget, [a, b, c])
    assert len(errors) == 1 and "Град" in errors[0]


def test_knapsack_total_within_amount_and_minimum_share(knapsack_budget):
    budget, (playground, alley, fountain, stop) = knapsack_budget
    assert ballot_rules.validate(budget, [playground, fountain]) == []
    over = ballot_rules.validate(budget, [playground, alley])
    assert len(over) == 1 and "Град" in over[0]
    # 25,000 of 50,000 is exactly the 50 % minimum; 0 in the city is not a problem (not voted there).
    assert ballot_rules.validate(budget, [stop]) == []
    budget.knapsack_min_percent = 60
    short = ballot_rules.validate(budget, [stop])
    assert len(short) == 1 and "60" in short[0]


def test_knapsack_without_categories_uses_the_whole_amount(home_page, settlements):
    budget = budget_page(home_page, ballot_rule="knapsack", amount=100)
    a, b = proposal(budget, "a", 60), proposal(budget, "b", 50)
    assert ballot_rules.validate(budget, [a]) == []
    assert ballot_rules.validate(budget, [a, b]) != []


def test_one_project_per_category(home_page, settlements):
    budget = budget_page(home_page, ballot_rule="one_per_category", categories=[("Град", 1000), ("Села", 1000)])
    city, villages = budget.category_list()
    a = proposal(budget, "a", 100, category=city)
    b = proposal(budget, "b", 100, category=city)
    c = proposal(budget, "c", 100, category=villages)
    assert ballot_rules.validate(budget, [a, c]) == []
    assert ballot_rules.validate(budget, [a]) == []
    errors = ballot_rules.validate(budget, [a, b])
    assert len(errors) == 1 and "Град" in errors[0]


def test_only_live_feasible_projects_are_on_the_ballot(home_page, settlements):
    budget = budget_page(home_page)
    on = proposal(budget, "on", 100)
    proposal(budget, "not feasible", 100, feasibility="not_feasible")
    proposal(budget, "pending", 100, feasibility="pending")
    proposal(budget, "draft", 100, live=False)
    assert queries.ballot_projects(budget) == [on]
