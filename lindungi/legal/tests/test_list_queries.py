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


def _plan(queryset) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a test table is too small to prefer an index
        cursor.execute("SET LOCAL enable_bitmapscan = off")
    return queryset.explain()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's plans and operator classes")
def test_the_list_of_an_organisation_is_read_in_order_from_its_index(lw):
    from lindungi.legal.selectors import LegalCaseFilters, legal_case_list

    plan = _plan(legal_case_list(user=lw.supervisor_a)[:25])
    assert "legal_org_list_idx" in plan and "Sort" not in plan, plan
    plan = _plan(legal_case_list(user=lw.supervisor_a, filters=LegalCaseFilters(status="closed"))[:25])
    assert "legal_org_list_idx" in plan, plan


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's operator classes")
@pytest.mark.parametrize(("number_of", "table", "where"), [
    ("legal_case_a", "legal_legalcase",
     '"legal_legalcase"."organisation_id" = %s AND "legal_legalcase"."number"::text LIKE %s'),
    ("incident_a", "incidents_incident",
     'FROM "incidents_incident" U0 WHERE (U0."number"::text LIKE %s AND U0."organisation_id" IN (%s)'),
    ("case_a", "cases_case", 'FROM "cases_case" U0 WHERE (U0."number"::text LIKE %s AND U0."organisation_id" IN (%s)'),
])
def test_a_search_by_number_is_a_prefix_match_its_organisations_prefix_index_serves(lw, number_of, table, where):
    """On a test's few rows PostgreSQL prefers any index of the organisation, so the plan cannot
    show it: the test checks the two halves instead. The search is `number LIKE 'PREFIX%'`
    beside the organisation (no UPPER(), which no index serves), and the table has an index on
    (organisation_id, number varchar_pattern_ops), which serves LIKE prefixes in any collation."""
    from lindungi.legal.selectors import LegalCaseFilters, legal_case_list

    number = getattr(lw, number_of).number
    queryset = legal_case_list(user=lw.supervisor_a, filters=LegalCaseFilters(q=number.lower()))
    assert lw.legal_case_a in queryset
    sql, params = queryset.query.sql_with_params()
    assert where in sql, sql
    assert "UPPER(" not in sql and f"{number}%" in params
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE tablename = %s", [table])
        definitions = [row[0] for row in cursor.fetchall()]
    assert any(d.endswith("(organisation_id, number varchar_pattern_ops)") for d in definitions), definitions


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's plans")
def test_the_hearings_of_a_period_are_read_from_their_own_index(lw):
    """calendar_events asks which legal cases of a scope have a hearing in the period. For a scope
    of hundreds of legal cases PostgreSQL reads the period's hearings once and matches them: without
    an index starting with the date, every hearing of the network (4,500 pages at a million cases)."""
    from lindungi.legal.models import Hearing, HearingStatus

    services.hearing_save(actor=lw.legal_a, legal_case=lw.legal_case_a, data={
        "date": days_ago(-6), "time": None, "court": "PN Uji", "agenda": "victim_testimony"})
    in_period = (Hearing.objects.filter(date__gte=days_ago(0), date__lte=days_ago(-14))
                 .exclude(status=HearingStatus.CANCELLED).values("legal_case_id"))
    assert [row["legal_case_id"] for row in in_period] == [lw.legal_case_a.pk]
    plan = _plan(in_period)
    assert "legal_hearing_upcoming_idx" in plan and "Heap" not in plan, plan
