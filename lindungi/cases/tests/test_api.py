import datetime

import pytest
from django.urls import reverse

from lindungi.audit.models import AuditEvent
from lindungi.cases.models import Case
from lindungi.cases.testing import SCORES, make_provider
from lindungi.cases.tests.conftest import reauthenticated

pytestmark = pytest.mark.django_db


def _body(**child):
    return {
        "child": {"full_name": "Kenanga Putri", "sex": "female", "birth_date": "2011-08-09", "nik": "9900000000001111",
                  "province": "31", "regency": "31.71", **child},
        "case": {"source": "police", "concerns": ["trafficking"], "legal_basis": "guardian_consent",
                 "narrative": "Narasi (test)"},
        "consents": [{"purpose": p, "given_by_kind": "guardian", "given_by_name": "Ibu (test)"}
                     for p in ("services", "referral", "sharing", "statistics")],
        "caregivers": [{"full_name": "Ibu (test)", "relationship": "mother"}],
    }


def test_the_api_runs_the_whole_workflow(w, client_for):
    worker, supervisor = client_for(w.caseworker_a), client_for(w.supervisor_a)
    response = worker.post(reverse("cases-api:case-list"), _body(), content_type="application/json")
    assert response.status_code == 201, response.content
    case_id = response.json()["id"]
    assert response.json()["child"]["full_name"] == "Kenanga Putri"
    # A duplicate is refused with the one error shape, naming what matched.
    again = worker.post(reverse("cases-api:case-list"), _body(nik=""), content_type="application/json")
    assert again.status_code == 400 and again.json()["error"]["code"] == "possible_duplicate"
    url = lambda name, *args: reverse(f"cases-api:{name}", args=[case_id, *args])  # noqa: E731
    response = worker.post(url("assessment-list"), {"scores": SCORES, "submit": True}, content_type="application/json")
    assert response.status_code == 201 and response.json()["status"] == "submitted"
    approval = supervisor.get(reverse("cases-api:approval-list")).json()["results"][0]
    assert supervisor.post(reverse("cases-api:approval-decide", args=[approval["id"]]), {"approve": True},
                           content_type="application/json").status_code == 200
    plan = {"goals": [{"domain": "safety", "description": "Aman", "actions": [
        {"description": "Rumah aman", "responsible": "Pendamping"}]}], "submit": True}
    assert worker.post(url("plan-list"), plan, content_type="application/json").status_code == 201
    approval = supervisor.get(reverse("cases-api:approval-list")).json()["results"][0]
    supervisor.post(reverse("cases-api:approval-decide", args=[approval["id"]]), {"approve": True},
                    content_type="application/json")
    provider = make_provider(w.org_a)
    response = worker.post(url("referral-list"), {"service_type": "uptd_ppa", "provider": provider.pk},
                           content_type="application/json")
    assert response.status_code == 201 and response.json()["status"] == "sent"
    response = worker.post(url("follow-up-list"), {"type": "home_visit", "notes": "Baik",
                                                   "next_date": str(datetime.date.today() + datetime.timedelta(days=7))},
                           content_type="application/json")
    assert response.status_code == 201
    conflict = worker.post(url("case-transition"), {"status": "closed"}, content_type="application/json")
    assert conflict.status_code == 409 and conflict.json()["error"]["code"] == "invalid_transition"
    worker.post(url("assessment-list"), {"kind": "closure", "scores": SCORES}, content_type="application/json")
    assert worker.post(url("case-closure"), {"reason": "goals_met"}, content_type="application/json").status_code == 201
    approval = supervisor.get(reverse("cases-api:approval-list")).json()["results"][0]
    supervisor.post(reverse("cases-api:approval-decide", args=[approval["id"]]), {"approve": True},
                    content_type="application/json")
    detail = worker.get(url("case-detail")).json()
    assert detail["status"] == "closed" and detail["closure_reason"] == "goals_met"
    timeline = worker.get(url("case-timeline")).json()
    assert any(item["kind"] == "status_changed" for item in timeline)


def test_the_api_list_is_scoped_and_searchable(w, client_for, case_a):
    assert client_for(w.caseworker2_a).get(reverse("cases-api:case-list")).json()["count"] == 0
    response = client_for(w.supervisor_a).get(reverse("cases-api:case-list") + "?q=9912345678901234")
    assert [row["number"] for row in response.json()["results"]] == [case_a.number]
    assert client_for(w.supervisor_b).get(reverse("cases-api:case-detail", args=[case_a.pk])).status_code == 404


def test_the_api_refuses_identifying_export_with_a_token_or_without_re_authentication(w, client_for, case_a):
    from lindungi.accounts import services as account_services
    from lindungi.accounts.models import ApiToken

    url = reverse("cases-api:case-export") + "?identifying=1"
    client = client_for(w.supervisor_a)
    response = client.get(url)
    assert response.status_code == 403 and response.json()["error"]["code"] == "reauthentication_required"
    assert client_for(w.caseworker_a).get(url).status_code == 403
    response = reauthenticated(client, w.supervisor_a).get(url)
    assert response.status_code == 200 and "Ani Lestari" in b"".join(response.streaming_content).decode()
    token = _token(account_services, w.supervisor_a)
    from django.test import Client

    response = Client().get(url, HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 403
    assert ApiToken.objects.filter(user=w.supervisor_a).exists()
    assert AuditEvent.objects.filter(action="cases.case.exported").count() == 1


def _token(account_services, user) -> str:
    from django.utils import timezone

    _token_row, secret = account_services.token_create(actor=user, name="test",
                                                       expires_at=timezone.now() + datetime.timedelta(days=1))
    return secret


def test_sharing_through_the_api_needs_a_re_authenticated_approval(w, client_for, case_a):
    worker = client_for(w.caseworker_a)
    response = worker.post(reverse("cases-api:case-shares", args=[case_a.pk]), {
        "kind": "share", "to_organisation": w.org_b.code, "reason": "Koordinasi",
        "expires_on": str(datetime.date.today() + datetime.timedelta(days=10))}, content_type="application/json")
    assert response.status_code == 201
    share_id = response.json()["id"]
    supervisor = client_for(w.supervisor_a)
    approve = reverse("cases-api:share-approve", args=[share_id])
    assert supervisor.post(approve, {"approve": True}, content_type="application/json").status_code == 403
    reauthenticated(supervisor, w.supervisor_a)
    assert supervisor.post(approve, {"approve": True}, content_type="application/json").status_code == 200
    receiver = client_for(w.supervisor_b)
    response = receiver.post(reverse("cases-api:share-answer", args=[share_id]), {"accept": True},
                             content_type="application/json")
    assert response.status_code == 200 and response.json()["reason"] is None
    assert receiver.get(reverse("cases-api:case-detail", args=[case_a.pk])).status_code == 200
    assert receiver.patch(reverse("cases-api:case-detail", args=[case_a.pk]), {"narrative": "x"},
                          content_type="application/json").status_code == 404
    assert Case.objects.get(pk=case_a.pk).narrative != "x"
