"""Helpers to make organisations and users with roles, for tests and demo data."""

from __future__ import annotations

from allauth.mfa.totp.internal.auth import TOTP

from lindungi.accounts.models import Membership, Organisation, User
from lindungi.core.policy import Role

# A fixed, obviously fake TOTP secret for tests (base32).
TEST_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def make_organisation(code: str, name: str | None = None, *, kind=Organisation.Kind.MEMBER, province=None) -> Organisation:
    return Organisation.objects.create(code=code, name=name or f"Organisation {code}", kind=kind, province_id=province)


def make_user(organisation: Organisation, email: str, roles, *, password: str | None = None,
              mfa: bool = True, full_name: str | None = None, totp_secret: str = TEST_TOTP_SECRET) -> User:
    user = User.objects.create_user(
        email=email, password=password, organisation=organisation, full_name=full_name or email.split("@")[0].title()
    )
    for role in roles:
        Membership.objects.create(user=user, role=Role(role))
    if mfa:
        TOTP.activate(user, totp_secret)
    return user
