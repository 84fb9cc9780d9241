from django.core.management.base import BaseCommand, CommandError
from wagtail.models import Page

from budgets import pabulib
from budgets.exports import import_election


class Command(BaseCommand):
    help = "Create a closed budget cycle with its projects and ballots from a pabulib .pb file."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--parent", type=int, required=True, help="id of the page to create the cycle under")
        parser.add_argument("--title", default=None)

    def handle(self, *args, file, parent, title, **options):
        try:
            parent_page = Page.objects.get(pk=parent).specific
        except Page.DoesNotExist:
            raise CommandError(f"No page with id {parent}.")
        try:
            election = pabulib.load(file)
            budget = import_election(election, parent=parent_page, title=title)
        except (OSError, ValueError) as error:
            raise CommandError(str(error))
        count = budget.ballots.count()
        self.stdout.write(f"Created cycle {budget.pk} “{budget.title}” with {budget.get_children().count()} projects and {count} ballots.")
