"""The parts of the participation core that every app uses: rules with their refusal messages, create-once,
spreadsheets, open data, following with the daily cap, email language, points, rate-limit scopes."""

import csv
import datetime
import io
import json

import pytest
import rules
from django.core import mail
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory
from django.utils import timezone, translation
from openpyxl import load_workbook

from participation import ratelimit
from participation.exceptions import AlreadyDone, NotAllowed
from participation.exports import csv_text, filename, safe_cell, spreadsheet_response, xlsx_bytes
from participation.geo import format_point, parse_point
from participation.i18n import email_language
from participation.models import Follow, NotificationLog, VerificationLevel
from participation.rules import add_rule, in_phase, must_log_in, page_level, refusal, required_level
from participation.services import create_once, follow, notify, notify_followers, unfollow
from participation.views import require
from tests.factories.users import CitizenFactory, UnverifiedCitizenFactory
from tests.testapp.models import DataPage, Note


class FakePage:
    verification_level = VerificationLevel.ACCOUNT

    def __init__(self, phase="open", level=VerificationLevel.ACCOUNT):
        self._phase = phase
        self.verification_level = level

    def phase(self):
        return self._phase


add_rule("testapp.act_page", must_log_in, page_level(), in_phase("open"))
add_rule("testapp.speak_page", must_log_in, page_level(minimum=VerificationLevel.ACCOUNT))


# --- rules -------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_rule_is_a_django_permission_and_each_refusal_has_its_own_translated_message():
    verified, unverified = CitizenFactory(), UnverifiedCitizenFactory()
    anonymous = type("Anon", (), {"is_authenticated": False, "has_perm": lambda self, *a: False})()
    page = FakePage()
    assert rules.perm_exists("testapp.act_page")
    assert verified.has_perm("testapp.act_page", page)
    assert refusal(verified, "testapp.act_page", page) is None
    assert refusal(anonymous, "testapp.act_page", page).code == "login"
    with translation.override("en"):
        assert refusal(unverified, "testapp.act_page", page).explain(unverified, page) == (
            "This needs an account with a confirmed email address."
        )
    closed = FakePage(phase="closed")
    assert not verified.has_perm("testapp.act_page", closed)
    assert refusal(verified, "testapp.act_page", closed).code == "phase"
    with translation.override("bg"):
        message = refusal(verified, "testapp.act_page", closed).explain(verified, closed)
    assert message == "В момента това не е отворено за участие."


def test_required_level_is_raised_to_the_minimum_only_when_lower():
    assert required_level(FakePage(level=VerificationLevel.EMAIL), VerificationLevel.ACCOUNT) == VerificationLevel.ACCOUNT
    assert required_level(FakePage(level=VerificationLevel.RESIDENT), VerificationLevel.ACCOUNT) == VerificationLevel.RESIDENT
    assert required_level(FakePage(level=VerificationLevel.EMAIL)) == VerificationLevel.EMAIL


@pytest.mark.django_db
def test_require_raises_the_rule_message_and_login_code():
    request = RequestFactory().post("/")
    request.user = UnverifiedCitizenFactory()
    with pytest.raises(NotAllowed) as raised:
        require(request, "testapp.speak_page", FakePage(level=VerificationLevel.EMAIL))
    assert raised.value.code == "level"
    request.user = CitizenFactory()
    require(request, "testapp.speak_page", FakePage(level=VerificationLevel.EMAIL))


# --- create once -------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_create_once_turns_a_unique_constraint_into_already_done(home_page):
    user = CitizenFactory()
    follow_row = create_once(Follow, message="once", page_id=home_page.pk, user=user)
    assert follow_row.pk
    with pytest.raises(AlreadyDone) as raised:
        create_once(Follow, message="Вече следвате тази страница.", page_id=home_page.pk, user=user)
    assert str(raised.value) == "Вече следвате тази страница."
    assert Follow.objects.count() == 1


# --- spreadsheets ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["=1+1", "+1", "-2+3", "@SUM(A1)", "\t=x", "\r=x", '=HYPERLINK("http://x")'])
def test_formula_cells_are_text(text):
    assert safe_cell(text).startswith("'")


def test_plain_values_stay_as_they_are():
    assert safe_cell(-5) == -5
    assert safe_cell(2.5) == 2.5
    assert safe_cell(True) == 1
    assert safe_cell(None) == ""
    assert safe_cell("Парк в центъра") == "Парк в центъра"
    assert safe_cell(datetime.date(2026, 1, 2)) == "2026-01-02"
    assert safe_cell(["а", 1]) == '["а", 1]'


def test_csv_has_a_bom_and_guards_every_cell():
    text = csv_text(["name", "value"], [["=cmd|' /C calc'!A0", 1], ["Ана", -3]])
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows == [["name", "value"], ["'=cmd|' /C calc'!A0", "1"], ["Ана", "-3"]]


def test_xlsx_cells_are_never_formulas():
    sheet = load_workbook(io.BytesIO(xlsx_bytes(["a"], [["=1+1"], ["@x"]], title="Коментари: [1]"))).active
    assert [cell.value for cell in sheet["A"]] == ["a", "'=1+1", "'@x"]
    assert all(cell.data_type != "f" for cell in sheet["A"])


def test_file_names_are_ascii_and_safe():
    assert filename("Бюджет 2026", 7, "ballots", extension="csv") == "2026-7-ballots.csv"
    response = spreadsheet_response(["a"], [[1]], name="x y", fmt="csv")
    assert response["Content-Disposition"] == 'attachment; filename="x-y.csv"'
    with pytest.raises(ValueError):
        spreadsheet_response(["a"], [], name="x", fmt="exe")


# --- open data ---------------------------------------------------------------------------------------------


@pytest.fixture
def data_page(home_page):
    page = DataPage(title="Open data", slug="open-data")
    home_page.add_child(instance=page)
    return page


@pytest.mark.django_db
def test_open_data_json_and_csv_share_one_shape(client, data_page):
    response = client.get(f"{data_page.url}data.json")
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Content-Disposition"] == 'inline; filename="open-data-data.json"'
    payload = json.loads(response.content)
    assert payload["columns"] == ["id", "name", "count", "places"]
    assert payload["rows"][0] == {"id": 1, "name": "Парк", "count": 3, "places": ["Зорница"]}
    assert payload["meta"]["kind"] == "test" and payload["meta"]["licence"] == "CC BY 4.0"
    assert "Парк" in response.content.decode()  # not \\u-escaped

    response = client.get(f"{data_page.url}data.csv")
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = response.content.decode()
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0] == ["id", "name", "count", "places"]
    assert rows[1] == ["1", "Парк", "3", '["Зорница"]']
    assert rows[2][1].startswith("'=")
    assert rows[2][2] == "-2"


@pytest.mark.django_db
def test_old_open_data_addresses_redirect_permanently(client, data_page):
    response = client.get(f"{data_page.url}data/json/")
    assert response.status_code == 301
    assert response["Location"] == f"{data_page.url}data.json"


# --- following and notifications ---------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_notifications_follow_the_daily_cap_and_the_recipients_language(home_page):
    ukrainian = CitizenFactory(email="u@example.org")
    ukrainian.profile.language = "uk"
    ukrainian.profile.save()
    follow(page=home_page, user=ukrainian)
    follow(page=home_page, user=ukrainian, digest=True)  # following again only changes the choice
    assert Follow.objects.get().digest is True
    now = timezone.now()
    context = {"name": "x"}
    assert notify_followers(page=home_page, template="test_message", context=context, now=now) == 1
    assert notify_followers(page=home_page, template="test_message", context=context, now=now + datetime.timedelta(hours=3)) == 0
    assert notify(user=ukrainian, template="test_message", context=context, now=now, always=True)  # a promised email
    assert notify_followers(page=home_page, template="test_message", context=context, now=now + datetime.timedelta(days=1, minutes=1)) == 1
    assert len(mail.outbox) == 3
    assert NotificationLog.objects.get(user=ukrainian).last_sent_at == now + datetime.timedelta(days=1, minutes=1)
    assert unfollow(page=home_page, user=ukrainian) == 1


@pytest.mark.django_db
def test_email_language_prefers_the_profile_then_the_page_then_the_default(home_page):
    citizen = CitizenFactory()
    citizen.profile.language = "en"
    citizen.profile.save()
    assert email_language(user=citizen) == "en"
    citizen.profile.language = ""
    assert email_language(user=citizen, page=home_page) == home_page.locale.language_code
    request = RequestFactory().get("/")
    request.LANGUAGE_CODE = "uk"
    assert email_language(request=request) == "uk"
    request.LANGUAGE_CODE = "de"
    assert email_language(request=request) == "bg"


# --- points and rate limits --------------------------------------------------------------------------------


def test_points_parse_and_format():
    assert parse_point("SRID=4326;POINT(25.6345 42.4258)") == (42.4258, 25.6345)
    assert parse_point("POINT(-1.5 51)") == (51.0, -1.5)
    assert parse_point(format_point(42.1, 25.2)) == (42.1, 25.2)
    for bad in ("", None, "POINT(1)", "SRID=3857;POINT(1 2)", "POINT(200 0)", "LINESTRING(1 2, 3 4)"):
        assert parse_point(bad) is None


def test_an_undeclared_rate_limit_scope_fails_loudly():
    request = RequestFactory().post("/")
    with pytest.raises(ImproperlyConfigured):
        ratelimit.check(request, "no_such_scope")
    with pytest.raises(ImproperlyConfigured):
        ratelimit.rate_limit_scope("no_such_scope")
    with pytest.raises(ImproperlyConfigured):
        ratelimit.declare("bad_kind", per_minute="1/60")
    assert "default" in ratelimit.declared_scopes()


@pytest.mark.django_db
def test_note_model_is_still_a_contribution(home_page):
    note = Note.objects.create(page=home_page, text="x", email="a@b.c")
    note.anonymise()
    assert note.email == ""


# --- the client's address behind a proxy -------------------------------------------------------------------


def _request(remote, forwarded=None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    request = RequestFactory().post("/", **meta)
    request.user = type("Anon", (), {"is_authenticated": False})()
    return request


def test_behind_a_trusted_proxy_two_visitors_have_two_addresses(settings):
    settings.VECHE_TRUSTED_PROXIES = ["127.0.0.1", "10.0.0.0/8"]
    assert ratelimit.client_ip(_request("127.0.0.1", "203.0.113.5")) == "203.0.113.5"
    assert ratelimit.client_ip(_request("127.0.0.1", "198.51.100.7")) == "198.51.100.7"
    # A chain of trusted proxies: the rightmost untrusted address is the client (what it claims left of that
    # is its own, unverifiable, business).
    assert ratelimit.client_ip(_request("127.0.0.1", "1.2.3.4, 198.51.100.7, 10.1.2.3")) == "198.51.100.7"
    assert ratelimit.client_ip(_request("127.0.0.1", "not-an-ip")) == "127.0.0.1"
    assert ratelimit.client_ip(_request("127.0.0.1")) == "127.0.0.1"


def test_a_forged_header_from_an_untrusted_address_changes_nothing(settings):
    settings.VECHE_TRUSTED_PROXIES = ["127.0.0.1"]
    assert ratelimit.client_ip(_request("203.0.113.9", "198.51.100.1")) == "203.0.113.9"
    settings.VECHE_TRUSTED_PROXIES = []
    assert ratelimit.client_ip(_request("127.0.0.1", "198.51.100.1")) == "127.0.0.1"


def test_the_per_ip_limit_counts_each_visitor_behind_the_proxy(settings):
    settings.VECHE_TRUSTED_PROXIES = ["127.0.0.1"]
    settings.VECHE_RATE_LIMITS = {"test_proxy": {"ip": "1/60"}}
    ratelimit.declare("test_proxy", ip="1/60")
    assert ratelimit.check(_request("127.0.0.1", "203.0.113.5"), "test_proxy")
    assert ratelimit.check(_request("127.0.0.1", "203.0.113.6"), "test_proxy")  # the next person is not locked out
    assert not ratelimit.check(_request("127.0.0.1", "203.0.113.5"), "test_proxy")
    # A forged header sent straight to the app server does not buy a fresh allowance.
    assert ratelimit.check(_request("192.0.2.1", "203.0.113.7"), "test_proxy")
    assert not ratelimit.check(_request("192.0.2.1", "203.0.113.8"), "test_proxy")
