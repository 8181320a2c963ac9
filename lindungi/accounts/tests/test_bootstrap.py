"""A fresh production install: `manage.py bootstrap` creates the secretariat and its first administrator."""

import io
import re

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from lindungi.accounts.models import Organisation, User
from lindungi.audit.models import AuditEvent
from lindungi.core.policy import Role


def run(**options):
    out = io.StringIO()
    defaults = {"name": "Sekretariat Jaringan Uji", "code": "SJU", "admin_email": "Admin@Jaringan.Invalid",
                "admin_name": "Admin Pertama", "province": "31", "base_url": "https://lindungi.example.org"}
    call_command("bootstrap", stdout=out, **{**defaults, **options})
    return out.getvalue()


def test_bootstrap_creates_the_secretariat_and_prints_a_password_link(db):
    output = run()
    org = Organisation.objects.get(code="SJU")
    assert org.is_secretariat and org.province_id == "31"
    admin = User.objects.get(email="admin@jaringan.invalid")
    assert admin.organisation == org and admin.roles == {Role.ADMINISTRATOR}
    assert not admin.has_usable_password()
    link = re.search(r"https://lindungi\.example\.org(/accounts/password/reset/key/\S+)", output).group(1)
    # The link leads to the page where the administrator chooses a password, and then they sign in.
    client = Client()
    form_url = client.get(link)["Location"]
    response = client.post(form_url, {"password1": "sawah-hijau-membentang-5", "password2": "sawah-hijau-membentang-5"})
    assert response.status_code == 302
    login = client.post("/accounts/login/", {"login": "admin@jaringan.invalid", "password": "sawah-hijau-membentang-5"})
    assert login.status_code == 302
    # Administrators must set up two-factor authentication first.
    assert client.get("/")["Location"] == "/accounts/2fa/totp/activate/"
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"accounts.organisation.created", "accounts.user.invited"} <= actions


def test_bootstrap_runs_only_once(db):
    run()
    with pytest.raises(CommandError, match="already has a network secretariat"):
        run(code="SJ2", admin_email="second@jaringan.invalid")
    assert Organisation.objects.count() == 1 and User.objects.count() == 1


@pytest.mark.parametrize("options", [{"code": "bad code"}, {"admin_email": "not-an-email"}, {"province": "99"},
                                     {"admin_name": "  "}])
def test_bad_input_creates_nothing(db, options):
    with pytest.raises(CommandError):
        run(**options)
    assert not Organisation.objects.exists() and not User.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="accounts.").exists()
