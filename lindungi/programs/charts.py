"""Server-side SVG charts (matplotlib, Agg backend). Text stays text (`svg.fonttype = 'none'`),
so charts are searchable and translatable; each chart is shown with its data table.

Charts are served as `<img src="….svg">` from a view rather than inlined: matplotlib writes a
`<style>` element, which the Content-Security-Policy (style-src 'self') would block inline.

    svg = bar_chart([("Jakarta", 12), ("Lampung", 7)], title="Activities by province")
"""

from __future__ import annotations

import io
from collections.abc import Sequence

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

BRAND = "#0b5d4b"
SECOND = "#8a5a00"
INK = "#1d2430"


def _figure(height: float) -> tuple[Figure, object]:
    fig = Figure(figsize=(7.0, height), dpi=100)
    ax = fig.add_subplot()
    ax.spines[["top", "right"]].set_visible(False)
    ax.tick_params(colors=INK, labelsize=9)
    return fig, ax


def _svg(fig: Figure) -> str:
    buffer = io.StringIO()
    with plt.rc_context({"svg.fonttype": "none", "svg.hashsalt": "lindungi", "font.family": "DejaVu Sans"}):
        fig.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None, "Creator": None})
    return buffer.getvalue()


def bar_chart(rows: Sequence[tuple[str, float]], *, title: str = "", value_label: str = "",
              targets: Sequence[float | None] | None = None, target_label: str = "", horizontal: bool = True,
              series_label: str = "") -> str:
    """A bar chart as SVG text. `targets` (optional, one per row) are drawn as markers."""
    labels = [str(label) for label, _value in rows]
    values = [float(value or 0) for _label, value in rows]
    height = max(2.2, 0.42 * len(rows) + 1.2) if horizontal else 3.6
    fig, ax = _figure(height)
    positions = list(range(len(rows)))
    if horizontal:
        ax.barh(positions, values, color=BRAND, label=series_label or None)
        ax.set_yticks(positions, labels)
        ax.invert_yaxis()
        ax.set_xlabel(value_label)
        for pos, value in zip(positions, values, strict=True):
            ax.annotate(f"{value:g}", (value, pos), xytext=(3, 0), textcoords="offset points", va="center",
                        fontsize=8, color=INK)
    else:
        ax.bar(positions, values, color=BRAND, label=series_label or None)
        ax.set_xticks(positions, labels, rotation=45 if len(rows) > 6 else 0, ha="right" if len(rows) > 6 else "center")
        ax.set_ylabel(value_label)
    if targets and any(t is not None for t in targets):
        points = [(pos, float(t)) for pos, t in zip(positions, targets, strict=True) if t is not None]
        xs, ys = zip(*points, strict=True)
        if horizontal:
            ax.scatter(ys, xs, marker="|", s=400, color=SECOND, linewidths=3, label=target_label or None, zorder=3)
        else:
            ax.scatter(xs, ys, marker="_", s=400, color=SECOND, linewidths=3, label=target_label or None, zorder=3)
    if series_label or target_label:
        # Below the plot, so it never hides a bar.
        ax.legend(frameon=False, fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.18), ncol=2)
    if title:
        ax.set_title(title, loc="left", fontsize=11, color=INK)
    if not rows:
        ax.text(0.5, 0.5, "—", ha="center", va="center", transform=ax.transAxes)
    return _svg(fig)


def line_chart(rows: Sequence[tuple[str, float]], *, title: str = "", value_label: str = "") -> str:
    fig, ax = _figure(3.2)
    labels = [str(label) for label, _v in rows]
    values = [float(v or 0) for _l, v in rows]
    ax.plot(range(len(rows)), values, marker="o", color=BRAND)
    ax.set_xticks(range(len(rows)), labels, rotation=45 if len(rows) > 8 else 0, ha="right" if len(rows) > 8 else "center")
    ax.set_ylabel(value_label)
    ax.set_ylim(bottom=0)
    if title:
        ax.set_title(title, loc="left", fontsize=11, color=INK)
    return _svg(fig)
