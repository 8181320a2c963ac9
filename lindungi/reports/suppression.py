"""Small-cell suppression for published statistics (DOMAIN.md, "Aggregate statistics").

Rules (also in STATISTICS.md beside this module; the legend is shown under every table):

* **Primary suppression.** A count `n` with `0 < n < k` is hidden and shown as "<k" (k is
  `settings.LINDUNGI_SUPPRESSION_THRESHOLD`, default 5). Margins (row, column and grand totals)
  follow the same rule.
* **Zeros are published.** A zero names nobody, and publishing it keeps tables readable. Zeros are
  therefore never used as complementary cells either, so every hidden cell is at least 1.
* **Secondary (complementary) suppression.** A hidden cell must not be recoverable from the
  published cells and margins. Because the "<k" label tells a reader that a primary cell lies in
  1..k-1, and a complementary cell is known to be at least k, protection is checked *with those
  bounds*: a primary cell is protected when there is another table, consistent with everything
  published and with every hidden cell inside its bounds, in which that cell has a different value.
  For a two-way table with margins this is a flow problem: the table's equations form a bipartite
  network (row lines × column lines, margins included), a hidden cell is not determined exactly
  when it lies on a cycle of hidden cells around which ±1 can be moved within the bounds. For each
  unprotected primary cell we add the cheapest path of complementary cells (smallest counts first,
  reusing cells already hidden) that closes such a cycle. Adding hidden cells only adds cycles, so
  the result is a fixed point after one pass. In particular every row or column that holds a
  hidden cell holds at least two.
* **Margins are hidden only when they must be.** Complementary cells are taken from the inside of
  the table; a total is used as a complementary cell only when no interior cell can protect (e.g. a
  row whose only non-zero cell is small). Totals below k are hidden in every table alike, so tables
  that share a margin (province totals in province × sex and province × age) hide it consistently.
* **Fallback.** If no such cycle exists, every non-zero cell is hidden; if even that leaves a cell
  determined, the whole table is withheld.

The engine works on plain integers and knows nothing about the database; `tables.py` builds the
integers with GROUP BY queries and hands them here.
"""

from __future__ import annotations

import enum
import heapq
from collections import deque
from dataclasses import dataclass, field

MARGIN_PENALTY = 10**9
MIN_THRESHOLD = 3  # with k = 2, "<2" would mean exactly 1: the label itself would disclose.


class Mark(enum.Enum):
    PUBLISHED = "published"
    PRIMARY = "primary"  # 0 < n < k
    SECONDARY = "secondary"  # hidden so that a primary cell cannot be recovered


@dataclass(frozen=True)
class Cell:
    value: int
    mark: Mark = Mark.PUBLISHED

    @property
    def suppressed(self) -> bool:
        return self.mark is not Mark.PUBLISHED

    def public(self) -> int | None:
        """The value as published: None when hidden."""
        return None if self.suppressed else self.value

    def display(self, k: int) -> str:
        if self.mark is Mark.PRIMARY:
            return f"<{k}"
        if self.mark is Mark.SECONDARY:
            return "x"
        return str(self.value)


def check_threshold(k: int) -> int:
    if not isinstance(k, int) or k < MIN_THRESHOLD:
        raise ValueError(f"The suppression threshold must be an integer of at least {MIN_THRESHOLD}.")
    return k


def _can_move(value: int, mark: Mark, delta: int, k: int) -> bool:
    """Whether a hidden cell may take value+delta without contradicting what a reader knows."""
    new = value + delta
    if mark is Mark.PRIMARY:
        return 1 <= new <= k - 1
    if mark is Mark.SECONDARY:
        return new >= k
    return False


# --- one-way tables ------------------------------------------------------------------------------

@dataclass
class Suppressed1D:
    k: int
    cells: list[Cell]
    total: Cell
    withheld: bool = False


def suppress_1d(values: list[int], k: int, *, total: int | None = None, forced: set[int] = frozenset()) -> Suppressed1D:
    """Suppress a one-way table `values` with its total (the sum unless given, e.g. a distinct
    count). `forced` holds indexes (len(values) = the total) that must be hidden (linked tables)."""
    check_threshold(k)
    values = [int(v) for v in values]
    if any(v < 0 for v in values):
        raise ValueError("Counts cannot be negative.")
    total_value = sum(values) if total is None else int(total)
    n = len(values)
    allv = [*values, total_value]
    marks = [Mark.PRIMARY if 0 < v < k else Mark.PUBLISHED for v in allv]
    for index in forced:
        if allv[index] > 0 and marks[index] is Mark.PUBLISHED:
            marks[index] = Mark.SECONDARY

    def sign(i):  # cells add to the total: a move of +d in a cell is +d in the total
        return 1 if i < n else -1

    def partner_ok(e, f, d):
        # Move e by d; a cell partner moves by -d, the total partner by +d.
        return _can_move(allv[f], marks[f], -d * sign(e) * sign(f), k)

    def protected(e):
        for d in (1, -1):
            if not _can_move(allv[e], marks[e], d, k):
                continue
            for f in range(n + 1):
                if f != e and marks[f] is not Mark.PUBLISHED and partner_ok(e, f, d):
                    return True
        return False

    for e in range(n + 1):
        if marks[e] is not Mark.PRIMARY or protected(e):
            continue
        candidates = []
        for d in (1, -1):
            if not _can_move(allv[e], marks[e], d, k):
                continue
            for f in range(n + 1):
                if f == e or marks[f] is not Mark.PUBLISHED or allv[f] == 0:
                    continue
                if _can_move(allv[f], Mark.SECONDARY, -d * sign(e) * sign(f), k):
                    # Prefer cells over the total, then the smallest count.
                    candidates.append((f == n, allv[f], f))
        if not candidates:
            return _withhold_1d(allv, k)
        marks[min(candidates)[2]] = Mark.SECONDARY
    result = Suppressed1D(k, [Cell(v, m) for v, m in zip(values, marks[:n], strict=True)], Cell(total_value, marks[n]))
    return result


def _withhold_1d(allv, k) -> Suppressed1D:
    marks = [Mark.PRIMARY if 0 < v < k else (Mark.SECONDARY if v else Mark.PUBLISHED) for v in allv]
    return Suppressed1D(k, [Cell(v, m) for v, m in zip(allv[:-1], marks[:-1], strict=True)],
                        Cell(allv[-1], marks[-1]), withheld=True)


# --- two-way tables with margins -----------------------------------------------------------------

@dataclass
class Suppressed2D:
    k: int
    cells: list[list[Cell]]
    row_totals: list[Cell]
    col_totals: list[Cell]
    total: Cell
    withheld: bool = False
    secondary_count: int = field(default=0)

    def grid(self) -> list[list[Cell]]:
        """The extended grid: cells with the row totals as a last column and the column totals
        (and the grand total) as a last row."""
        rows = [[*row, rt] for row, rt in zip(self.cells, self.row_totals, strict=True)]
        rows.append([*self.col_totals, self.total])
        return rows


class _Grid:
    """The (R+1)×(C+1) extended grid as a bipartite network: vertex i (0..R) is row line i,
    vertex R+1+j is column line j; each cell (i, j) is an edge."""

    def __init__(self, values, k):
        self.V = values
        self.k = k
        self.R = len(values) - 1
        self.C = len(values[0]) - 1
        self.marks = [[Mark.PUBLISHED] * (self.C + 1) for _ in range(self.R + 1)]

    def sign(self, i, j) -> int:
        # Interior cells and the grand total enter the line equations with one sign, the row and
        # column totals with the other: moving F=+1 along an arc changes the cell by sign*1.
        interior = i < self.R and j < self.C
        grand = i == self.R and j == self.C
        return 1 if interior or grand else -1

    def col_vertex(self, j):
        return self.R + 1 + j

    def arcs(self, i, j, mark):
        """Residual arcs of cell (i, j) if it were hidden with `mark`: (from, to)."""
        s = self.sign(i, j)
        v = self.V[i][j]
        out = []
        if _can_move(v, mark, s, self.k):  # traversing row→column changes the cell by +s
            out.append((i, self.col_vertex(j)))
        if _can_move(v, mark, -s, self.k):
            out.append((self.col_vertex(j), i))
        return out

    def hidden(self):
        for i in range(self.R + 1):
            for j in range(self.C + 1):
                if self.marks[i][j] is not Mark.PUBLISHED:
                    yield i, j

    def _adjacency(self, exclude, *, with_candidates=False):
        adj: dict[int, list[tuple[int, int, tuple[int, int]]]] = {}
        for i in range(self.R + 1):
            for j in range(self.C + 1):
                if (i, j) == exclude:
                    continue
                mark = self.marks[i][j]
                if mark is not Mark.PUBLISHED:
                    cost = 0
                elif with_candidates and self.V[i][j] > 0:
                    mark, cost = Mark.SECONDARY, self.V[i][j]
                    if i == self.R or j == self.C:
                        # Margins are shared with other tables (a province total appears in the
                        # province × sex and the province × age table): hiding one here but not
                        # there would undo the protection. Use them only when no interior cell can.
                        cost += MARGIN_PENALTY
                else:
                    continue
                for a, b in self.arcs(i, j, mark):
                    adj.setdefault(a, []).append((b, cost, (i, j)))
        return adj

    def _directions(self, e):
        """For hidden cell e, the (start, goal) pairs of a path that closes a cycle through it."""
        i, j = e
        pairs = []
        for a, b in self.arcs(i, j, self.marks[i][j]):
            pairs.append((b, a))  # arc a→b of e, then a path b ⇝ a
        return pairs

    def protected(self, e) -> bool:
        adj = self._adjacency(e)
        for start, goal in self._directions(e):
            seen = {start}
            queue = deque([start])
            while queue:
                node = queue.popleft()
                if node == goal:
                    return True
                for nxt, _cost, _cell in adj.get(node, ()):
                    if nxt not in seen:
                        seen.add(nxt)
                        queue.append(nxt)
        return False

    def augment(self, e) -> bool:
        """Hide the cheapest set of published cells that closes a protecting cycle through e."""
        adj = self._adjacency(e, with_candidates=True)
        best = None
        for start, goal in self._directions(e):
            found = _cheapest_path(adj, start, goal)
            if found is not None and (best is None or found[0] < best[0]):
                best = found
        if best is None:
            return False
        for i, j in best[1]:
            if self.marks[i][j] is Mark.PUBLISHED:
                self.marks[i][j] = Mark.SECONDARY
        return True


def _cheapest_path(adj, start, goal):
    """Dijkstra over (sum of newly hidden counts, number of newly hidden cells)."""
    dist = {start: (0, 0)}
    prev: dict[int, tuple[int, tuple[int, int]]] = {}
    heap = [(0, 0, start)]
    while heap:
        cost, count, node = heapq.heappop(heap)
        if (cost, count) != dist.get(node):
            continue
        if node == goal:
            cells = []
            while node != start:
                node, cell = prev[node]
                cells.append(cell)
            return (cost, count), cells
        for nxt, step, cell in adj.get(node, ()):
            candidate = (cost + step, count + (1 if step else 0))
            if nxt not in dist or candidate < dist[nxt]:
                dist[nxt] = candidate
                prev[nxt] = (node, cell)
                heapq.heappush(heap, (*candidate, nxt))
    return None


def suppress_2d(cells: list[list[int]], k: int, *, row_totals: list[int] | None = None,
                col_totals: list[int] | None = None, total: int | None = None,
                forced: set[tuple[int, int]] = frozenset()) -> Suppressed2D:
    """Suppress an R×C table with its margins. Margins default to sums; pass them when they are
    distinct counts (then they may be less than the sums, and treating them as sums is the
    cautious choice). `forced` holds extended-grid positions (i, j) that must be hidden, where
    i == R is the column-total row and j == C the row-total column (for linked tables)."""
    check_threshold(k)
    if not cells or not cells[0]:
        raise ValueError("A two-way table needs at least one row and one column.")
    R, C = len(cells), len(cells[0])
    if any(len(row) != C for row in cells):
        raise ValueError("Every row must have the same number of columns.")
    values = [[int(v) for v in row] for row in cells]
    if any(v < 0 for row in values for v in row):
        raise ValueError("Counts cannot be negative.")
    rt = [sum(row) for row in values] if row_totals is None else [int(v) for v in row_totals]
    ct = [sum(values[i][j] for i in range(R)) for j in range(C)] if col_totals is None else [int(v) for v in col_totals]
    grand = sum(rt) if total is None else int(total)
    extended = [[*row, rt[i]] for i, row in enumerate(values)]
    extended.append([*ct, grand])

    grid = _Grid(extended, k)
    for i in range(R + 1):
        for j in range(C + 1):
            if 0 < extended[i][j] < k:
                grid.marks[i][j] = Mark.PRIMARY
    for i, j in forced:
        if extended[i][j] > 0 and grid.marks[i][j] is Mark.PUBLISHED:
            grid.marks[i][j] = Mark.SECONDARY

    withheld = False
    primaries = [e for e in grid.hidden() if grid.marks[e[0]][e[1]] is Mark.PRIMARY]
    # Smallest first: they are the hardest to protect, and their cycles often protect others.
    primaries.sort(key=lambda e: (extended[e[0]][e[1]], e))
    for e in primaries:
        if grid.protected(e):
            continue
        if not grid.augment(e):
            withheld = True
            break
    if withheld:
        for i in range(R + 1):
            for j in range(C + 1):
                if extended[i][j] > 0 and grid.marks[i][j] is Mark.PUBLISHED:
                    grid.marks[i][j] = Mark.SECONDARY
        # With everything hidden a reader knows only the bounds; withhold unless that protects.
        withheld = not all(grid.protected(e) for e in primaries)

    def cell(i, j):
        return Cell(extended[i][j], grid.marks[i][j])

    result = Suppressed2D(
        k=k,
        cells=[[cell(i, j) for j in range(C)] for i in range(R)],
        row_totals=[cell(i, C) for i in range(R)],
        col_totals=[cell(R, j) for j in range(C)],
        total=cell(R, C),
        withheld=withheld,
    )
    result.secondary_count = sum(1 for e in grid.hidden() if grid.marks[e[0]][e[1]] is Mark.SECONDARY)
    return result
