"""Integrity under concurrency on PostgreSQL, with real threads."""

import threading

import pytest
from django.db import connection

from budgets import services
from budgets.models import Ballot, BallotChoice, ProposalPage
from participation.exceptions import ParticipationError
from tests.factories.budgets import budget_page, proposal
from tests.helpers import requires_postgres

pytestmark = [requires_postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _run_together(count, work):
    barrier = threading.Barrier(count)
    outcomes = [None] * count

    def run(index):
        try:
            barrier.wait()
            outcomes[index] = work(index)
        except ParticipationError as error:
            outcomes[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


@pytest.mark.parametrize("allow_changes", [True, False])
def test_same_citizen_casting_from_two_tabs_ends_with_one_ballot(home_page, settlements, citizen, allow_changes):
    budget = budget_page(home_page, phase="voting", allow_ballot_changes=allow_changes)
    a, b = proposal(budget, "a", 100), proposal(budget, "b", 100)
    picks = [[a.pk], [b.pk], [a.pk, b.pk], [a.pk]]

    outcomes = _run_together(
        4, lambda i: services.cast_ballot(budget=budget, voter=citizen, project_ids=picks[i], token=f"tab{i}")
    )
    assert Ballot.objects.filter(budget=budget).count() == 1
    ballot = Ballot.objects.get(budget=budget)
    # The ballot holds exactly one tab's choices, never a mixture of two.
    assert sorted(BallotChoice.objects.filter(ballot=ballot).values_list("project_id", flat=True)) in [sorted(p) for p in picks]
    assert any(not isinstance(o, Exception) for o in outcomes)


def test_same_paper_voter_entered_twice_at_once_counts_once(home_page, settlements, editor):
    budget = budget_page(home_page, phase="voting")
    a = proposal(budget, "a", 100)
    identity = {"name": "Иван Петров", "settlement_id": settlements[0].pk, "document": "123"}
    _run_together(3, lambda i: services.enter_paper_ballot(budget=budget, actor=editor, project_ids=[a.pk], **identity))
    assert Ballot.objects.filter(budget=budget).count() == 1


def test_proposal_limit_holds_under_concurrency(home_page, settlements, citizen):
    budget = budget_page(home_page, phase="proposals", proposals_per_citizen=2)

    def propose(i):
        return services.submit_proposal(
            budget=budget, author=citizen, title=f"Проект {i}", summary="s", description="d", estimated_cost=100,
            address="a",
        )

    _run_together(5, propose)
    assert ProposalPage.objects.child_of(budget).filter(citizen_author=citizen).count() == 2
