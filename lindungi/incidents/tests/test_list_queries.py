"""The incident list page runs a fixed number of queries whatever the number of rows (no N+1),
for the ASSIGNED scope (a caseworker) as for the ORGANISATION scope (a supervisor)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lindungi.incidents.testing import add_perpetrator, record_incident, register_case

pytestmark = pytest.mark.django_db


def _queries(client, url) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    # Data keys created inside a test's transaction are not cached (by design); in production they are.
    return [q["sql"] for q in captured.captured_queries if "crypto_datakey" not in q["sql"]]


@pytest.mark.parametrize("persona", ["caseworker_a", "supervisor_a"])
def test_the_incident_list_uses_a_fixed_number_of_queries(iw, client_for, persona):
    client = client_for(getattr(iw, persona))
    url = reverse("incidents:list")
    client.get(url)  # the first request of a session writes its session records
    one = _queries(client, url)
    for index in range(6):
        case = register_case(iw.caseworker_a, full_name=f"Anak Daftar {index} (test)", supervisor=iw.supervisor_a)
        incident = record_incident(iw.caseworker_a, [case])
        add_perpetrator(iw.caseworker_a, incident, name=f"Pelaku {index} (test)")
    many = _queries(client, url)
    assert len(many) == len(one), "\n".join(many)
    assert incident.number in client.get(url).content.decode(), "the new rows are on the page"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's operator classes")
@pytest.mark.parametrize(("number_of", "where"), [
    ("incident_a", '"incidents_incident"."organisation_id" = %s AND "incidents_incident"."number"::text LIKE %s'),
    ("case_a", 'FROM "cases_case" U0 WHERE (U0."number"::text LIKE %s AND U0."organisation_id" IN (%s)'),
])
def test_a_search_by_number_is_a_prefix_match_the_prefix_indexes_serve(iw, number_of, where):
    """As legal.tests.test_list_queries: `number LIKE 'PREFIX%'` beside the organisation, which the
    (organisation_id, number varchar_pattern_ops) indexes serve, and no correlated subquery."""
    from lindungi.incidents.selectors import IncidentFilters, incident_list

    number = getattr(iw, number_of).number
    queryset = incident_list(user=iw.supervisor_a, filters=IncidentFilters(q=number.lower()))
    assert set(queryset) == {iw.incident_a}
    sql, params = queryset.query.sql_with_params()
    assert where in sql and f"{number}%" in params, sql
    assert "UPPER(" not in sql and "EXISTS" not in sql, sql
