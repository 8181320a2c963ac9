"""Logins, failed logins and denied access are recorded, without personal data."""

import pytest
from django.contrib.auth import authenticate
from django.db import connection
from django.test import Client
from django.urls import reverse

from lindungi.accounts.testing import make_organisation, make_user
from lindungi.audit.models import AuditEvent
from lindungi.audit.services import record_denied
from lindungi.core.policy import OutOfScope, PolicyDenied, Role

PASSWORD = "a-long-fictional-password-2026"


@pytest.fixture
def member(db):
    org = make_organisation("SEC", "Security Events Org (test)")
    return make_user(org, "pendamping.fiktif@test.invalid", [Role.VIEWER], password=PASSWORD, mfa=False,
                     full_name="Pendamping Fiktif")


def audit_table_text() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM audit_auditevent")
        return repr(cursor.fetchall())


def test_a_login_and_a_logout_are_recorded(member):
    client = Client()
    assert client.login(email=member.email, password=PASSWORD)
    client.logout()
    events = list(AuditEvent.objects.order_by("seq").values_list("action", "actor_id", "organisation_id",
                                                                  "object_type", "object_id"))
    assert ("accounts.login.succeeded", member.pk, member.organisation_id, "accounts.user", str(member.pk)) in events
    assert ("accounts.logout", member.pk, member.organisation_id, "accounts.user", str(member.pk)) in events


def test_a_failed_login_is_recorded_without_the_attempted_email(member):
    assert authenticate(email="someone.else@test.invalid", password="wrong password") is None
    assert authenticate(email=member.email, password="wrong password") is None
    failed = list(AuditEvent.objects.filter(action="accounts.login.failed"))
    assert len(failed) == 2
    assert all(e.actor_id is None and e.payload == {} and e.object_id == "" for e in failed)
    text = audit_table_text()
    assert "someone.else" not in text and member.email not in text and "wrong password" not in text


def test_a_failed_login_through_the_sign_in_page_is_recorded(member):
    response = Client().post(reverse("account_login"), {"login": member.email, "password": "not the password"},
                             REMOTE_ADDR="192.0.2.7")
    assert response.status_code == 200
    event = AuditEvent.objects.get(action="accounts.login.failed")
    assert event.ip == "192.0.2.7" and len(event.request_id) == 32
    assert member.email not in audit_table_text()


def test_access_denied_by_the_policy_is_recorded(member):
    client = Client()
    client.force_login(member)
    assert client.get(reverse("audit:list")).status_code == 403
    event = AuditEvent.objects.filter(action="security.access.denied").get()
    assert event.actor_id == member.pk and event.organisation_id == member.organisation_id
    assert event.payload == {"action": "audit.event.view", "reason": "not_granted"}


def test_an_object_out_of_scope_is_recorded_but_a_missing_one_is_not(member):
    record_denied(member, OutOfScope("cases.case.view", AuditEvent, {"pk": 41}, exists=True))
    record_denied(member, OutOfScope("cases.case.view", AuditEvent, {"pk": 42}, exists=False))
    events = list(AuditEvent.objects.filter(action="security.access.denied"))
    assert len(events) == 1
    assert (events[0].object_type, events[0].object_id) == ("audit.auditevent", "41")
    assert events[0].payload == {"action": "cases.case.view", "reason": "out_of_scope"}


def test_a_denial_with_an_overlong_lookup_value_is_still_recorded(member):
    record_denied(member, OutOfScope("cases.case.view", AuditEvent, {"pk": "9" * 500}, exists=True))
    assert AuditEvent.objects.get(action="security.access.denied").object_id == "9" * 64


def test_an_anonymous_denial_has_no_actor(db):
    from django.contrib.auth.models import AnonymousUser

    record_denied(AnonymousUser(), PolicyDenied("audit.event.view"))
    event = AuditEvent.objects.get()
    assert event.actor_id is None and event.organisation_id is None
