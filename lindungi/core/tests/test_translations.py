"""Both catalogues of every app are complete, compiled without gettext, and up to date with the
code: a new string without its Indonesian translation fails here."""

import importlib.util
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[3]
LINDUNGI = ROOT / "lindungi"
APPS = sorted(p.name for p in LINDUNGI.iterdir() if (p / "apps.py").exists())
APPS_WITH_LOCALE = [app for app in APPS if (LINDUNGI / app / "locale").is_dir()]
LANGUAGES = ("id", "en")

_spec = importlib.util.spec_from_file_location("lindungi_i18n_script", ROOT / "scripts" / "i18n.py")
i18n = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(i18n)

PY_MARKERS = re.compile(r"\b(gettext|gettext_lazy|ngettext|ngettext_lazy|pgettext|pgettext_lazy|_)\(\s*[\"']")
TEMPLATE_MARKERS = re.compile(r"{%\s*(translate|trans|blocktranslate|blocktrans)\b")


def catalogue(app: str, language: str) -> polib.POFile:
    return polib.pofile(str(LINDUNGI / app / "locale" / language / "LC_MESSAGES" / "django.po"))


def source_files(app: str):
    """The files makemessages reads for `app` (tests and migrations excluded)."""
    roots = [LINDUNGI / app] + [LINDUNGI / extra for extra in i18n.EXTRA_SOURCES.get(app, [])]
    for root in roots:
        for path in root.rglob("*"):
            parts = set(path.relative_to(root).parts)
            if parts & {"tests", "migrations", "locale", "__pycache__"} or not path.is_file():
                continue
            if path.suffix in (".py", ".html", ".txt"):
                yield path


def has_translatable_strings(app: str) -> bool:
    for path in source_files(app):
        text = path.read_text(encoding="utf-8", errors="replace")
        pattern = PY_MARKERS if path.suffix == ".py" else TEMPLATE_MARKERS
        if pattern.search(text):
            return True
    return False


@pytest.mark.parametrize("app", APPS)
def test_every_app_with_translatable_strings_has_a_locale_dir(app):
    if has_translatable_strings(app):
        assert app in APPS_WITH_LOCALE, (
            f"lindungi/{app} has translatable strings but no locale/: run .venv/bin/python scripts/i18n.py {app}")


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("app", APPS_WITH_LOCALE)
def test_every_entry_is_translated_and_none_is_fuzzy(app, language):
    path = LINDUNGI / app / "locale" / language / "LC_MESSAGES" / "django.po"
    assert path.exists(), f"{path.relative_to(ROOT)} is missing: run scripts/i18n.py {app}"
    po = catalogue(app, language)
    untranslated = [entry.msgid for entry in po.untranslated_entries()]
    fuzzy = [entry.msgid for entry in po.fuzzy_entries()]
    assert not untranslated, f"{app}/{language}: {len(untranslated)} untranslated: {untranslated[:10]}"
    assert not fuzzy, f"{app}/{language}: {len(fuzzy)} fuzzy: {fuzzy[:10]}"


@pytest.mark.parametrize("app", APPS_WITH_LOCALE)
def test_translations_keep_the_placeholders_of_their_source(app):
    placeholder = re.compile(r"%\([a-z_]+\)[sd]|\{[a-z_]*\}|%[sd]")
    for entry in catalogue(app, "id").translated_entries():
        translations = [entry.msgstr] if not entry.msgid_plural else list(entry.msgstr_plural.values())
        for text in translations:
            assert sorted(placeholder.findall(text)) == sorted(placeholder.findall(entry.msgid)), (
                f"{app}: {entry.msgid!r} → {text!r}")


@pytest.mark.parametrize("app", APPS_WITH_LOCALE)
def test_catalogues_compile_without_gettext_tools(app, tmp_path):
    for language in LANGUAGES:
        target = tmp_path / f"{app}-{language}.mo"
        catalogue(app, language).save_as_mofile(str(target))
        compiled = polib.mofile(str(target))
        assert len(compiled) == len(catalogue(app, language).translated_entries())


def _xgettext_available() -> bool:
    if shutil.which("xgettext") and shutil.which("msgmerge"):
        return True
    if os.environ.get("CI"):
        pytest.fail("GNU gettext (xgettext, msgmerge) is required in CI to check the catalogues are up to date.")
    pytest.skip("Extraction check skipped: GNU gettext is not installed (apt-get install gettext).")


@pytest.mark.parametrize("app", APPS_WITH_LOCALE)
def test_the_catalogues_are_up_to_date_with_the_code(app, tmp_path):
    _xgettext_available()
    copy = tmp_path / "lindungi"
    for package in [app, *i18n.EXTRA_SOURCES.get(app, [])]:
        shutil.copytree(LINDUNGI / package, copy / package,
                        ignore=shutil.ignore_patterns("__pycache__", "*.mo", "tests"))
    i18n.extract(app, base=copy)
    extracted = {entry.msgid for entry in polib.pofile(str(copy / app / "locale" / "id" / "LC_MESSAGES" / "django.po"))
                 if not entry.obsolete}
    committed = {entry.msgid for entry in catalogue(app, "id") if not entry.obsolete}
    new, gone = sorted(extracted - committed), sorted(committed - extracted)
    assert not new and not gone, (
        f"lindungi/{app}'s catalogues are out of date (run .venv/bin/python scripts/i18n.py {app}); "
        f"new strings: {new[:10]}; strings no longer used: {gone[:10]}")


def test_compile_catalogues_command_writes_mo_files(tmp_path):
    """`manage.py compile_catalogues` (run by scripts/start and scripts/test) needs no gettext."""
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="lindungi.settings.test", PATH="/nonexistent")
    result = subprocess.run([sys.executable, str(ROOT / "manage.py"), "compile_catalogues"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    for app in APPS_WITH_LOCALE:
        for language in LANGUAGES:
            assert (LINDUNGI / app / "locale" / language / "LC_MESSAGES" / "django.mo").exists()
