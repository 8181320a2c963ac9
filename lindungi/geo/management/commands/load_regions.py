from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from lindungi.audit.services import record
from lindungi.geo.loader import DATA_FILE, RegionDataError, load_regions
from lindungi.geo.models import Region


class _DryRun(Exception):
    pass


class Command(BaseCommand):
    help = ("Refreshes Indonesia's provinces, regencies/cities and districts from the data file "
            "(lindungi/geo/data/regions.csv by default). New regions are added and renamed ones updated; "
            "regions no longer in the file are listed, never deleted.")

    def add_arguments(self, parser):
        parser.add_argument("--file", type=Path, default=DATA_FILE, help="A CSV with code,name,level,parent_code.")
        parser.add_argument("--dry-run", action="store_true", help="Report what would change, change nothing.")

    def handle(self, *args, file, dry_run, **options):
        try:
            with transaction.atomic():
                result = load_regions(Region, file)
                if dry_run:
                    raise _DryRun
                record("geo.regions.loaded", payload={
                    "file": file.name, "created": result.created, "updated": result.updated,
                    "missing_from_file": len(result.missing_from_file),
                })
        except RegionDataError as exc:
            raise CommandError(str(exc)) from exc
        except _DryRun:
            self.stdout.write("Dry run: nothing was changed.")
        self.stdout.write(
            f"{result.total} regions in {file.name}: {result.created} new, {result.updated} updated, "
            f"{result.unchanged} unchanged."
        )
        if result.missing_from_file:
            self.stdout.write(self.style.WARNING(
                f"{len(result.missing_from_file)} region(s) in the database are not in the file (kept): "
                + ", ".join(result.missing_from_file[:20]) + (" …" if len(result.missing_from_file) > 20 else "")
            ))
