#!/usr/bin/env python
"""Translation workflow for one app or all: extract messages, fill English, report what is missing.

    .venv/bin/python scripts/i18n.py            # every app
    .venv/bin/python scripts/i18n.py cases      # one app

Source strings are English; the `en` catalogue copies them (so it is complete by construction),
the `id` catalogue must be translated by hand. Needs GNU gettext (xgettext) for extraction.
Exit status 1 when an Indonesian translation is missing or fuzzy.

The plain package `lindungi/api` is not an app: its strings are extracted into core's catalogues.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
LINDUNGI = ROOT / "lindungi"
APPS = sorted(p.name for p in LINDUNGI.iterdir() if (p / "apps.py").exists())
LANGUAGES = ("id", "en")
# Packages that are not apps, and the app whose catalogue holds their strings.
EXTRA_SOURCES = {"core": ["api"]}
_LINK_PREFIX = "_i18n_"


def extract(app: str, base: Path = LINDUNGI) -> None:
    """Run makemessages for `app` under `base` (the real tree, or a copy of it for checking)."""
    app_dir = base / app
    (app_dir / "locale").mkdir(exist_ok=True)
    links = []
    for package in EXTRA_SOURCES.get(app, []):
        link = app_dir / f"{_LINK_PREFIX}{package}"
        if not link.is_symlink():
            link.symlink_to(Path("..") / package, target_is_directory=True)
        links.append(link)
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="lindungi.settings.test")
    languages = [arg for code in LANGUAGES for arg in ("-l", code)]
    try:
        subprocess.run(  # noqa: S603 (fixed arguments)
            [sys.executable, str(ROOT / "manage.py"), "makemessages", *languages, "--no-obsolete",
             "--no-location", "--symlinks", "--ignore=tests/*", "--ignore=migrations/*"],
            cwd=app_dir, env=env, check=True, stdout=subprocess.DEVNULL,
        )
    finally:
        for link in links:
            link.unlink()


def catalogue_path(app: str, language: str, base: Path = LINDUNGI) -> Path:
    return base / app / "locale" / language / "LC_MESSAGES" / "django.po"


def tidy_headers(app: str, base: Path = LINDUNGI) -> None:
    """makemessages leaves a template header (marked fuzzy); give it the project's values."""
    for language in LANGUAGES:
        path = catalogue_path(app, language, base)
        if not path.exists():
            continue
        catalogue = polib.pofile(str(path))
        if not catalogue.metadata_is_fuzzy and catalogue.metadata.get("Language") == language:
            continue
        catalogue.metadata_is_fuzzy = False
        catalogue.header = "Lindungi: translations. Source strings are English; see docs/architecture.md."
        catalogue.metadata.update({"Project-Id-Version": "Lindungi", "Language": language,
                                   "Language-Team": language, "Last-Translator": "Lindungi contributors",
                                   "PO-Revision-Date": catalogue.metadata.get("POT-Creation-Date", "")})
        catalogue.save()


def fill_english(app: str, base: Path = LINDUNGI) -> None:
    path = catalogue_path(app, "en", base)
    if not path.exists():
        return
    catalogue = polib.pofile(str(path))
    for entry in catalogue:
        if entry.msgid_plural:
            if not all(entry.msgstr_plural.values()):
                entry.msgstr_plural = {0: entry.msgid, 1: entry.msgid_plural}
        elif not entry.msgstr:
            entry.msgstr = entry.msgid
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
            entry.previous_msgid = None
            if entry.msgid_plural:
                entry.msgstr_plural = {0: entry.msgid, 1: entry.msgid_plural}
            else:
                entry.msgstr = entry.msgid
    catalogue.save()


def missing(app: str, base: Path = LINDUNGI) -> list[str]:
    path = catalogue_path(app, "id", base)
    if not path.exists():
        return []
    catalogue = polib.pofile(str(path))
    return [e.msgid for e in catalogue.untranslated_entries() + catalogue.fuzzy_entries()]


def main(argv: list[str]) -> int:
    apps = argv or APPS
    status = 0
    for app in apps:
        extract(app)
        tidy_headers(app)
        fill_english(app)
        todo = missing(app)
        if todo:
            status = 1
            print(f"{app}: {len(todo)} Indonesian translation(s) missing:")
            for msgid in todo:
                print(f"  {msgid!r}")
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
