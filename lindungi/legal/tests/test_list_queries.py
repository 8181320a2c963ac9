"""The legal case list page runs a fixed number of queries whatever the number of rows (no N+1),
for the ASSIGNED scope (the legal officer, the victim's caseworker) as for the ORGANISATION scope."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lindungi.incidents.testing import add_perpetrator, record_incident, register_case
from lindungi.legal import services
from lindungi.legal.tests.conftest import days_ago, stage

pytestmark = pytest.mark.django_db


def _queries(client, url) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    # Data keys created inside a test's transaction are not cached (by design); in production they are.
    return [q["sql"] for q in captured.captured_queries if "crypto_datakey" not in q["sql"]]


@pytest.mark.parametrize("persona", ["legal_a", "caseworker_a", "supervisor_a"])
def test_the_legal_case_list_uses_a_fixed_number_of_queries(lw, client_for, persona):
    client = client_for(getattr(lw, persona))
    url = reverse("legal:list")
    client.get(url)  # the first request of a session writes its session records
    one = _queries(client, url)
    for index in range(4):
        case = register_case(lw.caseworker_a, full_name=f"Anak Perkara {index} (test)", supervisor=lw.supervisor_a)
        incident = record_incident(lw.caseworker_a, [case])
        add_perpetrator(lw.caseworker_a, incident, name=f"Terdakwa {index} (test)")
        created = services.legal_case_create(actor=lw.supervisor_a, incidents=[incident], assigned_officer=lw.legal_a,
                                   stage=stage("report"), entered_on=days_ago(10),
                                   data={"report_number": f"LP/B/{index}/2026/UJI", "court": "PN Uji"})
    many = _queries(client, url)
    assert len(many) == len(one), "\n".join(many)
    assert created.number in client.get(url).content.decode(), "the new rows are on the page"


def test_a_legal_cases_team_rows_are_read_through_their_own_index(lw):
    """sync_team reads them on every change of a legal case's officer or victims; without the
    partial index that was a scan of every team member of every case."""
    from lindungi.legal.services._common import legal_team_rows

    rows = legal_team_rows(lw.legal_case_a)
    assert {(row.case_id, row.user_id) for row in rows} == {(lw.case_a.pk, lw.legal_a.pk)}
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")  # a test table is too small to prefer an index
        plan = rows.explain()
    assert "case_team_legal_case_idx" in plan, plan
