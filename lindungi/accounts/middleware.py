from __future__ import annotations

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from lindungi.accounts.mfa import mfa_satisfied

AUTH_TIME_KEY = "lindungi_authenticated_at"

# Paths a user who must still enrol in MFA may use: enrolment itself, leaving, switching language.
_MFA_ENROLMENT_PREFIXES = ("/accounts/2fa/", "/accounts/logout/", "/accounts/reauthenticate/", "/i18n/",
                           "/static/", "/healthz")


class SessionLifetimeMiddleware:
    """Absolute session lifetime (12 h): the idle timeout is the session cookie's age."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated:
            started = request.session.get(AUTH_TIME_KEY)
            if started is None:
                request.session[AUTH_TIME_KEY] = time.time()
            elif time.time() - started > settings.SESSION_ABSOLUTE_AGE:
                logout(request)
                messages.info(request, _("Your session has ended. Please sign in again."))
                return redirect(settings.LOGIN_URL)
        return self.get_response(request)


class RequireMFAMiddleware:
    """A user whose role can see case data must enrol in MFA before doing anything else."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and not request.path.startswith(_MFA_ENROLMENT_PREFIXES)
            and not request.path.startswith("/api/")  # the API answers 403 through its permission class
            and not mfa_satisfied(user)
        ):
            return redirect("mfa_activate_totp")
        return self.get_response(request)
