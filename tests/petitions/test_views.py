"""HTTP: the citizen journey through the routes, bad input, open data, the API and query counts."""

import csv
import io
import json

import pytest
from django.core import mail
from django.test import override_settings

from petitions import services
from petitions.models import PetitionPage, Signature, SignatureTally, Stage
from tests.factories import petitions as f
from tests.factories.users import PASSWORD, CitizenFactory, ModeratorFactory
from tests.helpers import assert_queries_constant

pytestmark = pytest.mark.django_db


def _url(page, route="", *args):
    return page.url + (page.reverse_subpage(route, args=args or None) if route else "")


def _login(client, user):
    assert client.login(username=user.username, password=PASSWORD)


def test_index_lists_filters_searches_and_summarises(client, index, settlements):
    open_page = f.open_petition(index, title="Автобус до Бреза в неделя", settlement=settlements[1], tags=["транспорт"])
    answered = f.respond(f.open_petition(index, title="Осветление на площада в Липово"))
    rejected = f.draft(index, title="Нещо неподходящо за петиция")
    services.reject(page=rejected, actor=ModeratorFactory(), reason="unclear")
    response = client.get(index.url)
    assert response.status_code == 200
    text = response.content.decode()
    assert open_page.title in text and answered.title in text and rejected.title not in text
    assert response.context["total"] == 2 and response.context["answered"] == 1
    assert [p.pk for p in client.get(index.url + "?status=responded").context["items"]] == [answered.pk]
    assert [p.pk for p in client.get(index.url + "?status=open").context["items"]] == [open_page.pk]
    assert [p.pk for p in client.get(index.url + "?status=rejected").context["items"]] == [rejected.pk]
    assert [p.pk for p in client.get(index.url + "?topic=транспорт").context["items"]] == [open_page.pk]
    assert [p.pk for p in client.get(index.url + f"?settlement={settlements[1].pk}").context["items"]] == [open_page.pk]
    assert [p.pk for p in client.get(index.url + "?q=автобус").context["items"]] == [open_page.pk]
    assert [p.pk for p in client.get(index.url + "?q=АВТОБУСА").context["items"]] == [open_page.pk]
    for sort in ("signatures", "newest", "closing", "nonsense"):
        assert client.get(index.url + f"?sort={sort}&status=bogus&settlement=x&page=99").status_code == 200


def test_start_asks_anonymous_to_log_in(client, index):
    response = client.get(_url(index, "start"))
    assert b"accounts/login" in response.content
    response = client.post(_url(index, "start"), {"title": "x"})
    assert not PetitionPage.objects.exists()


def test_start_shows_similar_then_creates_draft_once(client, index):
    existing = f.open_petition(index, title="Нова детска площадка в парка на Бреза")
    author = CitizenFactory()
    _login(client, author)
    data = {
        "title": "Детска площадка в Бреза",
        "summary": "Общината да изгради детска площадка в центъра на Бреза.",
        "background": "В селото няма нито една площадка за малките деца.",
        "settlement": "",
        "tags": "деца, паркове",
        "consent": "on",
        "action": "check",
    }
    response = client.post(_url(index, "start"), data)
    assert response.status_code == 200
    assert [p.pk for p in response.context["similar"]] == [existing.pk]
    assert not PetitionPage.objects.filter(citizen_author=author).exists()
    data["action"] = "submit"
    response = client.post(_url(index, "start"), data)
    assert response.status_code == 302 and response["Location"].endswith("/mine/")
    client.post(_url(index, "start"), data)  # the resent form
    drafts = PetitionPage.objects.filter(citizen_author=author)
    assert drafts.count() == 1 and drafts.get().state.stage == Stage.MODERATION
    mine = client.get(_url(index, "mine"))
    assert "Детска площадка в Бреза" in mine.content.decode()
    similar = client.get(_url(index, "similar") + "?title=площадка Бреза").json()
    assert similar["results"][0]["title"] == existing.title


def test_start_form_errors_and_honeypot(client, index):
    _login(client, CitizenFactory())
    response = client.post(_url(index, "start"), {"title": "къс", "action": "submit"})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert {"title", "summary", "background", "consent"} <= set(errors)
    assert b"error-summary" in response.content
    response = client.post(_url(index, "start"), {"title": "Заглавие на петицията", "summary": "x" * 30, "background": "y" * 30, "consent": "on", "website": "http://spam", "action": "submit"})
    assert not PetitionPage.objects.exists()


def test_sign_with_account_and_twice(client, index, settlements):
    page = f.open_petition(index)
    citizen = CitizenFactory()
    _login(client, citizen)
    assert b'name="show_name"' in client.get(page.url).content
    response = client.post(_url(page, "sign"), {"settlement": settlements[0].pk, "show_name": "on", "notify": "on", "consent": "on"})
    assert response.status_code == 302
    assert SignatureTally.objects.total(page.pk) == 2
    response = client.post(_url(page, "sign"), {"consent": "on"}, follow=True)
    assert "вече сте подписали" in response.content.decode().lower()
    assert Signature.objects.filter(petition=page, author=citizen).count() == 1
    assert citizen.profile.public_name in client.get(page.url).content.decode()


def test_sign_by_email_and_confirm(client, index, settlements):
    page = f.open_petition(index)
    mail.outbox = []
    response = client.post(
        _url(page, "sign"),
        {"name": "Анна Петрова", "email": "anna@example.org", "settlement": settlements[0].pk, "consent": "on"},
    )
    assert response.status_code == 200 and "anna@example.org" in response.content.decode()
    assert SignatureTally.objects.total(page.pk) == 1
    link = [line for line in mail.outbox[-1].body.splitlines() if "/confirm/" in line][0].strip()
    path = link.split("localhost", 1)[-1] if "localhost" in link else link.split("testserver", 1)[-1]
    response = client.get(path)
    assert response.status_code == 200 and response.context["valid"]
    assert SignatureTally.objects.total(page.pk) == 1  # a GET (an email scanner) confirms nothing
    assert client.post(path).status_code == 302
    assert SignatureTally.objects.total(page.pk) == 2
    client.post(path)
    assert SignatureTally.objects.total(page.pk) == 2
    assert client.get(_url(page, "confirm", "not-a-token")).context["valid"] is False


def test_bad_input_loses_nothing(client, index):
    page = f.open_petition(index)
    response = client.post(_url(page, "sign"), {"name": "", "email": "not-an-email", "settlement": "abc", "consent": "on"})
    assert response.status_code == 200
    form = response.context["form"]
    assert {"name", "email", "settlement"} <= set(form.errors)
    assert form["email"].value() == "not-an-email"
    closed = f.close(page)
    _login(client, CitizenFactory())
    response = client.post(_url(closed, "sign"), {"consent": "on"}, follow=True)
    assert SignatureTally.objects.total(page.pk) == 1
    assert response.status_code == 200


@override_settings(VECHE_RATE_LIMITS={"default": {"ip": "100/60"}, "petition_sign": {"ip": "1/60"}})
def test_signing_is_rate_limited(client, index, settlements):
    page = f.open_petition(index)
    data = {"name": "Иван", "email": "ivan@example.org", "settlement": settlements[0].pk, "consent": "on"}
    assert client.post(_url(page, "sign"), data).status_code == 200
    data["email"] = "ivan2@example.org"
    assert client.post(_url(page, "sign"), data).status_code == 429


def test_open_data_has_counts_and_no_personal_data(client, index, settlements):
    page = f.open_petition(index)
    f.bulk_signatures(page, 7, settlements)
    index_json = client.get(index.url + "data.json")
    assert index_json.status_code == 200 and index_json["Access-Control-Allow-Origin"] == "*"
    data = index_json.json()
    assert set(data) == {"meta", "columns", "rows"}
    assert data["meta"]["index"] == index.title and data["meta"]["url"] == index.full_url
    assert data["columns"][:6] == ["id", "title", "url", "language", "status", "signatures"]
    record = data["rows"][0]
    assert record["id"] == page.pk and record["title"] == page.title and record["status"] == "awaiting"
    assert record["signatures"] == 8 and record["threshold"] == 3
    by_settlement = {(row["settlement"], row["signatures"]) for row in record["counts_by_settlement"]}
    assert by_settlement == {(settlements[0].name, 3), (settlements[1].name, 2), (settlements[2].name, 2), (None, 1)}  # the author gave none
    assert record["counts_by_settlement"][-1] == {"settlement": None, "signatures": 1}  # "not given" last
    petition_json = client.get(page.url + "data.json").json()
    assert set(petition_json) == {"meta", "columns", "rows"}
    assert petition_json["columns"] == ["petition_id", "title", "status", "settlement", "signatures"]
    detail = petition_json["meta"]["petition"]
    assert detail["signatures"] == 8 and detail["status"] == "awaiting" and detail["action"] == page.summary
    assert petition_json["rows"][-1] == {"petition_id": page.pk, "title": page.title, "status": "awaiting", "settlement": "TOTAL", "signatures": 8}
    assert sum(row["signatures"] for row in petition_json["rows"][:-1]) == 8
    for response in (index_json, client.get(page.url + "data.json"), client.get(index.url + "data.csv"), client.get(page.url + "data.csv")):
        body = response.content.decode("utf-8-sig")
        assert "@example.org" not in body and "Подписал" not in body and page.citizen_author.email not in body
    rows = list(csv.DictReader(io.StringIO(client.get(index.url + "data.csv").content.decode("utf-8-sig"))))
    assert rows[0]["signatures"] == "8" and len(json.loads(rows[0]["counts_by_settlement"])) == 4
    rows = list(csv.DictReader(io.StringIO(client.get(page.url + "data.csv").content.decode("utf-8-sig"))))
    assert rows[-1]["settlement"] == "TOTAL" and rows[-1]["signatures"] == "8"
    draft = f.draft(index, title="Чернова, която не е публикувана")
    assert client.get(draft.url + "data.json").status_code == 404


def test_open_data_csv_keeps_a_formula_as_text(client, index):
    page = f.open_petition(index, title='=HYPERLINK("http://evil.example","Натиснете тук")')
    rows = list(csv.reader(io.StringIO(client.get(index.url + "data.csv").content.decode("utf-8-sig"))))
    assert rows[1][1] == '\'=HYPERLINK("http://evil.example","Натиснете тук")'
    rows = list(csv.reader(io.StringIO(client.get(page.url + "data.csv").content.decode("utf-8-sig"))))
    assert rows[1][1].startswith("'=HYPERLINK(")


def test_old_data_addresses_redirect(client, index):
    page = f.open_petition(index)
    response = client.get(page.url + "data/json/")
    assert response.status_code == 301 and response["Location"] == page.url + "data.json"


def test_api_exposes_petition_pages(client, index):
    page = f.open_petition(index)
    response = client.get("/api/v2/pages/", {"type": "petitions.PetitionPage", "fields": "status,signature_count,closes_at"})
    assert response.status_code == 200
    item = response.json()["items"][0]
    assert item["id"] == page.pk and item["signature_count"] == 1 and item["status"] == "open"


def test_page_and_index_queries_do_not_grow_with_signatures(client, index, settlements):
    pages = [f.open_petition(index, title=f"Петиция номер {n} за селото") for n in range(3)]
    for page in pages:
        f.bulk_signatures(page, 10, settlements)

    def grow():  # from 10 to 10,000 signatures on the first petition (and more on the others)
        f.bulk_signatures(pages[0], 9989, settlements, start=100)
        f.bulk_signatures(pages[1], 500, settlements, start=20000)

    assert_queries_constant(client, pages[0].url, grow)
    assert_queries_constant(client, index.url, lambda: f.bulk_signatures(pages[1], 10, settlements, start=90000))
    assert SignatureTally.objects.total(pages[0].pk) == 10_000


def test_page_queries_constant_for_a_signed_in_citizen(client, index, settlements):
    page = f.open_petition(index)
    _login(client, CitizenFactory())
    assert_queries_constant(client, page.url, lambda: f.bulk_signatures(page, 2000, settlements))


def test_translated_index_lists_untranslated_petitions(client, index, locales):
    page = f.open_petition(index, title="Пейки в парка на Липово")
    index_uk = index.copy_for_translation(locales["uk"], copy_parents=True)
    index_uk.save_revision().publish()
    response = client.get(index_uk.url)
    assert response.status_code == 200
    assert [item.pk for item in response.context["items"]] == [page.pk]
    assert response.context["total"] == 1
    page_uk = page.copy_for_translation(locales["uk"])
    page_uk.title = "Лавки в парку Липова"
    page_uk.save_revision().publish()
    response = client.get(index_uk.url)
    assert [item.pk for item in response.context["items"]] == [page_uk.pk]
    assert response.context["items"][0].st_count == 1  # the canonical petition's count
    assert client.get(index_uk.url + "?q=Липово").status_code == 200
