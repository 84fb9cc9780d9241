"""Send the daily digest of replies to people's comments (run once a day, e.g. from cron or a scheduler).

Each person gets at most one email a day from consultations, whatever the number of consultations they follow.
"""

from django.core.management.base import BaseCommand

from consultations.services import send_digests


class Command(BaseCommand):
    help = "Email followers who asked for it a digest of new replies to their comments (at most one email a day)."

    def handle(self, *args, **options):
        sent = send_digests()
        self.stdout.write(f"Consultation digests queued: {sent}")
