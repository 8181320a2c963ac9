"""Production settings: refuse to start without real secrets; `check --deploy` is clean."""

import base64
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


def production_env(tmp_path, **overrides):
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("LINDUNGI_", "DJANGO_", "DATABASE_URL", "SECRET_KEY", "ALLOWED_HOSTS", "CSRF_"))}
    env.update({
        "DJANGO_SETTINGS_MODULE": "lindungi.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(60),
        "LINDUNGI_KEK": base64.b64encode(secrets.token_bytes(32)).decode(),
        "LINDUNGI_AUDIT_SIGNING_KEY": base64.b64encode(secrets.token_bytes(32)).decode(),
        "ALLOWED_HOSTS": "lindungi.example.org",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'prod.sqlite3'}",
        "LINDUNGI_VAR_DIR": str(tmp_path / "var"),
    })
    for key, value in overrides.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return env


def manage(env, *args):
    return subprocess.run([sys.executable, str(ROOT / "manage.py"), *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


def test_production_settings_pass_check_deploy_without_warnings(tmp_path):
    result = manage(production_env(tmp_path), "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_the_kek_can_come_from_a_file(tmp_path):
    kek = tmp_path / "kek"
    kek.write_text(base64.b64encode(secrets.token_bytes(32)).decode())
    kek.chmod(0o600)
    env = production_env(tmp_path, LINDUNGI_KEK=None, LINDUNGI_KEK_FILE=str(kek))
    result = manage(env, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(("missing", "message"), [
    ("SECRET_KEY", "SECRET_KEY is required"),
    ("LINDUNGI_KEK", "LINDUNGI_KEK (or LINDUNGI_KEK_FILE) is required"),
    ("LINDUNGI_AUDIT_SIGNING_KEY", "LINDUNGI_AUDIT_SIGNING_KEY (or LINDUNGI_AUDIT_SIGNING_KEY_FILE) is required"),
    ("ALLOWED_HOSTS", "ALLOWED_HOSTS must name"),
    ("DATABASE_URL", "DATABASE_URL is required"),
])
def test_production_refuses_to_start_without_each_secret(tmp_path, missing, message):
    result = manage(production_env(tmp_path, **{missing: None}), "check")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and message in result.stderr


@pytest.mark.parametrize(("name", "value", "message"), [
    ("SECRET_KEY", "django-insecure-" + "a" * 50, "SECRET_KEY must be a random value"),
    ("SECRET_KEY", "too-short", "SECRET_KEY must be a random value"),
    ("LINDUNGI_KEK", base64.b64encode(b"k" * 16).decode(), "LINDUNGI_KEK must decode to 32 bytes"),
    ("LINDUNGI_KEK", "not base64 at all!", "LINDUNGI_KEK is not valid base64"),
    ("SECURE_HSTS_SECONDS", "60", "SECURE_HSTS_SECONDS=60 must be at least 3600"),
    ("DATABASE_URL", "postgress://db/lindungi", "DATABASE_URL is not a database URL"),
])
def test_production_refuses_bad_values(tmp_path, name, value, message):
    result = manage(production_env(tmp_path, **{name: value}), "check")
    assert result.returncode != 0
    assert message in result.stderr


def test_the_test_settings_do_not_leak_into_production(tmp_path):
    code = ("from django.conf import settings as s; "
            "print(s.DEBUG, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS >= 31536000, "
            "s.SESSION_COOKIE_NAME.startswith('__Host-'), s.PASSWORD_HASHERS[0].endswith('Argon2PasswordHasher'))")
    result = manage(production_env(tmp_path), "shell", "-c", code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1].split() == ["False", "True", "True", "True", "True", "True"]


def test_the_previous_kek_for_a_rotation_comes_from_the_environment(tmp_path):
    previous = secrets.token_bytes(32)
    env = production_env(tmp_path, LINDUNGI_KEK_PREVIOUS=base64.b64encode(previous).decode())
    code = "from django.conf import settings as s; print(s.LINDUNGI_KEK_PREVIOUS.hex())"
    result = manage(env, "shell", "-c", code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == previous.hex()


def test_production_trusts_one_reverse_proxy_for_client_addresses(tmp_path):
    code = ("from django.conf import settings as s; "
            "print(s.LINDUNGI_TRUSTED_PROXY_COUNT, s.ALLAUTH_TRUSTED_PROXY_COUNT, s.REST_FRAMEWORK['NUM_PROXIES'])")
    result = manage(production_env(tmp_path), "shell", "-c", code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "1 1 1"
