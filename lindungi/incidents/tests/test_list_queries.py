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
