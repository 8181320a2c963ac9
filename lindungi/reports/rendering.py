"""PDF (WeasyPrint, from an HTML template and a print stylesheet) and DOCX (python-docx) output.

WeasyPrint fetches nothing from the network or the file system: charts are embedded as data URIs
and the stylesheet is read from this app, so a crafted URL in a narrative cannot make the server
read a local file or call another host.
"""

from __future__ import annotations

import io
from pathlib import Path

from django.template.loader import render_to_string

PRINT_CSS = Path(__file__).resolve().parent / "static" / "reports" / "print.css"
PDF_TYPE = "application/pdf"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class FetchRefused(ValueError):
    pass


def _fetcher():
    """A URL fetcher that only opens data: URIs (charts embedded in the HTML)."""
    try:
        from weasyprint.urls import URLFetcher
    except ImportError:  # WeasyPrint < 68: fetchers are plain functions
        from weasyprint import default_url_fetcher

        def fetch(url, *args, **kwargs):
            if not url.startswith("data:"):
                raise FetchRefused("PDF rendering loads nothing but embedded data.")
            return default_url_fetcher(url, *args, **kwargs)

        return fetch
    return URLFetcher(allowed_protocols={"data"}, timeout=2)


def pdf_from_template(template: str, context: dict) -> bytes:
    from weasyprint import CSS, HTML

    html = render_to_string(template, context)
    fetcher = _fetcher()
    stylesheet = CSS(string=PRINT_CSS.read_text(encoding="utf-8"), url_fetcher=fetcher)
    return HTML(string=html, url_fetcher=fetcher, base_url=None).write_pdf(stylesheets=[stylesheet])


# --- DOCX -------------------------------------------------------------------------------------

class Docx:
    """A thin writer over python-docx for reports communications staff will edit further."""

    def __init__(self, title: str, language: str):
        from docx import Document
        from docx.shared import Pt

        self.doc = Document()
        style = self.doc.styles["Normal"]
        style.font.name = "DejaVu Sans"
        style.font.size = Pt(10)
        self.doc.core_properties.title = title
        self.doc.core_properties.language = language
        self.doc.core_properties.author = "Lindungi"

    def heading(self, text: str, level: int = 1):
        self.doc.add_heading(text, level=level)

    def paragraphs(self, text: str):
        for block in [b.strip() for b in (text or "").split("\n\n") if b.strip()]:
            self.doc.add_paragraph(block)

    def paragraph(self, text: str, *, italic: bool = False):
        p = self.doc.add_paragraph()
        run = p.add_run(text)
        run.italic = italic
        return p

    def bullets(self, items):
        for item in items:
            self.doc.add_paragraph(str(item), style="List Bullet")

    def table(self, header: list[str], rows: list[list[str]]):
        table = self.doc.add_table(rows=1, cols=len(header))
        table.style = "Table Grid"
        for cell, text in zip(table.rows[0].cells, header, strict=True):
            cell.text = str(text)
            for run in cell.paragraphs[0].runs:
                run.bold = True
        for row in rows:
            cells = table.add_row().cells
            for cell, text in zip(cells, row, strict=True):
                cell.text = str(text)
        return table

    def image(self, png: bytes, width_cm: float = 15):
        from docx.shared import Cm

        self.doc.add_picture(io.BytesIO(png), width=Cm(width_cm))

    def bytes(self) -> bytes:
        buffer = io.BytesIO()
        self.doc.save(buffer)
        return buffer.getvalue()
