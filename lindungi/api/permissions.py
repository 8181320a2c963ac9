from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission

from lindungi.accounts.mfa import mfa_satisfied


class IsAuthenticatedWithMFA(BasePermission):
    """Signed in (session or personal token), active, and enrolled in MFA when the role needs it."""

    message = _("Your role requires two-factor authentication: set it up in Lindungi first.")
    code = "mfa_required"

    def has_permission(self, request, view):
        user = request.user
        return bool(user and user.is_authenticated and user.is_active and mfa_satisfied(user))


class PolicyPermission(BasePermission):
    """Checks `view.policy_action` (or `view.policy_actions[method]`) against the policy; a denial
    raises PolicyDenied (403, audited)."""

    def has_permission(self, request, view):
        from lindungi.core import policy

        actions = getattr(view, "policy_actions", None)
        action = (actions or {}).get(request.method, getattr(view, "policy_action", None))
        if action is None:
            return True
        policy.require(request.user, action)
        return True
