"""Prove that every stored counter equals the rows it counts (DESIGN.md §5.2). Exits 1 on any difference.

Each app that stores counters has a `counts` module with `differences()` (a list of lines describing each
difference; empty when all is well) and optionally `fix()`. They are found without a registry.
"""

import importlib
import importlib.util

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


def count_modules():
    for app_config in apps.get_app_configs():
        if not str(app_config.path).startswith(str(settings.BASE_DIR)):
            continue
        name = f"{app_config.name}.counts"
        if importlib.util.find_spec(name) is not None:
            yield app_config.label, importlib.import_module(name)


class Command(BaseCommand):
    help = "Check every stored counter against COUNT(*) of its rows; exit 1 if any differs."

    def add_arguments(self, parser):
        parser.add_argument("--fix", action="store_true", help="Correct the counters that differ (after reporting them).")

    def handle(self, *args, **options):
        problems = []
        checked = []
        for label, module in count_modules():
            checked.append(label)
            found = list(module.differences())
            problems.extend(found)
            if found and options["fix"] and hasattr(module, "fix"):
                module.fix()
        for line in problems:
            self.stderr.write(line)
        if problems:
            suffix = " (fixed)" if options["fix"] else ""
            raise CommandError(f"{len(problems)} counter(s) differ from their rows{suffix}.", returncode=1)
        self.stdout.write(self.style.SUCCESS(f"All counters match their rows ({', '.join(checked) or 'no counters'})."))
