"""The move of following to the core keeps every follow (with its digest state) and the email log."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from participation.models import Follow, NotificationLog
from tests.factories.consultations import consultation, consultation_index
from tests.factories.site import locales, municipality
from tests.factories.users import CitizenFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

BEFORE = [("consultations", "0002_embed_block")]
AFTER = [("consultations", "0004_delete_follow_and_emaillog")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_follows_and_the_email_log_are_copied_to_the_core():
    locales()
    municipality()
    page = consultation(consultation_index())
    digest_reader, plain_reader = CitizenFactory(), CitizenFactory()
    sent_until = timezone.now() - datetime.timedelta(days=2)
    emailed = timezone.now() - datetime.timedelta(hours=3)
    old = _migrate(BEFORE)
    try:
        OldFollow, OldEmailLog = old.get_model("consultations", "Follow"), old.get_model("consultations", "EmailLog")
        OldFollow.objects.create(page_id=page.pk, user_id=digest_reader.pk, digest=True, digest_sent_until=sent_until)
        OldFollow.objects.create(page_id=page.pk, user_id=plain_reader.pk)
        OldEmailLog.objects.create(user_id=digest_reader.pk, last_sent_at=emailed)
    finally:
        _migrate(AFTER)
    follows = {row.user_id: row for row in Follow.objects.filter(page_id=page.pk)}
    assert set(follows) == {digest_reader.pk, plain_reader.pk}
    assert follows[digest_reader.pk].digest and follows[digest_reader.pk].digest_sent_until == sent_until
    assert not follows[plain_reader.pk].digest and follows[plain_reader.pk].digest_sent_until is None
    assert NotificationLog.objects.get(user=digest_reader).last_sent_at == emailed
    assert not NotificationLog.objects.filter(user=plain_reader).exists()
