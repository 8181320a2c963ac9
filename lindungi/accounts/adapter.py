from __future__ import annotations

import base64
import os

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.utils.translation import gettext_lazy as _

from lindungi.accounts.mfa import mfa_required
from lindungi.crypto import keys


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        # Accounts are created by organisation administrators only.
        return False

    def can_delete_email(self, email_address) -> bool:
        # The sign-in address is set by the organisation's administrator, not by the user.
        return False

    def pre_login(self, request, user, **kwargs):
        # Before the second factor: a user of an inactive organisation is refused as an inactive
        # account is (the same page, which says no more than that).
        if user.is_active and not user.organisation.is_active:
            from allauth.account.internal.stagekit import clear_login

            clear_login(request)
            return self.respond_user_inactive(request, user)
        return super().pre_login(request, user, **kwargs)


class MFAAdapter(DefaultMFAAdapter):
    """TOTP secrets and recovery-code seeds are encrypted at rest with a KEK-derived key."""

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

    # "m2.<kek id>.<nonce + ciphertext>": the KEK it was sealed under is named, so that a KEK
    # change (`rotate_keys --rewrap-only`, with the old KEK as LINDUNGI_KEK_PREVIOUS) can re-seal
    # the secrets instead of locking every user out of two-factor authentication.
    _PREFIX = "m2."
    _LEGACY_PREFIX = "m1."  # no KEK id: tried with every configured KEK

    @staticmethod
    def _key(kek: bytes) -> bytes:
        return keys.derive(kek, "mfa-secrets")

    def encrypt(self, text: str) -> str:
        kek = keys.current_kek()
        nonce = os.urandom(12)
        sealed = AESGCM(self._key(kek)).encrypt(nonce, text.encode(), b"lindungi-mfa")
        return f"{self._PREFIX}{keys.kek_id(kek)}.{base64.urlsafe_b64encode(nonce + sealed).decode()}"

    def decrypt(self, encrypted_text: str) -> str:
        if encrypted_text.startswith(self._PREFIX):
            wanted, _, body = encrypted_text[len(self._PREFIX):].partition(".")
            kek = keys.known_keks().get(wanted)
            if kek is None:
                raise keys.KeyError_(f"The key-encryption key {wanted} of an MFA secret is not configured.")
            candidates = [kek]
        elif encrypted_text.startswith(self._LEGACY_PREFIX):
            body = encrypted_text[len(self._LEGACY_PREFIX):]
            candidates = list(keys.known_keks().values())
        else:
            raise ValueError("MFA secret is not encrypted")
        data = base64.urlsafe_b64decode(body)
        for kek in candidates:
            try:
                return AESGCM(self._key(kek)).decrypt(data[:12], data[12:], b"lindungi-mfa").decode()
            except InvalidTag:
                continue
        raise keys.KeyError_("An MFA secret could not be decrypted: wrong key-encryption key?")

    def needs_resealing(self, encrypted_text: str) -> bool:
        return not encrypted_text.startswith(f"{self._PREFIX}{keys.kek_id(keys.current_kek())}.")
