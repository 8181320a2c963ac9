"""Sessions: idle timeout 30 minutes, absolute 12 hours, and ending sessions when the account's
secrets change or the account is deactivated."""

import pytest
from allauth.usersessions.models import UserSession
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lindungi.accounts import services
from lindungi.accounts.middleware import RENEW_EVERY
from lindungi.accounts.sessions import end_user_sessions
from lindungi.accounts.testing import make_user
from lindungi.accounts.tests.helpers import PASSWORD, clock_offset, fresh_totp_code, reauthenticate, sign_in
from lindungi.core.policy import Role


@pytest.fixture
def member(personas):
    return make_user(personas.org_a, "member@test.invalid", [Role.CASEWORKER], password=PASSWORD)


def test_the_settings_are_30_minutes_idle_and_12_hours_absolute():
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_ABSOLUTE_AGE == 12 * 60 * 60
    # Renewed by activity at most once a minute (accounts.middleware), not saved on every request.
    assert settings.SESSION_SAVE_EVERY_REQUEST is False
    assert RENEW_EVERY == 60


def _session_writes(captured) -> int:
    return sum(1 for q in captured.captured_queries
               if q["sql"].lstrip().upper().startswith(("UPDATE", "INSERT")) and "django_session" in q["sql"])


def test_activity_renews_the_idle_timeout_at_most_once_a_minute(member):
    client = Client()
    sign_in(client, member)
    with clock_offset(61):
        client.get("/")  # the first page after signing in
    key = client.session.session_key
    renewed = Session.objects.get(session_key=key).expire_date
    with clock_offset(90), CaptureQueriesContext(connection) as captured:
        assert client.get("/").status_code == 200
    assert _session_writes(captured) == 0  # 29 seconds later: nothing written
    assert Session.objects.get(session_key=key).expire_date == renewed
    with clock_offset(61 + 61), CaptureQueriesContext(connection) as captured:
        assert client.get("/").status_code == 200
    assert _session_writes(captured) == 1  # a minute later: the expiry moves with the activity
    assert (Session.objects.get(session_key=key).expire_date - renewed).total_seconds() == pytest.approx(61, abs=5)


def test_a_session_idle_for_30_minutes_after_a_page_that_did_not_renew_it_ends(member):
    client = Client()
    sign_in(client, member)
    with clock_offset(61):
        client.get("/")  # renews
    with clock_offset(61 + 59):
        assert client.get("/").status_code == 200  # does not renew: within the minute
    # 30 minutes after the renewal (29 minutes 1 second after the last page) the session has ended:
    # a late renewal makes the idle timeout shorter, never longer.
    with clock_offset(61 + 30 * 60 + 1):
        response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


def test_an_idle_session_ends_after_30_minutes(member):
    client = Client()
    sign_in(client, member)
    with clock_offset(29 * 60):
        assert client.get("/").status_code == 200  # activity renews the idle timer
    with clock_offset(58 * 60):
        assert client.get("/").status_code == 200
    with clock_offset(58 * 60 + 31 * 60):
        response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


def test_an_active_session_ends_after_12_hours(member):
    client = Client()
    sign_in(client, member)
    elapsed = 0
    while elapsed < 12 * 60 * 60 - 20 * 60:
        elapsed += 20 * 60  # a request every 20 minutes keeps the idle timer happy
        with clock_offset(elapsed):
            assert client.get("/").status_code == 200, elapsed
    with clock_offset(12 * 60 * 60 + 60):
        response = client.get("/")
        assert response.status_code == 302 and response["Location"] == reverse("account_login")
        page = client.get(response["Location"])
    assert "Sesi Anda telah berakhir" in page.content.decode()
    assert not page.wsgi_request.user.is_authenticated


def test_the_session_key_changes_at_sign_in(member):
    client = Client()
    client.get(reverse("account_login"))
    client.cookies[settings.SESSION_COOKIE_NAME] = "fixated-session-key-from-an-attacker"
    sign_in(client, member)
    assert client.cookies[settings.SESSION_COOKIE_NAME].value != "fixated-session-key-from-an-attacker"


def _sessions_of(user):
    found = 0
    for session in Session.objects.all():
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk):
            found += 1
    return found


def test_changing_the_password_ends_the_other_sessions_only(member):
    laptop, phone = Client(), Client()
    sign_in(laptop, member)
    sign_in(phone, member)
    assert _sessions_of(member) == 2
    response = laptop.post(reverse("account_change_password"), {
        "oldpassword": PASSWORD, "password1": "ombak-pantai-selatan-9", "password2": "ombak-pantai-selatan-9"})
    assert response.status_code == 302
    assert laptop.get("/").status_code == 200
    assert phone.get("/").status_code == 302
    assert _sessions_of(member) == 1
    assert UserSession.objects.filter(user=member).count() == 1


def test_a_password_reset_ends_every_session(member):
    browser = Client()
    sign_in(browser, member)
    from django.core import mail

    Client().post(reverse("account_reset_password"), {"email": member.email})
    link = next(line for line in mail.outbox[-1].body.splitlines() if "/password/reset/key/" in line).strip()
    stranger = Client()
    form_url = stranger.get(link)["Location"]
    stranger.post(form_url, {"password1": "hujan-deras-sore-ini-3", "password2": "hujan-deras-sore-ini-3"})
    assert browser.get("/").status_code == 302
    assert _sessions_of(member) == 0


def test_adding_an_authenticator_ends_the_other_sessions(personas, django_capture_on_commit_callbacks):
    user = make_user(personas.org_a, "fresh@test.invalid", [Role.VIEWER], password=PASSWORD, mfa=False)
    laptop, phone = Client(), Client()
    sign_in(laptop, user)
    sign_in(phone, user)
    reauthenticate_by_password(laptop)
    page = laptop.get(reverse("mfa_activate_totp"))
    secret = page.context["form"].secret
    with django_capture_on_commit_callbacks(execute=True):  # allauth signals after the commit
        response = laptop.post(reverse("mfa_activate_totp"), {"code": fresh_totp_code(user, secret)})
    assert response.status_code == 302
    assert laptop.get("/").status_code == 200
    assert phone.get("/").status_code == 302


def reauthenticate_by_password(client):
    response = client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]


def test_removing_an_authenticator_ends_the_other_sessions(personas):
    user = make_user(personas.org_a, "viewer2@test.invalid", [Role.VIEWER], password=PASSWORD)
    laptop, phone = Client(), Client()
    sign_in(laptop, user)
    sign_in(phone, user)
    reauthenticate(laptop, user)
    response = laptop.post(reverse("mfa_deactivate_totp"))
    assert response.status_code == 302
    assert laptop.get("/").status_code == 200
    assert phone.get("/").status_code == 302


def test_deactivation_deletes_tracked_and_untracked_sessions(personas, client_for):
    tracked = Client()
    tracked.force_login(personas.caseworker_a)
    tracked.get("/")  # allauth's middleware records a UserSession
    untracked = Client()
    untracked.force_login(personas.caseworker_a)  # a plain Django session, never seen by allauth
    assert UserSession.objects.filter(user=personas.caseworker_a).count() == 1
    assert _sessions_of(personas.caseworker_a) == 2
    services.user_deactivate(actor=personas.admin_a, user=personas.caseworker_a)
    assert _sessions_of(personas.caseworker_a) == 0
    assert not UserSession.objects.filter(user=personas.caseworker_a).exists()


def test_ending_sessions_leaves_other_users_alone(personas, client_for):
    mine, theirs = client_for(personas.caseworker_a), client_for(personas.caseworker2_a)
    end_user_sessions(personas.caseworker_a)
    assert mine.get("/").status_code == 302
    assert theirs.get("/").status_code == 200


def test_the_sessions_page_renders_in_our_shell_and_ends_other_sessions(member):
    laptop, phone = Client(), Client()
    sign_in(laptop, member)
    sign_in(phone, member)
    page = laptop.get(reverse("usersessions_list"))
    body = page.content.decode()
    assert page.status_code == 200
    assert 'class="topbar"' in body and "Sesi saya" in body and "Keluar dari semua sesi lainnya" in body
    assert body.count("<tr>") == 3  # header + two sessions
    laptop.post(reverse("usersessions_list"))
    assert laptop.get("/").status_code == 200
    assert phone.get("/").status_code == 302
