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


# Seconds between two renewals of a session's idle timeout (see SessionLifetimeMiddleware).
RENEW_EVERY = 60
RENEWED_AT_KEY = "lindungi_session_renewed_at"


class SessionLifetimeMiddleware:
    """Absolute session lifetime (12 h), and the idle timeout (30 min, SESSION_COOKIE_AGE): the
    session's expiry is renewed by activity, at most once a minute. Saving the session on every
    request (SESSION_SAVE_EVERY_REQUEST) cost a write and a commit per page for an expiry that
    moves by seconds; renewed at most a minute late, an idle session ends between 29 and 30
    minutes after its last request, never later."""

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
        response = self.get_response(request)
        _renew_idle_timeout(request.session)
        return response


def _renew_idle_timeout(session) -> None:
    """Mark a session that holds anything for saving (which moves its expiry) when it was last
    renewed a minute ago or more; a session the request changed is saved anyway."""
    if session.modified or session.is_empty():
        if session.modified and not session.is_empty():
            session[RENEWED_AT_KEY] = time.time()
        return
    renewed = session.get(RENEWED_AT_KEY)
    now = time.time()
    if not isinstance(renewed, int | float) or not 0 <= now - renewed < RENEW_EVERY:
        session[RENEWED_AT_KEY] = now  # sets session.modified: SessionMiddleware saves it


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
