"""GET /api/v1/cases/ builds its page from plain values (`selectors.case_api_rows`): the same bytes
as `CaseListSerializer` over Case instances, the same pages and errors, no audit record, and a
number of queries that does not grow with the rows."""

import datetime
from unittest import mock
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.exceptions import NotFound
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from lindungi.api.errors import exception_handler
from lindungi.api.pagination import Pagination
from lindungi.audit.models import AuditEvent
from lindungi.cases import selectors, services
from lindungi.cases.models import Case
from lindungi.cases.serializers import CaseListSerializer
from lindungi.cases.testing import register

pytestmark = pytest.mark.django_db

URL = reverse("cases-api:case-list")


@pytest.fixture
def listed(w, case_a, today):
    """Org A: a transfer stub (case_a went to B), a case shared with B, an unassigned case with a
    province only, a closed case, a boy of unknown age, an adult; org B: a province-only case."""
    shared = register(w.caseworker_a, full_name="Budi Santoso", risk_level="high", risk_reason="Serumah (test)",
                      caseworker=w.caseworker_a, sex="male", birth_date=datetime.date(2019, 1, 2))
    share = services.share_request(actor=w.caseworker_a, case=shared, to_organisation=w.org_b, kind="share",
                                   reason="Anak pindah (test)", expires_on=today + datetime.timedelta(days=30))
    services.share_approve(actor=w.supervisor_a, share=share)
    services.share_accept(actor=w.supervisor_b, share=share)
    register(w.supervisor_a, full_name="Citra Dewi", regency=None, caseworker=None,
             registered_on=today - datetime.timedelta(days=3))
    closed = register(w.supervisor_a, full_name="Eka Sari", caseworker=w.caseworker_a, regency="31.73",
                      registered_on=today - datetime.timedelta(days=1))
    Case.objects.filter(pk=closed.pk).update(status="closed", closure_reason="goals_met", closed_on=today)
    unknown = register(w.supervisor_a, full_name="Fajar Nugroho", caseworker=w.caseworker2_a, sex="male",
                       registered_on=today - datetime.timedelta(days=2))
    Case.objects.filter(pk=unknown.pk).update(age_years=None)
    adult = register(w.supervisor_a, full_name="Gita Ayu", caseworker=w.caseworker_a, risk_level="low")
    Case.objects.filter(pk=adult.pk).update(age_years=19)
    transfer = services.share_request(actor=w.caseworker_a, case=case_a, to_organisation=w.org_b, kind="transfer",
                                      reason="Anak pindah (test)", expires_on=today + datetime.timedelta(days=30))
    services.share_approve(actor=w.supervisor_a, share=transfer)
    services.share_accept(actor=w.supervisor_b, share=transfer)
    register(w.caseworker_b, full_name="Dian Pratiwi", province="18", regency=None, caseworker=w.caseworker_b)
    return w


def _as_before(user, params: dict) -> tuple[int, bytes]:
    """What the list answered before: DRF's page of Case instances through CaseListSerializer."""
    request = Request(APIRequestFactory().get(URL, params))
    request.user = user
    paginator = Pagination()
    queryset = selectors.case_list(user=user, filters=selectors.CaseFilters.from_params(request.query_params))
    try:
        instances = paginator.paginate_queryset(queryset, request)
    except NotFound as error:
        response = exception_handler(error, {"request": request})
        return response.status_code, JSONRenderer().render(response.data)
    data = CaseListSerializer(instances, many=True, context={"request": request}).data
    return 200, JSONRenderer().render(paginator.get_paginated_response(data).data)


PARAMS = [
    {},
    {"page_size": 2},
    {"page_size": 2, "page": 2},
    {"page_size": 2, "page": "last"},
    {"page_size": 3, "page": 2, "sort": "number"},
    {"sort": "risk"},
    {"assigned_to": "none"},
    {"assigned_to": "me", "page_size": 1, "page": 2},
    {"province": "31", "page_size": 2, "page": 2},
    {"regency": "31.71"},
    {"status": "closed"},
    {"risk": "high"},
    {"q": "Budi Santoso"},
    {"q": "Citra", "page_size": 1},
    {"q": "ORGA-"},
    {"page": 99},
    {"page": "abc"},
    {"page": 0},
    {"page_size": 2, "page": 3, "open": "1"},
]


def test_the_list_answers_the_bytes_the_serializer_gave_for_every_user_page_and_filter(client_for, listed):
    users = [listed.supervisor_a, listed.caseworker_a, listed.caseworker2_a, listed.supervisor_b, listed.caseworker_b]
    seen = set()
    for user in users:
        client = client_for(user)
        for params in PARAMS:
            response = client.get(URL + ("?" + urlencode(params) if params else ""))
            status, expected = _as_before(user, params)
            assert (response.status_code, response.content) == (status, expected), (user.email, params)
            if status == 200:
                for row in response.json()["results"]:
                    seen.add(("stub", row["child_name"] is None))
                    seen.add(("unassigned", row["assigned_caseworker"] is None))
                    seen.add(("shared", row["shared"]))
                    seen.add(("province only", row["regency"] is None and row["province"] is not None))
                    seen.add(("closed", row["closure_reason"] != ""))
                    seen.add(("age", row["age_group"]))
                seen.add(("next", response.json()["next"] is not None))
                seen.add(("previous", response.json()["previous"] is not None))
            else:
                seen.add(("error", status))
    # Every kind of row, page and answer above was compared at least once.
    for kind in ("stub", "unassigned", "shared", "province only", "closed", "next", "previous"):
        assert {(kind, True), (kind, False)} <= seen, kind
    assert {("age", group) for group in ("unknown", "5-9", "10-14", "18+")} <= seen
    assert ("error", 404) in seen


def test_listing_records_nothing_and_builds_no_case_instances(client_for, listed):
    client = client_for(listed.supervisor_a)
    before = AuditEvent.objects.count()
    with mock.patch.object(Case, "from_db", side_effect=AssertionError("a Case instance was built")):
        response = client.get(URL)
    assert response.status_code == 200 and response.json()["count"] == 6
    assert AuditEvent.objects.count() == before


def _queries(client, params) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(URL + "?" + urlencode(params))
    assert response.status_code == 200
    # Data keys are cached once committed; those the test's transaction created are read per use.
    return [q["sql"] for q in captured.captured_queries if "crypto_datakey" not in q["sql"]]


def test_a_page_of_many_rows_costs_the_queries_of_a_page_of_one(client_for, listed):
    client = client_for(listed.supervisor_a)
    _queries(client, {})  # warm: session, data keys
    one = _queries(client, {"page_size": 1})  # a full page of one row: the count is read
    many = _queries(client, {"page_size": 5})  # a full page of five rows
    whole = _queries(client, {})  # a first page holding the whole list: no COUNT
    assert len(one) == len(many) == len(whole) + 1, (one, many, whole)
    assert sum(q.startswith("SELECT COUNT(*)") for q in whole) == 0
    # The rows in one query, whatever they show.
    assert sum('FROM "cases_case"' in q and not q.startswith("SELECT COUNT(*)") for q in many) == 1
    assert len(one) <= 12
