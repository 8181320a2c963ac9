"""Loads Indonesia's regions from the data file shipped in the repo (see data/LICENSE): the 38
provinces, 514 regencies/cities and 7,285 districts with the Ministry of Home Affairs codes.

Used by the data migration (first install) and by `manage.py load_regions` (refresh).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

DATA_FILE = Path(__file__).parent / "data" / "regions.csv"
COLUMNS = ("code", "name", "level", "parent_code")
LEVELS = ("province", "regency", "district")
# Kemendagri codes: province `31`, regency/city `31.71`, district `31.71.01` (some have 3 digits).
CODE_PATTERNS = {
    "province": re.compile(r"\d{2}"),
    "regency": re.compile(r"\d{2}\.\d{2}"),
    "district": re.compile(r"\d{2}\.\d{2}\.\d{2,3}"),
}


class RegionDataError(ValueError):
    """The data file is not a valid list of regions; nothing has been written."""


@dataclass(frozen=True)
class LoadResult:
    total: int
    created: int
    updated: int
    unchanged: int
    missing_from_file: list[str]  # codes in the database that the file no longer has


def read_regions(path: Path = DATA_FILE) -> list[dict]:
    """The rows of the file, validated: codes, levels, names and the parent chain."""
    try:
        with Path(path).open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            if tuple(reader.fieldnames or ()) != COLUMNS:
                raise RegionDataError(f"Expected the columns {', '.join(COLUMNS)}; found {reader.fieldnames}.")
            rows = [{key: (value or "").strip() for key, value in row.items()} for row in reader]
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise RegionDataError(f"Cannot read {path}: {exc}") from exc
    levels: dict[str, str] = {}
    for line, row in enumerate(rows, start=2):
        code, level, parent = row["code"], row["level"], row["parent_code"]
        if level not in CODE_PATTERNS:
            raise RegionDataError(f"Line {line}: unknown level {level!r}.")
        if not CODE_PATTERNS[level].fullmatch(code):
            raise RegionDataError(f"Line {line}: {code!r} is not a {level} code.")
        if not row["name"] or len(row["name"]) > 120:
            raise RegionDataError(f"Line {line}: a region needs a name of at most 120 characters.")
        if code in levels:
            raise RegionDataError(f"Line {line}: the code {code} appears twice.")
        expected_parent = code.rsplit(".", 1)[0] if "." in code else ""
        if parent != expected_parent:
            raise RegionDataError(f"Line {line}: the parent of {code} must be {expected_parent or 'empty'}, not {parent!r}.")
        levels[code] = level
    for line, row in enumerate(rows, start=2):
        parent = row["parent_code"]
        if parent and levels.get(parent) != LEVELS[LEVELS.index(row["level"]) - 1]:
            raise RegionDataError(f"Line {line}: the parent {parent} of {row['code']} is not in the file.")
    return rows


def load_regions(region_model, path: Path = DATA_FILE, *, using: str = "default") -> LoadResult:
    """Insert new regions and update changed names; parents first, so the foreign keys hold.

    Regions that the file no longer has are reported, not deleted: records may still point to them.
    """
    rows = read_regions(path)
    rows.sort(key=lambda r: LEVELS.index(r["level"]))
    manager = region_model.objects.db_manager(using)
    existing = {code: (name, level, parent) for code, name, level, parent in
                manager.values_list("code", "name", "level", "parent_id")}
    new, changed = [], []
    for row in rows:
        values = (row["name"], row["level"], row["parent_code"] or None)
        region = region_model(code=row["code"], name=values[0], level=values[1], parent_id=values[2])
        if row["code"] not in existing:
            new.append(region)
        elif existing[row["code"]] != values:
            changed.append(region)
    manager.bulk_create(new, batch_size=2000)
    if changed:
        manager.bulk_update(changed, ["name", "level", "parent"], batch_size=2000)
    in_file = {row["code"] for row in rows}
    return LoadResult(
        total=len(rows), created=len(new), updated=len(changed), unchanged=len(rows) - len(new) - len(changed),
        missing_from_file=sorted(set(existing) - in_file),
    )
