"""Writes: proposals (limit under a lock), review, ballots (one per person, changes with history, idempotent),
paper ballots with hashed identity, CSV import, publishing results."""

import io

import pytest
from wagtail.models import ModelLogEntry

from budgets import services
from budgets.models import Ballot, BallotChange, BudgetResult, Channel, Feasibility, ProposalPage
from participation.exceptions import AlreadyDone, NotAllowed, PhaseClosed
from tests.factories.budgets import budget_page, proposal
from tests.factories.users import CitizenFactory

pytestmark = pytest.mark.django_db


def _ids(ballot):
    return sorted(ballot.choices.values_list("project_id", flat=True))


def test_cast_ballot_once_with_receipt(voting_budget, citizen):
    budget, (a, b, c) = voting_budget
    ballot, changed = services.cast_ballot(budget=budget, voter=citizen, project_ids=[a.pk, b.pk], token="t1")
    assert not changed and _ids(ballot) == [a.pk, b.pk]
    assert len(ballot.receipt_code) == 11 and ballot.channel == Channel.ONLINE
    # The same submission again (double click, resent form) returns the first result.
    again, changed = services.cast_ballot(budget=budget, voter=citizen, project_ids=[a.pk, b.pk], token="t1")
    assert again.pk == ballot.pk and Ballot.objects.count() == 1
    assert BallotChange.objects.count() == 0


def test_change_keeps_history_and_one_ballot(voting_budget, citizen):
    budget, (a, b, c) = voting_budget
    ballot, _ = services.cast_ballot(budget=budget, voter=citizen, project_ids=[a.pk], token="t1")
    changed, was_change = services.cast_ballot(budget=budget, voter=citizen, project_ids=[b.pk, c.pk], token="t2")
    assert was_change and changed.pk == ballot.pk and changed.version == 2
    assert _ids(changed) == [b.pk, c.pk]
    history = list(BallotChange.objects.filter(ballot=ballot))
    assert [(h.version, h.project_ids) for h in history] == [(1, [a.pk])]
    assert Ballot.objects.count() == 1


def test_changes_refused_when_the_cycle_does_not_allow_them(voting_budget, citizen):
    budget, (a, b, c) = voting_budget
    budget.allow_ballot_changes = False
    budget.save()
    services.cast_ballot(budget=budget, voter=citizen, project_ids=[a.pk], token="t1")
    with pytest.raises(AlreadyDone):
        services.cast_ballot(budget=budget, voter=citizen, project_ids=[b.pk], token="t2")
    assert _ids(Ballot.objects.get()) == [a.pk]


def test_refusals(voting_budget, home_page, citizen):
    budget, (a, b, c) = voting_budget
    other = budget_page(home_page, phase="voting")
    foreign = proposal(other, "чужд", 100)
    with pytest.raises(NotAllowed):
        services.cast_ballot(budget=budget, voter=citizen, project_ids=[a.pk, foreign.pk])
    with pytest.raises(NotAllowed):
        services.cast_ballot(budget=budget, voter=citizen, project_ids=["1 OR 1=1"])
    with pytest.raises(services.InvalidBallot):
        services.cast_ballot(budget=budget, voter=citizen, project_ids=[a.pk, b.pk, c.pk])
    with pytest.raises(NotAllowed):
        services.cast_ballot(budget=budget, voter=CitizenFactory(verified=False), project_ids=[a.pk])
    closed = budget_page(home_page, phase="results")
    late = proposal(closed, "късно", 100)
    with pytest.raises(PhaseClosed):
        services.cast_ballot(budget=closed, voter=citizen, project_ids=[late.pk])
    assert Ballot.objects.count() == 0


def test_settlement_eligibility(voting_budget, settlements):
    budget, (a, b, c) = voting_budget
    budget.settlements.set([settlements[0]])
    budget.save()
    outsider = CitizenFactory()
    outsider.profile.settlement = settlements[1]
    outsider.profile.save()
    with pytest.raises(NotAllowed):
        services.cast_ballot(budget=budget, voter=outsider, project_ids=[a.pk])
    insider = CitizenFactory()
    insider.profile.settlement = settlements[0]
    insider.profile.save()
    ballot, _ = services.cast_ballot(budget=budget, voter=insider, project_ids=[a.pk])
    assert ballot.settlement == settlements[0]


def test_paper_and_online_cannot_both_vote(voting_budget, settlements, citizen, editor):
    budget, (a, b, c) = voting_budget
    budget.identity_check = True
    budget.save()
    identity = {"name": "Иван Петров", "settlement_id": settlements[0].pk, "document": "645 123 456"}
    paper = services.enter_paper_ballot(budget=budget, actor=editor, project_ids=[a.pk], **identity)
    assert paper.channel == Channel.PAPER and paper.entered_by == editor and paper.author is None
    assert "645" not in paper.identity_hash and "Иван" not in paper.identity_hash
    assert ModelLogEntry.objects.filter(action="veche.budgets.paper_ballot", user=editor).count() == 1
    # Same person online (spelling and spacing of the document differ): refused.
    same = {"name": "  иван   петров ", "settlement_id": settlements[0].pk, "document": "645-123-456"}
    with pytest.raises(AlreadyDone):
        services.cast_ballot(budget=budget, voter=citizen, project_ids=[b.pk], identity=same)
    with pytest.raises(AlreadyDone):
        services.enter_paper_ballot(budget=budget, actor=editor, project_ids=[b.pk], **same)
    assert Ballot.objects.count() == 1
    # Someone else online: fine, and then that person cannot vote on paper.
    other = {"name": "Мария Иванова", "settlement_id": settlements[1].pk, "document": "111"}
    services.cast_ballot(budget=budget, voter=citizen, project_ids=[b.pk], identity=other)
    with pytest.raises(AlreadyDone):
        services.enter_paper_ballot(budget=budget, actor=editor, project_ids=[c.pk], **other)
    assert Ballot.objects.count() == 2


def test_csv_import_reports_rejected_rows(voting_budget, settlements, editor):
    budget, (a, b, c) = voting_budget
    text = (
        "name,settlement,document,projects\n"
        f"Иван Петров,{settlements[0].name},1001,{a.pk} {b.pk}\n"
        f"Иван Петров,{settlements[0].name},1001,{c.pk}\n"  # same person twice
        f"Мария,Непознато,1002,{a.pk}\n"  # unknown settlement
        f"Петя,{settlements[1].name},1003,{a.pk} {b.pk} {c.pk}\n"  # too many projects
        f"Гошо,{settlements[1].name},1004,999999\n"  # not on this ballot
        f"Ана,{settlements[2].name},,{a.pk}\n"  # no document
        f"Стоян,{settlements[2].name},1005,{c.pk}\n"
    )
    report = services.import_paper_ballots(budget=budget, actor=editor, file=io.BytesIO(text.encode()))
    assert report["accepted"] == 2
    assert [line for line, _reason in report["rejected"]] == [3, 4, 5, 6, 7]
    assert all(reason for _line, reason in report["rejected"])
    assert Ballot.objects.filter(channel=Channel.PAPER).count() == 2


def test_csv_import_refuses_huge_files(voting_budget, editor, settings):
    budget, _projects = voting_budget
    settings.VECHE_MAX_UPLOAD_BYTES = 100
    with pytest.raises(NotAllowed):
        services.import_paper_ballots(budget=budget, actor=editor, file=io.BytesIO(b"name,settlement,document,projects\n" + b"x" * 200))


def _proposal_kwargs(**extra):
    return {"title": "Нова площадка", "summary": "Площадка", "description": "Описание", "estimated_cost": 5000,
            "address": "ул. „Шипка“ 3", **extra}


def test_proposal_becomes_a_draft_in_moderation_with_a_limit(
    home_page, settlements, citizen, mailoutbox, django_capture_on_commit_callbacks
):
    budget = budget_page(home_page, phase="proposals", proposals_per_citizen=2)
    with django_capture_on_commit_callbacks(execute=True):
        first = services.submit_proposal(budget=budget, author=citizen, **_proposal_kwargs())
    assert not first.live and first.citizen_author == citizen and first.owner is None
    assert first.workflow_in_progress
    assert first.get_parent().pk == budget.pk
    # A resent form returns the same draft.
    assert services.submit_proposal(budget=budget, author=citizen, **_proposal_kwargs()).pk == first.pk
    with django_capture_on_commit_callbacks(execute=True):
        services.submit_proposal(budget=budget, author=citizen, **_proposal_kwargs(title="Втори"))
    with pytest.raises(NotAllowed):
        services.submit_proposal(budget=budget, author=citizen, **_proposal_kwargs(title="Трети"))
    assert ProposalPage.objects.child_of(budget).count() == 2
    assert len(mailoutbox) == 2 and "Нова площадка" in mailoutbox[0].subject


def test_proposals_only_in_their_phase(home_page, settlements, citizen):
    budget = budget_page(home_page, phase="review")
    with pytest.raises(PhaseClosed):
        services.submit_proposal(budget=budget, author=citizen, **_proposal_kwargs())


def test_review_sets_public_reason_final_cost_and_emails_author(
    home_page, settlements, citizen, editor, mailoutbox, django_capture_on_commit_callbacks
):
    budget = budget_page(home_page, phase="review")
    page = proposal(budget, "Алея", 10000, feasibility="pending", author=citizen)
    with pytest.raises(NotAllowed):
        services.review_proposal(proposal=page, feasibility="not_feasible", reason="", final_cost=None, actor=editor)
    with django_capture_on_commit_callbacks(execute=True):
        reviewed = services.review_proposal(
            proposal=page, feasibility="feasible", reason="Изпълнимо.", final_cost=12500, actor=editor
        )
    assert reviewed.feasibility == Feasibility.FEASIBLE and reviewed.final_cost == 12500 and reviewed.live
    assert reviewed.cost == 12500
    assert len(mailoutbox) == 1 and mailoutbox[0].to == [citizen.email]
    assert "12" in mailoutbox[0].body


def test_publishing_an_old_revision_leaves_ballots_and_results_alone(voting_budget, citizen, editor, time_machine):
    budget, (a, b, c) = voting_budget
    old_revision = budget.latest_revision
    services.cast_ballot(budget=budget, voter=citizen, project_ids=[a.pk])
    time_machine.move_to(budget.voting_closes_at + (budget.voting_closes_at - budget.voting_opens_at) / 100)
    result = services.publish_results(budget=budget, rule="greedy", actor=editor)
    old_revision.publish()
    assert Ballot.objects.filter(budget=budget).count() == 1
    assert BudgetResult.objects.get(budget=budget).pk == result.pk
    with pytest.raises(AlreadyDone):
        services.publish_results(budget=budget, rule="mes", actor=editor)
