"""Run the periodic petitions task now (cron or a scheduler can call this every few minutes)."""

from django.core.management.base import BaseCommand

from petitions.tasks import housekeeping


class Command(BaseCommand):
    help = "Send closing emails, remove expired unconfirmed signatures, anonymise due signatories."

    def handle(self, *args, **options):
        result = housekeeping.call()
        self.stdout.write(", ".join(f"{key}: {value}" for key, value in result.items()))
