"""The legal API: the same services as the pages, from police report to verdict and restitution."""

import json

import pytest
from django.urls import reverse

from lindungi.accounts.testing import make_user
from lindungi.audit.models import AuditEvent
from lindungi.core.policy import Role
from lindungi.legal.models import DeadlineRule, Law
from lindungi.legal.tests.conftest import days_ago

pytestmark = pytest.mark.django_db


def _post(client, url, body, method="post"):
    return getattr(client, method)(url, json.dumps(body), content_type="application/json")


def test_a_legal_case_through_the_api(lw, client_for):
    client = client_for(lw.legal_a)
    pk = lw.legal_case_a.pk
    url = reverse("legal-api:legalcase-detail", args=[pk])
    data = client.get(url).json()
    assert data["stage"] == "report" and data["victims"] == [{"id": str(lw.case_a.pk), "number": lw.case_a.number}]
    assert "inquiry" in data["allowed_stages"] and "report" not in data["allowed_stages"]
    response = _post(client, reverse("legal-api:legalcase-stage", args=[pk]),
                     {"stage": "trial", "entered_on": days_ago(20).isoformat()})
    assert response.status_code == 200 and response.json()["trial_on"] == days_ago(20).isoformat()
    response = client.post(reverse("legal-api:legalcase-stage", args=[pk]), json.dumps({"stage": "report"}),
                           content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "invalid_stage_change" and "forward" in error["message"] and error["fields"]["stage"]
    defendant = _post(client, reverse("legal-api:defendant-list", args=[pk]),
                      {"perpetrator": str(lw.perpetrator_a.pk), "named_suspect_on": days_ago(60).isoformat()})
    assert defendant.status_code == 201
    defendant_id = defendant.json()["id"]
    verdict = _post(client, reverse("legal-api:verdict", args=[pk, defendant_id]), {
        "level": "first_instance", "decided_on": days_ago(1).isoformat(), "outcome": "convicted",
        "prison_months": 96, "fine": 100000000, "restitution_ordered": 20000000})
    assert verdict.status_code == 201
    restitution = _post(client, reverse("legal-api:restitution-list", args=[pk]), {
        "route": "investigator_prosecutor", "claimed_amount": 25000000, "claimed_on": days_ago(30).isoformat(),
        "ordered_amount": 20000000, "ordered_on": days_ago(1).isoformat()})
    assert restitution.status_code == 201
    data = client.get(url).json()
    assert data["convicted_count"] == 1 and data["restitution_ordered_total"] == 20000000
    assert [d["rule"] for d in data["deadlines"]] == ["appeal"]
    events = client.get(reverse("legal-api:calendar")).json()
    assert [e["kind"] for e in events] == ["deadline"] and lw.legal_case_a.number in events[0]["title"]


def test_the_api_hides_legal_case_a_from_other_organisations(lw, client_for):
    response = client_for(lw.legal_b).get(reverse("legal-api:legalcase-detail", args=[lw.legal_case_a.pk]))
    assert response.status_code == 404
    listing = client_for(lw.supervisor_b).get(reverse("legal-api:legalcase-list")).json()
    assert listing["count"] == 0


def test_calendar_feed_through_the_api(lw, client_for):
    client = client_for(lw.legal_a)
    response = client.post(reverse("legal-api:calendar-feed"))
    assert response.status_code == 201
    feed_url = response.json()["url"]
    assert client_for(None).get(feed_url).status_code == 200
    assert client.delete(reverse("legal-api:calendar-feed")).status_code == 204
    assert client_for(None).get(feed_url).status_code == 404


@pytest.mark.parametrize("persona", ["admin_a", "supervisor_a", "supervisor_b"])
def test_member_organisations_are_refused_the_legal_reference_lists_and_it_is_audited(lw, client_for, persona):
    """Pages and API alike: a member organisation's administrator or supervisor gets 403, nothing
    changes, and each refusal is recorded as denied access."""
    user = getattr(lw, persona)
    client = client_for(user)
    rule = DeadlineRule.objects.get(code="appeal")
    before = (list(DeadlineRule.objects.order_by("code").values()), list(Law.objects.order_by("code").values()))
    assert client.get(reverse("legal:reference_index")).status_code == 403
    page = reverse("legal:reference_edit", args=["deadlines", rule.pk])
    assert client.get(page).status_code == 403
    assert client.post(page, {"code": "appeal", "label_id": "Banding", "label_en": "Appeal", "order": 10, "days": 30,
                              "after_level": "first_instance", "files_level": "appeal",
                              "is_active": "on"}).status_code == 403
    assert _post(client, reverse("legal-api:reference-detail", args=["deadlines", rule.pk]), {"days": 30},
                 method="patch").status_code == 403
    assert _post(client, reverse("legal-api:reference-list", args=["laws"]),
                 {"code": "uu-uji", "short_name": "UU Uji", "label_id": "UU Uji", "label_en": "Test law"}
                 ).status_code == 403
    assert (list(DeadlineRule.objects.order_by("code").values()), list(Law.objects.order_by("code").values())) == before
    denied = AuditEvent.objects.filter(action="security.access.denied", actor_id=user.pk).order_by("seq")
    assert [event.payload for event in denied] == [{"action": "legal.reference.manage", "reason": "not_granted"}] * 5
    assert all(event.organisation_id == user.organisation_id for event in denied)
    assert not AuditEvent.objects.filter(action="legal.reference.saved").exists()


def test_only_the_secretariat_is_offered_the_legal_reference_lists(lw, client_for):
    link = f'href="{reverse("legal:reference_index")}"'
    assert link not in client_for(lw.supervisor_a).get(reverse("legal:list")).content.decode()
    secretariat_supervisor = make_user(lw.org_s, "supervisor_s@test.invalid", [Role.SUPERVISOR])
    assert link in client_for(secretariat_supervisor).get(reverse("legal:list")).content.decode()
    rule = DeadlineRule.objects.get(code="appeal")
    response = _post(client_for(secretariat_supervisor), reverse("legal-api:reference-detail",
                                                                 args=["deadlines", rule.pk]), {"days": 21},
                     method="patch")
    assert response.status_code == 200 and DeadlineRule.objects.get(code="appeal").days == 21
