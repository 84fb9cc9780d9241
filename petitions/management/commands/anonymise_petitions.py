"""Erase signatories' personal data of petitions that closed long enough ago (counts are kept)."""

from django.core.management.base import BaseCommand

from petitions import services


class Command(BaseCommand):
    help = "Anonymise signatories of petitions closed longer ago than their index's 'anonymise after' months."

    def handle(self, *args, **options):
        changed = services.anonymise_due()
        removed = services.expire_unconfirmed()
        self.stdout.write(f"{changed} signature(s) anonymised, {removed} expired unconfirmed signature(s) removed.")
