"""HTTP: building, checking and casting a ballot; bad input; proposals; results; open data; query counts."""

import csv
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from budgets.models import Ballot, BallotChoice, Channel, ProposalPage
from budgets.services import publish_results
from tests.factories.budgets import budget_page, proposal
from tests.helpers import assert_queries_constant

pytestmark = pytest.mark.django_db


def _url(budget, name):
    return budget.url + budget.reverse_subpage(name)


def _cast(client, budget, ids, **extra):
    response = client.post(_url(budget, "vote_route"), {"shown": ids, "project": ids})
    assert response.status_code == 302
    check = client.get(_url(budget, "check_route"))
    assert check.status_code == 200, check.status_code
    token = check.context["form"]["token"].value()
    return client.post(_url(budget, "check_route"), {"token": token, "consent": "on", **extra})


def test_vote_check_cast_receipt(client, voting_budget, citizen):
    budget, (a, b, c) = voting_budget
    client.force_login(citizen)
    page = client.get(_url(budget, "vote_route"))
    assert page.status_code == 200 and a.title in page.content.decode()
    response = _cast(client, budget, [a.pk, c.pk])
    assert response.status_code == 302 and response["Location"].endswith("receipt/")
    ballot = Ballot.objects.get(author=citizen)
    receipt = client.get(response["Location"]).content.decode()
    assert ballot.receipt_code in receipt and a.title in receipt and c.title in receipt
    # "Did my vote count?" with the code, by anyone.
    client.logout()
    verify = client.get(_url(budget, "verify_route"), {"code": ballot.receipt_code.replace("-", "").lower()})
    assert verify.context["found"] == ballot


def test_check_step_without_consent_loses_nothing(client, voting_budget, citizen):
    budget, (a, b, c) = voting_budget
    client.force_login(citizen)
    client.post(_url(budget, "vote_route"), {"shown": [a.pk, b.pk, c.pk], "project": [b.pk]})
    response = client.post(_url(budget, "check_route"), {"token": "x"})
    assert response.status_code == 200 and response.context["form"].errors["consent"]
    assert [p.pk for p in response.context["chosen"]] == [b.pk]
    assert Ballot.objects.count() == 0


def test_over_the_limit_is_explained_and_selection_kept(client, voting_budget, citizen):
    budget, (a, b, c) = voting_budget  # approval, at most 2
    client.force_login(citizen)
    response = client.post(_url(budget, "vote_route"), {"shown": [a.pk, b.pk, c.pk], "project": [a.pk, b.pk, c.pk]}, follow=True)
    text = response.content.decode()
    assert "Избрахте 3 проекта; можете да изберете най-много 2." in text  # the page is /bg/
    assert response.context["selected"] == {a.pk, b.pk, c.pk}
    assert Ballot.objects.count() == 0


def test_filters_keep_choices_made_under_other_filters(client, knapsack_budget, citizen):
    budget, (playground, alley, fountain, stop) = knapsack_budget
    city, villages = budget.category_list()
    client.force_login(citizen)
    vote = _url(budget, "vote_route")
    client.post(vote + f"?category={city.pk}", {"shown": [playground.pk, alley.pk], "project": [playground.pk]})
    client.post(vote + f"?category={villages.pk}", {"shown": [fountain.pk, stop.pk], "project": [fountain.pk]})
    check = client.get(_url(budget, "check_route"))
    assert {p.pk for p in check.context["chosen"]} == {playground.pk, fountain.pk}


def test_forged_project_of_another_cycle_is_refused(client, voting_budget, home_page, citizen):
    budget, (a, b, c) = voting_budget
    other = budget_page(home_page, phase="voting")
    foreign = proposal(other, "чужд", 100)
    client.force_login(citizen)
    client.post(_url(budget, "vote_route"), {"shown": [a.pk], "project": [a.pk, foreign.pk]})
    check = client.get(_url(budget, "check_route"), follow=True)
    assert foreign.pk not in {p.pk for p in check.context.get("chosen", [])}
    assert Ballot.objects.count() == 0


def test_double_submit_makes_one_ballot(client, voting_budget, citizen):
    budget, (a, b, c) = voting_budget
    client.force_login(citizen)
    client.post(_url(budget, "vote_route"), {"shown": [a.pk], "project": [a.pk]})
    check = client.get(_url(budget, "check_route"))
    data = {"token": check.context["form"]["token"].value(), "consent": "on"}
    first = client.post(_url(budget, "check_route"), data)
    client.post(_url(budget, "vote_route"), {"shown": [a.pk], "project": [a.pk]})
    second = client.post(_url(budget, "check_route"), data)
    assert first.status_code == second.status_code == 302
    assert Ballot.objects.count() == 1 and Ballot.objects.get().version == 1


def test_closed_phase_refuses_votes(client, home_page, settlements, citizen):
    budget = budget_page(home_page, phase="results")
    a = proposal(budget, "a", 100)
    client.force_login(citizen)
    page = client.get(_url(budget, "vote_route"))
    assert page.status_code == 200 and 'name="project"' not in page.content.decode()
    client.post(_url(budget, "vote_route"), {"shown": [a.pk], "project": [a.pk]})
    response = client.post(_url(budget, "check_route"), {"token": "t", "consent": "on"})
    assert Ballot.objects.count() == 0
    assert response.status_code == 200 and response.context["form"].non_field_errors()


def test_anonymous_is_sent_to_log_in_before_casting(client, voting_budget):
    budget, (a, b, c) = voting_budget
    response = client.get(_url(budget, "check_route"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_propose_form_creates_draft_and_refuses_huge_photos(client, home_page, settlements, citizen, settings):
    budget = budget_page(home_page, phase="proposals")
    client.force_login(citizen)
    data = {"title": "Пейки", "summary": "Пейки в парка", "description": "Десет пейки", "estimated_cost": "4000",
            "address": "Парка", "consent": "on"}
    settings.VECHE_MAX_UPLOAD_BYTES = 50
    big = SimpleUploadedFile("big.gif", b"GIF89a" + b"0" * 100, content_type="image/gif")
    response = client.post(_url(budget, "propose_route"), {**data, "photo": big})
    assert response.status_code == 200 and response.context["form"].errors["photo"]
    assert response.context["form"]["title"].value() == "Пейки"
    assert ProposalPage.objects.count() == 0
    response = client.post(_url(budget, "propose_route"), data)
    assert response.status_code == 302
    draft = ProposalPage.objects.get()
    assert not draft.live and draft.citizen_author == citizen


def _fill(budget, projects, count, start=0):
    for n in range(start, start + count):
        ballot = Ballot.objects.create(budget=budget, channel=Channel.PAPER, identity_hash=f"h{n}")
        BallotChoice.objects.create(ballot=ballot, project=projects[n % len(projects)])


def test_query_counts_do_not_grow(client, voting_budget, citizen):
    budget, projects = voting_budget
    client.force_login(citizen)
    counter = {"n": 0}

    def grow():
        _fill(budget, projects, 30, start=counter["n"])
        counter["n"] += 30
        proposal(budget, f"Още {counter['n']}", 1000)

    for name in ("index_route", "vote_route", "verify_route"):
        assert_queries_constant(client, _url(budget, name), grow)
    assert_queries_constant(client, projects[0].url, grow)


def test_results_page_and_open_data(client, home_page, settlements, editor, time_machine):
    budget = budget_page(home_page, phase="voting", amount=100)
    a, b, c = proposal(budget, "a", 60), proposal(budget, "b", 50), proposal(budget, "c", 40)
    _fill(budget, [a, a, b, c], 8)
    time_machine.move_to(budget.voting_closes_at)
    empty = client.get(_url(budget, "results_route"))
    assert empty.status_code == 200 and empty.context["result"] is None
    publish_results(budget=budget, rule="greedy", actor=editor)

    def grow():
        proposal(budget, "d", 10)

    assert_queries_constant(client, _url(budget, "results_route"), grow)
    page = client.get(_url(budget, "results_route"))
    rows = {row["title"]: row for row in page.context["data"]["projects"]}
    assert rows["a"]["selected"] and rows["c"]["selected"] and not rows["b"]["selected"]
    assert rows["a"]["votes"] == 4
    assert "40" in rows["b"]["sentence"]  # only 40 was left of the 50 it needed
    # The open-data addresses every participation page has: <page url>data.json and data.csv.
    response = client.get(budget.url + "data.json")
    assert response.status_code == 200 and response["Access-Control-Allow-Origin"] == "*"
    data = json.loads(response.content)
    assert set(data) == {"meta", "columns", "rows"}
    assert data["meta"]["title"] == budget.title and data["meta"]["budget"]["amount"] == 100
    assert data["meta"]["result"]["rule"] == "greedy" and data["meta"]["result"]["turnout"]["total"] == 8
    assert data["columns"][:2] == ["project_id", "title"]
    rows = {row["title"]: row for row in data["rows"]}
    assert (rows["a"]["votes"], rows["a"]["selected"], rows["a"]["cost"]) == (4, True, 60)
    assert (rows["b"]["votes"], rows["b"]["selected"]) == (2, False)
    assert rows["b"]["explanation"]["kind"] == "not_fits"
    assert all("author" not in row and "receipt" not in json.dumps(row) for row in data["rows"])
    csv_text = client.get(budget.url + "data.csv").content.decode()
    assert csv_text.startswith("\ufeff")
    lines = list(csv.DictReader(io.StringIO(csv_text.lstrip("\ufeff"))))
    assert list(lines[0])[:2] == ["project_id", "title"]
    assert {line["title"]: (line["votes"], line["selected"]) for line in lines} == {
        "a": ("4", "1"), "b": ("2", "0"), "c": ("2", "1"), "d": ("", "")
    }
    pb = client.get(_url(budget, "export_pb_route")).content.decode()
    assert "num_votes;8" in pb and "VOTES" in pb


def test_old_open_data_addresses_of_a_budget_redirect_permanently(client, voting_budget):
    budget, _projects = voting_budget
    for fmt in ("json", "csv"):
        response = client.get(f"{budget.url}data/{fmt}/")
        assert response.status_code == 301 and response["Location"] == f"{budget.url}data.{fmt}"
        assert client.get(response["Location"]).status_code == 200


def test_a_project_title_is_never_a_formula_in_any_download(client, home_page, settlements, editor, time_machine):
    """data.csv, the .pb export: a title such as =HYPERLINK(...) comes out as text, never as a formula."""
    formula = '=HYPERLINK("http://evil.example","x")'
    budget = budget_page(home_page, phase="voting", amount=100)
    project = proposal(budget, formula, 60)
    _fill(budget, [project], 2)
    time_machine.move_to(budget.voting_closes_at)
    publish_results(budget=budget, rule="greedy", actor=editor)
    csv_text = client.get(budget.url + "data.csv").content.decode().lstrip("\ufeff")
    (line,) = csv.DictReader(io.StringIO(csv_text))
    assert line["title"] == "'" + formula
    pb = client.get(_url(budget, "export_pb_route")).content.decode()
    assert "\n=" not in pb and ";=" not in pb and "'=HYPERLINK" in pb


def test_receipt_and_profile_list(client, voting_budget, citizen):
    budget, (a, b, c) = voting_budget
    client.force_login(citizen)
    assert client.get(_url(budget, "receipt_route")).status_code == 302
    _cast(client, budget, [a.pk])
    receipt = client.get(_url(budget, "receipt_route"))
    assert receipt.status_code == 200 and receipt.context["ballot"].author == citizen


@pytest.mark.parametrize(
    "location,ok",
    [
        ("SRID=4326;POINT(25.6345 42.4258)", True),
        ("", True),
        ("SRID=4326;POINT(250.1 42.4)", False),
        ("POINT(25.6 42.4)", False),
        ("SRID=4326;POINT(25.6 42.4); DROP TABLE", False),
    ],
)
def test_propose_form_takes_an_optional_valid_map_point(client, home_page, settlements, citizen, location, ok):
    budget = budget_page(home_page, phase="proposals")
    client.force_login(citizen)
    page = client.get(_url(budget, "propose_route")).content.decode()
    assert "data-location-picker" in page and "js/location-picker.js" in page
    data = {"title": "Пейки", "summary": "Пейки в парка", "description": "Десет пейки", "estimated_cost": "4000",
            "address": "Парка", "consent": "on", "location": location}
    response = client.post(_url(budget, "propose_route"), data)
    if ok:
        assert response.status_code == 302
        stored = ProposalPage.objects.get().location
        assert stored == ("SRID=4326;POINT(25.634500 42.425800)" if location else "")
    else:
        assert response.status_code == 200
        assert response.context["form"].errors["location"]
        assert response.context["form"]["address"].value() == "Парка"  # nothing the citizen wrote is lost
        assert ProposalPage.objects.count() == 0
