"""Permission matrix rows for the accounts pages, the accounts API and every allauth route.

Personas are signed in with `force_login`: they have no recent re-authentication, so a permitted
persona on a page that needs one is sent to re-authenticate (302) and the API answers 403
(`reauthentication_required`); the re-authenticated paths are tested in test_views/test_api.
Every persona has MFA set up (world.py), so allauth's MFA pages treat them alike.
"""

from __future__ import annotations

import datetime
import uuid

from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from lindungi.accounts.models import ApiToken
from lindungi.accounts.tokens import digest, new_token_parts
from lindungi.core.testing.matrix import Row


def build(world):
    # allauth's rate-limit counters live in the cache: every test that builds the world starts from
    # zero, so an earlier test's failed logins cannot turn a 200 here into a 429.
    cache.clear()
    prefix, secret, full = new_token_parts()
    world.token_a = ApiToken.objects.create(
        user=world.caseworker_a, name="matrix token", prefix=prefix, digest=digest(secret),
        expires_at=timezone.now() + datetime.timedelta(days=30),
    )


def _user_url(name):
    return lambda w: reverse(name, args=[w.caseworker_a.pk])


def _org_url(name):
    return lambda w: reverse(name, args=[w.org_b.pk])


ADMIN_VIEWERS = {"admin_a": 200, "supervisor_a": 200, "admin_b": 200, "supervisor_b": 200, "secretariat_admin": 200}
ORG_B = {"admin_b": 200, "supervisor_b": 200, "caseworker_b": 200, "legal_b": 200, "program_b": 200,
         "secretariat_admin": 200}

ACCOUNTS_ROWS = [
    # --- users (organisation administrators; supervisors may look) ---
    Row("accounts:user_list", "GET", expect={"anonymous": 302, "*": 403, **ADMIN_VIEWERS}),
    Row("accounts:user_create", "GET",
        expect={"anonymous": 302, "*": 403, "admin_a": 302, "admin_b": 302, "secretariat_admin": 302}),
    Row("accounts:user_create", "POST", data=lambda w: {"full_name": "Matrix Person", "email": "m@test.invalid",
                                                        "roles": ["viewer"]},
        expect={"anonymous": 302, "*": 403, "admin_a": 302, "admin_b": 302, "secretariat_admin": 302}),
    Row("accounts:user_detail", "GET", url=_user_url("accounts:user_detail"),
        expect={"anonymous": 302, "*": 404, "admin_a": 200, "supervisor_a": 200}),
    Row("accounts:user_edit", "GET", url=_user_url("accounts:user_edit"),
        expect={"anonymous": 302, "*": 404, "admin_a": 200}),
    Row("accounts:user_edit", "POST", url=_user_url("accounts:user_edit"),
        data=lambda w: {"full_name": "Renamed Caseworker", "email": "caseworker_a@test.invalid"},
        expect={"anonymous": 302, "*": 404, "admin_a": 302}),
    Row("accounts:user_roles", "GET", url=_user_url("accounts:user_roles"),
        expect={"anonymous": 302, "*": 404, "admin_a": 302}),
    Row("accounts:user_roles", "POST", url=_user_url("accounts:user_roles"), data=lambda w: {"roles": ["viewer"]},
        expect={"anonymous": 302, "*": 404, "admin_a": 302}),
    Row("accounts:user_deactivate", "POST", url=_user_url("accounts:user_deactivate"),
        expect={"anonymous": 302, "*": 404, "admin_a": 302, "caseworker_a": 404}),
    Row("accounts:user_deactivate", "GET", url=_user_url("accounts:user_deactivate"),
        expect={"anonymous": 302, "*": 405}),
    Row("accounts:user_reactivate", "POST", url=_user_url("accounts:user_reactivate"),
        expect={"anonymous": 302, "*": 404, "admin_a": 302}),
    Row("accounts:user_resend_invitation", "POST", url=_user_url("accounts:user_resend_invitation"),
        expect={"anonymous": 302, "*": 404, "admin_a": 302}),
    # --- organisations (everyone sees their own; the secretariat's administrators manage all) ---
    Row("accounts:organisation_list", "GET", expect={"anonymous": 302, "*": 200}),
    Row("accounts:organisation_create", "GET", expect={"anonymous": 302, "*": 403, "secretariat_admin": 200}),
    Row("accounts:organisation_create", "POST",
        data=lambda w: {"name": "Organisasi Matriks (test)", "code": "MTX", "province": "12"},
        expect={"anonymous": 302, "*": 403, "secretariat_admin": 302}),
    Row("accounts:organisation_detail", "GET", url=_org_url("accounts:organisation_detail"),
        expect={"anonymous": 302, "*": 404, **ORG_B}),
    Row("accounts:organisation_edit", "GET", url=_org_url("accounts:organisation_edit"),
        expect={"anonymous": 302, "*": 404, "admin_b": 200, "secretariat_admin": 200}),
    Row("accounts:organisation_edit", "POST", url=_org_url("accounts:organisation_edit"),
        data=lambda w: {"name": "Organisasi B (test)", "city": "Bandar Lampung"},
        expect={"anonymous": 302, "*": 404, "admin_b": 302, "secretariat_admin": 302}),
    Row("accounts:organisation_invite_administrator", "GET", url=_org_url("accounts:organisation_invite_administrator"),
        expect={"anonymous": 302, "*": 404, "secretariat_admin": 302}),
    Row("accounts:organisation_invite_administrator", "POST",
        url=_org_url("accounts:organisation_invite_administrator"),
        data=lambda w: {"full_name": "New Admin", "email": "new-admin-b@test.invalid"},
        expect={"anonymous": 302, "*": 404, "secretariat_admin": 302}),
    # Deactivation asks to re-authenticate first (302), which is as far as a matrix persona gets.
    Row("accounts:organisation_deactivate", "GET", url=_org_url("accounts:organisation_deactivate"),
        expect={"anonymous": 302, "*": 404, "secretariat_admin": 302}),
    Row("accounts:organisation_deactivate", "POST", url=_org_url("accounts:organisation_deactivate"),
        data=lambda w: {"code": "ORGB"}, expect={"anonymous": 302, "*": 404, "secretariat_admin": 302}),
    Row("accounts:organisation_reactivate", "POST", url=_org_url("accounts:organisation_reactivate"),
        expect={"anonymous": 302, "*": 404, "secretariat_admin": 302}),
    Row("accounts:organisation_reactivate", "GET", url=_org_url("accounts:organisation_reactivate"),
        expect={"anonymous": 302, "*": 405}),
    # --- personal API tokens (own only) ---
    Row("accounts:token_list", "GET", expect={"anonymous": 302, "*": 200}),
    Row("accounts:token_create", "GET", expect={"anonymous": 302, "*": 302}),
    Row("accounts:token_revoke", "POST", url=lambda w: reverse("accounts:token_revoke", args=[w.token_a.pk]),
        expect={"anonymous": 302, "*": 404, "caseworker_a": 302}),
]


def _api_user_url(name):
    return lambda w: reverse(f"accounts-api:{name}", args=[w.caseworker_a.pk])


API_ROWS = [
    Row("accounts-api:me", "GET", api=True, expect={"anonymous": 401, "*": 200}),
    Row("accounts-api:organisation-list", "GET", api=True, expect={"anonymous": 401, "*": 200}),
    Row("accounts-api:organisation-list", "POST", api=True,
        data=lambda w: {"name": "Organisasi API (test)", "code": "APIX", "province": "12"},
        expect={"anonymous": 401, "*": 403, "secretariat_admin": 201}),
    Row("accounts-api:organisation-detail", "GET", api=True,
        url=lambda w: reverse("accounts-api:organisation-detail", args=[w.org_b.pk]),
        expect={"anonymous": 401, "*": 404, **ORG_B}),
    Row("accounts-api:organisation-detail", "PATCH", api=True,
        url=lambda w: reverse("accounts-api:organisation-detail", args=[w.org_b.pk]),
        data=lambda w: {"city": "Bandar Lampung"},
        expect={"anonymous": 401, "*": 404, "admin_b": 200, "secretariat_admin": 200}),
    # A session without a recent re-authentication is refused (403) by the one persona allowed.
    Row("accounts-api:organisation-deactivate", "POST", api=True,
        url=lambda w: reverse("accounts-api:organisation-deactivate", args=[w.org_b.pk]),
        expect={"anonymous": 401, "*": 404, "secretariat_admin": 403}),
    Row("accounts-api:organisation-reactivate", "POST", api=True,
        url=lambda w: reverse("accounts-api:organisation-reactivate", args=[w.org_b.pk]),
        expect={"anonymous": 401, "*": 404, "secretariat_admin": 403}),
    Row("accounts-api:user-list", "GET", api=True, expect={"anonymous": 401, "*": 403, **ADMIN_VIEWERS}),
    # Administrators need a recent re-authentication to invite (403 reauthentication_required).
    Row("accounts-api:user-list", "POST", api=True,
        data=lambda w: {"full_name": "Api Person", "email": "api-person@test.invalid", "roles": ["viewer"]},
        expect={"anonymous": 401, "*": 403}),
    Row("accounts-api:user-detail", "GET", api=True, url=_api_user_url("user-detail"),
        expect={"anonymous": 401, "*": 404, "admin_a": 200, "supervisor_a": 200}),
    Row("accounts-api:user-detail", "PATCH", api=True, url=_api_user_url("user-detail"),
        data=lambda w: {"full_name": "Renamed Caseworker"},
        expect={"anonymous": 401, "*": 404, "admin_a": 200}),
    Row("accounts-api:user-roles", "PUT", api=True, url=_api_user_url("user-roles"),
        data=lambda w: {"roles": ["viewer"]}, expect={"anonymous": 401, "*": 404, "admin_a": 403}),
    Row("accounts-api:user-deactivate", "POST", api=True, url=_api_user_url("user-deactivate"),
        expect={"anonymous": 401, "*": 404, "admin_a": 200}),
    Row("accounts-api:user-reactivate", "POST", api=True, url=_api_user_url("user-reactivate"),
        expect={"anonymous": 401, "*": 404, "admin_a": 403}),
    Row("accounts-api:token-list", "GET", api=True, expect={"anonymous": 401, "*": 200}),
    Row("accounts-api:token-list", "POST", api=True,
        data=lambda w: {"name": "script", "expires_at": (timezone.now() + datetime.timedelta(days=30)).isoformat()},
        expect={"anonymous": 401, "*": 403}),
    Row("accounts-api:token-revoke", "POST", api=True,
        url=lambda w: reverse("accounts-api:token-revoke", args=[w.token_a.pk]),
        expect={"anonymous": 401, "*": 404, "caseworker_a": 200}),
]


# allauth. Signed-in personas have MFA and an unusable password (world.py), so "change password"
# leads to "set password", and password re-authentication defers to MFA re-authentication.
_TO_LOGIN = 302
ALLAUTH_ROWS = [
    Row("account_login", "GET", expect={"anonymous": 200, "*": 302}),
    Row("account_login", "POST", data=lambda w: {"login": "nobody@test.invalid", "password": "wrong-password-1"},
        expect={"anonymous": 200, "*": 302}),
    Row("account_logout", "GET", expect={"anonymous": 302, "*": 200}),
    Row("account_logout", "POST", expect={"anonymous": 302, "*": 302}),
    Row("account_inactive", "GET", expect={"anonymous": 200, "*": 200}),
    Row("account_signup", "GET", expect={"anonymous": 200, "*": 302}),
    Row("account_signup", "POST", data=lambda w: {"email": "self@test.invalid", "password1": "a-long-password-1",
                                                  "password2": "a-long-password-1"},
        expect={"anonymous": 200, "*": 302}),
    Row("account_reauthenticate", "GET", expect={"anonymous": _TO_LOGIN, "*": 302}),
    Row("account_request_reauthentication_code", "GET", expect={"anonymous": _TO_LOGIN, "*": 302}),
    Row("account_confirm_reauthentication_code", "GET", expect={"anonymous": _TO_LOGIN, "*": 302}),
    Row("account_confirm_login_code", "GET", expect={"anonymous": 302, "*": 302}),
    Row("account_email", "GET", expect={"anonymous": _TO_LOGIN, "*": 200}),
    Row("account_email", "POST", data=lambda w: {"action_add": "", "email": "second@test.invalid"},
        expect={"anonymous": _TO_LOGIN, "*": 200}),
    Row("account_email_verification_sent", "GET", expect={"anonymous": 200, "*": 200}),
    Row("account_confirm_email", "GET", url=lambda w: reverse("account_confirm_email", kwargs={"key": "not-a-key"}),
        expect={"anonymous": 200, "*": 200}),
    Row("account_change_password", "GET", expect={"anonymous": _TO_LOGIN, "*": 302}),
    Row("account_set_password", "GET", expect={"anonymous": _TO_LOGIN, "*": 200}),
    Row("account_reset_password", "GET", expect={"anonymous": 200, "*": 200}),
    # A different address each time: the per-address limit (5 in 5 minutes) is tested in test_throttling.
    Row("account_reset_password", "POST", data=lambda w: {"email": f"nobody-{uuid.uuid4().hex[:8]}@test.invalid"},
        expect={"anonymous": 302, "*": 302}),
    Row("account_reset_password_done", "GET", expect={"anonymous": 200, "*": 200}),
    Row("account_reset_password_from_key", "GET",
        url=lambda w: reverse("account_reset_password_from_key", kwargs={"uidb36": "1", "key": "bad-key"}),
        expect={"anonymous": 200, "*": 200}),
    Row("account_reset_password_from_key_done", "GET", expect={"anonymous": 200, "*": 200}),
    Row("mfa_index", "GET", expect={"anonymous": _TO_LOGIN, "*": 200}),
    Row("mfa_authenticate", "GET", expect={"anonymous": 302, "*": 302}),
    Row("mfa_reauthenticate", "GET", expect={"anonymous": _TO_LOGIN, "*": 200}),
    # Everyone already has TOTP: activation leads to the MFA overview.
    Row("mfa_activate_totp", "GET", expect={"anonymous": _TO_LOGIN, "*": 302}),
    # Deactivating or changing MFA needs a fresh re-authentication.
    Row("mfa_deactivate_totp", "GET", expect={"anonymous": _TO_LOGIN, "*": 302}),
    Row("mfa_generate_recovery_codes", "GET", expect={"anonymous": _TO_LOGIN, "*": 302}),
    Row("mfa_view_recovery_codes", "GET", expect={"anonymous": _TO_LOGIN, "*": 404}),
    Row("mfa_download_recovery_codes", "GET", expect={"anonymous": _TO_LOGIN, "*": 404}),
    Row("mfa_list_webauthn", "GET", expect={"anonymous": _TO_LOGIN, "*": 200}),
    Row("mfa_add_webauthn", "GET", expect={"anonymous": _TO_LOGIN, "*": 302}),
    Row("mfa_edit_webauthn", "GET", url=lambda w: reverse("mfa_edit_webauthn", kwargs={"pk": 999999}),
        expect={"anonymous": _TO_LOGIN, "*": 302}),
    Row("mfa_remove_webauthn", "GET", url=lambda w: reverse("mfa_remove_webauthn", kwargs={"pk": 999999}),
        expect={"anonymous": _TO_LOGIN, "*": 302}),
    Row("mfa_reauthenticate_webauthn", "GET", expect={"anonymous": _TO_LOGIN, "*": 302}),
    Row("usersessions_list", "GET", expect={"anonymous": _TO_LOGIN, "*": 200}),
    Row("usersessions_list", "POST", expect={"anonymous": _TO_LOGIN, "*": 302}),
]

ROWS = ACCOUNTS_ROWS + API_ROWS + ALLAUTH_ROWS
