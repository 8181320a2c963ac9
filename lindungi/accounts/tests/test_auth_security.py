"""Passwords, throttling and enumeration (SECURITY.md, "Authentication")."""

import pytest
from django.conf import settings
from django.contrib.auth.hashers import Argon2PasswordHasher
from django.contrib.auth.password_validation import get_password_validators, validate_password
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from lindungi.accounts.testing import make_user
from lindungi.accounts.tests.helpers import PASSWORD, clock_offset, sign_in
from lindungi.core.policy import Role

TOO_MANY = "Terlalu banyak percobaan masuk yang gagal"


# --- passwords ----------------------------------------------------------------------------------

def test_production_hashes_passwords_with_argon2id_first():
    # Tests use a fast hasher; the real list is kept as PRODUCTION_PASSWORD_HASHERS.
    assert settings.PRODUCTION_PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    encoded = Argon2PasswordHasher().encode("kopi-tubruk-pagi-hari-42", Argon2PasswordHasher().salt())
    assert encoded.startswith("argon2$argon2id$")


def test_the_production_settings_module_keeps_argon2_first():
    import ast
    from pathlib import Path

    base = Path(settings.BASE_DIR, "lindungi", "settings", "base.py").read_text()
    tree = ast.parse(base)
    hashers = next(ast.literal_eval(node.value) for node in tree.body
                   if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "PASSWORD_HASHERS")
    assert hashers[0].endswith("Argon2PasswordHasher")


@pytest.mark.parametrize("password", ["pendek-11ch", "password1234", "qwerty123456", "administrator"])
def test_short_or_common_passwords_are_refused(password):
    with pytest.raises(ValidationError):
        validate_password(password)


def test_a_long_uncommon_password_passes_with_no_composition_rules():
    validate_password("gajah terbang di atas awan")  # no digits or symbols demanded
    names = {type(v).__name__ for v in get_password_validators(settings.AUTH_PASSWORD_VALIDATORS)}
    assert {"MinimumLengthValidator", "CommonPasswordValidator"} <= names
    minimum = next(v for v in get_password_validators(settings.AUTH_PASSWORD_VALIDATORS)
                   if type(v).__name__ == "MinimumLengthValidator")
    assert minimum.min_length == 12


def test_the_set_password_page_enforces_the_rules(personas, client):
    user = make_user(personas.org_a, "newbie@test.invalid", [Role.VIEWER])
    client.post(reverse("account_reset_password"), {"email": user.email})
    link = next(line for line in mail.outbox[-1].body.splitlines() if "/password/reset/key/" in line).strip()
    form_url = client.get(link)["Location"]
    response = client.post(form_url, {"password1": "pendek-11ch", "password2": "pendek-11ch"})
    assert response.status_code == 200
    user.refresh_from_db()
    assert not user.has_usable_password()


# --- throttling ---------------------------------------------------------------------------------

@pytest.fixture
def member(personas):
    return make_user(personas.org_a, "member@test.invalid", [Role.VIEWER], password=PASSWORD, mfa=False)


def attempt(client, email, password):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def test_the_sixth_failed_login_for_an_account_is_refused_then_the_cool_off_lifts(member):
    client = Client()
    for _ in range(5):
        response = attempt(client, member.email, "wrong-password-123")
        assert response.status_code == 200 and TOO_MANY not in response.content.decode()
    # The sixth attempt is refused even with the right password ...
    sixth = attempt(client, member.email, PASSWORD)
    assert sixth.status_code == 200 and TOO_MANY in sixth.content.decode()
    assert not sixth.wsgi_request.user.is_authenticated
    # ... from another address too (the limit is per account) ...
    assert TOO_MANY in attempt(Client(REMOTE_ADDR="10.9.8.7"), member.email, PASSWORD).content.decode()
    # ... and another account is not affected.
    other = make_user(member.organisation, "other@test.invalid", [Role.VIEWER], password=PASSWORD, mfa=False)
    assert attempt(Client(REMOTE_ADDR="10.9.8.7"), other.email, PASSWORD).status_code == 302
    # After the five-minute window the account can sign in again: nothing is locked for good.
    with clock_offset(5 * 60 + 1):
        response = attempt(client, member.email, PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/"


def test_a_successful_login_does_not_count_against_the_account(member):
    client = Client()
    for _ in range(4):
        attempt(client, member.email, "wrong-password-123")
    assert attempt(Client(), member.email, PASSWORD).status_code == 302
    # Still four failures in the window: one more wrong try is allowed, then the limit applies.
    assert TOO_MANY not in attempt(client, member.email, "wrong-password-123").content.decode()
    assert TOO_MANY in attempt(client, member.email, PASSWORD).content.decode()


def test_many_attempts_from_one_address_are_throttled(db):
    client = Client(REMOTE_ADDR="10.1.1.1")
    refused = 0
    for i in range(12):
        response = attempt(client, f"guess{i}@test.invalid", "wrong-password-123")
        refused += response.status_code == 429 or TOO_MANY in response.content.decode()
    assert refused >= 2  # 10 failed logins per minute per address


def test_password_reset_requests_are_throttled_per_address_with_a_cool_off(member):
    client = Client()
    for _ in range(5):
        assert client.post(reverse("account_reset_password"), {"email": member.email}).status_code == 302
    sixth = client.post(reverse("account_reset_password"), {"email": member.email})
    assert sixth.status_code == 429 and "Terlalu banyak percobaan" in sixth.content.decode()
    assert len(mail.outbox) == 5
    with clock_offset(5 * 60 + 1):
        assert client.post(reverse("account_reset_password"), {"email": member.email}).status_code == 302


def test_reauthentication_is_throttled(personas):
    user = make_user(personas.org_a, "reauth@test.invalid", [Role.VIEWER], password=PASSWORD, mfa=False)
    client = Client()
    sign_in(client, user)
    statuses = [client.post(reverse("account_reauthenticate"), {"password": "wrong-password-123"}).status_code
                for _ in range(11)]
    assert 429 in statuses


# --- no user enumeration ------------------------------------------------------------------------

def _main(response):
    """The page's own content (the shell around it carries per-request nonces and CSRF tokens)."""
    body = response.content.decode()
    return body[body.index("<main"):body.index("</main>")]


def _errors(response):
    return [str(e) for e in response.context["form"].non_field_errors()]


def test_login_errors_do_not_reveal_whether_an_account_exists(member):
    wrong_password = attempt(Client(), member.email, "wrong-password-123")
    unknown = attempt(Client(), "nobody-here@test.invalid", "wrong-password-123")
    assert _errors(wrong_password) == _errors(unknown) != []
    # The throttle message too: an unknown address is throttled exactly like a real one.
    client = Client()
    for _ in range(5):
        attempt(client, "nobody-here@test.invalid", "wrong-password-123")
    assert TOO_MANY in attempt(client, "nobody-here@test.invalid", "x-password-123").content.decode()


def test_password_reset_answers_the_same_for_known_and_unknown_addresses(member):
    known = Client().post(reverse("account_reset_password"), {"email": member.email}, follow=True)
    unknown = Client().post(reverse("account_reset_password"), {"email": "nobody-here@test.invalid"}, follow=True)
    assert known.redirect_chain == unknown.redirect_chain
    assert _main(known) == _main(unknown)
    # The unknown address gets a neutral note that does not invite anyone to sign up.
    note = next(m for m in mail.outbox if m.to == ["nobody-here@test.invalid"])
    assert "signup" not in note.body and "/accounts/signup/" not in note.body


def test_the_login_page_does_not_invite_people_to_sign_up(db, client):
    body = client.get(reverse("account_login")).content.decode()
    assert reverse("account_signup") not in body
    assert reverse("account_reset_password") in body
    assert "Akun dibuat oleh administrator organisasi Anda" in body
    signup = client.post(reverse("account_signup"), {"email": "self@test.invalid", "password1": "a-long-pass-123",
                                                      "password2": "a-long-pass-123"})
    assert "Tidak ada pendaftaran mandiri" in signup.content.decode()
    from lindungi.accounts.models import User

    assert not User.objects.filter(email="self@test.invalid").exists()


def test_a_user_of_an_inactive_organisation_cannot_sign_in_nor_use_a_token(personas):
    from datetime import timedelta

    from django.utils import timezone

    from lindungi.accounts import services

    user = make_user(personas.org_a, "member@test.invalid", [Role.SUPERVISOR], password=PASSWORD)
    _token, secret = services.token_create(actor=user, name="script", expires_at=timezone.now() + timedelta(days=5))
    api = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert api.get("/api/v1/me/").status_code == 200
    personas.org_a.is_active = False  # as if by another path than the service, which also revokes tokens
    personas.org_a.save(update_fields=["is_active"])
    assert api.get("/api/v1/me/").status_code in (401, 403)
    response = attempt(Client(), user.email, PASSWORD)
    assert response.status_code == 302 and response["Location"] == reverse("account_inactive")
    assert not response.wsgi_request.user.is_authenticated
    personas.org_a.is_active = True
    personas.org_a.save(update_fields=["is_active"])
    sign_in(Client(), user)  # the same account signs in (password, then the code) once it is active again


def test_a_deactivated_user_cannot_sign_in(personas):
    user = make_user(personas.org_a, "gone@test.invalid", [Role.VIEWER], password=PASSWORD, mfa=False)
    user.is_active = False
    user.save()
    response = attempt(Client(), user.email, PASSWORD)
    assert not response.wsgi_request.user.is_authenticated
