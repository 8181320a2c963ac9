"""Factsheet PDFs and annual reports open and contain the expected sections."""

import datetime
import shutil
import subprocess

import pytest

from lindungi.reports.factsheet import Period, factsheet_pdf
from lindungi.reports.tests.factories import make_case

pytestmark = pytest.mark.django_db


def pdf_text(data: bytes, tmp_path) -> str:
    path = tmp_path / "doc.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def pdf_pages(data: bytes, tmp_path) -> int:
    path = tmp_path / "doc.pdf"
    path.write_bytes(data)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")


def _data(world):
    for i in range(9):
        make_case(world.org_a, concerns=["online"] if i % 2 else ["trafficking"], sex="female" if i % 3 else "male",
                  age=15 if i % 2 else 12, registered=datetime.date(2012, 1 + i, 5))
    make_case(world.org_b, concerns=["marriage"], province="18", regency="18.71", registered=datetime.date(2012, 4, 1))


@needs_poppler
@pytest.mark.parametrize("language,expected", [
    ("id", ["Lembar fakta", "Angka utama", "Hasil hukum", "Jangkauan program"]),
    ("en", ["Factsheet", "Key figures", "Legal outcomes", "Program reach"]),
])
def test_the_factsheet_is_two_pages_with_its_sections(personas, tmp_path, language, expected):
    _data(personas)
    pdf = factsheet_pdf(user=personas.secretariat_me, level="network", period=Period.year(2012), language=language)
    assert pdf.startswith(b"%PDF")
    assert pdf_pages(pdf, tmp_path) == 2
    text = pdf_text(pdf, tmp_path)
    for heading in expected:
        assert heading in text, heading
    assert "<5" in text  # small cells are shown suppressed
    assert "Anak Fiktif" not in text


@needs_poppler
def test_a_province_factsheet_counts_only_that_province(personas, tmp_path):
    _data(personas)
    pdf = factsheet_pdf(user=personas.secretariat_me, level="network", period=Period.year(2012), province="18",
                        language="en")
    text = pdf_text(pdf, tmp_path)
    assert "LAMPUNG" in text.upper()
    assert pdf_pages(pdf, tmp_path) == 2
