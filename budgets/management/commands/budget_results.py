import json

from django.core.management.base import BaseCommand, CommandError

from budgets.models import BudgetPage
from budgets.results import compute


class Command(BaseCommand):
    help = "Compute a cycle's outcome from the stored ballots with greedy or the Method of Equal Shares."

    def add_arguments(self, parser):
        parser.add_argument("page_id", type=int)
        parser.add_argument("--rule", choices=["greedy", "mes"], default="greedy")
        parser.add_argument("--format", choices=["json", "text"], default="json")

    def handle(self, *args, page_id, rule, format, **options):
        try:
            budget = BudgetPage.objects.get(pk=page_id)
        except BudgetPage.DoesNotExist:
            raise CommandError(f"No budget page with id {page_id}.")
        data = compute(budget, rule)
        if format == "json":
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=1, default=str))
            return
        for project in data["projects"]:
            mark = "+" if project["selected"] else "-"
            self.stdout.write(f"{mark} {project['votes']:>7} {project['cost']:>10}  {project['title']}")
