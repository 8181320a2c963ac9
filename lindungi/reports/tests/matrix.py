"""Permission matrix of the reports area: statistics are aggregates (every role sees some level);
exports of tables need `reports.statistics.export`; the anonymised dataset needs
`reports.dataset.export`; annual reports are readable by all; the network narrative is the
secretariat's to edit."""

from __future__ import annotations

from django.urls import reverse

EXPORTERS = {"supervisor_a", "me_a", "viewer_a", "supervisor_b", "secretariat_me"}
DATASET = {"supervisor_a", "me_a", "supervisor_b", "secretariat_me"}
NETWORK_EDITORS = {"secretariat_admin", "secretariat_me", "secretariat_program"}
NARRATIVE = {"intro": "Profil jaringan (uji).", "highlights": "", "successes": "", "lessons": "", "challenges": "",
             "closing": ""}


def everyone(status=200, anonymous=302):
    return {"anonymous": anonymous, "*": status}


def holders(persons, status, anonymous=302, other=403):
    return {"anonymous": anonymous, "*": other, **{p: status for p in persons}}


def _url(name, *args, query=""):
    return lambda w: reverse(name, args=args) + (f"?{query}" if query else "")


def build(world):
    from lindungi.reports.tests.factories import make_case

    # A few consenting cases so that tables have content (some cells get suppressed).
    for _ in range(6):
        make_case(world.org_a, worker=world.caseworker_a)
    make_case(world.org_b, province="18", regency="18.71", concerns=["abuse"])


TABLE_QUERY = "measure=cases&rows=sex&cols=age_group"
FACTSHEET_QUERY = "year=2012&language=en"

ROWS = []


def _rows():
    from lindungi.core.testing.matrix import Row

    return [
        Row("reports:dashboard", "GET", expect=everyone()),
        Row("reports:table", "GET", url=_url("reports:table", query=TABLE_QUERY), expect=everyone()),
        # A dashboard's chart at the reader's own (default) level: everyone who sees statistics.
        Row("reports:chart", "GET", url=_url("reports:chart", query="measure=cases&rows=sex&chart=chart-1"),
            expect=everyone()),
        Row("reports:table_export", "GET", url=_url("reports:table_export", "csv", query=TABLE_QUERY),
            expect=holders(EXPORTERS, 200)),
        Row("reports:dataset", "GET", expect=holders(DATASET, 200)),
        Row("reports:dataset", "POST", data=lambda w: {"year": "2012"}, expect=holders(DATASET, 200)),
        Row("reports:factsheet", "GET", expect=everyone()),
        Row("reports:factsheet_pdf", "GET", url=_url("reports:factsheet_pdf", query=FACTSHEET_QUERY),
            expect=everyone()),
        Row("reports:annual_list", "GET", expect=everyone()),
        Row("reports:annual_detail", "GET", url=_url("reports:annual_detail", 2012, "network"), expect=everyone()),
        Row("reports:annual_pdf", "GET", url=_url("reports:annual_pdf", 2012, "network", query="lang=en"),
            expect=everyone()),
        Row("reports:annual_docx", "GET", url=_url("reports:annual_docx", 2012, "network"), expect=everyone()),
        Row("reports:annual_edit", "GET", url=_url("reports:annual_edit", 2012, "network"),
            expect=holders(NETWORK_EDITORS, 200)),
        Row("reports:annual_edit", "POST", url=_url("reports:annual_edit", 2012, "network"),
            data=lambda w: NARRATIVE, expect=holders(NETWORK_EDITORS, 302)),
        # API twin
        Row("reports-api:statistics", "GET", api=True, url=_url("reports-api:statistics", query=TABLE_QUERY),
            expect=everyone(anonymous=401)),
        Row("reports-api:statistics-export", "GET", api=True,
            url=_url("reports-api:statistics-export", query=TABLE_QUERY + "&fmt=hxl"),
            expect=holders(EXPORTERS, 200, anonymous=401)),
        Row("reports-api:dataset", "GET", api=True, expect=holders(DATASET, 200, anonymous=401)),
        # Rendering a PDF per persona is slow: the API twin is checked for its gate here (an invalid
        # language answers 400 to everyone allowed) and for its PDF in test_views.
        Row("reports-api:factsheet", "GET", api=True, url=_url("reports-api:factsheet", query="year=2012&language=xx"),
            expect=everyone(400, anonymous=401)),
        Row("reports-api:annual", "GET", api=True, url=_url("reports-api:annual", 2012, "network"),
            expect=everyone(anonymous=401)),
        Row("reports-api:narrative", "GET", api=True, url=_url("reports-api:narrative", 2012, "network"),
            expect=everyone(anonymous=401)),
        Row("reports-api:narrative", "PUT", api=True, url=_url("reports-api:narrative", 2012, "network"),
            data=lambda w: NARRATIVE, expect=holders(NETWORK_EDITORS, 200, anonymous=401)),
    ]


ROWS = _rows()
