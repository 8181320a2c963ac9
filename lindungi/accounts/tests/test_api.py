"""The accounts API: same services and selectors, one error shape, tokens never above their user."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lindungi.accounts import services
from lindungi.accounts.models import ApiToken, User
from lindungi.accounts.testing import make_user
from lindungi.accounts.tests.helpers import reauthenticate
from lindungi.core.policy import Role


def _in(days):
    return timezone.now() + datetime.timedelta(days=days)


def bearer(secret):
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


def test_me_describes_the_user_their_organisation_roles_and_mfa(personas, client_for):
    data = client_for(personas.supervisor_a).get(reverse("accounts-api:me")).json()
    assert data["email"] == personas.supervisor_a.email
    assert data["organisation"] == {"id": personas.org_a.pk, "code": "ORGA", "name": personas.org_a.name,
                                    "kind": "member"}
    assert data["roles"] == ["supervisor"]
    assert data["mfa"] == {"required": True, "enabled": True, "types": ["totp"]}
    assert data["authenticated_by"] == "session"


def test_anonymous_requests_get_401_in_the_error_shape():
    response = Client().get(reverse("accounts-api:me"))
    assert response.status_code == 401
    assert set(response.json()["error"]) == {"code", "message", "fields"}


def test_organisations_are_listed_by_scope_and_paginated(personas, client_for):
    member = client_for(personas.caseworker_b).get(reverse("accounts-api:organisation-list")).json()
    assert [o["code"] for o in member["results"]] == ["ORGB"]
    network = client_for(personas.secretariat_admin).get(reverse("accounts-api:organisation-list")).json()
    assert {o["code"] for o in network["results"]} == {"ORGA", "ORGB", "SEKNAS"} and network["count"] == 3
    other = client_for(personas.caseworker_b).get(reverse("accounts-api:organisation-detail", args=[personas.org_a.pk]))
    assert other.status_code == 404 and other.json()["error"]["code"] == "not_found"


def test_the_secretariat_creates_an_organisation_through_the_api(personas, client_for):
    client = client_for(personas.secretariat_admin)
    response = client.post(reverse("accounts-api:organisation-list"),
                           {"name": "Yayasan API", "code": "YAPI", "province": "21"}, content_type="application/json")
    assert response.status_code == 201 and response.json()["kind"] == "member"
    bad = client.post(reverse("accounts-api:organisation-list"), {"name": "X", "code": "bad code"},
                      content_type="application/json")
    assert bad.status_code == 400 and "code" in bad.json()["error"]["fields"]


def test_the_secretariat_deactivates_and_reactivates_an_organisation_through_the_api(personas, client_for):
    client = client_for(personas.secretariat_admin)
    deactivate = reverse("accounts-api:organisation-deactivate", args=[personas.org_b.pk])
    assert client.post(deactivate).json()["error"]["code"] == "reauthentication_required"
    reauthenticate(client, personas.secretariat_admin)
    response = client.post(deactivate)
    assert response.status_code == 200 and response.json()["is_active"] is False
    again = client.post(deactivate)
    assert again.status_code == 409 and again.json()["error"]["code"] == "conflict"
    secretariat = client.post(reverse("accounts-api:organisation-deactivate", args=[personas.org_s.pk]))
    assert secretariat.status_code == 409 and secretariat.json()["error"]["code"] == "secretariat"
    response = client.post(reverse("accounts-api:organisation-reactivate", args=[personas.org_b.pk]))
    assert response.status_code == 200 and response.json()["is_active"] is True


def test_the_code_is_read_only_when_editing(personas, client_for):
    response = client_for(personas.admin_a).patch(
        reverse("accounts-api:organisation-detail", args=[personas.org_a.pk]), {"code": "HACK", "city": "Bogor"},
        content_type="application/json")
    assert response.status_code == 200 and response.json()["code"] == "ORGA" and response.json()["city"] == "Bogor"


def test_users_are_scoped_to_the_administrators_organisation(personas, client_for):
    data = client_for(personas.admin_b).get(reverse("accounts-api:user-list")).json()
    emails = {u["email"] for u in data["results"]}
    assert personas.caseworker_b.email in emails and personas.caseworker_a.email not in emails
    assert client_for(personas.admin_b).get(
        reverse("accounts-api:user-detail", args=[personas.caseworker_a.pk])).status_code == 404
    assert client_for(personas.caseworker_b).get(reverse("accounts-api:user-list")).status_code == 403


def test_inviting_through_a_browser_session_needs_reauthentication(personas, client_for):
    client = client_for(personas.admin_a)
    body = {"full_name": "Api Baru", "email": "api-baru@test.invalid", "roles": ["caseworker"]}
    response = client.post(reverse("accounts-api:user-list"), body, content_type="application/json")
    assert response.status_code == 403 and response.json()["error"]["code"] == "reauthentication_required"
    reauthenticate(client, personas.admin_a)
    response = client.post(reverse("accounts-api:user-list"), body, content_type="application/json")
    assert response.status_code == 201
    assert response.json()["status"] == "invited" and response.json()["roles"] == ["caseworker"]
    duplicate = client.post(reverse("accounts-api:user-list"), body, content_type="application/json")
    assert duplicate.status_code == 400 and duplicate.json()["error"]["code"] == "duplicate"


def test_roles_deactivation_and_reactivation_through_the_api(personas, client_for):
    client = client_for(personas.admin_a)
    reauthenticate(client, personas.admin_a)
    url = reverse("accounts-api:user-roles", args=[personas.caseworker_a.pk])
    assert client.put(url, {"roles": ["supervisor", "caseworker"]}, content_type="application/json").json()["roles"] == [
        "caseworker", "supervisor"]
    bad = client.put(url, {"roles": []}, content_type="application/json")
    assert bad.status_code == 400 and "roles" in bad.json()["error"]["fields"]
    response = client.post(reverse("accounts-api:user-deactivate", args=[personas.caseworker_a.pk]))
    assert response.json()["status"] == "deactivated"
    again = client.post(reverse("accounts-api:user-deactivate", args=[personas.caseworker_a.pk]))
    assert again.status_code == 409
    response = client.post(reverse("accounts-api:user-reactivate", args=[personas.caseworker_a.pk]))
    assert response.status_code == 200 and response.json()["is_active"] is True


def test_the_last_administrator_cannot_lose_the_role_through_the_api(personas, client_for):
    client = client_for(personas.admin_a)
    reauthenticate(client, personas.admin_a)
    response = client.put(reverse("accounts-api:user-roles", args=[personas.admin_a.pk]), {"roles": ["viewer"]},
                          content_type="application/json")
    assert response.status_code == 409 and response.json()["error"]["code"] == "last_administrator"


# --- tokens -------------------------------------------------------------------------------------

def test_a_token_is_created_with_a_fresh_reauthentication_and_then_authenticates(personas, client_for):
    client = client_for(personas.viewer_a)
    body = {"name": "dashboard", "expires_at": _in(30).isoformat()}
    assert client.post(reverse("accounts-api:token-list"), body, content_type="application/json").status_code == 403
    reauthenticate(client, personas.viewer_a)
    response = client.post(reverse("accounts-api:token-list"), body, content_type="application/json")
    assert response.status_code == 201
    secret = response.json()["token"]
    listing = client.get(reverse("accounts-api:token-list")).json()
    assert "token" not in listing["results"][0] and listing["results"][0]["status"] == "active"
    me = bearer(secret).get(reverse("accounts-api:me")).json()
    assert me["email"] == personas.viewer_a.email and me["authenticated_by"] == "token"


def test_a_token_may_not_create_tokens(personas):
    _, secret = services.token_create(actor=personas.viewer_a, name="x", expires_at=_in(5))
    response = bearer(secret).post(reverse("accounts-api:token-list"), {"name": "y", "expires_at": _in(5).isoformat()},
                                   content_type="application/json")
    assert response.status_code == 403 and response.json()["error"]["code"] == "token_not_allowed"
    assert ApiToken.objects.filter(user=personas.viewer_a).count() == 1


def test_a_token_has_exactly_the_power_of_its_user(personas):
    _, secret = services.token_create(actor=personas.viewer_a, name="x", expires_at=_in(5))
    assert bearer(secret).get(reverse("accounts-api:user-list")).status_code == 403
    _, admin_secret = services.token_create(actor=personas.admin_a, name="x", expires_at=_in(5))
    assert bearer(admin_secret).get(reverse("accounts-api:user-list")).status_code == 200
    # Roles change: the token follows at once.
    other = make_user(personas.org_a, "other-admin@test.invalid", [Role.ADMINISTRATOR])
    services.user_set_roles(actor=other, user=personas.admin_a, roles=["viewer"])
    assert bearer(admin_secret).get(reverse("accounts-api:user-list")).status_code == 403


@pytest.mark.parametrize("how", ["revoked", "expired", "deactivated", "tampered", "unknown"])
def test_unusable_tokens_are_refused(personas, how):
    token, secret = services.token_create(actor=personas.viewer_a, name="x", expires_at=_in(5))
    assert bearer(secret).get(reverse("accounts-api:me")).status_code == 200
    if how == "revoked":
        services.token_revoke(actor=personas.viewer_a, token=token)
    elif how == "expired":
        ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    elif how == "deactivated":
        services.user_deactivate(actor=personas.admin_a, user=personas.viewer_a)
        # Reactivating does not bring the token back: deactivation revoked it.
        services.user_reactivate(actor=personas.admin_a, user=User.objects.get(pk=personas.viewer_a.pk))
    elif how == "tampered":
        secret = secret[:-2] + ("AA" if not secret.endswith("AA") else "BB")
    elif how == "unknown":
        secret = "lgi_000000000000_" + "x" * 43
    response = bearer(secret).get(reverse("accounts-api:me"))
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "authentication_failed"


def test_a_deactivated_users_token_is_refused_even_if_not_revoked(personas):
    token, secret = services.token_create(actor=personas.viewer_a, name="x", expires_at=_in(5))
    User.objects.filter(pk=personas.viewer_a.pk).update(is_active=False)
    assert bearer(secret).get(reverse("accounts-api:me")).status_code == 401


def test_a_token_of_a_user_who_must_enrol_in_mfa_is_refused(personas):
    user = make_user(personas.org_a, "no-mfa@test.invalid", [Role.CASEWORKER], mfa=False)
    _, secret = services.token_create(actor=user, name="x", expires_at=_in(5))
    response = bearer(secret).get(reverse("accounts-api:me"))
    assert response.status_code == 403 and response.json()["error"]["code"] == "mfa_required"


def test_revoking_through_the_api(personas, client_for):
    token, secret = services.token_create(actor=personas.viewer_a, name="x", expires_at=_in(5))
    assert client_for(personas.admin_a).post(reverse("accounts-api:token-revoke", args=[token.pk])).status_code == 404
    response = bearer(secret).post(reverse("accounts-api:token-revoke", args=[token.pk]))
    assert response.status_code == 200 and response.json()["status"] == "revoked"
    assert bearer(secret).get(reverse("accounts-api:me")).status_code == 401
