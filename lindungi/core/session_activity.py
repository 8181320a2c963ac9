"""allauth's record of a user's sessions ("My sessions": where and when each browser was last
active, and ending them), written at most once a minute per session instead of on every request.

allauth's `UserSessionsMiddleware` with `USERSESSIONS_TRACK_ACTIVITY` reads the session's row, its
user, and updates it in a transaction of its own on every request: five queries and a commit per
page, for a "last active" time that the page shows to the minute ("3 minutes ago"). The row itself
is created when allauth signs the user in (its `user_logged_in` receiver), and the session is then
marked as just tracked (`mark_tracked`), so the first page after signing in does not record it a
second time. A session allauth did not see signing in is recorded on its first request, and again
as soon as the session key changes; ending sessions does not depend on the record
(`accounts.sessions` also finds plain session rows)."""

from __future__ import annotations

import time

from allauth.usersessions.middleware import UserSessionsMiddleware

# Seconds between two updates of a session's "last active" time and address.
INTERVAL = 60
_SEEN_KEY = "lindungi_usersession_seen"  # [session key, time of the last update]


def mark_tracked(session) -> None:
    """Note in the session (saved with it, which also renews its idle timeout) that allauth's
    record of it was written just now, under its current key."""
    if session.session_key:
        session[_SEEN_KEY] = [session.session_key, time.time()]


class ThrottledUserSessionsMiddleware(UserSessionsMiddleware):
    def __call__(self, request):
        if self._recently_tracked(request):
            return self.get_response(request)
        session = getattr(request, "session", None)
        tracked_key = session.session_key if session is not None else None
        response = super().__call__(request)  # tracks the session as it is before the view
        user = getattr(request, "user", None)
        # A view that signed in or out changed the key: the new key is tracked on its next request.
        if tracked_key and session.session_key == tracked_key and user is not None and user.is_authenticated:
            mark_tracked(session)
        return response

    @staticmethod
    def _recently_tracked(request) -> bool:
        session = getattr(request, "session", None)
        user = getattr(request, "user", None)
        if session is None or user is None or not user.is_authenticated or not session.session_key:
            return False
        seen = session.get(_SEEN_KEY)
        if not isinstance(seen, list) or len(seen) != 2:
            return False
        key, at = seen
        return key == session.session_key and isinstance(at, int | float) and 0 <= time.time() - at < INTERVAL
