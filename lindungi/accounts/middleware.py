from __future__ import annotations

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.messages.storage import default_storage
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from lindungi.accounts.mfa import mfa_satisfied

AUTH_TIME_KEY = "lindungi_authenticated_at"

# Paths a user who must still enrol in MFA may use: enrolment itself, leaving, switching language.
_MFA_ENROLMENT_PREFIXES = ("/accounts/2fa/", "/accounts/logout/", "/accounts/reauthenticate/", "/i18n/",
                           "/static/", "/healthz")


def _redirect_with_message(request, to, level, text):
    """A redirect that carries a flash message. These middlewares run before MessageMiddleware (they
    must act before any view), so they store the message themselves, as MessageMiddleware would."""
    storage = getattr(request, "_messages", None) or default_storage(request)
    storage.add(level, text)
    response = redirect(to)
    storage.update(response)
    return response


class SessionLifetimeMiddleware:
    """Absolute session lifetime (12 h): the idle timeout (30 min) is the session's age, renewed on
    every request (SESSION_COOKIE_AGE + SESSION_SAVE_EVERY_REQUEST)."""

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
                return _redirect_with_message(
                    request, settings.LOGIN_URL, messages.INFO, _("Your session has ended. Please sign in again.")
                )
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
            return _redirect_with_message(
                request, "mfa_activate_totp", messages.WARNING,
                _("Your role gives access to case data, so your account must be protected with two-factor "
                  "authentication. Please set it up now."),
            )
        return self.get_response(request)
