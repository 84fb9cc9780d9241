"""Following moves to the core (participation.Follow, participation.NotificationLog): copy every follow of a
consultation (with its digest choice and how far the digest went) and when each person was last emailed."""

from django.db import migrations


def copy_to_core(apps, schema_editor):
    OldFollow = apps.get_model("consultations", "Follow")
    OldEmailLog = apps.get_model("consultations", "EmailLog")
    Follow = apps.get_model("participation", "Follow")
    NotificationLog = apps.get_model("participation", "NotificationLog")
    for old in OldFollow.objects.all().iterator():
        follow, created = Follow.objects.get_or_create(
            page_id=old.page_id,
            user_id=old.user_id,
            defaults={"digest": old.digest, "created_at": old.created_at, "digest_sent_until": old.digest_sent_until},
        )
        if not created and old.digest and not follow.digest:
            follow.digest = True
            follow.save(update_fields=["digest"])
    for old in OldEmailLog.objects.all().iterator():
        log = NotificationLog.objects.filter(user_id=old.user_id).first()
        if log is None:
            NotificationLog.objects.create(user_id=old.user_id, last_sent_at=old.last_sent_at)
        elif log.last_sent_at < old.last_sent_at:  # keep the later email: the daily cap counts from it
            log.last_sent_at = old.last_sent_at
            log.save(update_fields=["last_sent_at"])


def copy_back(apps, schema_editor):
    OldFollow = apps.get_model("consultations", "Follow")
    OldEmailLog = apps.get_model("consultations", "EmailLog")
    ConsultationPage = apps.get_model("consultations", "ConsultationPage")
    Follow = apps.get_model("participation", "Follow")
    NotificationLog = apps.get_model("participation", "NotificationLog")
    pages = ConsultationPage.objects.values_list("pk", flat=True)
    for follow in Follow.objects.filter(page_id__in=pages).iterator():
        OldFollow.objects.get_or_create(
            page_id=follow.page_id,
            user_id=follow.user_id,
            defaults={"digest": follow.digest, "created_at": follow.created_at, "digest_sent_until": follow.digest_sent_until},
        )
    for log in NotificationLog.objects.all().iterator():
        OldEmailLog.objects.update_or_create(user_id=log.user_id, defaults={"last_sent_at": log.last_sent_at})


class Migration(migrations.Migration):
    dependencies = [
        ("consultations", "0002_embed_block"),
        ("participation", "0001_initial"),
    ]

    operations = [migrations.RunPython(copy_to_core, copy_back)]
