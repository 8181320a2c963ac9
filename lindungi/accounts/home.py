"""Home-page section for organisation administrators: who still has to accept their invitation or
set up two-factor authentication (registered in core/home.py)."""

from __future__ import annotations

from allauth.mfa.models import Authenticator
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.translation import gettext as _

from lindungi.accounts import selectors
from lindungi.core import policy
from lindungi.core.policy import MFA_REQUIRED_ROLES


def administrator_section(request):
    user = request.user
    if not policy.allowed(user, "accounts.user.manage"):
        return None
    invited = selectors.user_list(user=user, status="invited").count()
    second_factor = Authenticator.objects.filter(
        user_id=OuterRef("pk"), type__in=[Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]
    )
    without_mfa = (
        selectors.user_list(user=user, status="active")
        .filter(memberships__role__in=MFA_REQUIRED_ROLES)
        .exclude(Exists(second_factor))
        .distinct()
        .count()
    )
    if not invited and not without_mfa:
        return None
    return {
        "template": "accounts/home_section.html",
        "title": _("Your organisation's users"),
        "invited": invited,
        "without_mfa": without_mfa,
        "invited_url": reverse("accounts:user_list") + "?status=invited",
    }
