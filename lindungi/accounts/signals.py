"""Session hygiene around authentication events (SECURITY.md, "Sessions"):
- the login time is remembered for the absolute session lifetime;
- a session allauth recorded at sign-in is not recorded again by the first page after it;
- a password or two-factor change ends the user's *other* sessions (a reset: all of them), so a
  thief who had a session loses it when the owner secures the account.
"""

import time

from allauth.account.signals import password_changed, password_reset, password_set
from allauth.account.signals import user_logged_in as allauth_user_logged_in
from allauth.mfa.signals import authenticator_added, authenticator_removed, authenticator_reset
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from lindungi.accounts.middleware import AUTH_TIME_KEY
from lindungi.accounts.sessions import end_user_sessions
from lindungi.audit.services import record
from lindungi.core.session_activity import mark_tracked


@receiver(user_logged_in)
def _remember_login_time(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session[AUTH_TIME_KEY] = time.time()


@receiver(allauth_user_logged_in)
def _session_recorded_at_login(sender, request, user, **kwargs):
    # allauth.usersessions records the session on this same signal: the first page after signing
    # in need not record it again (core.session_activity).
    if request is not None and hasattr(request, "session"):
        mark_tracked(request.session)


def _current_session_key(request, user):
    if request is None or not hasattr(request, "session"):
        return None
    current = getattr(request, "user", None)
    if current is None or not current.is_authenticated or current.pk != user.pk:
        return None
    return request.session.session_key


def _end_other_sessions(request, user, reason: str) -> None:
    ended = end_user_sessions(user, keep_session_key=_current_session_key(request, user))
    record("accounts.sessions.ended", actor=user, obj=user, payload={"reason": reason, "count": ended})


@receiver(password_changed)
def _password_changed(sender, request, user, **kwargs):
    record("accounts.password.changed", actor=user, obj=user)
    _end_other_sessions(request, user, "password_changed")


@receiver(password_set)
def _password_set(sender, request, user, **kwargs):
    record("accounts.password.set", actor=user, obj=user)
    _end_other_sessions(request, user, "password_set")


@receiver(password_reset)
def _password_reset(sender, request, user, **kwargs):
    # The person resetting is not signed in: every session of the account ends.
    record("accounts.password.reset", obj=user, organisation=user.organisation_id)
    _end_other_sessions(request, user, "password_reset")


def _authenticator_type(authenticator) -> str:
    return str(getattr(authenticator, "type", ""))


@receiver(authenticator_added)
def _mfa_added(sender, request, user, authenticator, **kwargs):
    record("accounts.mfa.added", actor=user, obj=user, payload={"type": _authenticator_type(authenticator)})
    _end_other_sessions(request, user, "mfa_added")


@receiver(authenticator_removed)
def _mfa_removed(sender, request, user, authenticator, **kwargs):
    record("accounts.mfa.removed", actor=user, obj=user, payload={"type": _authenticator_type(authenticator)})
    _end_other_sessions(request, user, "mfa_removed")


@receiver(authenticator_reset)
def _mfa_reset(sender, request, user, authenticator, **kwargs):
    record("accounts.mfa.reset", actor=user, obj=user, payload={"type": _authenticator_type(authenticator)})
    _end_other_sessions(request, user, "mfa_reset")
