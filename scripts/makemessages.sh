#!/usr/bin/env bash
# Extract UI strings into the right catalogues (needs GNU gettext: apt-get install gettext):
# - the site shell (home, accounts, participation, cms, shared templates) into locale/
# - each feature app (its Python code and templates/<app>/) into <app>/locale/
# Existing translations are kept; new strings arrive empty, changed ones marked fuzzy. Then translate them,
# and `manage.py compile_translations` (make run / make test do it) compiles them.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
DJANGO_ADMIN="$ROOT/.venv/bin/django-admin"
APPS=(petitions budgets consultations)
export PYTHONPATH="$ROOT" DJANGO_SETTINGS_MODULE=cms.settings.dev

ignores=(--ignore ".venv/*" --ignore "staticfiles/*" --ignore "tests/*" --ignore "bench/*" --ignore "scripts/*")
for app in "${APPS[@]}"; do ignores+=(--ignore "$app/*" --ignore "templates/$app/*"); done
"$DJANGO_ADMIN" makemessages -l bg -l uk -l en --no-obsolete "${ignores[@]}"

for app in "${APPS[@]}"; do
  [ -d "$app/locale" ] || continue
  ( cd "$app"
    ln -sfn "../templates/$app" _app_templates
    trap 'rm -f _app_templates' EXIT
    "$DJANGO_ADMIN" makemessages -l bg -l uk -l en --symlinks --ignore "migrations/*" )
done
