"""MFA is mandatory for roles that see case data; the enrolment and WebAuthn pages work under our CSP."""

import re

import pytest
from allauth.mfa.models import Authenticator
from django.test import Client
from django.urls import reverse

from lindungi.accounts.testing import make_user
from lindungi.accounts.tests.helpers import PASSWORD, fresh_totp_code, reauthenticate, sign_in
from lindungi.core.policy import MFA_REQUIRED_ROLES, Role


def reauthenticate_by_password(client):
    response = client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]


@pytest.fixture
def newcomer(personas):
    return make_user(personas.org_a, "newcomer@test.invalid", [Role.CASEWORKER], password=PASSWORD, mfa=False)


@pytest.mark.parametrize("role", sorted(MFA_REQUIRED_ROLES))
def test_roles_that_see_case_data_are_sent_to_enrolment(personas, role):
    user = make_user(personas.org_a, f"{role}-nomfa@test.invalid", [role], password=PASSWORD, mfa=False)
    client = Client()
    response = sign_in(client, user)
    assert response["Location"] == "/"
    for path in ("/", reverse("accounts:token_list"), reverse("accounts:organisation_list")):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"] == reverse("mfa_activate_totp"), path


@pytest.mark.parametrize("role", [Role.PROGRAM_OFFICER, Role.ME_OFFICER, Role.VIEWER])
def test_other_roles_may_work_without_mfa(personas, role):
    user = make_user(personas.org_a, f"{role}-nomfa@test.invalid", [role], password=PASSWORD, mfa=False)
    client = Client()
    sign_in(client, user)
    assert client.get("/").status_code == 200


def test_the_api_refuses_a_user_who_must_enrol(newcomer):
    client = Client()
    sign_in(client, newcomer)
    response = client.get(reverse("accounts-api:me"))
    assert response.status_code == 403 and response.json()["error"]["code"] == "mfa_required"


def test_enrolment_end_to_end(newcomer, django_capture_on_commit_callbacks):
    client = Client()
    sign_in(client, newcomer)
    first = client.get("/", follow=True)
    # allauth asks for the password again before MFA changes (SECURITY.md); then the enrolment page.
    assert first.redirect_chain[0] == (reverse("mfa_activate_totp"), 302)
    assert first.redirect_chain[-1][0].startswith(reverse("account_reauthenticate"))
    assert "Peran Anda memberi akses ke data kasus" in first.content.decode()  # why they are here
    reauthenticate_by_password(client)
    page = client.get(reverse("mfa_activate_totp"))
    body = page.content.decode()
    assert page.status_code == 200
    assert "Atur autentikasi dua faktor" in body
    assert re.search(r'<img class="qr" src="data:image/svg\+xml;base64,[A-Za-z0-9+/=]+"', body)
    secret = page.context["form"].secret
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("mfa_activate_totp"), {"code": fresh_totp_code(newcomer, secret)})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=newcomer, type=Authenticator.Type.TOTP).exists()
    home = client.get("/")
    assert home.status_code == 200
    # Next sign-in asks for the code.
    again = Client()
    sign_in(again, newcomer, secret=secret)
    assert again.get("/").status_code == 200


def test_a_wrong_enrolment_code_is_refused(newcomer):
    client = Client()
    sign_in(client, newcomer)
    reauthenticate_by_password(client)
    client.get(reverse("mfa_activate_totp"))
    response = client.post(reverse("mfa_activate_totp"), {"code": "000000"})
    assert response.status_code == 200
    assert not Authenticator.objects.filter(user=newcomer).exists()


def _scripts(body):
    return re.findall(r"<script\b([^>]*)>", body)


def assert_csp_clean(response):
    """Every script is an external file from our origin or carries the nonce; data blocks are JSON only.
    Styles are never inline. The policy itself is the one from settings."""
    csp = response["Content-Security-Policy"]
    assert "script-src 'self' 'nonce-" in csp and "img-src 'self' data:" in csp
    nonce = re.search(r"'nonce-([^']+)'", csp).group(1)
    body = response.content.decode()
    for attrs in _scripts(body):
        if 'type="application/json"' in attrs:
            continue  # a data block: never executed
        src = re.search(r'src="([^"]+)"', attrs)
        assert src and (src.group(1).startswith("/static/") or f'nonce="{nonce}"' in attrs), attrs
    assert "<style" not in body and " style=" not in body
    assert " onclick=" not in body and " onload=" not in body and "javascript:" not in body


def test_the_enrolment_page_has_no_inline_script_or_style(newcomer):
    client = Client()
    sign_in(client, newcomer)
    reauthenticate_by_password(client)
    assert_csp_clean(client.get(reverse("mfa_activate_totp")))


def test_webauthn_pages_use_only_external_scripts(personas):
    user = make_user(personas.org_a, "keys@test.invalid", [Role.SUPERVISOR], password=PASSWORD)
    client = Client()
    sign_in(client, user)
    reauthenticate(client, user)
    add = client.get(reverse("mfa_add_webauthn"))
    assert add.status_code == 200
    assert_csp_clean(add)
    body = add.content.decode()
    for script in ("mfa/js/webauthn.js", "mfa/js/webauthn-json.js", "account/js/onload.js"):
        assert f'src="/static/{script}"' in body
    assert 'data-allauth-onload="allauth.webauthn.forms.addForm"' in body
    assert_csp_clean(client.get(reverse("mfa_list_webauthn")))
    # The sign-in step offers a security key too, with the same external scripts.
    stage = Client()
    stage.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert_csp_clean(stage.get(reverse("mfa_authenticate")))


@pytest.mark.parametrize("name", ["account_login", "account_reset_password", "mfa_index", "usersessions_list",
                                  "accounts:token_list", "accounts:user_list", "mfa_reauthenticate"])
def test_our_account_pages_are_csp_clean(personas, client_for, name):
    client = Client() if name in ("account_login", "account_reset_password") else client_for(personas.admin_a)
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert_csp_clean(response)


def test_a_user_who_must_use_mfa_cannot_remove_the_last_authenticator(personas):
    user = make_user(personas.org_a, "keepit@test.invalid", [Role.CASEWORKER], password=PASSWORD)
    client = Client()
    sign_in(client, user)
    reauthenticate(client, user)
    response = client.post(reverse("mfa_deactivate_totp"))
    assert response.status_code == 200
    assert "Peran Anda mewajibkan autentikasi dua faktor" in response.content.decode()
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def test_the_mfa_overview_fits_our_shell(personas, client_for):
    body = client_for(personas.caseworker_a).get(reverse("mfa_index")).content.decode()
    assert 'class="topbar"' in body and 'class="card"' in body and "Autentikasi Dua Faktor" in body
