"""Who may do what, role x phase, with a frozen clock (time_machine)."""

import datetime

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser

from accounts.models import profile_for
from budgets.models import BudgetPhase
from tests.factories.budgets import budget_page
from tests.factories.users import CitizenFactory, EditorFactory, ModeratorFactory, NGOPublisherFactory, OfficeStaffFactory

pytestmark = pytest.mark.django_db

START = datetime.datetime(2026, 3, 1, 9, 0, tzinfo=datetime.timezone.utc)
# One instant inside each phase of a cycle whose proposals open on START.
MOMENTS = {
    "upcoming": START - datetime.timedelta(days=1),
    "proposals": START + datetime.timedelta(days=5),
    "review": START + datetime.timedelta(days=15),
    "voting": START + datetime.timedelta(days=25),
    "results": START + datetime.timedelta(days=40),
    "implementation": START + datetime.timedelta(days=70),
}

PERMISSIONS = [
    "budgets.propose_project",
    "budgets.vote_budget",
    "budgets.enter_paper_ballot",
    "budgets.publish_results",
    "budgets.review_proposal",
    "budgets.open_cycles",
]

# role -> phases in which each permission holds
EXPECTED = {
    "anonymous": {},
    "unverified": {},
    "outsider": {},
    "citizen": {"budgets.propose_project": {"proposals"}, "budgets.vote_budget": {"voting"}},
    "moderator": {
        "budgets.propose_project": {"proposals"},
        "budgets.vote_budget": {"voting"},
        "budgets.review_proposal": set(MOMENTS),
        "budgets.open_cycles": set(MOMENTS),
    },
    "editor": {
        "budgets.propose_project": {"proposals"},
        "budgets.vote_budget": {"voting"},
        "budgets.publish_results": {"results", "implementation"},
        "budgets.review_proposal": set(MOMENTS),
        "budgets.open_cycles": set(MOMENTS),
    },
    "office": {
        "budgets.propose_project": {"proposals"},
        "budgets.vote_budget": {"voting"},
        "budgets.enter_paper_ballot": {"voting", "results", "implementation"},
        "budgets.open_cycles": set(MOMENTS),
    },
    "ngo": {"budgets.propose_project": {"proposals"}, "budgets.vote_budget": {"voting"}},
}


@pytest.fixture
def cycle(home_page, settlements):
    budget = budget_page(
        home_page,
        now=START,
        phase="upcoming",
        proposals_opens_at=START,
        proposals_closes_at=START + datetime.timedelta(days=10),
        voting_opens_at=START + datetime.timedelta(days=20),
        voting_closes_at=START + datetime.timedelta(days=30),
        implementation_starts_at=START + datetime.timedelta(days=60),
    )
    budget.settlements.set([settlements[0]])
    budget.save()
    return budget


def _users(settlements):
    def resident(factory, **kwargs):
        user = factory(**kwargs)
        profile = profile_for(user)
        profile.settlement = settlements[0]
        profile.save()
        return user

    outsider = CitizenFactory()
    outsider.profile.settlement = settlements[1]
    outsider.profile.save()
    return {
        "anonymous": AnonymousUser(),
        "unverified": resident(CitizenFactory, verified=False),
        "outsider": outsider,
        "citizen": resident(CitizenFactory),
        "moderator": resident(ModeratorFactory),
        "editor": resident(EditorFactory),
        "office": resident(OfficeStaffFactory),
        "ngo": resident(NGOPublisherFactory),
    }


def test_phases_come_from_dates(cycle):
    for phase, moment in MOMENTS.items():
        assert cycle.budget_phase(moment) == BudgetPhase(phase)


@pytest.mark.parametrize("phase", list(MOMENTS))
def test_rules_matrix(cycle, settlements, phase):
    users = _users(settlements)
    with time_machine.travel(MOMENTS[phase], tick=False):
        for role, user in users.items():
            for permission in PERMISSIONS:
                expected = phase in EXPECTED[role].get(permission, set())
                assert user.has_perm(permission, cycle) is expected, (role, permission, phase)
