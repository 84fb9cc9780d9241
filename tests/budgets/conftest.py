import pytest

from tests.factories.budgets import budget_page, proposal
from tests.factories.site import municipality


@pytest.fixture
def settlements(db, locales):
    return list(municipality().settlements.all())


@pytest.fixture
def voting_budget(home_page, settlements):
    budget = budget_page(home_page, phase="voting", approval_max=2)
    projects = [proposal(budget, f"Проект {n}", cost) for n, cost in enumerate([30000, 50000, 60000], start=1)]
    return budget, projects


@pytest.fixture
def knapsack_budget(home_page, settlements):
    budget = budget_page(
        home_page, phase="voting", ballot_rule="knapsack", knapsack_min_percent=50,
        categories=[("Град", 100000), ("Села", 50000)],
    )
    city, villages = budget.category_list()
    projects = [
        proposal(budget, "Площадка", 60000, category=city),
        proposal(budget, "Алея", 50000, category=city),
        proposal(budget, "Чешма", 30000, category=villages),
        proposal(budget, "Спирка", 25000, category=villages),
    ]
    return budget, projects
