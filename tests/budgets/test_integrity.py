"""Integrity holes of issue 9 §3: the ballot is fixed once voting opens, staff see only turnout while voting is
open, paper-ballot screens and published figures say exactly what is checked against double voting."""

import csv
import io
import json

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from wagtail.test.utils.form_data import querydict_from_html

from budgets import services
from budgets.counting import pabulib
from budgets.exports import import_election
from budgets.models import Ballot, BudgetResult, ProposalPage
from budgets.queries import ballot_projects
from budgets.results import compute
from participation.exceptions import NotAllowed, ParticipationError
from tests.factories.budgets import DAY, budget_page, proposal
from tests.factories.users import OfficeStaffFactory

pytestmark = pytest.mark.django_db


def _in_bulgarian(msgid, html):
    """The sentence as a Bulgarian-speaking member of staff (the site's default language) or a visitor to the
    /bg/ pages reads it: the language is pinned, never "any of ours"."""
    with translation.override("bg"):
        text = translation.gettext(msgid)
    assert text != msgid, f"no Bulgarian translation for {msgid!r}"
    return text in html


def _late_draft(budget, title="Късно предложение"):
    page = ProposalPage(
        title=title, slug="kasno", summary="Кратко", description="Описание", estimated_cost=20000, final_cost=20000,
        feasibility="feasible", address="ул. 1", live=False,
    )
    budget.add_child(instance=page)
    page.save_revision()
    return ProposalPage.objects.get(pk=page.pk)


# --- 1. the ballot is fixed once voting opens ----------------------------------------------------------------


def test_publishing_a_proposal_once_voting_opened_is_refused(voting_budget):
    budget, projects = voting_budget
    draft = _late_draft(budget)
    with pytest.raises(ValidationError):
        draft.get_latest_revision().publish()
    assert not ProposalPage.objects.get(pk=draft.pk).live
    assert [p.pk for p in ballot_projects(budget)] == sorted((p.pk for p in projects), key=lambda pk: ProposalPage.objects.get(pk=pk).title)


def test_workflow_approval_once_voting_opened_is_refused_and_rolled_back(home_page, settlements, citizen, moderator, time_machine):
    budget = budget_page(home_page, phase="proposals")
    draft = services.submit_proposal(budget=budget, author=citizen, title="Пейки", summary="Пейки", description="Пейки",
                                     estimated_cost=1000)
    time_machine.move_to(budget.voting_opens_at + DAY)
    task_state = draft.current_workflow_task_state
    with pytest.raises(ValidationError):
        draft.current_workflow_task.on_action(task_state, moderator, "approve")
    draft = ProposalPage.objects.get(pk=draft.pk)
    assert not draft.live and draft.workflow_in_progress


def test_publishing_in_the_admin_gets_a_clear_refusal(client, voting_budget, django_user_model):
    budget, _projects = voting_budget
    draft = _late_draft(budget)
    # Whoever holds the right to publish (the roles are another matter): here an administrator.
    client.force_login(django_user_model.objects.create_superuser("admin", "admin@example.org", "x"))
    url = reverse("wagtailadmin_pages:edit", args=[draft.pk])
    form = querydict_from_html(client.get(url).content.decode(), form_id="page-edit-form")
    form["action-publish"] = "action-publish"
    response = client.post(url, form, follow=True)
    assert response.status_code == 200
    assert _in_bulgarian(
        "Voting in this budget has opened, so the projects on the ballot are fixed: this proposal can no longer be "
        "published in this cycle. It can be proposed again in the next cycle.",
        response.content.decode(),
    )
    assert not ProposalPage.objects.get(pk=draft.pk).live


def test_moderator_approving_in_the_admin_gets_a_clear_refusal(client, home_page, settlements, citizen, moderator, time_machine):
    budget = budget_page(home_page, phase="proposals")
    draft = services.submit_proposal(budget=budget, author=citizen, title="Пейки", summary="Пейки", description="Пейки",
                                     estimated_cost=1000)
    time_machine.move_to(budget.voting_opens_at + DAY)
    client.force_login(moderator)
    url = reverse("wagtailadmin_pages:edit", args=[draft.pk])
    form = querydict_from_html(client.get(url).content.decode(), form_id="page-edit-form")
    form["action-workflow-action"] = "true"
    form["workflow-action-name"] = "approve"
    response = client.post(url, form, follow=True)
    assert response.status_code == 200
    assert _in_bulgarian(
        "Voting in this budget has opened, so the projects on the ballot are fixed: this proposal can no longer be "
        "published in this cycle. It can be proposed again in the next cycle.",
        response.content.decode(),
    )
    draft = ProposalPage.objects.get(pk=draft.pk)
    assert not draft.live and draft.workflow_in_progress


def test_feasibility_review_cannot_add_a_project_or_change_a_cost_during_voting(client, voting_budget, editor):
    budget, (a, _b, _c) = voting_budget
    pending = proposal(budget, "Чака преглед", 5000, feasibility="pending")
    with pytest.raises(NotAllowed) as refused:
        services.review_proposal(proposal=pending, feasibility="feasible", reason="", final_cost=5000, actor=editor)
    assert refused.value.code == "ballot_fixed"
    with pytest.raises(NotAllowed):
        services.review_proposal(proposal=a, feasibility="feasible", reason="", final_cost=a.cost + 1, actor=editor)
    # Turning down a proposal that is not on the ballot changes nothing on it: still allowed.
    services.review_proposal(proposal=pending, feasibility="not_feasible", reason="Частен терен.", final_cost=None, actor=editor)
    client.force_login(editor)
    response = client.post(reverse("budgets_admin:review", args=[a.pk]), {"feasibility": "feasible", "reason": "", "final_cost": a.cost + 1})
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    assert ProposalPage.objects.get(pk=a.pk).cost == a.cost
    assert pending.pk not in {p.pk for p in ballot_projects(budget)}


def test_citizens_cannot_propose_during_voting(voting_budget, citizen):
    budget, _projects = voting_budget
    with pytest.raises(ParticipationError):
        services.submit_proposal(budget=budget, author=citizen, title="Късно", summary="s", description="d", estimated_cost=1)


def test_results_never_show_a_project_that_was_not_on_the_ballot(voting_budget, editor, time_machine):
    budget, (a, _b, _c) = voting_budget
    ballot = Ballot.objects.create(budget=budget, channel="paper", identity_hash="x")
    ballot.choices.create(project=a)
    late = proposal(budget, "Добавен по време на гласуването", 100)
    ProposalPage.objects.filter(pk=late.pk).update(first_published_at=budget.voting_opens_at + DAY)  # some other way in
    time_machine.move_to(budget.voting_closes_at + DAY)
    data = compute(budget, "greedy")
    assert late.pk not in {row["id"] for row in data["projects"]}
    result = services.publish_results(budget=budget, rule="greedy", actor=editor)
    assert late.pk not in result.funded_ids


def test_imported_past_cycles_still_import(home_page, settlements):
    election = pabulib.make_election({"budget": 100, "description": "Минал бюджет"}, [{"project_id": "p1", "cost": 50}], [["p1"]])
    budget = import_election(election, parent=home_page)
    assert len(ballot_projects(budget)) == 1


# --- 4. staff see turnout only until voting closes -----------------------------------------------------------


@pytest.mark.parametrize("role", ["moderator", "editor"])
def test_staff_see_only_turnout_while_voting_is_open(client, voting_budget, role, request, time_machine):
    budget, (a, b, _c) = voting_budget
    for n, project in enumerate([a, a, b]):
        Ballot.objects.create(budget=budget, channel="paper", identity_hash=f"h{n}").choices.create(project=project)
    user = request.getfixturevalue(role)
    assert not user.is_superuser
    client.force_login(user)
    url = reverse("budgets_admin:results", args=[budget.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert response.context["previews"] == [] and response.context["turnout"]["total"] == 3
    html = response.content.decode()
    assert a.title not in html and b.title not in html
    export = client.get(reverse("budget_ballots:index"), {"budget": budget.pk, "export": "csv"})
    rows = list(csv.DictReader(io.StringIO(b"".join(export.streaming_content).decode().lstrip("\ufeff"))))
    assert len(rows) == 3 and all(row["projects"] == "" for row in rows)
    listing = client.get(reverse("budgets_admin:list"))
    assert listing.status_code == 200
    time_machine.move_to(budget.voting_closes_at + DAY)
    response = client.get(url)
    assert len(response.context["previews"]) == 2
    export = client.get(reverse("budget_ballots:index"), {"budget": budget.pk, "export": "csv"})
    rows = list(csv.DictReader(io.StringIO(b"".join(export.streaming_content).decode().lstrip("\ufeff"))))
    assert sorted(row["projects"] for row in rows) == sorted([str(a.pk), str(a.pk), str(b.pk)])


def test_public_pages_show_no_votes_while_voting_is_open(client, voting_budget):
    budget, (a, _b, _c) = voting_budget
    Ballot.objects.create(budget=budget, channel="paper", identity_hash="h").choices.create(project=a)
    data = json.loads(client.get(budget.url + "data.json").content)
    assert data["rows"] and all(row["votes"] in (None, "") for row in data["rows"]) and data["meta"]["result"] is None
    assert client.get(budget.url + "data/pabulib/").status_code == 404


# --- 2. what is checked against double voting, said exactly ---------------------------------------------------


@pytest.mark.parametrize("identity_check", [False, True])
def test_paper_screen_and_published_figures_say_exactly_what_is_checked(client, home_page, settlements, editor, identity_check, time_machine):
    budget = budget_page(home_page, phase="voting", identity_check=identity_check)
    a = proposal(budget, "Алея", 1000)
    client.force_login(OfficeStaffFactory())  # paper ballots are the office's task
    html = client.get(reverse("budgets_admin:paper", args=[budget.pk])).content.decode()
    assert not _in_bulgarian(
        "The voter's name, settlement and document number are turned into a code and never stored; the same person "
        "cannot vote twice, online or on paper. Your name is recorded with the entry.", html
    )
    not_matched = (
        "What is checked: a ballot is refused only when a paper or assisted ballot with the same name, settlement and "
        "document number is already recorded in this cycle. Online voters in this cycle do not give a document "
        "number, so the system cannot tell whether this person has also voted online."
    )
    assert _in_bulgarian(not_matched, html) is (not identity_check)

    Ballot.objects.create(budget=budget, channel="paper", identity_hash="h").choices.create(project=a)
    time_machine.move_to(budget.voting_closes_at + DAY)
    services.publish_results(budget=budget, rule="greedy", actor=editor)
    meta = json.loads(client.get(budget.url + "data.json").content)["meta"]
    checks = meta["budget"]["duplicate_checks"]
    assert checks["online_and_paper_matched"] is identity_check and checks["note"]
    page = client.get(budget.url + "results/").content.decode()
    could_not = (
        "How double voting was checked: one ballot per account online, and one paper or assisted ballot per name, "
        "settlement and identity document number. Online voters did not give a document number in this cycle, so a "
        "person who voted both online and on paper could not be detected."
    )
    assert _in_bulgarian(could_not, page) is (not identity_check)
    assert BudgetResult.objects.filter(budget=budget).exists()
