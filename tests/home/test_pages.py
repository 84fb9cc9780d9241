import datetime

import pytest
from django.template.loader import render_to_string
from django.utils import timezone
from wagtail.models import Site

from home.models import HomePage, MunicipalitySettings, StandardPage, participation_page_models
from home.templatetags.veche import deadline, iso, progress
from tests.factories.site import StandardPageFactory, municipality

pytestmark = pytest.mark.django_db


def test_migrations_create_a_home_page_as_site_root():
    site = Site.objects.get(is_default_site=True)
    assert isinstance(site.root_page.specific, HomePage)
    assert site.root_page.live


@pytest.mark.parametrize("language", ["bg", "uk", "en"])
def test_language_prefixes_render_with_html_lang(client, home_page, language):
    # The home page exists in bg only: /uk/ and /en/ fall back to it, in the UI language of the prefix.
    response = client.get(f"/{language}/")
    assert response.status_code == 200
    assert f'<html lang="{language}">' in response.content.decode()


def test_root_serves_home_page_in_negotiated_language(client, home_page):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="uk")
    assert response.status_code == 200
    assert '<html lang="uk">' in response.content.decode()
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="fr")
    assert '<html lang="bg">' in response.content.decode()


def test_home_page_empty_state_and_municipality_banner(client, home_page):
    municipality(name="Община Тестово")
    body = client.get("/bg/").content.decode()
    assert "Община Тестово" in body
    assert "В момента няма нищо отворено за участие." in body


def test_standard_page_renders_every_block(client, home_page):
    page = StandardPageFactory(
        parent=home_page,
        title="Как работи",
        slug="kak-raboti",
        body=[
            ("heading", {"text": "Заглавие", "level": "h2"}),
            ("paragraph", "<p>Текст на абзаца</p>"),
            ("call_to_action", {"title": "Подпишете", "text": "", "page": None, "url": "https://example.org", "button_text": "Към петицията"}),
            ("map", {"title": "Кметство", "address": "пл. Съединение 1", "location": "SRID=4326;POINT(25.6345 42.4258)"}),
        ],
    )
    page.save_revision().publish()
    response = client.get("/bg/kak-raboti/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "<h2>Заглавие</h2>" in body
    assert "Текст на абзаца" in body
    assert "Към петицията" in body
    assert 'data-lat="42.425800"' in body and 'data-lng="25.634500"' in body
    assert "пл. Съединение 1" in body  # the text alternative of the map
    assert "vendor/leaflet/leaflet.js" in body  # served by us, not a CDN


def test_no_page_loads_anything_from_another_host(client, home_page):
    StandardPageFactory(parent=home_page, slug="about")
    for url in ("/bg/", "/bg/about/", "/bg/accounts/login/", "/bg/accounts/signup/", "/bg/search/?q=x"):
        body = client.get(url).content.decode()
        for marker in ('src="http', "src='http", 'href="//', "unpkg.com", "cdn"):
            assert marker not in body.replace('href="http', ""), (url, marker)


def test_home_lists_open_participation_pages_only():
    # Every concrete ParticipationPage type is discovered without a registry.
    for model in participation_page_models():
        assert not model._meta.abstract


def test_settings_hold_statutory_defaults():
    settings_obj = MunicipalitySettings.load()
    assert settings_obj.petition_threshold == 300
    assert settings_obj.petition_response_working_days == 10
    assert settings_obj.consultation_min_days == 30


def test_search_finds_pages_in_the_current_language(client, home_page):
    StandardPageFactory(parent=home_page, title="Паркове и градини", slug="parkove")
    response = client.get("/bg/search/", {"q": "Паркове"})
    assert response.status_code == 200
    assert "Паркове и градини" in response.content.decode()


def test_healthz(client):
    assert client.get("/healthz").json() == {"status": "ok"}


def test_api_lists_live_pages(client, home_page):
    StandardPageFactory(parent=home_page, title="Отворени данни", slug="danni")
    data = client.get("/api/v2/pages/").json()
    assert any(item["title"] == "Отворени данни" for item in data["items"])


def test_home_page_query_count_is_bounded(client, home_page, django_assert_max_num_queries):
    client.get("/bg/")
    with django_assert_max_num_queries(20):
        assert client.get("/bg/").status_code == 200


def test_deadline_tag_texts():
    now = timezone.now()
    assert deadline(now + timezone.timedelta(days=12), now=now)["state"] == "open"
    assert deadline(now + timezone.timedelta(days=2), now=now)["state"] == "soon"
    assert deadline(now - timezone.timedelta(days=1), now=now)["state"] == "closed"
    assert deadline(now + timezone.timedelta(days=9), opens_at=now + timezone.timedelta(days=1), now=now)["state"] == "upcoming"


def test_progress_tag_caps_at_100_percent():
    assert progress(150, 100)["percent"] == 100
    assert progress(25, 100)["percent"] == 25
    assert progress(5, 0)["percent"] == 0


def test_unknown_page_is_a_translated_404(client, home_page):
    response = client.get("/uk/no-such-page/")
    assert response.status_code == 404
    assert '<html lang="uk">' in response.content.decode()


def test_standard_page_is_a_child_of_home(home_page):
    page = StandardPageFactory(parent=home_page)
    assert page.get_parent().specific == home_page
    assert isinstance(page, StandardPage)


def test_admin_map_widget_loads_leaflet_from_our_static_files(client, editor, home_page):
    page = StandardPageFactory(parent=home_page, slug="karta")
    client.force_login(editor)
    response = client.get(f"/admin/pages/{page.pk}/edit/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "vendor/leaflet/leaflet.js" in body
    assert "unpkg.com" not in body
    assert "tiles.invalid" in body  # the tile URL comes from settings (MAP_TILE_URL)


def test_admin_has_no_update_check_or_gravatar(client, editor):
    client.force_login(editor)
    body = client.get("/admin/").content.decode()
    assert "releases.wagtail.org" not in body
    assert "gravatar.com" not in body


def test_favicon_is_served(client, home_page):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("img/favicon.ico")
    body = client.get("/bg/").content.decode()
    assert 'rel="icon"' in body and "img/favicon.svg" in body


def test_time_elements_carry_valid_html_datetimes():
    """HTML's <time datetime> allows at most three digits of a fraction of a second: we give whole seconds."""
    moment = datetime.datetime(2026, 12, 1, 14, 5, 6, 123456, tzinfo=datetime.timezone.utc)
    assert iso(moment) == "2026-12-01T16:05:06+02:00"  # in the municipality's time zone (Europe/Sofia)
    assert iso(datetime.date(2026, 12, 1)) == "2026-12-01"
    assert iso(None) == ""
    html = render_to_string("includes/deadline.html", {"text": "x", "closes_at": moment, "state": "open"})
    assert 'datetime="2026-12-01T16:05:06+02:00"' in html
