"""Who may do what, for every role in every phase, with a frozen clock."""

import datetime

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone, translation

from accounts.models import Profile
from participation.rules import refusal
from tests.factories.consultations import comment, consultation, poll
from tests.factories.users import CitizenFactory, EditorFactory, ModeratorFactory

pytestmark = pytest.mark.django_db

OPENS = datetime.datetime(2026, 3, 1, 9, 0, tzinfo=datetime.timezone.utc)
CLOSES = datetime.datetime(2026, 4, 1, 9, 0, tzinfo=datetime.timezone.utc)
MOMENTS = {
    "upcoming": OPENS - datetime.timedelta(days=1),
    "open": OPENS + datetime.timedelta(days=10),
    "closed": CLOSES + datetime.timedelta(seconds=1),
}


def _users():
    resident = CitizenFactory()
    Profile.objects.filter(user=resident).update(resident_verified_at=timezone.now())
    resident.refresh_from_db()
    return {
        "anonymous": AnonymousUser(),
        "unverified": CitizenFactory(verified=False),
        "citizen": CitizenFactory(),
        "resident": resident,
        "moderator": ModeratorFactory(),
        "editor": EditorFactory(),
    }


# Expected results: (role, phase) -> allowed, for a page requiring an account with a verified email.
COMMENT = {
    ("citizen", "open"), ("resident", "open"), ("moderator", "open"), ("editor", "open"),
}
SUPPORT = COMMENT  # the author of the comment is someone else
ANSWER = COMMENT


@pytest.mark.parametrize("phase", list(MOMENTS))
@pytest.mark.parametrize("role", ["anonymous", "unverified", "citizen", "resident", "moderator", "editor"])
def test_matrix_account_level(index, role, phase):
    page = consultation(index, opens_at=OPENS, closes_at=CLOSES, questions=True)
    users = _users()
    user = users[role]
    other = comment(page, CitizenFactory())
    with time_machine.travel(MOMENTS[phase], tick=False):
        assert user.has_perm("consultations.comment_consultation", page) == ((role, phase) in COMMENT)
        assert user.has_perm("consultations.support_comment", other) == ((role, phase) in SUPPORT)
        assert user.has_perm("consultations.answer_questionnaire", page) == ((role, phase) in ANSWER)
        assert user.has_perm("consultations.flag_comment", other) == (role not in ("anonymous", "unverified"))
        assert user.has_perm("consultations.moderate_comment") == (role in ("moderator", "editor"))
        assert user.has_perm("consultations.decide_proposal") == (role in ("moderator", "editor"))
        assert user.has_perm("consultations.follow_consultation", page) == (role != "anonymous")


@pytest.mark.parametrize("phase", list(MOMENTS))
@pytest.mark.parametrize("role", ["anonymous", "unverified", "citizen", "resident", "moderator", "editor"])
def test_matrix_resident_level(index, role, phase):
    page = consultation(index, opens_at=OPENS, closes_at=CLOSES, verification_level="resident")
    user = _users()[role]
    with time_machine.travel(MOMENTS[phase], tick=False):
        expected = phase == "open" and role in ("resident", "moderator", "editor")
        assert user.has_perm("consultations.comment_consultation", page) == expected


@pytest.mark.parametrize("phase", list(MOMENTS))
@pytest.mark.parametrize("role", ["anonymous", "unverified", "citizen"])
def test_anonymous_answers_when_the_page_allows_them(index, role, phase):
    page = consultation(index, opens_at=OPENS, closes_at=CLOSES, allow_anonymous_answers=True, questions=True)
    user = _users()[role]
    with time_machine.travel(MOMENTS[phase], tick=False):
        assert user.has_perm("consultations.answer_questionnaire", page) == (phase == "open")


def test_nobody_supports_their_own_comment(index, citizen):
    page = consultation(index)
    own = comment(page, citizen)
    assert not citizen.has_perm("consultations.support_comment", own)
    assert not citizen.has_perm("consultations.flag_comment", own)


@pytest.mark.parametrize("role", ["anonymous", "unverified", "citizen", "editor"])
def test_poll_vote_matrix(db, role):
    user = _users()[role]
    p = poll()
    allowed = role in ("citizen", "editor")
    assert user.has_perm("consultations.vote_poll", p) == allowed
    with time_machine.travel(p.closes_at + datetime.timedelta(seconds=1), tick=False):
        assert not user.has_perm("consultations.vote_poll", p)


def _why(user, perm, obj):
    failed = refusal(user, perm, obj)
    with translation.override("en"):
        return (failed.code, failed.explain(user, obj)) if failed else None


def test_each_refusal_has_its_one_message(index):
    users = _users()
    page = consultation(index, opens_at=OPENS, closes_at=CLOSES, verification_level="resident")
    own = comment(page, users["citizen"])
    p = poll()
    with time_machine.travel(MOMENTS["upcoming"], tick=False):
        assert _why(users["citizen"], "consultations.comment_consultation", page) == (
            "phase", "This consultation is not open for comments yet.")
    with time_machine.travel(MOMENTS["closed"], tick=False):
        assert _why(users["citizen"], "consultations.comment_consultation", page) == (
            "phase", "This consultation is closed: comments and answers are no longer accepted.")
    with time_machine.travel(MOMENTS["open"], tick=False):
        assert _why(users["anonymous"], "consultations.comment_consultation", page)[0] == "login"
        code, message = _why(users["citizen"], "consultations.comment_consultation", page)
        assert code == "level" and "residents verified by the municipality" in message
        assert _why(users["resident"], "consultations.comment_consultation", page) is None
        assert _why(users["citizen"], "consultations.support_comment", own) == ("not_allowed", "You cannot support your own comment.")
        assert _why(users["citizen"], "consultations.flag_comment", own) == ("not_allowed", "You cannot report your own comment.")
        assert _why(users["unverified"], "consultations.support_comment", own) == (
            "level", "Supporting comments needs an account with a confirmed email address.")
    assert _why(users["unverified"], "consultations.vote_poll", p) == ("level", "Voting needs an account with a confirmed email address.")
    with time_machine.travel(p.closes_at + datetime.timedelta(seconds=1), tick=False):
        assert _why(users["citizen"], "consultations.vote_poll", p) == ("phase", "This poll is closed.")
