import json

from django.core.management.base import BaseCommand, CommandError

from budgets.tasks import NotFound, compute_results


class Command(BaseCommand):
    help = "Compute a cycle's outcome from the stored ballots with greedy or the Method of Equal Shares."

    def add_arguments(self, parser):
        parser.add_argument("page_id", type=int)
        parser.add_argument("--rule", choices=["greedy", "mes"], default="greedy")
        parser.add_argument("--format", choices=["json", "text"], default="json")

    def handle(self, *args, page_id, rule, format, **options):
        try:
            data = compute_results(page_id, rule)
        except NotFound as error:
            raise CommandError(str(error))
        if format == "json":
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=1, default=str))
            return
        for project in data["projects"]:
            mark = "+" if project["selected"] else "-"
            self.stdout.write(f"{mark} {project['votes']:>7} {project['cost']:>10}  {project['title']}")
