"""Property tests of the suppression engine: for random tables, no hidden cell can be recovered.

The checks here do not trust the engine: they rebuild the table's equations from the published
output and show, for every hidden cell, a second table that a reader cannot tell apart from the
real one (same published cells and margins, every hidden cell within what its label says) in which
that cell has another value. They also check, with exact rational arithmetic, that no hidden cell
is a linear combination of what is published.
"""

from __future__ import annotations

from collections import deque
from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lindungi.reports.suppression import Mark, check_threshold, suppress_1d, suppress_2d

K = 5

small_counts = st.one_of(st.integers(0, 0), st.integers(1, 4), st.integers(5, 40))
tables = st.integers(1, 6).flatmap(
    lambda r: st.integers(1, 6).flatmap(lambda c: st.lists(st.lists(small_counts, min_size=c, max_size=c), min_size=r, max_size=r))
)


def _bounds(cell, k):
    if cell.mark is Mark.PRIMARY:
        return 1, k - 1
    if cell.mark is Mark.SECONDARY:
        return k, None
    return cell.value, cell.value


def _equations(R, C):
    """Each equation: list of ((i, j), coefficient) over the extended grid, summing to 0."""
    eqs = []
    for i in range(R + 1):
        eqs.append([((i, j), 1) for j in range(C)] + [((i, C), -1)])
    for j in range(C + 1):
        eqs.append([((i, j), 1) for i in range(R)] + [((R, j), -1)])
    return eqs


def _consistent(grid_values, R, C):
    return all(sum(grid_values[i][j] * coef for (i, j), coef in eq) == 0 for eq in _equations(R, C))


def _rank(rows):
    rows = [list(r) for r in rows]
    rank, col = 0, 0
    ncols = len(rows[0]) if rows else 0
    while rank < len(rows) and col < ncols:
        pivot = next((r for r in range(rank, len(rows)) if rows[r][col] != 0), None)
        if pivot is None:
            col += 1
            continue
        rows[rank], rows[pivot] = rows[pivot], rows[rank]
        for r in range(len(rows)):
            if r != rank and rows[r][col] != 0:
                factor = Fraction(rows[r][col], rows[rank][col])
                rows[r] = [a - factor * b for a, b in zip(rows[r], rows[rank], strict=True)]
        rank += 1
        col += 1
    return rank


def _determined_linearly(grid, R, C, target):
    """True when the hidden cell `target` is fixed by the equations alone (no bounds)."""
    hidden = [(i, j) for i in range(R + 1) for j in range(C + 1) if grid[i][j].suppressed]
    index = {cell: n for n, cell in enumerate(hidden)}
    matrix = []
    for eq in _equations(R, C):
        row = [Fraction(0)] * len(hidden)
        for cell, coef in eq:
            if cell in index:
                row[index[cell]] += coef
        if any(row):
            matrix.append(row)
    unit = [Fraction(1 if cell == target else 0) for cell in hidden]
    if not matrix:
        return False
    return _rank(matrix) == _rank([*matrix, unit])


def _second_completion(grid, R, C, target, k, *, use_bounds=True):
    """Search (breadth first, over ±1 moves around cycles of hidden cells) for another table
    consistent with everything published in which `target` differs. Returns it or None."""
    values = [[cell.value for cell in row] for row in grid]

    def sign(i, j):
        return 1 if (i < R and j < C) or (i == R and j == C) else -1

    def ok(i, j, delta):
        lo, hi = _bounds(grid[i][j], k) if use_bounds else (0, None)
        new = values[i][j] + delta
        return new >= lo and (hi is None or new <= hi)

    def arcs(i, j):
        s = sign(i, j)
        if ok(i, j, s):
            yield i, R + 1 + j, s
        if ok(i, j, -s):
            yield R + 1 + j, i, -s

    adj = {}
    for i in range(R + 1):
        for j in range(C + 1):
            if grid[i][j].suppressed and (i, j) != target:
                for a, b, delta in arcs(i, j):
                    adj.setdefault(a, []).append((b, (i, j), delta))
    ti, tj = target
    for a, b, delta in arcs(ti, tj):
        prev = {b: None}
        queue = deque([b])
        while queue:
            node = queue.popleft()
            if node == a:
                break
            for nxt, cell, d in adj.get(node, ()):
                if nxt not in prev:
                    prev[nxt] = (node, cell, d)
                    queue.append(nxt)
        if a not in prev:
            continue
        other = [row[:] for row in values]
        other[ti][tj] += delta
        node = a
        while prev[node] is not None:
            node, (i, j), d = prev[node]
            other[i][j] += d
        return other
    return None


def _check_protected_2d(cells, k, result):
    R, C = len(cells), len(cells[0])
    grid = result.grid()
    # (a) every published count is 0 or at least k.
    for row in grid:
        for cell in row:
            if not cell.suppressed:
                assert cell.value == 0 or cell.value >= k
            if cell.mark is Mark.PRIMARY:
                assert 0 < cell.value < k
    # (c) the margins are the real margins, and the published table is internally consistent.
    values = [[c.value for c in row] for row in grid]
    assert _consistent(values, R, C)
    assert [row[:-1] for row in values[:-1]] == cells
    if result.withheld:
        return
    # Every line holding a hidden cell holds at least two.
    for line in [*grid, *zip(*grid, strict=True)]:
        hidden = sum(1 for cell in line if cell.suppressed)
        assert hidden != 1
    # (b) no hidden cell can be recovered: exactly (linear algebra) or within the labels' bounds.
    for i in range(R + 1):
        for j in range(C + 1):
            if not grid[i][j].suppressed:
                continue
            assert not _determined_linearly(grid, R, C, (i, j)), (i, j)
            if grid[i][j].mark is not Mark.PRIMARY:
                continue
            other = _second_completion(grid, R, C, (i, j), k)
            assert other is not None, f"cell {(i, j)} is determined within its bounds"
            assert other[i][j] != values[i][j]
            assert _consistent(other, R, C)
            for a in range(R + 1):
                for b in range(C + 1):
                    lo, hi = _bounds(grid[a][b], k)
                    assert other[a][b] >= lo and (hi is None or other[a][b] <= hi)
                    if not grid[a][b].suppressed:
                        assert other[a][b] == values[a][b]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables)
def test_no_hidden_cell_of_a_two_way_table_can_be_recovered(cells):
    result = suppress_2d(cells, K)
    _check_protected_2d(cells, K, result)


@settings(max_examples=100, deadline=None)
@given(tables, st.integers(3, 10))
def test_protection_holds_for_any_threshold(cells, k):
    _check_protected_2d(cells, k, suppress_2d(cells, k))


@settings(max_examples=300, deadline=None)
@given(st.lists(small_counts, min_size=1, max_size=12))
def test_no_hidden_cell_of_a_one_way_table_can_be_recovered(values):
    result = suppress_1d(values, K)
    allc = [*result.cells, result.total]
    assert [c.value for c in result.cells] == values
    assert result.total.value == sum(values)
    for cell in allc:
        if not cell.suppressed:
            assert cell.value == 0 or cell.value >= K
    if result.withheld:
        return
    hidden = [n for n, cell in enumerate(allc) if cell.suppressed]
    assert len(hidden) != 1
    n = len(values)
    for e in hidden:
        if allc[e].mark is not Mark.PRIMARY:
            continue
        # A second completion: move e by ±1 and one other hidden entry so the sum still holds.
        found = False
        for d in (1, -1):
            for f in hidden:
                if f == e:
                    continue
                other = [c.value for c in allc]
                other[e] += d
                other[f] += -d if (e < n) == (f < n) else d
                in_bounds = all(
                    (lambda lo, hi, v: v >= lo and (hi is None or v <= hi))(*_bounds(allc[m], K), other[m])
                    for m in range(n + 1)
                )
                if in_bounds and sum(other[:n]) == other[n]:
                    found = True
        assert found, f"entry {e} of {values} is determined"


def test_a_small_cell_is_shown_as_below_the_threshold_and_zeros_are_published():
    result = suppress_1d([0, 3, 12, 9], 5)
    assert [c.display(5) for c in result.cells] == ["0", "<5", "12", "x"]
    assert result.cells[0].public() == 0
    assert result.cells[1].public() is None


def test_the_smallest_complementary_cell_is_chosen():
    result = suppress_1d([0, 3, 12, 9, 30], 5)
    assert [c.mark for c in result.cells] == [Mark.PUBLISHED, Mark.PRIMARY, Mark.PUBLISHED, Mark.SECONDARY, Mark.PUBLISHED]
    assert result.total.mark is Mark.PUBLISHED


def test_two_small_cells_in_a_row_protect_each_other_when_bounds_allow():
    # 2 + 3 = 5: a reader knows both are in 1..4 and sum to 5: (1,4),(2,3),(3,2),(4,1) all fit.
    result = suppress_1d([2, 3, 20], 5)
    assert [c.mark for c in result.cells] == [Mark.PRIMARY, Mark.PRIMARY, Mark.PUBLISHED]


def test_two_fours_are_not_left_alone_because_their_sum_would_give_them_away():
    # 4 + 4 = 8 with both in 1..4 means both are 4: a third cell must be hidden.
    result = suppress_1d([4, 4, 20, 30], 5)
    assert result.cells[2].mark is Mark.SECONDARY


def test_a_two_way_table_hides_a_complementary_rectangle():
    cells = [[3, 10, 20], [12, 15, 25], [30, 40, 50]]
    result = suppress_2d(cells, 5)
    grid = result.grid()
    assert grid[0][0].mark is Mark.PRIMARY
    hidden = {(i, j) for i in range(4) for j in range(4) if grid[i][j].suppressed}
    # The cheapest protection: the 2×2 rectangle through the smallest neighbours.
    assert hidden == {(0, 0), (0, 1), (1, 0), (1, 1)}
    assert result.total.value == 205 and not result.total.suppressed


def test_a_table_with_a_single_non_zero_cell_hides_its_margins():
    result = suppress_2d([[0, 0], [0, 3]], 5)
    grid = result.grid()
    assert grid[1][1].mark is Mark.PRIMARY
    assert grid[1][2].suppressed and grid[2][1].suppressed and grid[2][2].suppressed
    assert grid[0][0].public() == 0


def test_thresholds_below_three_are_refused():
    with pytest.raises(ValueError):
        check_threshold(2)
    with pytest.raises(ValueError):
        suppress_2d([[1]], 2)


def test_negative_counts_are_refused():
    with pytest.raises(ValueError):
        suppress_1d([-1, 4], 5)
