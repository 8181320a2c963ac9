import time

import pytest
from django.utils import timezone, translation

from lindungi.cases.testing import make_provider, register


@pytest.fixture
def w(personas):
    """Organisations A and B with one persona per role (no other app's objects)."""
    return personas


@pytest.fixture
def case_a(w):
    return register(w.caseworker_a, full_name="Ani Lestari", nik="9912345678901234", supervisor=w.supervisor_a)


@pytest.fixture
def provider_a(w):
    return make_provider(w.org_a)


@pytest.fixture
def english():
    """Messages in English (the source language), whatever the default language."""
    with translation.override("en"):
        yield


@pytest.fixture
def today():
    return timezone.localdate()


def reauthenticated(client, user):
    """Mark the test client's session as just re-authenticated (allauth's own session records)."""
    session = client.session
    session["account_authentication_methods"] = [{"method": "password", "at": time.time(), "reauthenticated": True}]
    session["account_authentication_methods_user"] = str(user.pk)
    session.save()
    return client
