"""Erase signatories' personal data of petitions that closed long enough ago (counts are kept)."""

from django.core.management.base import BaseCommand

from petitions.tasks import anonymise_signatories


class Command(BaseCommand):
    help = "Anonymise signatories of petitions closed longer ago than their index's 'anonymise after' months."

    def handle(self, *args, **options):
        result = anonymise_signatories.call()
        self.stdout.write(
            f"{result['anonymised']} signature(s) anonymised, {result['expired_removed']} expired unconfirmed signature(s) removed."
        )
