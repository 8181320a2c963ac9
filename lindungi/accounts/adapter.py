from __future__ import annotations

import base64
import os

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from lindungi.accounts.mfa import mfa_required
from lindungi.crypto.keys import derive


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        # Accounts are created by organisation administrators only.
        return False

    def can_delete_email(self, email_address) -> bool:
        # The sign-in address is set by the organisation's administrator, not by the user.
        return False


class MFAAdapter(DefaultMFAAdapter):
    """TOTP secrets and recovery-code seeds are encrypted at rest with a KEK-derived key."""

    _PREFIX = "m1."

    error_messages = {
        **DefaultMFAAdapter.error_messages,
        "cannot_delete_authenticator": _(
            "Your role requires two-factor authentication. Add a security key first if you want to stop "
            "using the authenticator app."
        ),
    }

    def can_delete_authenticator(self, authenticator) -> bool:
        """Whoever must use MFA keeps at least one authenticator app or security key."""
        from allauth.mfa.models import Authenticator

        user = authenticator.user
        if not mfa_required(user):
            return True
        others = Authenticator.objects.filter(
            user_id=user.pk, type__in=[Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]
        ).exclude(pk=authenticator.pk)
        return others.exists()

    def _key(self) -> bytes:
        return derive(settings.LINDUNGI_KEK, "mfa-secrets")

    def encrypt(self, text: str) -> str:
        nonce = os.urandom(12)
        sealed = AESGCM(self._key()).encrypt(nonce, text.encode(), b"lindungi-mfa")
        return self._PREFIX + base64.urlsafe_b64encode(nonce + sealed).decode()

    def decrypt(self, encrypted_text: str) -> str:
        if not encrypted_text.startswith(self._PREFIX):
            raise ValueError("MFA secret is not encrypted")
        data = base64.urlsafe_b64decode(encrypted_text[len(self._PREFIX):])
        return AESGCM(self._key()).decrypt(data[:12], data[12:], b"lindungi-mfa").decode()
