"""Integrity holes (issue 9, section 3): decisions stay private until the report is published; people who
spoke at meetings are named in public by the same privacy rule as online authors."""

import csv
import io
import json

import pytest
from openpyxl import load_workbook

from consultations.models import Comment, ReportPublication
from consultations.queries import decision_rows
from participation.names import public_person_name
from tests.factories.consultations import comment, consultation, meeting, meeting_proposal
from tests.factories.users import CitizenFactory

pytestmark = pytest.mark.django_db


def _open_with_draft_decisions(index):
    page = consultation(index, phase="open")
    c = comment(page, CitizenFactory(), paragraph=1, body="Предлагам 3 метра.")
    Comment.objects.filter(pk=c.pk).update(decision="accepted", decision_reason="Чернова на решение.")
    m = meeting(page, attendees=12)
    meeting_proposal(m, "Пейки до чешмата", decision="rejected", decision_reason="Чернова на отказ.")
    return page, c


def test_draft_decisions_are_not_in_open_data_before_the_report(client, index, editor):
    page, c = _open_with_draft_decisions(index)
    data = json.loads(client.get(page.url + "data.json").content)
    for row in data["rows"]:
        assert all(row[column] is None for column in data["columns"] if column.startswith("decision_"))
    assert data["meta"]["meeting_proposal_decisions"] is None
    assert data["meta"]["consultation"]["decisions_published"] is False
    rows = list(csv.reader(io.StringIO(client.get(page.url + "data.csv").content.decode("utf-8-sig"))))
    columns = [i for i, name in enumerate(rows[0]) if name.startswith("decision_")]
    assert columns and all(row[i] == "" for row in rows[1:] for i in columns)
    # Nowhere else in public either: the page, the thread, the report and its downloads.
    html = client.get(page.url).content.decode() + client.get(page.url + f"paragraph/{c.paragraph_id}/").content.decode()
    assert "Чернова" not in html and "badge--accepted" not in html and "badge--rejected" not in html
    assert client.get(page.url + "report/").status_code == 404
    assert client.get(f"/bg/consultations/{page.pk}/report.csv").status_code == 404


def test_decisions_are_public_once_the_report_is_published(client, index, editor):
    page, c = _open_with_draft_decisions(index)
    ReportPublication.objects.create(page=page, published_by=editor)
    data = json.loads(client.get(page.url + "data.json").content)
    by_id = {row["paragraph_id"]: row for row in data["rows"]}
    assert by_id[c.paragraph_id]["decision_accepted"] == 1 and by_id[""]["decision_accepted"] == 0
    assert data["meta"]["meeting_proposal_decisions"] == {"rejected": 1}
    assert data["meta"]["consultation"]["decisions_published"] is True


@pytest.mark.parametrize(
    "given, shown",
    [
        ("Иван Костов", "Иван К."),
        ("  Мария   Петрова-Иванова ", "Мария П."),
        ("Георги Иванов Петров", "Георги П."),
        ("Елена Д.", "Елена Д."),
        ("Стоян", "Стоян"),
        ("", ""),
    ],
)
def test_public_person_name_is_first_name_and_initial(given, shown):
    assert public_person_name(given) == shown


def test_meeting_speakers_are_named_like_online_authors_in_the_report(client, index, editor):
    page = consultation(index, phase="closed")
    c = comment(page, CitizenFactory(), paragraph=1, body="Онлайн предложение.", decision="noted")
    c.author.profile.display_name = "Елена Д."
    c.author.profile.save()
    m = meeting(page, attendees=5)
    meeting_proposal(m, "Масите да се прибират след 23 ч.", proposed_by="Иван Костов", decision="noted")
    meeting_proposal(m, "Без енергийни напитки.", proposed_by="", decision="noted")
    ReportPublication.objects.create(page=page, published_by=editor)

    html = client.get(page.url + "report/").content.decode()
    assert "Иван К." in html and "Елена Д." in html and "Костов" not in html
    text = client.get(f"/bg/consultations/{page.pk}/report.csv").content.decode("utf-8-sig")
    assert "Иван К." in text and "Костов" not in text
    sheet = load_workbook(io.BytesIO(client.get(f"/bg/consultations/{page.pk}/report.xlsx").content)).active
    cells = [str(cell.value) for row in sheet.iter_rows() for cell in row]
    assert "Иван К." in cells and not any("Костов" in cell for cell in cells)
    for address in ("data.json", "data.csv"):
        assert "Костов" not in client.get(page.url + address).content.decode("utf-8-sig")
    # Staff keep the full name where they decide on proposals.
    assert "Иван Костов" in [str(row["author"]) for row in decision_rows(page)]
