"""No N+1 on list pages: on the synthetic network, a page full of rows costs the same number of
queries as a page with a few rows (the organisation with the most records against the one with
the fewest), and stays under a fixed bound."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lindungi.accounts.models import Organisation, User
from lindungi.cases.models import Case
from lindungi.incidents.models import Incident
from lindungi.legal.models import LegalCase
from lindungi.programs.models import Activity

pytestmark = pytest.mark.django_db

MAX_QUERIES = 30

PAGES = [
    # url name, role of the user reading it, model counted, organisation field of that model
    ("cases:list", "supervisor", Case, "organisation"),
    ("incidents:list", "supervisor", Incident, "organisation"),
    ("legal:list", "supervisor", LegalCase, "organisation"),
    ("programs:activity_list", "program_officer", Activity, "organisation"),
    ("programs:list", "program_officer", None, None),
]


def _queries(client, url) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return [q["sql"].split(" WHERE ")[0][:120] for q in captured.captured_queries]


@pytest.mark.parametrize(("url_name", "role", "model", "org_field"), PAGES)
def test_list_pages_cost_the_same_queries_for_many_rows_as_for_few(generated, client_for, url_name, role, model,
                                                                    org_field):
    orgs = list(Organisation.objects.filter(kind="member", code__startswith="SN"))
    if model is not None:
        sizes = {org.pk: model.objects.filter(**{org_field: org}).count() for org in orgs}
        orgs = sorted((org for org in orgs if sizes[org.pk]), key=lambda org: sizes[org.pk])  # a page with rows
        small, big = orgs[0], orgs[-1]
        assert sizes[big.pk] > sizes[small.pk]  # an extra query per row would show as a difference
    else:
        small, big = orgs[0], orgs[-1]
    url = reverse(url_name)
    counts = []
    for org in (big, small):
        user = User.objects.filter(organisation=org, memberships__role=role).order_by("email").first()
        client = client_for(user)
        _queries(client, url)  # warm: session, keys
        counts.append(_queries(client, url))
    # A first page that holds the whole list needs no COUNT (core.pagination.page_of_rows): the
    # small organisation's page may read one query less, that one; everything else is the same.
    big_queries, small_queries = ([q for q in queries if not q.startswith("SELECT COUNT(*)")] for queries in counts)
    assert len(big_queries) == len(small_queries), (url_name, counts)
    assert 0 <= len(counts[0]) - len(counts[1]) <= 1, (url_name, counts)
    assert len(counts[0]) <= MAX_QUERIES
