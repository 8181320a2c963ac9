"""Statistics tables: a measure broken down by one or two dimensions, counted by the database and
suppressed before anything leaves this module.

A table is computed with at most four GROUP BY queries over plain columns (cells, row margins,
column margins, grand total; a multi-valued dimension such as the exploitation type uses
conditional aggregation instead, so two queries). Margins are counted by the database, not summed:
with distinct counts (a child with two exploitation types, or seen in two regencies) a total can
be smaller than the sum of its cells, and it must be.

Raw counts stay inside `StatTable`; everything that renders or exports a table uses `public_*`
or `display_*`, which only ever show suppressed values.

Below province level (a regency breakdown) two extra rules apply:
* a regency breakdown needs a province filter (one province at a time);
* *rare categories are not shown below province level*: a category of the other dimension whose
  count in that province is under k is merged into "Other (rare categories)" before the regency
  breakdown is made; the merged column is then suppressed like any other.
"""

from __future__ import annotations

import datetime
from dataclasses import asdict, dataclass, field
from functools import reduce
from operator import or_

from django.conf import settings
from django.db.models import Case as CaseWhen
from django.db.models import Count, Q, QuerySet, Value, When
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lindungi.core.errors import DomainError
from lindungi.reports import cube, freshness
from lindungi.reports.dimensions import OTHER, Category, Dimension, dimension, short_label
from lindungi.reports.measures import Audience, Binding, Filters, Measure, measure
from lindungi.reports.suppression import Suppressed1D, Suppressed2D, check_threshold, suppress_1d, suppress_2d


def threshold() -> int:
    return check_threshold(int(getattr(settings, "LINDUNGI_SUPPRESSION_THRESHOLD", 5)))


def _norm(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return value.strftime("%Y-%m")
    return str(value)


@dataclass
class StatTable:
    measure: Measure
    rows: Dimension
    cols: Dimension | None
    filters: Filters
    audience: Audience
    k: int
    row_categories: list[Category]
    col_categories: list[Category]
    result: Suppressed1D | Suppressed2D
    notes: list[str] = field(default_factory=list)

    # --- naming ---------------------------------------------------------------------------
    @property
    def key(self) -> str:
        return f"{self.measure.key}-by-{self.rows.key}" + (f"-{self.cols.key}" if self.cols else "")

    @property
    def title(self) -> str:
        if self.cols:
            return _("%(measure)s by %(rows)s and %(cols)s") % {
                "measure": self.measure.label, "rows": str(self.rows.label).lower(), "cols": str(self.cols.label).lower()}
        return _("%(measure)s by %(rows)s") % {"measure": self.measure.label, "rows": str(self.rows.label).lower()}

    @property
    def withheld(self) -> bool:
        return self.result.withheld

    # --- published values -------------------------------------------------------------------
    def _row_cells(self):
        if isinstance(self.result, Suppressed1D):
            return [[cell] for cell in self.result.cells], list(self.result.cells), [self.result.total], self.result.total
        return self.result.cells, self.result.row_totals, self.result.col_totals, self.result.total

    def header(self) -> list[str]:
        if self.cols is None:
            return [str(self.rows.label), str(self.measure.label)]
        return [str(self.rows.label), *[short_label(self.cols.key, c) for c in self.col_categories], _("Total")]

    def display_rows(self) -> list[list[str]]:
        """Rows of strings as published ("<5" and "x" for hidden cells), the total row last."""
        if self.withheld:
            return []
        cells, row_totals, col_totals, total = self._row_cells()
        k = self.k
        out = []
        for category, row, row_total in zip(self.row_categories, cells, row_totals, strict=True):
            if self.cols is None:
                out.append([short_label(self.rows.key, category), row_total.display(k)])
            else:
                out.append([short_label(self.rows.key, category), *[c.display(k) for c in row], row_total.display(k)])
        if self.cols is None:
            out.append([_("Total"), total.display(k)])
        else:
            out.append([_("Total"), *[c.display(k) for c in col_totals], total.display(k)])
        return out

    def public_series(self) -> list[tuple[str, int | None]]:
        """(label, published value or None) per row category: what a chart may draw."""
        if self.withheld:
            return []
        _cells, row_totals, _col_totals, _total = self._row_cells()
        return [(short_label(self.rows.key, c), t.public()) for c, t in zip(self.row_categories, row_totals, strict=True)]

    def public_matrix(self) -> list[list[int | None]]:
        if self.withheld or self.cols is None:
            return []
        return [[c.public() for c in row] for row in self.result.cells]

    def public_total(self) -> int | None:
        return None if self.withheld else self.result.total.public()

    def total_display(self) -> str:
        return _("withheld") if self.withheld else self.result.total.display(self.k)

    def hidden_count(self) -> int:
        cells, row_totals, col_totals, total = self._row_cells()
        everything = [c for row in cells for c in row] + list(row_totals) + list(col_totals) + [total]
        return sum(1 for c in everything if c.suppressed)

    def to_json(self) -> dict:
        def cell(c):
            return {"value": c.public(), "display": c.display(self.k), "suppressed": c.suppressed}

        body = {
            "key": self.key,
            "title": self.title,
            "measure": self.measure.key,
            "rows": self.rows.key,
            "columns": self.cols.key if self.cols else None,
            "threshold": self.k,
            "withheld": self.withheld,
            "filters": self.filters.for_audit(),
            "audience": self.audience.level,
            "row_categories": [{"code": c.code, "label": c.label} for c in self.row_categories],
            "column_categories": [{"code": c.code, "label": c.label} for c in self.col_categories],
            "notes": self.notes,
        }
        if self.withheld:
            return body | {"cells": [], "row_totals": [], "column_totals": [], "total": None}
        cells, row_totals, col_totals, total = self._row_cells()
        body["cells"] = [[cell(c) for c in row] for row in cells] if self.cols else []
        body["row_totals"] = [cell(c) for c in row_totals]
        body["column_totals"] = [cell(c) for c in col_totals] if self.cols else []
        body["total"] = cell(total)
        return body


# --- computing -------------------------------------------------------------------------------

def filtered_queryset(m: Measure, audience: Audience, filters: Filters) -> QuerySet:
    qs = m.base().filter(m.audience_q(audience)).order_by()
    if filters.date_from:
        qs = qs.filter(**{f"{m.date_field}__gte": filters.date_from})
    if filters.date_to:
        qs = qs.filter(**{f"{m.date_field}__lte": filters.date_to})
    for key in ("province", "regency", "organisation", "type"):
        value = getattr(filters, key)
        if not value:
            continue
        binding = m.bindings.get(key)
        if binding is None:
            # Never ignore a filter silently: a province factsheet must not show national figures.
            raise DomainError(gettext_lazy("%(measure)s cannot be filtered by %(dimension)s.") % {
                "measure": m.label, "dimension": str(dimension(key).label).lower()}, code="invalid_filter")
        if binding.multi:
            qs = qs.filter(binding.multi(str(value)))
        elif binding.field:
            qs = qs.filter(**{binding.field: value})
        else:
            qs = qs.alias(_filter=binding.expression()).filter(_filter=value)
    return qs


def _group(qs: QuerySet, alias: str, binding: Binding, merge: set[str] | None = None) -> QuerySet:
    expression = binding.expression() if binding.expression else None
    if merge:
        source = alias + "_raw"
        qs = qs.annotate(**{source: expression}) if expression is not None else qs.alias(**{source: _f(binding.field)})
        return qs.annotate(**{alias: CaseWhen(When(**{f"{source}__in": sorted(merge)}, then=Value(OTHER)),
                                              default=_f(source), output_field=_char())})
    return qs.annotate(**{alias: expression if expression is not None else _f(binding.field)})


def _f(name):
    from django.db.models import F

    return F(name)


def _char():
    from django.db.models import CharField

    return CharField()


def _multi_conditions(binding: Binding, codes: list[str], merge: set[str] | None) -> list[tuple[str, Q]]:
    merge = merge or set()
    out = [(code, binding.multi(code)) for code in codes if code not in merge]
    if merge:
        out.append((OTHER, reduce(or_, [binding.multi(code) for code in sorted(merge)])))
    return out


def _by(m: Measure, qs: QuerySet, dim: Dimension, merge: set[str] | None, distinct: bool) -> dict[str, int]:
    """One margin: {category: n} for one dimension (one query)."""
    binding = m.bindings[dim.key]
    if binding.through and not merge:
        # Each record counted once per category it has (distinct: a value can repeat, e.g. an online
        # incident with two subtypes); categories outside the fixed list are not shown, as below.
        grouped = dict(qs.values_list(binding.through).annotate(n=Count("pk", distinct=True)).order_by())
        return {code: grouped.get(code, 0) for code, _label in dim.fixed}
    if binding.multi:
        conds = _multi_conditions(binding, [c for c, _l in dim.fixed], merge)
        agg = qs.aggregate(**{f"c{i}": m.counter(cond, distinct=distinct) for i, (_c, cond) in enumerate(conds)})
        return {code: agg[f"c{i}"] or 0 for i, (code, _cond) in enumerate(conds)}
    grouped = _group(qs, "_r", binding, merge).values("_r").annotate(n=m.counter(distinct=distinct)).order_by()
    return {_norm(r["_r"]): r["n"] for r in grouped}


def _cells(m: Measure, qs: QuerySet, rows: Dimension, cols: Dimension, merge: set[str] | None,
           distinct: bool) -> dict:
    """The interior cells as [[row, col, n], ...] (one query); with a multi-valued column dimension
    the same query also gives the row margins ("rows")."""
    rb, cb = m.bindings[rows.key], m.bindings[cols.key]
    if cb.multi:
        conds = _multi_conditions(cb, [c for c, _l in cols.fixed], merge)
        annotations = {f"c{i}": m.counter(cond, distinct=distinct) for i, (_c, cond) in enumerate(conds)}
        grouped = _group(qs, "_r", rb).values("_r").annotate(n=m.counter(distinct=distinct), **annotations).order_by()
        cells, row_totals = [], {}
        for row in grouped:
            r = _norm(row["_r"])
            row_totals[r] = row["n"]
            cells += [[r, code, row[f"c{i}"] or 0] for i, (code, _cond) in enumerate(conds)]
        return {"cells": cells, "rows": row_totals}
    both = _group(_group(qs, "_r", rb), "_c", cb, merge).values("_r", "_c").annotate(n=m.counter(distinct=distinct)).order_by()
    return {"cells": [[_norm(x["_r"]), _norm(x["_c"]), x["n"]] for x in both]}


def _counts(m: Measure, qs: QuerySet, rows: Dimension, cols: Dimension | None, audience: Audience,
            merge: set[str] | None = None, filters: Filters | None = None):
    """Raw counts: ({(r, c): n}, {r: n}, {c: n}, total). Each part (total, a margin, the cells) is
    one query, cached by data version (`freshness.py`) at the network and organisation levels, so
    tables that share a margin or a total (a dashboard's, a factsheet's) count it once."""
    if filters is not None:
        answered = cube.counts(m, rows, cols, audience, filters, merge)
        if answered is not None:
            return answered
    distinct = audience.level == Audience.PERSONAL  # the team join can repeat a case
    merged = sorted(merge or ())

    def part(name: list, compute):
        if filters is None or audience.level == Audience.PERSONAL:
            return compute()
        spec = {"measure": m.key, "level": audience.level, "organisation": audience.organisation_id,
                "filters": asdict(filters), "part": name}
        return freshness.cached(spec, compute)

    total = part(["total"], lambda: qs.aggregate(n=m.counter(distinct=distinct))["n"] or 0)
    if cols is None:
        return {}, part(["by", rows.key, []], lambda: _by(m, qs, rows, None, distinct)), {}, total
    found = part(["cells", rows.key, cols.key, merged], lambda: _cells(m, qs, rows, cols, merge, distinct))
    cells = {(r, c): n for r, c, n in found["cells"]}
    row_totals = found.get("rows")
    if row_totals is None:
        row_totals = part(["by", rows.key, []], lambda: _by(m, qs, rows, None, distinct))
    col_totals = part(["by", cols.key, merged], lambda: _by(m, qs, cols, merge, distinct))
    return cells, row_totals, col_totals, total


def compute_table(*, measure_key: str, rows: str, cols: str | None = None, filters: Filters | None = None,
                  audience: Audience, k: int | None = None) -> StatTable:
    filters = filters or Filters()
    k = check_threshold(k if k is not None else threshold())
    m = measure(measure_key)
    row_dim = dimension(rows)
    col_dim = dimension(cols) if cols else None
    for dim in filter(None, [row_dim, col_dim]):
        if not m.supports(dim.key):
            raise DomainError(gettext_lazy("%(measure)s cannot be broken down by %(dimension)s.") % {
                "measure": m.label, "dimension": str(dim.label).lower()}, code="invalid_dimension")
    if col_dim and col_dim.key == row_dim.key:
        raise DomainError(gettext_lazy("Choose two different breakdowns."), code="invalid_dimension")
    if col_dim and col_dim.below_province:
        row_dim, col_dim = col_dim, row_dim  # regencies always go down the side
    if col_dim and m.bindings[row_dim.key].multi:
        if m.bindings[col_dim.key].multi:
            raise DomainError(gettext_lazy("These two breakdowns cannot be combined."), code="invalid_dimension")
        return _transpose(compute_table(measure_key=measure_key, rows=col_dim.key, cols=row_dim.key,
                                        filters=filters, audience=audience, k=k))
    if row_dim.below_province and not filters.province:
        raise DomainError(gettext_lazy("Choose a province to see figures by regency/city."), code="province_required",
                          fields={"province": [str(gettext_lazy("Choose a province."))]})

    qs = filtered_queryset(m, audience, filters)

    def count_all() -> dict:
        merge: set[str] = set()
        if row_dim.below_province and col_dim is not None:
            # No rare category below province level: merge categories that are rare in the province.
            _cells, province_cols, _none, _total = _counts(m, qs, col_dim, None, audience, filters=filters)
            merge = {code for code, n in province_cols.items() if n < k and code != OTHER}
        cells, row_totals, col_totals, total = _counts(m, qs, row_dim, col_dim, audience, merge, filters)
        return {"merge": sorted(merge), "cells": [[r, c, n] for (r, c), n in cells.items()], "rows": row_totals,
                "cols": col_totals, "total": total}

    if audience.level == Audience.PERSONAL:
        counted = count_all()
    else:  # the whole table's counts in one lookup; its parts are cached (and shared) on their own
        counted = freshness.cached({"table": [m.key, row_dim.key, col_dim.key if col_dim else None, k],
                                    "level": audience.level, "organisation": audience.organisation_id,
                                    "filters": asdict(filters)}, count_all)
    merge = set(counted["merge"])
    cells = {(r, c): n for r, c, n in counted["cells"]}
    row_totals, col_totals, total = counted["rows"], counted["cols"], counted["total"]
    notes = []
    if merge:
        notes.append(_("Categories with fewer than %(k)s in the province are merged into “Other”.") % {"k": k})

    row_categories = row_dim.categories(row_totals.keys())
    if col_dim is None:
        col_categories = []
        values = [row_totals.get(c.code, 0) for c in row_categories]
        result = suppress_1d(values, k, total=total)
    else:
        col_codes = set(col_totals) | {c for (_r, c) in cells}
        if merge:
            kept = [c for c in col_dim.categories(col_codes - {OTHER}) if c.code not in merge]
            col_categories = kept + [Category(OTHER, short_label(col_dim.key, Category(OTHER, "")))]
        else:
            col_categories = col_dim.categories(col_codes)
        matrix = [[cells.get((r.code, c.code), 0) for c in col_categories] for r in row_categories]
        if not row_categories:
            matrix = [[0] * len(col_categories)]
            row_categories = [Category("", _("None"))]
        result = suppress_2d(
            matrix, k,
            row_totals=[row_totals.get(r.code, 0) for r in row_categories],
            col_totals=[col_totals.get(c.code, 0) for c in col_categories],
            total=total,
        )
    if result.withheld:
        notes.append(_("This breakdown is withheld: there are too few cases to publish it safely."))
    return StatTable(m, row_dim, col_dim, filters, audience, k, row_categories, col_categories, result, notes)


def _transpose(table: StatTable) -> StatTable:
    r = table.result
    transposed = Suppressed2D(
        k=r.k, cells=[list(col) for col in zip(*r.cells, strict=True)], row_totals=r.col_totals,
        col_totals=r.row_totals, total=r.total, withheld=r.withheld, secondary_count=r.secondary_count,
    )
    return StatTable(table.measure, table.cols, table.rows, table.filters, table.audience, table.k,
                     table.col_categories, table.row_categories, transposed, table.notes)
