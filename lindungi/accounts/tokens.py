from __future__ import annotations

import hashlib
import hmac
import secrets

from django.utils import timezone

TOKEN_PREFIX = "lgi"


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def new_token_parts() -> tuple[str, str, str]:
    """(prefix, secret, full token). The prefix finds the row; the secret is only ever hashed."""
    prefix = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)
    return prefix, secret, f"{TOKEN_PREFIX}_{prefix}_{secret}"


def authenticate_token(raw: str):
    from lindungi.accounts.models import ApiToken

    try:
        kind, prefix, secret = raw.split("_", 2)
    except ValueError:
        return None, None
    if kind != TOKEN_PREFIX:
        return None, None
    token = ApiToken.objects.select_related("user", "user__organisation").filter(prefix=prefix).first()
    if token is None or not hmac.compare_digest(token.digest, digest(secret)):
        return None, None
    if not token.is_usable or not token.user.is_active or not token.user.organisation.is_active:
        return None, None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user, token
