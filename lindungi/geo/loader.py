"""Loads Indonesia's regions from the data file shipped in the repo (see data/LICENSE)."""

from __future__ import annotations

import csv
from pathlib import Path

DATA_FILE = Path(__file__).parent / "data" / "regions.csv"


def read_regions(path: Path = DATA_FILE) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def load_regions(region_model, path: Path = DATA_FILE) -> int:
    """Insert or update every region; parents first, so the foreign keys hold. Returns the count."""
    rows = read_regions(path)
    order = {"province": 0, "regency": 1, "district": 2}
    rows.sort(key=lambda r: order[r["level"]])
    existing = set(region_model.objects.values_list("code", flat=True))
    new, changed = [], []
    for row in rows:
        region = region_model(code=row["code"], name=row["name"], level=row["level"], parent_id=row["parent_code"] or None)
        (changed if row["code"] in existing else new).append(region)
    region_model.objects.bulk_create(new, batch_size=2000)
    if changed:
        region_model.objects.bulk_update(changed, ["name", "level", "parent"], batch_size=2000)
    return len(rows)
