"""Send the daily digest of replies to people's comments (run once a day, e.g. from cron or a scheduler)."""

from django.core.management.base import BaseCommand

from consultations.tasks import daily_digest


class Command(BaseCommand):
    help = "Email followers who asked for it a digest of new replies to their comments (at most one email a day)."

    def handle(self, *args, **options):
        sent = daily_digest.call()
        self.stdout.write(f"Consultation digests queued: {sent}")
