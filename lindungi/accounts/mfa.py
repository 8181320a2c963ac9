from __future__ import annotations

from lindungi.core.policy import MFA_REQUIRED_ROLES


def mfa_required(user) -> bool:
    return bool(user.roles & MFA_REQUIRED_ROLES)


def mfa_satisfied(user) -> bool:
    """False when the user's roles require MFA and they have not enrolled yet."""
    if not mfa_required(user):
        return True
    cached = getattr(user, "_lindungi_mfa_enabled", None)
    if cached is None:
        from allauth.mfa.utils import is_mfa_enabled

        cached = user._lindungi_mfa_enabled = is_mfa_enabled(user)
    return cached
