from django.core.management.base import BaseCommand, CommandError

from budgets.tasks import NotFound, export_pabulib


class Command(BaseCommand):
    help = "Write a budget cycle (projects and anonymous ballots) in the pabulib .pb format."

    def add_arguments(self, parser):
        parser.add_argument("page_id", type=int)
        parser.add_argument("--output", "-o", default="-", help="file to write (default: standard output)")

    def handle(self, *args, page_id, output, **options):
        try:
            text = export_pabulib(page_id)
        except NotFound as error:
            raise CommandError(str(error))
        if output == "-":
            self.stdout.write(text, ending="")
        else:
            with open(output, "w", encoding="utf-8", newline="") as handle:
                handle.write(text)
