"""Signing in the way a person does: password, then the authenticator code."""

from __future__ import annotations

import datetime
import time
from contextlib import contextmanager
from unittest import mock

from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from lindungi.accounts.testing import TEST_TOTP_SECRET

PASSWORD = "kopi-tubruk-pagi-hari-42"


def totp_code(secret: str = TEST_TOTP_SECRET, *, margin: float = 3.0) -> str:
    """The current code. Within `margin` seconds of the 30-second boundary it waits for the next
    period, so the code is still valid when the server checks it (allauth allows no clock drift)."""
    remaining = 30 - time.time() % 30
    if remaining < margin:
        time.sleep(remaining + 0.05)
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def fresh_totp_code(user, secret: str = TEST_TOTP_SECRET) -> str:
    """The current code, forgetting that it was used (allauth refuses a code twice in its window)."""
    code = totp_code(secret)
    cache.delete(f"allauth.mfa.totp.used?user={user.pk}&code={code}")
    return code


def sign_in(client, user, password: str = PASSWORD, secret: str = TEST_TOTP_SECRET):
    """Email + password, then the TOTP code when the user has one. Returns the last response."""
    response = client.post(reverse("account_login"), {"login": user.email, "password": password})
    assert response.status_code == 302, response.content.decode()[:2000]
    if response["Location"] == reverse("mfa_authenticate"):
        response = client.post(reverse("mfa_authenticate"), {"code": fresh_totp_code(user, secret)})
        assert response.status_code == 302, response.content.decode()[:2000]
    return response


def reauthenticate(client, user, secret: str = TEST_TOTP_SECRET):
    """Confirm identity again with the authenticator code (what allauth asks before sensitive actions)."""
    response = client.post(reverse("mfa_reauthenticate"), {"code": fresh_totp_code(user, secret)})
    assert response.status_code == 302, response.content.decode()[:2000]
    return response


@contextmanager
def clock_offset(seconds: float):
    """Move both clocks (time.time and django.utils.timezone.now) forward by `seconds`."""
    real_time, real_now = time.time, timezone.now
    with mock.patch("time.time", lambda: real_time() + seconds), \
            mock.patch("django.utils.timezone.now", lambda: real_now() + datetime.timedelta(seconds=seconds)):
        yield
