"""Load the demo: a fictional municipality with its settlements, pages in three languages and demo users.

Idempotent: running it again changes nothing that exists. Each app may add its own demo content in a
`demo.py` module with a `load(stdout)` function; they run in INSTALLED_APPS order after the site shell. A demo
module's `DEMO_LOGINS` (role, email, password) are printed at the end.
"""

import importlib
import importlib.util

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from home import demo as home_demo


def demo_modules():
    """Every Veche app's `demo` module after the site shell's, in INSTALLED_APPS order."""
    for app_config in apps.get_app_configs():
        if app_config.name == "home" or not str(app_config.path).startswith(str(settings.BASE_DIR)):
            continue
        module_name = f"{app_config.name}.demo"
        if importlib.util.find_spec(module_name) is None:
            continue
        module = importlib.import_module(module_name)
        if hasattr(module, "load"):
            yield module


class Command(BaseCommand):
    help = "Create the demo municipality, pages and users (safe to run again)."

    def handle(self, *args, **options):
        logins = []
        with transaction.atomic():
            home_demo.load(self.stdout)
            for module in demo_modules():
                module.load(self.stdout)
                logins.extend(getattr(module, "DEMO_LOGINS", []))
        self.stdout.write(self.style.SUCCESS("Demo content is ready."))
        self.stdout.write("")
        self.stdout.write("Demo logins (email / password):")
        for role, email, password in logins:
            self.stdout.write(f"  {role:<14} {email:<28} {password}")
