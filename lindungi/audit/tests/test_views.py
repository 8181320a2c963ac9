"""The audit trail page, its CSV download and the API: administrators, own organisation only."""

import csv
import datetime
import io

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lindungi.audit.models import AuditEvent
from lindungi.audit.services import record


@pytest.fixture
def trail(personas):
    w = personas
    record("cases.case.viewed", actor=w.caseworker_a, obj=("cases.case", "case-a-1"), payload={"fields": ["full_name"]})
    record("cases.case.updated", actor=w.supervisor_a, obj=("cases.case", "case-a-1"),
           payload={"fields": ["risk_level", "narrative"], "status": {"from": "open", "to": "closed"}})
    record("accounts.login.succeeded", actor=w.supervisor_a, obj=w.supervisor_a)
    record("cases.case.viewed", actor=w.caseworker_b, obj=("cases.case", "case-b-1"), payload={"fields": ["nik"]})
    return w


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def page_events(response):
    return [e.seq for e in response.context["page"].object_list]


def org_a_seqs(w):
    return list(AuditEvent.objects.filter(organisation=w.org_a).order_by("-seq").values_list("seq", flat=True))


def test_an_administrator_sees_their_organisations_events_newest_first(trail):
    response = client_for(trail.admin_a).get(reverse("audit:list"))
    assert response.status_code == 200
    assert page_events(response) == org_a_seqs(trail)
    html = response.content.decode()
    assert "case-a-1" in html and "case-b-1" not in html
    assert "Caseworker A" in html  # the actor's name
    assert "risk_level, narrative" in html  # the payload as key/values
    assert response["Cache-Control"].count("no-store") == 1


def test_another_organisations_administrator_sees_only_their_own(trail):
    response = client_for(trail.admin_b).get(reverse("audit:list"))
    assert {AuditEvent.objects.get(seq=s).organisation_id for s in page_events(response)} == {trail.org_b.pk}
    response = client_for(trail.secretariat_admin).get(reverse("audit:list"))
    assert all(AuditEvent.objects.get(seq=s).organisation_id == trail.org_s.pk for s in page_events(response))


@pytest.mark.parametrize("query, expected", [
    ({"action": "cases."}, ["cases.case.updated", "cases.case.viewed"]),
    ({"action": "cases.case.viewed"}, ["cases.case.viewed"]),
    ({"action": "ACCOUNTS.login", "object_type": "accounts.user"}, ["accounts.login.succeeded"] * 2),  # + admin's
    ({"object_type": "cases.case", "object_id": "case-a-1"}, ["cases.case.updated", "cases.case.viewed"]),
    ({"object_id": "nothing-here"}, []),
])
def test_filters(trail, query, expected):
    response = client_for(trail.admin_a).get(reverse("audit:list"), query)
    assert [e.action for e in response.context["page"].object_list] == expected


def test_filter_by_actor(trail):
    response = client_for(trail.admin_a).get(reverse("audit:list"), {"actor": trail.supervisor_a.pk})
    assert {e.actor_id for e in response.context["page"].object_list} == {trail.supervisor_a.pk}
    # Someone of another organisation is not a choice.
    response = client_for(trail.admin_a).get(reverse("audit:list"), {"actor": trail.caseworker_b.pk})
    assert "actor" in response.context["form"].errors


def test_filter_by_dates(trail):
    old = AuditEvent.objects.get(action="cases.case.updated")
    today = timezone.localdate()
    client = client_for(trail.admin_a)
    response = client.get(reverse("audit:list"), {"since": today.isoformat(), "until": today.isoformat()})
    assert old.seq in page_events(response)
    tomorrow = (today + datetime.timedelta(days=1)).isoformat()
    assert page_events(client.get(reverse("audit:list"), {"since": tomorrow})) == []
    yesterday = (today - datetime.timedelta(days=1)).isoformat()
    assert page_events(client.get(reverse("audit:list"), {"until": yesterday})) == []


def test_bad_filters_show_an_error_and_no_entries(trail):
    response = client_for(trail.admin_a).get(reverse("audit:list"), {"since": "2026-02-02", "until": "2026-01-01",
                                                                      "action": "cases;drop"})
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"until", "action"}
    assert page_events(response) == []


def test_the_list_is_paginated(trail):
    for i in range(60):
        record("test.page.filler", actor=trail.admin_a, payload={"i": i})
    client = client_for(trail.admin_a)
    first = client.get(reverse("audit:list"), {"action": "test."})
    assert len(page_events(first)) == 50 and first.context["page"].has_next()
    second = client.get(reverse("audit:list"), {"action": "test.", "page": 2})
    assert len(page_events(second)) == 10
    assert 'href="?action=test.&amp;page=2"' in first.content.decode()


def read_csv(response):
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(body[1:])))


def test_the_csv_download_holds_the_filtered_trail_and_is_audited(trail):
    response = client_for(trail.admin_a).get(reverse("audit:export"), {"action": "cases.", "actor": trail.caseworker_a.pk})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="audit-ORGA-' in response["Content-Disposition"]
    rows = read_csv(response)
    assert [(r["action"], r["object_id"], r["actor"]) for r in rows] == [("cases.case.viewed", "case-a-1", "Caseworker A")]
    exported = AuditEvent.objects.get(action="audit.trail.exported")
    assert exported.actor_id == trail.admin_a.pk and exported.organisation_id == trail.org_a.pk
    assert exported.payload == {"filters": {"action": "cases.", "actor": trail.caseworker_a.pk}, "format": "csv"}


def test_the_csv_download_of_everything_includes_only_the_organisation(trail):
    rows = read_csv(client_for(trail.admin_a).get(reverse("audit:export")))
    assert {r["organisation_id"] for r in rows} == {str(trail.org_a.pk)}
    assert "case-b-1" not in str(rows)


def test_the_csv_cannot_smuggle_spreadsheet_formulas(trail):
    trail.caseworker_a.full_name = '=HYPERLINK("http://example.invalid")'
    trail.caseworker_a.save()
    rows = read_csv(client_for(trail.admin_a).get(reverse("audit:export"), {"actor": trail.caseworker_a.pk}))
    assert rows[0]["actor"].startswith("'=")


def test_the_csv_download_refuses_bad_filters(trail):
    response = client_for(trail.admin_a).get(reverse("audit:export"), {"since": "not a date"})
    assert response.status_code == 400
    assert not AuditEvent.objects.filter(action="audit.trail.exported").exists()


# --- API ---------------------------------------------------------------------------------------

def test_the_api_lists_the_organisations_events(trail):
    response = client_for(trail.admin_a).get(reverse("audit-api:event-list"))
    assert response.status_code == 200
    data = response.json()
    assert [e["seq"] for e in data["results"]] == org_a_seqs(trail)
    viewed = next(e for e in data["results"] if e["action"] == "cases.case.viewed")
    assert viewed["actor"] == {"id": trail.caseworker_a.pk, "name": "Caseworker A"}
    assert viewed["payload"] == {"fields": ["full_name"]} and viewed["object_id"] == "case-a-1"
    assert set(viewed) >= {"seq", "at", "organisation", "ip", "request_id", "hash", "prev_hash"}


def test_the_api_filters_like_the_page(trail):
    client = client_for(trail.admin_a)
    query = {"action": "accounts.", "actor": trail.supervisor_a.pk, "page_size": 1}
    data = client.get(reverse("audit-api:event-list"), query).json()
    assert [e["action"] for e in data["results"]] == ["accounts.login.succeeded"]
    assert data["count"] == 1


def test_the_api_answers_bad_filters_with_the_error_shape(trail):
    response = client_for(trail.admin_a).get(reverse("audit-api:event-list"), {"since": "yesterday"})
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid" and "since" in error["fields"]


def test_the_api_refuses_non_administrators_and_audits_it(trail):
    response = client_for(trail.supervisor_a).get(reverse("audit-api:event-list"))
    assert response.status_code == 403
    assert AuditEvent.objects.filter(action="security.access.denied", actor=trail.supervisor_a).exists()
