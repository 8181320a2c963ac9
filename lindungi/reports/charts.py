"""Charts as SVG (matplotlib, Agg), the same drawing in web pages, PDFs and (as PNG) DOCX files.

* Text stays text (`svg.fonttype = "none"`), so charts are searchable, sharp and translatable.
* Our Content-Security-Policy has `style-src 'self'`: a `<style>` element or `style="…"`
  attributes inside an inline `<svg>` would be blocked. `clean_svg` turns matplotlib's styles
  into SVG presentation attributes (`fill="…"`, `font-size="…"`), drops the `<style>` element and
  the metadata, and adds an accessible title and description (`role="img"`, `<title>`, `<desc>`).
* Hidden (suppressed) values are never drawn as bars: the chart writes their label ("<5", "x")
  where the bar would start, and the table beside the chart says the same.
"""

from __future__ import annotations

import base64
import io
import re
from dataclasses import asdict, dataclass
from functools import lru_cache

import matplotlib

matplotlib.use("Agg")

from lxml import etree  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

SVG_NS = "http://www.w3.org/2000/svg"
PALETTE = ["#1d5c8c", "#c2571a", "#3b8a4e", "#7a4a9e", "#a1863b", "#4e8d9c", "#b24a6b", "#5c5c5c"]
HIDDEN_COLOUR = "#8a8a8a"
_SAFE_ID = re.compile(r"[^A-Za-z0-9_-]+")


@dataclass(frozen=True)
class Chart:
    chart_id: str
    title: str
    description: str
    svg: str  # inline-ready <svg> element, no style element or attributes

    def data_uri(self) -> str:
        """For PDFs: `<img src="data:image/svg+xml;base64,…">` (img-src allows data:)."""
        return "data:image/svg+xml;base64," + base64.b64encode(self.svg.encode()).decode()


def _figure(width_in: float, height_in: float) -> Figure:
    fig = Figure(figsize=(width_in, height_in), dpi=100)
    fig.patch.set_facecolor("white")
    return fig


def _style_axes(ax):
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.tick_params(labelsize=9, colors="#333333")


def _render(fig: Figure, chart_id: str, fmt: str) -> bytes:
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": chart_id, "font.family": "DejaVu Sans"}):
        buf = io.BytesIO()
        fig.savefig(buf, format=fmt, metadata={"Date": None} if fmt == "svg" else None,
                    dpi=150 if fmt == "png" else None)
    return buf.getvalue()


def clean_svg(raw: bytes, *, chart_id: str, title: str, description: str) -> str:
    """matplotlib's SVG without <style>, style attributes, metadata; with an accessible name."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, remove_blank_text=True)
    root = etree.fromstring(raw, parser)
    for element in list(root.iter()):
        if not isinstance(element.tag, str):
            continue
        local = etree.QName(element).localname
        if local in ("style", "metadata"):
            element.getparent().remove(element)
            continue
        style = element.attrib.pop("style", None)
        if style:
            for declaration in style.split(";"):
                if ":" in declaration:
                    name, value = declaration.split(":", 1)
                    element.set(name.strip(), value.strip())
    # Several charts share a page: keep only the ids something refers to (clip paths, markers),
    # which matplotlib already salts per chart; drop "figure_1", "axes_1", ... that would repeat.
    referenced = set(re.findall(r"#([^)\"' ]+)", etree.tostring(root, encoding="unicode")))
    for element in root.iter():
        if isinstance(element.tag, str) and element.get("id") and element.get("id") not in referenced:
            del element.attrib["id"]
    # The removed stylesheet said `* {stroke-linejoin: round; stroke-linecap: butt}`.
    root.set("stroke-linejoin", "round")
    root.set("stroke-linecap", "butt")
    safe = _SAFE_ID.sub("-", chart_id)
    root.set("role", "img")
    root.set("aria-labelledby", f"{safe}-title {safe}-desc")
    root.set("class", "chart-svg")
    desc = etree.Element(f"{{{SVG_NS}}}desc", id=f"{safe}-desc")
    desc.text = description
    root.insert(0, desc)
    title_el = etree.Element(f"{{{SVG_NS}}}title", id=f"{safe}-title")
    title_el.text = title
    root.insert(0, title_el)
    return etree.tostring(root, encoding="unicode")


def _describe(labels, displays) -> str:
    return "; ".join(f"{label}: {display}" for label, display in zip(labels, displays, strict=True))


@lru_cache(maxsize=256)
def _cached(kind: str, chart_id: str, title: str, labels: tuple, values: tuple, displays: tuple, fmt: str):
    """Charts are pure functions of published (suppressed) figures: safe and cheap to reuse."""
    draw = _bar_chart if kind == "bar" else _line_chart
    return draw(chart_id=chart_id, title=title, labels=list(labels), values=list(values), displays=list(displays),
                fmt=fmt)


@lru_cache(maxsize=256)
def _shared(kind: str, chart_id: str, title: str, labels: tuple, values: tuple, displays: tuple):
    """An SVG chart, also kept in the database cache (`freshness.py`) so that every worker process
    reuses it: drawing one with matplotlib costs more than counting a cached table. The key is
    every input of the drawing, so a stored chart cannot differ from a fresh one."""
    from lindungi.reports import freshness

    spec = _spec(kind, chart_id, title, labels, values, displays)
    found = freshness.cached(spec, lambda: asdict(_cached(kind, chart_id, title, labels, values, displays, "svg")))
    return Chart(**found)


def _spec(kind, chart_id, title, labels, values, displays) -> dict:
    """The database cache's key of a chart: every input of the drawing."""
    return {"chart": [kind, chart_id, title, list(labels), list(values), list(displays)]}


def _args(kind: str, chart_id: str, title, labels, values, displays) -> tuple:
    return kind, chart_id, str(title), tuple(map(str, labels)), tuple(values), tuple(map(str, displays))


def _chart(kind: str, chart_id: str, title: str, labels, values, displays, fmt: str):
    args = _args(kind, chart_id, title, labels, values, displays)
    return _shared(*args) if fmt == "svg" else _cached(*args, fmt)


def bar_chart(*, chart_id: str, title: str, labels, values, displays, fmt: str = "svg"):
    return _chart("bar", chart_id, title, labels, values, displays, fmt)


def line_chart(*, chart_id: str, title: str, labels, values, displays, fmt: str = "svg"):
    return _chart("line", chart_id, title, labels, values, displays, fmt)


def _bar_chart(*, chart_id: str, title: str, labels: list[str], values: list[int | None], displays: list[str],
              fmt: str = "svg"):
    """Horizontal bars, one per category; hidden values written as their label, not drawn."""
    height = max(1.4, 0.32 * len(labels) + 0.7)
    fig = _figure(6.2, height)
    ax = fig.add_subplot()
    positions = list(range(len(labels)))[::-1]
    drawn = [v if v is not None else 0 for v in values]
    ax.barh(positions, drawn, color=PALETTE[0], height=0.62)
    top = max([v for v in values if v] or [1])
    for y, value, display in zip(positions, values, displays, strict=True):
        colour = HIDDEN_COLOUR if value is None else "#222222"
        ax.text((value or 0) + top * 0.01, y, display, va="center", ha="left", fontsize=8.5, color=colour)
    ax.set_yticks(positions, labels=labels)
    ax.set_xlim(0, top * 1.15)
    ax.set_title(title, fontsize=10.5, loc="left", color="#111111")
    _style_axes(ax)
    # Fixed margins instead of bbox_inches="tight", which draws every figure twice.
    longest = max((len(label) for label in labels), default=4)
    fig.subplots_adjust(left=min(0.5, 0.04 + 0.0125 * longest), right=0.97, top=1 - 0.42 / height,
                        bottom=0.38 / height)
    return _finish(fig, chart_id, title, _describe(labels, displays), fmt)


def _line_chart(*, chart_id: str, title: str, labels: list[str], values: list[int | None], displays: list[str],
               fmt: str = "svg"):
    """A trend over periods; hidden values break the line and are written as their label."""
    fig = _figure(6.2, 2.4)
    ax = fig.add_subplot()
    xs = list(range(len(labels)))
    ys = [float("nan") if v is None else v for v in values]
    ax.plot(xs, ys, color=PALETTE[0], marker="o", markersize=3.5, linewidth=1.6)
    for x, value, display in zip(xs, values, displays, strict=True):
        if value is None:
            ax.text(x, 0, display, ha="center", va="bottom", fontsize=8.5, color=HIDDEN_COLOUR)
    step = max(1, len(labels) // 12)
    ax.set_xticks(xs[::step], labels=labels[::step], rotation=0)
    ax.set_ylim(0, max([v for v in values if v] or [1]) * 1.15)
    ax.set_title(title, fontsize=10.5, loc="left", color="#111111")
    _style_axes(ax)
    fig.subplots_adjust(left=0.08, right=0.97, top=0.86, bottom=0.14)
    return _finish(fig, chart_id, title, _describe(labels, displays), fmt)


def _finish(fig, chart_id, title, description, fmt):
    raw = _render(fig, chart_id, fmt)
    if fmt == "png":
        return raw
    return Chart(chart_id, title, description, clean_svg(raw, chart_id=chart_id, title=title, description=description))


NOT_DRAWN = object()  # `table_chart(..., only_if_drawn=True)`: a chart exists but is not drawn yet


def _drawn(kind: str, chart_id: str, title: str, labels, values, displays):
    """The SVG chart if some process already drew it (in-process or database cache), else None."""
    from lindungi.reports import freshness

    _version, found = freshness.lookup(freshness.spec_key(_spec(*_args(kind, chart_id, title, labels, values, displays))))
    return Chart(**found) if found else None


def table_chart(table, *, chart_id: str | None = None, fmt: str = "svg", only_if_drawn: bool = False):
    """The chart of a statistics table's row totals: a line over periods, bars otherwise. With
    `only_if_drawn`, a chart nobody has drawn yet is not drawn here: NOT_DRAWN says so (a page then
    loads it on its own, and shows its tables without waiting for matplotlib)."""
    chart_id = chart_id or table.key
    series = table.public_series()
    if not any(value for _label, value in series):
        return None  # nothing published to draw (all hidden or zero): the table says it all
    rows = table.display_rows()[:-1]
    labels = [label for label, _value in series]
    values = [value for _label, value in series]
    displays = [row[-1] for row in rows]
    kwargs = {"chart_id": chart_id, "title": table.title, "labels": labels, "values": values,
              "displays": displays, "fmt": fmt}
    kind = "line" if table.rows.key in ("year", "month") and len(labels) > 1 else "bar"
    if only_if_drawn and fmt == "svg":
        return _drawn(kind, chart_id, table.title, labels, values, displays) or NOT_DRAWN
    return line_chart(**kwargs) if kind == "line" else bar_chart(**kwargs)
