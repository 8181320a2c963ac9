"""In a real browser: the dashboard (charts under our CSP), a factsheet and an annual report."""

from __future__ import annotations

import io
import re
import subprocess

import pytest
from django.conf import settings
from django.test import Client

from lindungi.core.testing.world import build_world
from lindungi.reports.tests.factories import make_case


def _sign_in(page, live_server, user):
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([
        {"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url},
        {"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": live_server.url},
    ])


def _pdf_text(data: bytes, tmp_path) -> str:
    path = tmp_path / "download.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


def _download(page, click) -> bytes:
    with page.expect_download(timeout=90_000) as info:
        click()
    return open(info.value.path(), "rb").read()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_statistics_factsheet_and_annual_report_in_the_browser(live_server, page, tmp_path):
    world = build_world()
    for i in range(7):
        make_case(world.org_a, sex="female" if i < 5 else "male", concerns=["online"] if i % 2 else ["trafficking"])
    user = world.secretariat_me
    _sign_in(page, live_server, user)
    violations = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)

    # The dashboard: charts inline, as SVG with an accessible name, and no CSP violation.
    page.goto(f"{live_server.url}/reports/?level=network&year=2012")
    assert page.get_by_role("heading", name=re.compile("Statistics")).first.is_visible()
    page.locator("svg[role=img]").first.wait_for()  # charts not drawn yet arrive on their own requests
    page.wait_for_function("() => !document.querySelector('main [hx-get]')")
    titles = [t.text_content() for t in page.locator("svg[role=img] > title").all()]
    assert "Child victims by province" in titles
    assert page.get_by_role("cell", name="<5").first.is_visible()
    assert not violations

    # The factsheet: from the form to a two-page PDF.
    page.goto(f"{live_server.url}/reports/factsheet/")
    page.get_by_label("Year").fill("2012")
    page.get_by_role("combobox", name=re.compile("^Language")).select_option("en")
    pdf = _download(page, lambda: page.get_by_role("button", name="Make the factsheet").click())
    assert pdf.startswith(b"%PDF")
    text = _pdf_text(pdf, tmp_path)
    assert "Key figures" in text and "Legal outcomes" in text and "Program reach" in text
    info = subprocess.run(["pdfinfo", str(tmp_path / "download.pdf")], capture_output=True, text=True).stdout
    assert re.search(r"Pages:\s+2\b", info)

    # The annual report: choose it, write a narrative section, download DOCX and PDF.
    page.goto(f"{live_server.url}/reports/annual/")
    page.get_by_label("Year").fill("2012")
    page.get_by_label("Report of").select_option("network")
    page.get_by_role("combobox", name=re.compile("^Language")).select_option("en")
    page.get_by_role("button", name="Open the report").click()
    page.wait_for_url(re.compile(r"/reports/annual/2012/network/"))
    assert page.get_by_role("heading", name="Annual report 2012").is_visible()
    assert page.get_by_role("heading", name="Case and legal statistics").is_visible()
    page.get_by_role("link", name="Edit the narrative").click()
    page.get_by_label("Profile and introduction").fill("A network of fictional organisations (browser test).")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(r"/reports/annual/2012/network/\?lang=en"))
    assert page.get_by_text("A network of fictional organisations (browser test).").is_visible()
    assert not violations

    docx = _download(page, lambda: page.get_by_role("link", name="DOCX").click())
    from docx import Document

    paragraphs = [p.text for p in Document(io.BytesIO(docx)).paragraphs]
    assert "A network of fictional organisations (browser test)." in paragraphs
    assert "Successes" in paragraphs or "Case and legal statistics" in paragraphs

    pdf = _download(page, lambda: page.get_by_role("link", name="PDF").click())
    assert "Annual report 2012" in _pdf_text(pdf, tmp_path)
