"""Compile locale/*/LC_MESSAGES/*.po (project and apps) to .mo with polib, so no GNU gettext is needed on the machine."""

from pathlib import Path

import polib
from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Compile the project's .po translation files to .mo (pure Python, no gettext needed)."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Compile even when the .mo file is newer.")

    def handle(self, *args, force=False, **options):
        compiled = 0
        # The project's locale/ (site shell) and each of our apps' own locale/ folder.
        bases = [Path(path) for path in settings.LOCALE_PATHS]
        for app_config in apps.get_app_configs():
            app_path = Path(app_config.path)
            if str(app_path).startswith(str(settings.BASE_DIR)) and (app_path / "locale").is_dir():
                bases.append(app_path / "locale")
        for base in bases:
            for po_path in sorted(Path(base).glob("*/LC_MESSAGES/*.po")):
                mo_path = po_path.with_suffix(".mo")
                if not force and mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
                    continue
                catalogue = polib.pofile(str(po_path))
                catalogue.save_as_mofile(str(mo_path))
                compiled += 1
        if options["verbosity"]:
            self.stdout.write(f"Translations compiled: {compiled} file(s) updated.")
