"""The initial reference lists (activity types, stakeholder groups, age groups, currencies,
countries), from the small data files in `data/`. The secretariat's administrators and M&E officers
edit them later in Lindungi; loading again only adds what is missing."""

from __future__ import annotations

import csv
import json
from pathlib import Path

DATA = Path(__file__).parent / "data"


def _rows(name: str) -> list[dict]:
    with (DATA / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def load_reference(get_model) -> None:
    """`get_model(name)` returns the model class (the real one, or a migration's historical one)."""
    lists = json.loads((DATA / "reference.json").read_text(encoding="utf-8"))
    for model_name, key in (("ActivityType", "activity_types"), ("StakeholderGroup", "stakeholder_groups"),
                            ("AgeGroup", "age_groups")):
        model = get_model(model_name)
        for row in lists[key]:
            values = dict(row)
            model.objects.get_or_create(code=values.pop("code"), defaults=values)
    Currency = get_model("Currency")
    for row in _rows("currencies.csv"):
        Currency.objects.get_or_create(code=row["code"], defaults={"name": row["name"]})
    Country = get_model("Country")
    for row in _rows("countries.csv"):
        Country.objects.get_or_create(code=row["code"], defaults={"name_en": row["name_en"], "name_id": row["name_id"]})
