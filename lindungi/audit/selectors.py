"""Reading the audit trail: an administrator sees their organisation's events, through the policy."""

from __future__ import annotations

import datetime

from django.db.models import QuerySet
from django.utils import timezone

from lindungi.audit.models import AuditEvent
from lindungi.core import policy


def _start_of(day: datetime.date) -> datetime.datetime:
    """Midnight at the start of `day` in the site's time zone (Asia/Jakarta), as an aware datetime."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def event_list(*, user, filters: dict | None = None, action: str = "audit.event.view") -> QuerySet[AuditEvent]:
    """The events `user` may see, newest first, narrowed by `filters` (cleaned AuditFilterForm data):
    action (a code or a prefix such as "cases." or "cases.case"), actor, since/until (dates,
    inclusive, local time), object_type, object_id."""
    policy.require(user, action)
    events = policy.scope_filter(user, action, AuditEvent.objects.all())
    filters = filters or {}
    if filters.get("action"):
        events = events.filter(action__startswith=filters["action"])
    if filters.get("actor") is not None:
        events = events.filter(actor_id=getattr(filters["actor"], "pk", filters["actor"]))
    if filters.get("since"):
        events = events.filter(at__gte=_start_of(filters["since"]))
    if filters.get("until"):
        events = events.filter(at__lt=_start_of(filters["until"] + datetime.timedelta(days=1)))
    if filters.get("object_type"):
        events = events.filter(object_type=filters["object_type"])
    if filters.get("object_id"):
        events = events.filter(object_id=filters["object_id"])
    return events.select_related("actor").order_by("-seq")


def actor_choices(*, user) -> QuerySet:
    """The people whose actions an administrator can filter by: the users of their organisation."""
    from lindungi.accounts.models import User

    return policy.scope_filter(user, "accounts.user.view", User.objects.all()).order_by("full_name")
