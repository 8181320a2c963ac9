"""allauth's session records ("My sessions") are kept, but updated at most once a minute."""

import pytest
from allauth.usersessions.models import UserSession
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from lindungi.accounts.testing import make_user
from lindungi.accounts.tests.helpers import PASSWORD, clock_offset, sign_in
from lindungi.core import session_activity
from lindungi.core.policy import Role

pytestmark = pytest.mark.django_db


def _usersession_queries(client, url="/") -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return sum(1 for q in captured.captured_queries if "usersessions_usersession" in q["sql"])


def test_a_session_is_recorded_on_its_first_request_and_refreshed_at_most_once_a_minute(personas):
    client = Client()
    client.force_login(personas.caseworker_a)  # a plain Django session: allauth did not see it begin
    assert not UserSession.objects.filter(user=personas.caseworker_a).exists()
    assert _usersession_queries(client) > 0
    recorded = UserSession.objects.get(user=personas.caseworker_a)
    assert recorded.session_key == client.session.session_key

    assert _usersession_queries(client) == 0  # within the minute: no read, no write
    assert UserSession.objects.get(pk=recorded.pk).last_seen_at == recorded.last_seen_at

    with clock_offset(session_activity.INTERVAL + 1):
        assert _usersession_queries(client) > 0
    assert UserSession.objects.get(pk=recorded.pk).last_seen_at > recorded.last_seen_at


def test_a_new_session_key_is_recorded_at_once(personas):
    client = Client()
    client.force_login(personas.caseworker_a)
    client.get("/")
    # A new key for the same session (as signing in or a password change give), its data carried over.
    session = client.session
    old_key = session.session_key
    session.cycle_key()
    client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key
    assert client.session.session_key != old_key
    assert _usersession_queries(client) > 0
    assert UserSession.objects.filter(session_key=client.session.session_key).exists()


def test_every_session_is_still_listed_and_can_be_ended(personas):
    laptop, phone = Client(), Client()
    for client in (laptop, phone):
        client.force_login(personas.caseworker_a)
        client.get("/")
        client.get("/")
    assert UserSession.objects.filter(user=personas.caseworker_a).count() == 2
    laptop.post("/accounts/sessions/")
    assert laptop.get("/").status_code == 200
    assert phone.get("/").status_code == 302


def _session_writes(captured) -> int:
    return sum(1 for q in captured.captured_queries
               if q["sql"].lstrip().upper().startswith(("UPDATE", "INSERT")) and "django_session" in q["sql"])


def test_signing_in_records_the_session_so_the_first_page_after_it_writes_nothing(personas):
    member = make_user(personas.org_a, "member@test.invalid", [Role.CASEWORKER], password=PASSWORD)
    client = Client()
    sign_in(client, member)  # through allauth: password, then the authenticator code
    recorded = UserSession.objects.get(user=member)
    assert recorded.session_key == client.session.session_key

    with CaptureQueriesContext(connection) as captured:
        assert client.get("/").status_code == 200
    assert not [q for q in captured.captured_queries if "usersessions_usersession" in q["sql"]]
    assert _session_writes(captured) == 0

    # A minute later the record is refreshed as usual.
    with clock_offset(session_activity.INTERVAL + 1):
        assert _usersession_queries(client) > 0
    assert UserSession.objects.get(pk=recorded.pk).last_seen_at > recorded.last_seen_at
