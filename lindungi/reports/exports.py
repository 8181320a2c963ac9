"""Exports: every statistics table as CSV, XLSX and HXL-tagged CSV (suppressed values only), and an
anonymised case-level dataset for sharing within the network.

The anonymised dataset (one row per consenting case) has no identifying field at all: no name,
number, date of birth, address or free text. Dates are coarsened to the month, ages to the age
group, places to the regency; ids are pseudonyms drawn afresh for every export (a child seen by two
organisations gets the same pseudonym *within* one export, through the network blind index, and
unrelated ones across exports). Then, because a rare combination can still single a child out,
the quasi-identifiers (regency, month, sex, age group, exploitation types) are generalised until every combination
is shared by at least k records (k = the suppression threshold):
1. regency → blank (province only);
2. month → year;
3. sex and age group → blank;
4. exploitation types → blank;
5. province → blank;
and a record that is still rare after all that is left out.
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
import secrets
from collections import Counter

from django.db.models import Count
from django.utils.translation import gettext as _

from lindungi.reports.measures import Audience, Filters, measure
from lindungi.reports.tables import StatTable, filtered_queryset, threshold

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _csv(rows) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerows(rows)
    # A byte-order mark so that spreadsheet programs read the Indonesian accents right.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _safe_cell(value):
    """Spreadsheet formula injection: a text cell never starts with = + - @."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@") and not value.lstrip("-").isdigit():
        return "'" + value
    return value


def table_csv(table: StatTable) -> bytes:
    return _csv([[_safe_cell(v) for v in row] for row in [table.header(), *table.display_rows()]])


def _as_number(display: str):
    return int(display) if display.isdigit() else display


def table_xlsx(table: StatTable) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = table.measure.key[:31]
    ws.append([table.title])
    ws["A1"].font = Font(bold=True, size=13)
    filters = table.filters.for_audit()
    ws.append([_("Filters"), ", ".join(f"{k}={v}" for k, v in filters.items()) or _("none")])
    ws.append([])
    ws.append(table.header())
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)
    for row in table.display_rows():
        ws.append([_safe_cell(row[0]), *[_as_number(v) for v in row[1:]]])
    ws.append([])
    ws.append([legend(table.k)])
    for note in table.notes:
        ws.append([note])
    ws.column_dimensions["A"].width = 34
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def legend(k: int) -> str:
    return _("“<%(k)s”: fewer than %(k)s, hidden to protect children; “x”: hidden so that another hidden "
             "figure cannot be worked out from the totals.") % {"k": k}


def table_hxl(table: StatTable) -> bytes:
    """Wide HXL: a header row, a hashtag row, then the rows (hidden values as "<5" or "x")."""
    rows_dim = table.rows
    header = [str(rows_dim.label)]
    tags = [rows_dim.hxl_tag]
    with_names = rows_dim.key in ("province", "regency", "organisation")
    if with_names:
        header.append(_("Name"))
        tags.append(rows_dim.hxl_tag.replace("+code", "+name"))
    if table.cols is None:
        header.append(str(table.measure.label))
        tags.append(table.measure.hxl_tag)
    else:
        for category in table.col_categories:
            header.append(category.label)
            tags.append(table.measure.hxl_tag + table.cols.hxl_attribute(category.code))
        header.append(_("Total"))
        tags.append(table.measure.hxl_tag + "+total")
    out = [header, tags]
    displayed = table.display_rows()
    for category, row in zip([*table.row_categories, None], displayed, strict=False):
        code = category.code if category is not None else _("Total")
        values = row[1:]
        out.append([code, row[0], *values] if with_names else [code, *values])
    return _csv([[_safe_cell(v) for v in row] for row in out])


# --- the anonymised case-level dataset -----------------------------------------------------------

DATASET_COLUMNS = ["record", "child", "organisation", "period", "province", "regency", "sex", "age_group",
                   "types", "status", "referrals"]


def _age_group(years):
    from lindungi.reports.dimensions import AGE_GROUPS

    if years is None:
        return "unknown"
    bounds = {"0-4": 4, "5-9": 9, "10-14": 14, "15-17": 17}
    for code, _label in AGE_GROUPS:
        if code in bounds and years <= bounds[code]:
            return code
    return "18+"


def _generalise(records: list[dict], k: int) -> list[dict]:
    steps = [
        lambda r: r.update(regency=""),
        lambda r: r.update(period=r["period"][:4]),
        lambda r: r.update(sex="", age_group=""),
        lambda r: r.update(types=""),
        lambda r: r.update(province=""),
    ]

    def key(r):
        return (r["province"], r["regency"], r["period"], r["sex"], r["age_group"], r["types"])

    for step in steps:
        counts = Counter(key(r) for r in records)
        rare = [r for r in records if counts[key(r)] < k]
        if not rare:
            return records
        for r in rare:
            step(r)
    # Still unique after every generalisation: such a record is left out of the dataset.
    counts = Counter(key(r) for r in records)
    return [r for r in records if counts[key(r)] >= k]


def anonymised_dataset(audience: Audience, filters: Filters) -> tuple[bytes, int]:
    """CSV bytes and the number of records. Counts only consenting cases (the cases measure)."""
    from lindungi.reports.measures import _child_key

    qs = filtered_queryset(measure("cases"), audience, filters)
    if audience.level == Audience.PERSONAL:
        qs = qs.distinct()
    rows = list(
        qs.annotate(child_key=_child_key(""), referral_count=Count("referrals", distinct=True))
        .values("child_key", "organisation__code", "registered_on", "province_id", "regency_id", "sex",
                "age_years", "concerns", "status", "referral_count")
    )
    salt = secrets.token_bytes(16)  # per export: pseudonyms cannot be linked across exports
    secrets.SystemRandom().shuffle(rows)  # record numbers say nothing about registration order
    records = []
    for n, row in enumerate(rows, start=1):
        child = hmac.new(salt, str(row["child_key"]).encode(), hashlib.sha256).hexdigest()[:10]
        records.append({
            "record": f"R{n:05d}",
            "child": f"C{child}",
            "organisation": row["organisation__code"],
            "period": row["registered_on"].strftime("%Y-%m"),
            "province": row["province_id"] or "",
            "regency": row["regency_id"] or "",
            "sex": row["sex"],
            "age_group": _age_group(row["age_years"]),
            "types": ";".join(sorted(c for c in (row["concerns"] or []))),
            "status": row["status"],
            "referrals": row["referral_count"],
        })
    records = _generalise(records, threshold())
    for n, record in enumerate(records, start=1):
        record["record"] = f"R{n:05d}"
    return _csv([DATASET_COLUMNS, *[[r[c] for c in DATASET_COLUMNS] for r in records]]), len(records)
