"""Staff views of the Budgets admin menu: review, paper ballots, CSV import, ballots CSV, results preview."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from budgets.models import Ballot, BudgetResult, ProposalPage
from tests.factories.budgets import budget_page, proposal
from tests.factories.users import OfficeStaffFactory

pytestmark = pytest.mark.django_db


def test_citizens_cannot_reach_budget_admin(client, voting_budget, citizen):
    budget, _projects = voting_budget
    client.force_login(citizen)
    assert client.get(reverse("budgets_admin:paper", args=[budget.pk])).status_code in (302, 403)


def test_office_staff_enter_paper_ballot_and_import_csv(client, voting_budget, settlements, editor, time_machine):
    budget, (a, b, c) = voting_budget
    url = reverse("budgets_admin:paper", args=[budget.pk])
    client.force_login(editor)  # paper ballots are the office's task
    assert client.get(url).status_code == 302
    office = OfficeStaffFactory()
    client.force_login(office)
    listing = client.get(reverse("budgets_admin:list")).content.decode()
    assert url in listing and reverse("budgets_admin:proposals", args=[budget.pk]) not in listing
    assert client.get(url).status_code == 200
    data = {"channel": "paper", "name": "Иван Петров", "settlement": settlements[0].pk, "document": "AB123", "projects": [a.pk]}
    response = client.post(url, data)
    assert response.status_code == 302
    ballot = Ballot.objects.get()
    assert ballot.entered_by == office and "AB123" not in ballot.identity_hash
    again = client.post(url, data)  # the same person again
    assert again.status_code == 200 and again.context["form"].non_field_errors()
    assert Ballot.objects.count() == 1

    csv_text = f"name;settlement;document;projects\nМария;{settlements[1].name};X1;{b.pk}\nГошо;Никъде;X2;{a.pk}\n"
    upload = SimpleUploadedFile("paper.csv", csv_text.encode(), content_type="text/csv")
    response = client.post(reverse("budgets_admin:import", args=[budget.pk]), {"channel": "paper", "file": upload})
    assert response.context["report"]["accepted"] == 1 and response.context["report"]["rejected"][0][0] == 3

    client.force_login(editor)  # the ballots listing is for editors and moderators
    other = budget_page(budget.get_parent().specific, phase="voting", title="Друг бюджет")
    Ballot.objects.create(budget=other, channel="paper", identity_hash="other")
    listing = client.get(reverse("budget_ballots:index"), {"budget": budget.pk})
    assert listing.status_code == 200 and len(listing.context["object_list"]) == 2
    time_machine.move_to(budget.voting_closes_at)  # the chosen projects are exported once voting has closed
    export = client.get(reverse("budget_ballots:index"), {"budget": budget.pk, "export": "csv"})
    text = b"".join(export.streaming_content).decode()
    assert text.startswith("\ufeff") and "Иван" not in text and "AB123" not in text
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert [row["channel"] for row in rows] == ["paper", "paper"]
    assert sorted(row["projects"] for row in rows) == sorted([str(a.pk), str(b.pk)])
    assert all(row["counted"] in ("True", "1", "true") for row in rows), rows


def test_ballots_listing_is_for_staff_and_guards_formulas(client, home_page, settlements, moderator, citizen):
    budget = budget_page(home_page, phase="voting", title='=HYPERLINK("http://evil.example","x")')
    Ballot.objects.create(budget=budget, channel="paper", identity_hash="x")
    client.force_login(citizen)
    assert client.get(reverse("budget_ballots:index")).status_code in (302, 403)
    client.force_login(moderator)
    export = client.get(reverse("budget_ballots:index"), {"export": "csv"})
    assert export.status_code == 200
    (row,) = csv.DictReader(io.StringIO(b"".join(export.streaming_content).decode().lstrip("\ufeff")))
    assert row["budget"] == "'" + budget.title


def test_review_from_admin(client, home_page, settlements, editor):
    budget = budget_page(home_page, phase="review")
    page = proposal(budget, "Алея", 1000, feasibility="pending")
    client.force_login(editor)
    url = reverse("budgets_admin:review", args=[page.pk])
    response = client.post(url, {"feasibility": "not_feasible", "reason": "", "final_cost": ""})
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    response = client.post(url, {"feasibility": "not_feasible", "reason": "Теренът е частен.", "final_cost": ""})
    assert response.status_code == 302
    assert ProposalPage.objects.get(pk=page.pk).feasibility == "not_feasible"


def test_results_preview_shows_both_rules_and_editor_publishes(client, home_page, settlements, editor, moderator, time_machine):
    budget = budget_page(home_page, phase="voting", amount=100)
    a, b = proposal(budget, "a", 60), proposal(budget, "b", 50)
    Ballot.objects.create(budget=budget, channel="paper", identity_hash="x").choices.create(project=a)
    time_machine.move_to(budget.voting_closes_at)
    url = reverse("budgets_admin:results", args=[budget.pk])
    client.force_login(moderator)
    preview = client.get(url)
    assert len(preview.context["previews"]) == 2 and not preview.context["can_publish"]
    client.post(url, {"rule": "mes"})  # refused: Wagtail turns the PermissionDenied into a redirect
    assert not BudgetResult.objects.filter(budget=budget).exists()
    client.force_login(editor)
    assert client.post(url, {"rule": "mes"}).status_code == 302
    assert BudgetResult.objects.get(budget=budget).rule == "mes"
