"""Every citizen-facing string is translated into Bulgarian and Ukrainian, for real."""

import re
from pathlib import Path

import polib
import pytest
from django.utils import translation

ROOT = Path(__file__).resolve().parent.parent
CATALOGUES = sorted(
    path
    for pattern in ("locale/*/LC_MESSAGES/django.po", "*/locale/*/LC_MESSAGES/django.po")
    for path in ROOT.glob(pattern)
    if "/.venv/" not in str(path) and path.parts[-3] in ("bg", "uk")
)


def test_there_are_catalogues_for_the_shell():
    names = {str(path.relative_to(ROOT)) for path in CATALOGUES}
    assert {"locale/bg/LC_MESSAGES/django.po", "locale/uk/LC_MESSAGES/django.po"} <= names


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_catalogue_is_complete_and_not_copied(path):
    catalogue = polib.pofile(str(path))
    untranslated = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    assert not untranslated, f"{len(untranslated)} untranslated in {path}: {untranslated[:10]}"
    assert not fuzzy, f"{len(fuzzy)} fuzzy in {path}: {fuzzy[:10]}"
    copied = [
        entry.msgid
        for entry in catalogue.translated_entries()
        if entry.msgstr == entry.msgid and re.search(r"[A-Za-z]{4,}", entry.msgid)
    ]
    allowed = max(2, len(catalogue) // 50)
    assert len(copied) <= allowed, f"strings copied from English in {path}: {copied}"
    for entry in catalogue.translated_entries():
        for placeholder in re.findall(r"%\(\w+\)[sd]|\{\{ ?\w+ ?\}\}", entry.msgid):
            texts = [entry.msgstr] if entry.msgstr else list(entry.msgstr_plural.values())
            assert all(placeholder in text for text in texts), (path, entry.msgid, placeholder)


@pytest.mark.parametrize(
    "language,expected", [("bg", "Към основното съдържание"), ("uk", "Перейти до основного вмісту")]
)
def test_compiled_translations_are_used(language, expected):
    with translation.override(language):
        assert translation.gettext("Skip to main content") == expected
