"""Compiles every app's .po catalogues to .mo with polib, so no GNU gettext is needed to run."""

from pathlib import Path

import polib
from django.apps import apps
from django.core.management.base import BaseCommand


def catalogue_files():
    for config in apps.get_app_configs():
        if config.name.startswith("lindungi."):
            yield from sorted(Path(config.path, "locale").glob("*/LC_MESSAGES/django.po"))


class Command(BaseCommand):
    help = "Compiles Lindungi's translation catalogues (.po → .mo) without gettext tools."

    def handle(self, *args, **options):
        count = 0
        for po_path in catalogue_files():
            mo_path = po_path.with_suffix(".mo")
            if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
                continue
            polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
            count += 1
        if count:
            self.stdout.write(f"Compiled {count} translation catalogue(s).")
