"""Personal iCalendar feeds: a secret URL per user, stored only as a hash, revocable at any time."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from django.db import transaction
from django.utils import timezone

from lindungi.audit import services as audit
from lindungi.core import policy
from lindungi.legal.models import CalendarFeed
from lindungi.legal.services._common import CALENDAR

FEED_PREFIX = "lgc"


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def calendar_feed_create(*, actor) -> tuple[CalendarFeed, str]:
    """A new feed for the actor (any previous one stops working). Returns the feed and its token,
    which is shown once and never stored."""
    policy.require(actor, CALENDAR)
    prefix, secret = secrets.token_hex(6), secrets.token_urlsafe(32)
    with transaction.atomic():
        now = timezone.now()
        revoked = list(CalendarFeed.objects.select_for_update().filter(user=actor, revoked_at__isnull=True))
        CalendarFeed.objects.filter(pk__in=[f.pk for f in revoked]).update(revoked_at=now)
        feed = CalendarFeed.objects.create(user=actor, prefix=prefix, digest=_digest(secret), created_at=now)
        audit.record("legal.calendar_feed.created", actor=actor, obj=feed,
                     payload={"replaced_feed_ids": [f.pk for f in revoked]})
    return feed, f"{FEED_PREFIX}_{prefix}_{secret}"


def calendar_feed_revoke(*, actor) -> int:
    """Stop the actor's feed; returns how many feeds were revoked (0 or 1)."""
    policy.require(actor, CALENDAR)
    with transaction.atomic():
        feeds = list(CalendarFeed.objects.select_for_update().filter(user=actor, revoked_at__isnull=True))
        if feeds:
            CalendarFeed.objects.filter(pk__in=[f.pk for f in feeds]).update(revoked_at=timezone.now())
            audit.record("legal.calendar_feed.revoked", actor=actor, obj=feeds[0],
                         payload={"feed_ids": [f.pk for f in feeds]})
    return len(feeds)


def feed_for_token(token: str) -> CalendarFeed | None:
    """The active feed of `token`, or None (malformed, unknown, revoked, or its user inactive)."""
    try:
        kind, prefix, secret = (token or "").split("_", 2)
    except ValueError:
        return None
    if kind != FEED_PREFIX or not prefix or not secret:
        return None
    feed = CalendarFeed.objects.select_related("user", "user__organisation").filter(
        prefix=prefix, revoked_at__isnull=True).first()
    if feed is None or not hmac.compare_digest(feed.digest, _digest(secret)) or not feed.user.is_active:
        return None
    return feed


# Calendar apps poll every few minutes: the audit trail notes the feed's use at most once an hour.
AUDIT_EVERY_SECONDS = 3600


def feed_used(feed: CalendarFeed) -> None:
    now = timezone.now()
    if feed.last_used_at is None or (now - feed.last_used_at).total_seconds() >= AUDIT_EVERY_SECONDS:
        audit.record("legal.calendar_feed.used", actor=feed.user, obj=feed, payload={})
        CalendarFeed.objects.filter(pk=feed.pk).update(last_used_at=now)
