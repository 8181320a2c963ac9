"""Ending a user's sessions: when they are deactivated (all of them) and when their password or
two-factor authentication changes (all but the one that made the change).

allauth's `UserSession` rows know which sessions belong to a user; a session created without
passing through allauth (e.g. before usersessions was installed) is found by decoding the plain
Django session rows, so no signed-in browser survives.
"""

from __future__ import annotations

from importlib import import_module

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.utils import timezone


def _session_store():
    return import_module(settings.SESSION_ENGINE).SessionStore


def end_user_sessions(user, *, keep_session_key: str | None = None) -> int:
    """End every session of `user` except `keep_session_key`; return how many were ended."""
    from allauth.usersessions.models import UserSession

    store = _session_store()
    ended: set[str] = set()
    for user_session in UserSession.objects.filter(user_id=user.pk).exclude(session_key=keep_session_key or ""):
        ended.add(user_session.session_key)
        user_session.end()
    # Plain Django session rows: only the database backend can be searched by user.
    if settings.SESSION_ENGINE == "django.contrib.sessions.backends.db":
        user_id = str(user.pk)
        candidates = Session.objects.filter(expire_date__gt=timezone.now())
        for session in candidates.iterator(chunk_size=500):
            if session.session_key == keep_session_key or session.session_key in ended:
                continue
            data = session.get_decoded()
            if str(data.get(SESSION_KEY, "")) == user_id:
                store(session.session_key).delete()
                ended.add(session.session_key)
    return len(ended)

