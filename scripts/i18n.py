#!/usr/bin/env python
"""Translation workflow for one app or all: extract messages, fill English, report what is missing.

    .venv/bin/python scripts/i18n.py            # every app
    .venv/bin/python scripts/i18n.py cases      # one app

Source strings are English; the `en` catalogue copies them (so it is complete by construction),
the `id` catalogue must be translated by hand. Needs GNU gettext (xgettext) for extraction.
Exit status 1 when an Indonesian translation is missing or fuzzy.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
APPS = sorted(p.name for p in (ROOT / "lindungi").iterdir() if (p / "apps.py").exists())


def extract(app: str) -> None:
    app_dir = ROOT / "lindungi" / app
    (app_dir / "locale").mkdir(exist_ok=True)
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="lindungi.settings.test")
    subprocess.run(  # noqa: S603 (fixed arguments)
        [sys.executable, str(ROOT / "manage.py"), "makemessages", "-l", "id", "-l", "en", "--no-obsolete",
         "--no-location", "--ignore=tests/*", "--ignore=migrations/*"],
        cwd=app_dir, env=env, check=True, stdout=subprocess.DEVNULL,
    )


def fill_english(app: str) -> None:
    path = ROOT / "lindungi" / app / "locale" / "en" / "LC_MESSAGES" / "django.po"
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
            entry.msgstr = entry.msgid if not entry.msgid_plural else entry.msgstr
    catalogue.save()


def missing(app: str) -> list[str]:
    path = ROOT / "lindungi" / app / "locale" / "id" / "LC_MESSAGES" / "django.po"
    if not path.exists():
        return []
    catalogue = polib.pofile(str(path))
    return [e.msgid for e in catalogue.untranslated_entries() + catalogue.fuzzy_entries()]


def main(argv: list[str]) -> int:
    apps = argv or APPS
    status = 0
    for app in apps:
        extract(app)
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
