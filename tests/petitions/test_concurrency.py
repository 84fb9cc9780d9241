"""Counted exactly once under concurrency: real threads on PostgreSQL (DESIGN.md §5.2)."""

import threading

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection

from participation.exceptions import AlreadyDone
from petitions import services
from petitions.models import PetitionState, Signature, SignatureTally
from tests.factories import petitions as f
from tests.factories.site import municipality
from tests.factories.users import CitizenFactory
from tests.helpers import requires_postgres


def _run(threads):
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


@requires_postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_fifty_threads_sign_the_same_petition(locales):
    settlements = list(municipality().settlements.all())
    index = f.petition_index(threshold=30)
    page = f.open_petition(index)
    distinct = [CitizenFactory() for _ in range(35)]
    repeated = CitizenFactory()
    users = distinct + [repeated] * 15  # 50 threads: 35 people once, one person 15 times
    barrier = threading.Barrier(len(users))
    outcomes = []
    lock = threading.Lock()

    def sign(user, n):
        try:
            barrier.wait()
            try:
                services.sign(page=page, user=user, settlement=settlements[n % len(settlements)])
                result = "signed"
            except AlreadyDone:
                result = "already"
            with lock:
                outcomes.append(result)
        finally:
            connection.close()

    _run([threading.Thread(target=sign, args=(user, n)) for n, user in enumerate(users)])
    assert outcomes.count("signed") == 36 and outcomes.count("already") == 14
    assert Signature.objects.filter(petition=page).count() == 37  # with the author
    assert SignatureTally.objects.total(page.pk) == 37
    assert services.count_differences() == []
    call_command("verify_counts")
    assert PetitionState.objects.get(page=page).threshold_reached_at is not None


@requires_postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_same_email_confirmed_from_many_threads_counts_once(locales):
    settlements = list(municipality().settlements.all())
    page = f.open_petition(f.petition_index())
    services.sign(page=page, name="Анна", email="anna@example.org", settlement=settlements[0])
    token = mail.outbox[-1].body.split("/confirm/")[1].split("/")[0]
    barrier = threading.Barrier(20)
    results = []

    def confirm():
        try:
            barrier.wait()
            try:
                services.confirm(page=page, token=token)
                results.append("ok")
            except AlreadyDone:
                results.append("already")
        finally:
            connection.close()

    _run([threading.Thread(target=confirm) for _ in range(20)])
    assert results.count("ok") == 1
    assert SignatureTally.objects.total(page.pk) == 2
    assert services.count_differences() == []


@requires_postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_recount_while_signing_loses_nothing(locales):
    settlements = list(municipality().settlements.all())
    page = f.open_petition(f.petition_index(threshold=1000))
    users = [CitizenFactory() for _ in range(30)]
    SignatureTally.objects.filter(petition=page).update(count=0)  # a drift to repair meanwhile
    barrier = threading.Barrier(len(users) + 1)

    def sign(user, n):
        try:
            barrier.wait()
            services.sign(page=page, user=user, settlement=settlements[n % len(settlements)])
        finally:
            connection.close()

    def recount():
        try:
            barrier.wait()
            for _ in range(5):
                services.recount(petition_id=page.pk)
        finally:
            connection.close()

    _run([threading.Thread(target=sign, args=(u, n)) for n, u in enumerate(users)] + [threading.Thread(target=recount)])
    services.recount(petition_id=page.pk)
    assert SignatureTally.objects.total(page.pk) == 31 == Signature.objects.counted().filter(petition=page).count()
    assert services.count_differences() == []
