"""Who may do what: role x state matrix with a frozen clock."""

import datetime

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser

from participation.models import VerificationLevel
from petitions.models import PetitionPage
from tests.factories import petitions as f
from tests.factories.users import CitizenFactory, ModeratorFactory

pytestmark = pytest.mark.django_db

FROZEN = datetime.datetime(2026, 3, 2, 10, 0, tzinfo=datetime.timezone.utc)
ROLES = ["anonymous", "unverified", "citizen", "author", "moderator"]
STATES = ["draft", "sponsoring", "moderation", "open", "closed", "responded"]

# Expected answers: action -> state -> roles allowed.
EXPECTED = {
    "petitions.view_petition": {
        "draft": {"author", "moderator"},
        "sponsoring": {"author", "moderator"},
        "moderation": {"author", "moderator"},
        "open": set(ROLES),
        "closed": set(ROLES),
        "responded": set(ROLES),
    },
    "petitions.sign_petition": {"open": {"citizen", "moderator"}},
    "petitions.sponsor_petition": {"sponsoring": {"citizen", "moderator"}},
    "petitions.edit_petition": {"draft": {"author"}, "sponsoring": {"author"}},
}


def _petition(index, sponsored_index, state, author):
    if state == "draft":  # changes requested: the draft is back with its author
        return f.request_changes(f.draft(index, author=author))
    if state == "sponsoring":
        return f.draft(sponsored_index, author=author)
    if state == "moderation":
        return f.draft(index, author=author)
    page = f.open_petition(index, author=author)
    if state == "closed":
        return f.close(page)
    if state == "responded":
        return f.respond(page)
    return page


@pytest.mark.parametrize("state", STATES)
def test_role_state_matrix(home_page, settlements, state):
    with time_machine.travel(FROZEN, tick=False):
        index = f.petition_index(home_page, signature_level=VerificationLevel.ACCOUNT)
        sponsored = f.petition_index(home_page, slug="sponsored", sponsors_required=2, signature_level=VerificationLevel.ACCOUNT)
        author = CitizenFactory()
        page = PetitionPage.objects.get(pk=_petition(index, sponsored, state, author).pk)
        users = {
            "anonymous": AnonymousUser(),
            "unverified": CitizenFactory(verified=False),
            "citizen": CitizenFactory(),
            "author": author,
            "moderator": ModeratorFactory(),
        }
        for perm, per_state in EXPECTED.items():
            allowed = per_state.get(state, set())
            for role, user in users.items():
                fresh = PetitionPage.objects.get(pk=page.pk)
                assert user.has_perm(perm, fresh) == (role in allowed), f"{perm} / {state} / {role}"


def test_anonymous_may_sign_where_email_confirmation_is_enough(index):
    with time_machine.travel(FROZEN, tick=False):
        page = f.open_petition(index)
        assert AnonymousUser().has_perm("petitions.sign_petition", page)
        closed = f.close(page)
        assert not AnonymousUser().has_perm("petitions.sign_petition", closed)


def test_only_verified_accounts_may_start_petitions(index):
    assert CitizenFactory().has_perm("petitions.start_petition", index)
    assert not CitizenFactory(verified=False).has_perm("petitions.start_petition", index)
    assert not AnonymousUser().has_perm("petitions.start_petition", index)
