"""The admin dashboard shows moderators and editors (non-superusers) the consultations work their rules give
them: flagged comments with the flags' reasons, and this week's public meetings. NGO publishers and office staff
see neither."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from consultations import services
from consultations.queries.dashboard import week_bounds
from tests.factories.consultations import comment, consultation, meeting
from tests.factories.users import CitizenFactory, EditorFactory, ModeratorFactory, NGOPublisherFactory, OfficeStaffFactory
from tests.helpers import assert_queries_constant, dashboard_panels

pytestmark = pytest.mark.django_db

ROLE_FACTORIES = {"NGO publishers": NGOPublisherFactory, "Office staff": OfficeStaffFactory}

FLAGGED = "veche-flagged-comments-section"
MEETINGS = "veche-meetings-this-week-section"





def flag(target, reason=""):
    services.flag_comment(comment=target, user=CitizenFactory(), reason=reason)


@pytest.fixture
def work(index):
    page = consultation(index, title="Наредба за зелените площи")
    flagged = comment(page, CitizenFactory(), body="Обидният коментар за съседите")
    flag(flagged, "Обижда хора")
    flag(flagged, "Спам")
    flag(flagged)
    comment(page, CitizenFactory(), body="Спокоен коментар без сигнали")
    start, end = week_bounds()
    this_week = meeting(page, title="Обсъждане в читалището", starts_at=start + datetime.timedelta(days=2, hours=18))
    meeting(page, title="Обсъждане миналата седмица", starts_at=start - datetime.timedelta(days=2))
    meeting(page, title="Обсъждане следващата седмица", starts_at=end + datetime.timedelta(hours=10))
    return {"flagged": flagged, "meeting": this_week}


@pytest.mark.parametrize("factory", [ModeratorFactory, EditorFactory], ids=["moderator", "editor"])
def test_moderators_and_editors_see_flags_and_this_weeks_meetings(client, work, factory):
    shown = dashboard_panels(client, factory())
    flagged, meetings = shown[FLAGGED], shown[MEETINGS]
    assert "Обидният коментар за съседите" in flagged and "Наредба за зелените площи" in flagged
    assert "Обижда хора" in flagged and "Спам" in flagged and "3 сигнала" in flagged
    assert reverse("consultation_comments:moderate", args=[work["flagged"].pk]) in flagged
    assert "Спокоен коментар без сигнали" not in flagged
    assert "Обсъждане в читалището" in meetings and "пл. „Съединение“ 1" in meetings
    assert "Наредба за зелените площи" in meetings
    starts = timezone.localtime(work["meeting"].starts_at)
    assert f"{starts.day}.{starts:%m}, 18:00" in meetings and f'datetime="{starts.replace(microsecond=0).isoformat()}"' in meetings
    assert "миналата седмица" not in meetings and "следващата седмица" not in meetings


def test_a_resolved_flag_leaves_the_panel(client, work):
    services.moderate_comment(comment=work["flagged"], status="published", actor=ModeratorFactory(), reason="")
    assert "Обидният коментар за съседите" not in dashboard_panels(client, ModeratorFactory())[FLAGGED]


@pytest.mark.parametrize("group", ["NGO publishers", "Office staff"])
def test_ngo_publishers_and_office_staff_see_no_consultations_panel(client, work, group):
    shown = dashboard_panels(client, ROLE_FACTORIES[group]())
    assert FLAGGED not in shown and MEETINGS not in shown


def test_empty_panels_say_so_in_one_line(client, index):
    shown = dashboard_panels(client, EditorFactory())
    assert "Няма коментари със сигнал." in shown[FLAGGED]
    assert "Няма обществени обсъждания тази седмица." in shown[MEETINGS]


def test_at_most_ten_rows_and_a_link_to_all(client, index):
    page = consultation(index)
    for number in range(12):
        flag(comment(page, CitizenFactory(), body=f"Коментар номер {number}"), "Спам")
    flagged = dashboard_panels(client, ModeratorFactory())[FLAGGED]
    assert flagged.count("<tr>") == 11  # the header and ten rows
    assert reverse("consultation_comments:index") + "?flagged=true" in flagged and "12" in flagged


def test_dashboard_queries_do_not_grow_with_the_work(client, index):
    client.force_login(EditorFactory())
    page = consultation(index)
    start, _end = week_bounds()
    flag(comment(page, CitizenFactory()), "Спам")
    meeting(page, starts_at=start + datetime.timedelta(hours=12))

    def grow():
        for number in range(3):
            target = comment(page, CitizenFactory(), body=f"Коментар {number}")
            flag(target, "Спам")
            flag(target, "Обида")
            meeting(page, title=f"Обсъждане {number}", starts_at=start + datetime.timedelta(days=number, hours=12))

    assert_queries_constant(client, "/admin/", grow)
