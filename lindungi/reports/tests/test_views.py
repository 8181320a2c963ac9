"""Pages, exports and the API twin: what they show, what they record, who may use them."""

import csv
import datetime
import html
import io
import json
import re

import pytest
from django.urls import reverse

from lindungi.audit.models import AuditEvent
from lindungi.reports.models import AnnualNarrative
from lindungi.reports.tests.factories import make_case

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def client_for(client_for):
    """Signed-in clients that read English (the default language is Indonesian)."""
    def make(user):
        c = client_for(user)
        c.cookies["django_language"] = "en"
        return c

    return make


@pytest.fixture
def data(personas):
    for i in range(8):
        make_case(personas.org_a, sex="female" if i < 6 else "male", age=15, worker=personas.caseworker_a,
                  registered=D(2012, 1 + i, 3), regency="31.71" if i % 2 else "31.72")
    for _ in range(6):
        make_case(personas.org_b, province="18", regency="18.71", concerns=["travel_tourism"], registered=D(2012, 5, 1))
    return personas


def _csv(response):
    return list(csv.reader(io.StringIO(b"".join(response).decode("utf-8-sig") if response.streaming
                                       else response.content.decode("utf-8-sig"))))


def test_the_dashboard_shows_suppressed_tables_and_inline_charts_without_styles(data, client_for):
    client = client_for(data.supervisor_a)
    params = {"level": "network", "year": 2012}
    first = client.get(reverse("reports:dashboard"), params).content.decode()
    # Charts nobody has drawn yet load on their own requests; the tables do not wait for them.
    assert "&lt;5" in first and "Anak Fiktif" not in first
    chart_urls = re.findall(r'hx-get="([^"]+)"', first)
    assert chart_urls and "<svg" not in first
    for url in chart_urls:
        fragment = client.get(html.unescape(url))
        assert fragment.status_code == 200
    # Drawn once, they are inline from then on.
    body = client.get(reverse("reports:dashboard"), params).content.decode()
    assert "hx-get" not in body.split("<main", 1)[-1].split("</main>", 1)[0]
    assert "<svg" in body and 'role="img"' in body
    svg = body[body.index("<svg"):body.index("</svg>")]
    assert "<style" not in svg and "style=" not in svg
    assert "&lt;5" in body
    assert "Anak Fiktif" not in body


def test_a_dashboard_chart_is_drawn_for_the_readers_own_level_only(data, client_for):
    url = reverse("reports:chart")
    query = {"measure": "children", "rows": "province", "level": "network", "year": 2012, "chart": "chart-1"}
    fragment = client_for(data.supervisor_a).get(url, query)
    assert fragment.status_code == 200
    body = fragment.content.decode()
    assert body.count("<svg") == 1 and "chart-1" in body
    assert "<style" not in body
    # A caseworker sees personal figures only: the network's chart is refused like its table.
    assert client_for(data.caseworker_a).get(url, query).status_code == 403
    assert client_for(data.supervisor_a).get(url, {**query, "rows": "nonsense"}).status_code == 400


def test_a_caseworker_sees_only_a_personal_dashboard(data, client_for):
    client = client_for(data.caseworker_a)
    assert client.get(reverse("reports:dashboard")).status_code == 200
    assert client.get(reverse("reports:dashboard"), {"level": "network"}).status_code == 403


def test_invalid_filters_are_explained(data, client_for):
    response = client_for(data.supervisor_a).get(reverse("reports:dashboard"), {"year": "1800"})
    assert response.status_code == 400
    response = client_for(data.supervisor_a).get(reverse("reports:table"), {"measure": "cases", "rows": "regency"})
    assert response.status_code == 400


def test_table_exports_are_suppressed_and_audited(data, client_for):
    client = client_for(data.supervisor_a)
    params = {"measure": "cases", "rows": "sex", "level": "network", "year": 2012}
    response = client.get(reverse("reports:table_export", args=["csv"]), params)
    rows = _csv(response)
    assert rows[0] == ["Sex", "Cases"]
    assert ["Male", "<5"] in rows
    event = AuditEvent.objects.filter(action="reports.export.csv").get()
    assert event.payload["table"] == "cases-by-sex"
    assert event.payload["filters"] == {"date_from": "2012-01-01", "date_to": "2012-12-31"}
    assert event.actor_id == data.supervisor_a.pk

    hxl = _csv(client.get(reverse("reports:table_export", args=["hxl"]), {**params, "cols": "age_group"}))
    assert hxl[1][0] == "#group+sex"
    assert "#affected+cases+age15_17" in hxl[1] and hxl[1][-1] == "#affected+cases+total"

    from openpyxl import load_workbook

    xlsx = client.get(reverse("reports:table_export", args=["xlsx"]), params)
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert ["Male", "<5"] in [v[:2] for v in values]
    assert AuditEvent.objects.filter(action__startswith="reports.export.").count() == 3


def test_exports_need_the_export_permission(data, client_for):
    response = client_for(data.caseworker_a).get(reverse("reports:table_export", args=["csv"]),
                                                 {"measure": "cases", "rows": "sex"})
    assert response.status_code == 403
    assert not AuditEvent.objects.filter(action__startswith="reports.export.").exists()


def test_the_anonymised_dataset_has_no_identifying_fields_and_generalises_rare_combinations(data, client_for):
    response = client_for(data.supervisor_a).post(reverse("reports:dataset"), {"level": "organisation"})
    assert response.status_code == 200
    rows = _csv(response)
    header, records = rows[0], rows[1:]
    assert header == ["record", "child", "organisation", "period", "province", "regency", "sex", "age_group",
                      "types", "status", "referrals"]
    # Two boys stay unique even once everything is generalised: they are left out.
    assert len(records) == 6
    body = response.content.decode("utf-8-sig")
    assert "Anak Fiktif" not in body and "ORGA-T-" not in body
    index = {name: n for n, name in enumerate(header)}
    combos = {}
    for r in records:
        key = tuple(r[index[c]] for c in ("province", "regency", "period", "sex", "age_group", "types"))
        combos[key] = combos.get(key, 0) + 1
    assert min(combos.values()) >= 5  # every combination is shared by at least k records
    assert len({r[index["child"]] for r in records}) == 6
    event = AuditEvent.objects.get(action="reports.export.dataset")
    assert event.payload["rows"] == 6 and event.payload["level"] == "organisation"
    # Pseudonyms are drawn afresh for each export.
    again = _csv(client_for(data.supervisor_a).post(reverse("reports:dataset"), {"level": "organisation"}))
    assert {r[1] for r in again[1:]}.isdisjoint({r[1] for r in records})


def test_the_annual_report_narrative_is_edited_per_year_and_language(data, client_for):
    client = client_for(data.secretariat_me)
    url = reverse("reports:annual_edit", args=[2012, "network"])
    form = client.get(url + "?lang=en")
    assert form.status_code == 200
    response = client.post(url + "?lang=en", {"intro": "Our network in 2012 (test).", "successes": "A success (test)."})
    assert response.status_code == 302
    narrative = AnnualNarrative.objects.get(year=2012, organisation=None, language="en")
    assert narrative.intro == "Our network in 2012 (test)."
    event = AuditEvent.objects.get(action="reports.annual.narrative_saved")
    assert event.payload["sections"] == ["intro", "successes"]
    page = client.get(reverse("reports:annual_detail", args=[2012, "network"]) + "?lang=en").content.decode()
    assert "Our network in 2012 (test)." in page and "A success (test)." in page
    assert not AnnualNarrative.objects.filter(language="id").exists()
    # A member organisation cannot write the network's report.
    assert client_for(data.me_a).post(url, {"intro": "x"}).status_code == 403


def test_an_organisation_writes_its_own_report_only(data, client_for):
    client = client_for(data.me_a)
    own = reverse("reports:annual_edit", args=[2012, data.org_a.code])
    other = reverse("reports:annual_edit", args=[2012, data.org_b.code])
    assert client.post(own, {"intro": "Organisasi A (uji)."}).status_code == 302
    assert client.post(other, {"intro": "x"}).status_code == 403
    assert client.get(reverse("reports:annual_edit", args=[2012, "NOSUCH"])).status_code == 404


def test_the_annual_report_downloads(data, client_for, tmp_path):
    from docx import Document

    from lindungi.reports.tests.test_documents import pdf_text

    client = client_for(data.viewer_a)
    docx = client.get(reverse("reports:annual_docx", args=[2012, "network"]) + "?lang=en")
    assert docx["Content-Type"].startswith("application/vnd.openxmlformats")
    document = Document(io.BytesIO(docx.content))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    for section in ("Profile and introduction", "Programs", "Case and legal statistics"):
        assert section in headings
    pdf = client.get(reverse("reports:annual_pdf", args=[2012, "network"]) + "?lang=en")
    text = pdf_text(pdf.content, tmp_path)
    assert "Annual report 2012" in text and "Case and legal statistics" in text
    assert client.get(reverse("reports:annual_pdf", args=[1800, "network"])).status_code == 400


def test_the_api_returns_suppressed_tables(data, client_for):
    response = client_for(data.secretariat_me).get(reverse("reports-api:statistics"),
                                                   {"measure": "children", "rows": "sex", "level": "network"})
    assert response.status_code == 200
    body = response.json()
    male = body["row_totals"][1]
    assert male == {"value": None, "display": "<5", "suppressed": True}
    assert body["threshold"] == 5
    assert "Anak" not in json.dumps(body)
    bad = client_for(data.secretariat_me).get(reverse("reports-api:statistics"), {"measure": "cases", "rows": "nope"})
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "invalid"


def test_the_api_factsheet_is_a_pdf_and_is_audited(data, client_for):
    response = client_for(data.me_a).get(reverse("reports-api:factsheet"), {"year": 2012, "language": "id"})
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert AuditEvent.objects.filter(action="reports.export.factsheet").exists()


def test_the_api_narrative_round_trip(data, client_for):
    client = client_for(data.secretariat_program)
    url = reverse("reports-api:narrative", args=[2012, "network"]) + "?lang=id"
    response = client.put(url, data=json.dumps({"challenges": "Tantangan (uji)."}), content_type="application/json")
    assert response.status_code == 200
    assert client.get(url).json()["challenges"] == "Tantangan (uji)."
    annual = client.get(reverse("reports-api:annual", args=[2012, "network"]) + "?lang=id").json()
    assert annual["sections"]["challenges"]["text"] == "Tantangan (uji)."
    assert annual["sections"]["challenges"]["generated"] is False


def test_the_home_page_shows_the_statistics_section(data, client_for):
    # Loaded lazily (core/home.py LAZY_SECTIONS): the home page has the placeholder, htmx the section.
    client = client_for(data.supervisor_a)
    url = reverse("core:home_section", args=["statistics"])
    assert f'hx-get="{url}"' in client.get(reverse("core:home")).content.decode()
    assert 'id="home-statistics"' in client.get(url, HTTP_HX_REQUEST="true").content.decode()
