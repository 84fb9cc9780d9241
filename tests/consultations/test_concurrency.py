"""Real threads on PostgreSQL: the same person supporting, voting, answering or double-submitting from many
threads at once counts once."""

import threading
import uuid

import pytest
from django.db import connection

from consultations import services
from consultations.models import Comment, CommentSupport, PollVote, PollVoteChoice, QuestionnaireAnswer
from participation.exceptions import ParticipationError
from tests.factories.consultations import comment, consultation, consultation_index, poll
from tests.factories.site import locales, municipality
from tests.factories.users import CitizenFactory
from tests.helpers import requires_postgres

pytestmark = [requires_postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

THREADS = 12


def _hammer(work):
    barrier = threading.Barrier(THREADS)
    outcomes, errors = [], []

    def run():
        try:
            barrier.wait()
            outcomes.append(work())
        except ParticipationError as exc:
            outcomes.append(exc.code)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    return outcomes


@pytest.fixture
def page(db):
    locales()
    municipality()
    return consultation(consultation_index())


def test_same_person_supporting_from_many_threads_counts_once(page):
    citizen = CitizenFactory()
    c = comment(page, CitizenFactory())
    outcomes = _hammer(lambda: services.support_comment(comment=Comment.objects.get(pk=c.pk), user=citizen))
    assert outcomes.count(True) == 1 and outcomes.count("already") == THREADS - 1
    assert CommentSupport.objects.filter(comment=c).count() == 1


def test_same_person_voting_from_many_threads_counts_once(db):
    citizen = CitizenFactory()
    p = poll()
    choice = p.choices.first()
    outcomes = _hammer(lambda: services.vote_poll(poll=p, user=citizen, choice_ids=[choice.pk]).pk)
    assert len([o for o in outcomes if isinstance(o, int)]) == 1
    assert PollVote.objects.filter(poll=p).count() == 1 and PollVoteChoice.objects.filter(choice=choice).count() == 1


def test_same_comment_submitted_from_many_threads_is_stored_once(page):
    citizen = CitizenFactory()
    token = uuid.uuid4()
    outcomes = _hammer(lambda: services.post_comment(page=page, author=citizen, body="Веднъж", client_token=token)[0].pk)
    assert len(set(outcomes)) == 1
    assert Comment.objects.filter(page=page).count() == 1


def test_same_person_answering_from_many_threads_keeps_one_answer(page):
    citizen = CitizenFactory()
    outcomes = _hammer(
        lambda: services.answer_questionnaire(page=page, respondent=f"u{citizen.pk}", author=citizen, data={"q": "1"})[1]
    )
    assert outcomes.count(True) == 1
    assert QuestionnaireAnswer.objects.filter(page=page).count() == 1
