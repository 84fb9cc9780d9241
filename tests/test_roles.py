"""Staff roles with least privilege (participation/roles.py, docs/roles.md), tested as ordinary members of their
groups, never as superusers: each role can do its own tasks and is refused the others.

The finer rules (who may vote, review, enter paper ballots in which phase) have their own matrices in
tests/<app>/test_rules.py; this file covers what the groups and their permissions give in the admin."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from consultations import services as consultation_services
from participation.rules import ROLES, is_moderator, is_office_staff, is_staff_member
from tests.factories.consultations import consultation, consultation_index
from tests.factories.petitions import draft, open_petition, petition_index
from tests.factories.users import (
    CitizenFactory,
    EditorFactory,
    ModeratorFactory,
    NGOPublisherFactory,
    OfficeStaffFactory,
)

pytestmark = pytest.mark.django_db

SETTINGS = "/admin/settings/home/municipalitysettings/"
CITIZENS = "/admin/citizens/"
COMMENTS = "/admin/consultations/comments/"
SIGNATURES = "/admin/petitions_signature/"
PETITION_QUEUE = "/admin/petitions_admin/"
BALLOTS = "/admin/budgets/ballots/"
CYCLES = "/admin/budgets/"

# role -> the admin screens it opens (every other screen in SCREENS refuses it)
OPENS = {
    "editor": {SETTINGS, COMMENTS, SIGNATURES, PETITION_QUEUE, BALLOTS, CYCLES},
    "moderator": {COMMENTS, SIGNATURES, PETITION_QUEUE, BALLOTS, CYCLES},
    "office": {CITIZENS, CYCLES},
    "ngo": set(),
}
SCREENS = sorted(set().union(*OPENS.values()))
FACTORIES = {"editor": EditorFactory, "moderator": ModeratorFactory, "office": OfficeStaffFactory, "ngo": NGOPublisherFactory}


def test_a_new_install_has_the_roles_with_admin_access():
    for name in ROLES:
        group = Group.objects.get(name=name)
        assert group.permissions.filter(codename="access_admin").exists(), name


@pytest.mark.parametrize("role", list(OPENS))
def test_each_role_opens_its_screens_and_is_refused_the_others(client, home_page, role):
    user = FACTORIES[role]()
    assert not user.is_superuser
    client.force_login(user)
    assert client.get("/admin/").status_code == 200  # every role works in the admin
    for url in SCREENS:
        response = client.get(url, follow=True)  # settings redirect to the settings of the one site
        landed = response.redirect_chain[-1][0] if response.redirect_chain else url
        if url in OPENS[role]:
            assert response.status_code == 200 and landed.startswith(url), (role, url, landed)
        else:
            # Wagtail sends a refusal back to the dashboard with a message (or answers 403)
            assert response.status_code == 403 or landed == "/admin/", (role, url, landed)


def test_only_editors_publish_content(home_page):
    """An official response, a report, results are published pages: editors publish (and moderators, who
    publish a citizen's draft by approving it in the workflow); office staff and NGOs do not."""
    index = petition_index(home_page)
    page = open_petition(index)
    assert page.permissions_for_user(EditorFactory()).can_publish()
    for factory in (OfficeStaffFactory, NGOPublisherFactory, CitizenFactory):
        assert not page.permissions_for_user(factory()).can_publish()


def test_moderators_approve_citizen_drafts_through_the_workflow(home_page):
    index = petition_index(home_page)
    page = draft(index)
    task = page.current_workflow_task_state.task.specific
    assert task.user_can_access_editor(page, ModeratorFactory())
    assert not task.user_can_access_editor(page, OfficeStaffFactory())
    assert not task.user_can_access_editor(page, NGOPublisherFactory())


def test_roles_in_the_rules():
    editor, moderator, office, ngo = EditorFactory(), ModeratorFactory(), OfficeStaffFactory(), NGOPublisherFactory()
    assert [is_staff_member(user) for user in (editor, moderator, office, ngo)] == [True, True, True, False]
    assert [is_moderator(user) for user in (editor, moderator, office, ngo)] == [True, True, False, False]
    assert [is_office_staff(user) for user in (editor, moderator, office, ngo)] == [False, False, True, False]


def test_an_ngo_publisher_speaks_as_a_citizen_not_as_the_municipality(home_page):
    """NGO accounts opened the admin, so they counted as municipal staff: their comments became official
    replies and skipped pre-moderation."""
    page = consultation(consultation_index(home_page), moderation_mode="pre")
    ngo_comment, _created = consultation_services.post_comment(page=page, author=NGOPublisherFactory(), body="Позиция на сдружението.")
    assert not ngo_comment.is_official
    assert ngo_comment.moderation_status == "pending"
    staff_reply, _created = consultation_services.post_comment(page=page, author=EditorFactory(), body="Отговор на общината.")
    assert staff_reply.is_official


def test_refusals_in_the_admin_say_why(client, home_page):
    client.force_login(NGOPublisherFactory())
    response = client.get(reverse("budgets_admin:list"), follow=True)
    assert response.redirect_chain  # back to the dashboard, with the rule's message
    messages = [str(message) for message in response.context["messages"]]
    assert "Само модератори, редактори и служители в центъра за услуги могат да отварят бюджетните цикли." in messages
