"""Two-factor secrets are sealed with a key derived from the KEK: a KEK change re-seals them
(`rotate_keys --rewrap-only`) instead of locking every user out."""

import io

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP
from django.core.management import CommandError, call_command

from lindungi.accounts.adapter import MFAAdapter
from lindungi.accounts.testing import TEST_TOTP_SECRET, make_organisation, make_user
from lindungi.audit.models import AuditEvent
from lindungi.crypto import keys

pytestmark = pytest.mark.django_db

NEW_KEK = b"new-kek-for-mfa-0123456789abcdef"  # 32 bytes, obviously fake


def rewrap():
    out = io.StringIO()
    call_command("rotate_keys", "--all", "--rewrap-only", "--settle-seconds", "0", stdout=out)
    return out.getvalue()


def totp_secret(user) -> str:
    return MFAAdapter().decrypt(Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP).data["secret"])


@pytest.fixture
def enrolled():
    user = make_user(make_organisation("MFA"), "pendamping@example.org", ["caseworker"])
    codes = RecoveryCodes.activate(user).generate_codes()
    return user, codes


def test_secrets_name_the_kek_they_are_sealed_with(enrolled):
    user, _codes = enrolled
    sealed = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP).data["secret"]
    assert sealed.startswith(f"m2.{keys.kek_id(keys.current_kek())}.")
    assert TEST_TOTP_SECRET not in sealed
    assert totp_secret(user) == TEST_TOTP_SECRET


def test_a_kek_change_re_seals_totp_secrets_and_recovery_codes(enrolled, settings):
    user, codes = enrolled
    old_kek = settings.LINDUNGI_KEK
    settings.LINDUNGI_KEK, settings.LINDUNGI_KEK_PREVIOUS = NEW_KEK, old_kek
    keys.forget_cached_keys()

    output = rewrap()

    assert "2 two-factor secret(s) re-sealed" in output
    settings.LINDUNGI_KEK_PREVIOUS = None  # the old KEK is gone for good
    assert totp_secret(user) == TEST_TOTP_SECRET
    recovery = Authenticator.objects.get(user=user, type=Authenticator.Type.RECOVERY_CODES)
    assert RecoveryCodes(recovery).generate_codes() == codes
    assert AuditEvent.objects.filter(action="accounts.mfa.resealed").count() == 2
    assert "0 two-factor secret(s) re-sealed" in rewrap()  # a second run has nothing left to do


def test_without_the_previous_kek_the_secrets_stay_as_they_are(enrolled, settings):
    user, _codes = enrolled
    before = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP).data["secret"]
    settings.LINDUNGI_KEK = NEW_KEK
    keys.forget_cached_keys()
    with pytest.raises(CommandError, match="not configured"):
        rewrap()
    assert Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP).data["secret"] == before


def test_secrets_sealed_before_the_kek_was_named_still_open(enrolled, settings):
    """Format m1 (no KEK id) from before this change: read with any configured KEK, then re-sealed."""
    import base64
    import os

    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    user, _codes = enrolled
    nonce = os.urandom(12)
    legacy = "m1." + base64.urlsafe_b64encode(nonce + AESGCM(MFAAdapter._key(settings.LINDUNGI_KEK)).encrypt(
        nonce, TEST_TOTP_SECRET.encode(), b"lindungi-mfa")).decode()
    Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).update(data={"secret": legacy})
    assert totp_secret(user) == TEST_TOTP_SECRET
    assert "1 two-factor secret(s) re-sealed" in rewrap()
    assert Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP).data["secret"].startswith("m2.")
    assert TOTP(Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)).instance.pk
