from django.core.management.base import BaseCommand, CommandError

from budgets.tasks import NotFound, import_pabulib


class Command(BaseCommand):
    help = "Create a closed budget cycle with its projects and ballots from a pabulib .pb file."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--parent", type=int, required=True, help="id of the page to create the cycle under")
        parser.add_argument("--title", default=None)

    def handle(self, *args, file, parent, title, **options):
        try:
            budget = import_pabulib(file, parent_id=parent, title=title)
        except (NotFound, OSError, ValueError) as error:
            raise CommandError(str(error))
        count = budget.ballots.count()
        self.stdout.write(f"Created cycle {budget.pk} “{budget.title}” with {budget.get_children().count()} projects and {count} ballots.")
