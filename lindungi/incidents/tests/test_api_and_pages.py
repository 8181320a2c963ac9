"""The incident pages and their API twin: the same services, the error shape, the labels."""

import datetime
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from lindungi.accounts.testing import make_user
from lindungi.audit.models import AuditEvent
from lindungi.core.policy import Role
from lindungi.incidents.models import Incident, Platform

pytestmark = pytest.mark.django_db


def test_the_api_records_reads_and_changes_an_incident(iw, client_for):
    client = client_for(iw.caseworker_a)
    body = {"cases": [str(iw.case2_a.pk)], "types": ["online"], "online_subtypes": ["extortion"],
            "occurred_on": (timezone.localdate() - datetime.timedelta(days=3)).isoformat(), "setting": "online",
            "source": "child", "platforms": ["telegram"], "modus": ["online_grooming"]}
    response = client.post(reverse("incidents-api:incident-list"), json.dumps(body), content_type="application/json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["cases"] == [{"id": str(iw.case2_a.pk), "number": iw.case2_a.number}]
    assert data["platforms"] == ["telegram"] and "online" in data["contexts"]
    url = reverse("incidents-api:incident-detail", args=[data["id"]])
    response = client.patch(url, json.dumps({"verification": "verified", "date_precision": "month"}),
                            content_type="application/json")
    assert response.status_code == 200 and response.json()["verification"] == "verified"
    assert response.json()["occurred_on"].endswith("-01")
    listing = client.get(reverse("incidents-api:incident-list") + "?type=online").json()
    assert [row["id"] for row in listing["results"]] == [data["id"]]


def test_api_errors_have_the_one_shape(iw, client_for):
    client = client_for(iw.caseworker_a)
    body = {"cases": [str(iw.case_b.pk)], "types": ["abuse"], "occurred_on": "2024-01-01", "setting": "home",
            "source": "family"}
    response = client.post(reverse("incidents-api:incident-list"), json.dumps(body), content_type="application/json")
    assert response.status_code == 400
    assert response.json()["error"]["fields"]["cases"]
    response = client_for(iw.supervisor_b).get(reverse("incidents-api:incident-detail", args=[iw.incident_a.pk]))
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"


def test_the_choices_list_the_recommended_terms_and_the_synonyms(iw, client_for):
    data = client_for(iw.legal_a).get(reverse("incidents-api:choices"), HTTP_ACCEPT_LANGUAGE="en").json()
    labels = [item["label"] for item in data["exploitation_types"]]
    assert "Exploitation of children in prostitution" in labels
    assert not any("child prostitute" in label.lower() for label in labels)
    assert {"term": "child prostitute", "type": "prostitution"} in data["search_synonyms"]


def test_the_form_records_an_incident_and_the_page_shows_it(iw, client_for):
    client = client_for(iw.caseworker_a)
    response = client.get(reverse("incidents:create") + f"?case={iw.case2_a.pk}")
    assert response.status_code == 200 and iw.case2_a.number in response.content.decode()
    response = client.post(reverse("incidents:create"), {
        "case_numbers": iw.case2_a.number, "types": ["abuse"], "occurred_on": "2025-03-10", "date_precision": "year",
        "setting": "home", "source": "family", "verification": "reported", "province": "31"})
    assert response.status_code == 302
    incident = Incident.objects.get(case_links__case=iw.case2_a)
    assert incident.occurred_on == datetime.date(2025, 1, 1)
    page = client.get(response["Location"]).content.decode()
    assert incident.number in page and "2025" in page


def test_a_refused_form_keeps_the_input_and_says_why(iw, client_for):
    response = client_for(iw.caseworker_a).post(reverse("incidents:create"), {
        "case_numbers": "XX-2020-00001", "types": ["abuse"], "occurred_on": "2025-03-10", "date_precision": "day",
        "setting": "home", "source": "family", "verification": "reported"})
    assert response.status_code == 400
    assert "XX-2020-00001" in response.content.decode()


def test_the_list_filters_with_a_synonym_and_never_labels_with_it(iw, client_for):
    page = client_for(iw.supervisor_a).get(reverse("incidents:list") + "?q=child+prostitute",
                                           HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert iw.incident_a.number in page
    assert page.lower().count("child prostitute") == 1  # only in the search box, never as a label


@pytest.mark.parametrize("persona", ["admin_a", "supervisor_a", "supervisor_b"])
def test_member_organisations_are_refused_the_platform_list_and_it_is_audited(iw, client_for, persona):
    """Pages and API alike: a member organisation's administrator or supervisor gets 403, nothing
    changes, and each refusal is recorded as denied access."""
    user = getattr(iw, persona)
    client = client_for(user)
    platform = Platform.objects.get(code="tiktok")
    before = list(Platform.objects.order_by("code").values())
    page = reverse("incidents:reference_edit", args=["platforms", platform.pk])
    assert client.get(page).status_code == 403
    assert client.post(page, {"code": "tiktok", "label_id": "Diubah", "label_en": "Renamed", "order": 1}).status_code == 403
    assert client.post(reverse("incidents:reference", args=["platforms"]),
                       {"code": "line", "label_id": "LINE", "label_en": "LINE", "order": 95,
                        "is_active": "on"}).status_code == 403
    api = reverse("incidents-api:platform-detail", args=[platform.pk])
    assert client.patch(api, json.dumps({"is_active": False}), content_type="application/json").status_code == 403
    response = client.post(reverse("incidents-api:platform-list"),
                           json.dumps({"code": "line", "label_id": "LINE", "label_en": "LINE"}),
                           content_type="application/json")
    assert response.status_code == 403
    assert list(Platform.objects.order_by("code").values()) == before
    denied = AuditEvent.objects.filter(action="security.access.denied", actor_id=user.pk).order_by("seq")
    assert [event.payload for event in denied] == [{"action": "incidents.reference.manage", "reason": "not_granted"}] * 5
    assert all(event.organisation_id == user.organisation_id for event in denied)
    assert not AuditEvent.objects.filter(action="incidents.reference.saved").exists()


def test_only_the_secretariat_is_offered_the_platform_list(iw, client_for):
    link = f'href="{reverse("incidents:reference", args=["platforms"])}"'
    assert link not in client_for(iw.supervisor_a).get(reverse("incidents:list")).content.decode()
    secretariat_supervisor = make_user(iw.org_s, "supervisor_s@test.invalid", [Role.SUPERVISOR])
    assert link in client_for(secretariat_supervisor).get(reverse("incidents:list")).content.decode()
    response = client_for(iw.secretariat_admin).patch(
        reverse("incidents-api:platform-detail", args=[Platform.objects.get(code="tiktok").pk]),
        json.dumps({"is_active": False}), content_type="application/json")
    assert response.status_code == 200 and not Platform.objects.get(code="tiktok").is_active
