"""What the statistics cubes' tests compare: a table's raw counts from the GROUP BY queries over the
data (the cubes switched off), and counts with the interior cells that are zero left out (the
cubes keep no cell for a combination nobody is in, the queries none either, except zeros)."""

from __future__ import annotations

from unittest import mock

from lindungi.reports import cube, tables


def counted_from_the_data(m, rows, cols, audience, filters, merge=None):
    with mock.patch.object(cube, "answerable", return_value=False):
        return tables._counts(m, tables.filtered_queryset(m, audience, filters).order_by(), rows, cols, audience,
                              merge, filters)


def without_empty_cells(counted):
    cells, row_totals, col_totals, total = counted
    return {key: n for key, n in cells.items() if n}, row_totals, col_totals, total
