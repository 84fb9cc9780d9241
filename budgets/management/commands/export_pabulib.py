from django.core.management.base import BaseCommand, CommandError

from budgets import pabulib
from budgets.exports import election_for
from budgets.models import BudgetPage


class Command(BaseCommand):
    help = "Write a budget cycle (projects and anonymous ballots) in the pabulib .pb format."

    def add_arguments(self, parser):
        parser.add_argument("page_id", type=int)
        parser.add_argument("--output", "-o", default="-", help="file to write (default: standard output)")

    def handle(self, *args, page_id, output, **options):
        try:
            budget = BudgetPage.objects.get(pk=page_id)
        except BudgetPage.DoesNotExist:
            raise CommandError(f"No budget page with id {page_id}.")
        text = pabulib.dumps(election_for(budget))
        if output == "-":
            self.stdout.write(text, ending="")
        else:
            with open(output, "w", encoding="utf-8", newline="") as handle:
                handle.write(text)
