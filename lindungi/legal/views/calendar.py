"""The calendar page (upcoming hearings and deadlines, the personal feed) and the feed itself."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override
from django.views.decorators.http import require_GET, require_POST

from lindungi.core import policy
from lindungi.incidents import common
from lindungi.legal import ical, selectors, services
from lindungi.legal.models import CalendarFeed
from lindungi.legal.services.calendar import feed_for_token, feed_used

CALENDAR = selectors.CALENDAR
# What the feed covers: recent hearings (for the record) and a year ahead.
FEED_PAST_DAYS, FEED_FUTURE_DAYS = 30, 365
PAGE_DAYS = 60


def _page(request, *, new_url: str | None = None):
    start = common.today()
    events = selectors.calendar_events(request.user, start=start, end=start + datetime.timedelta(days=PAGE_DAYS))
    feed = CalendarFeed.objects.filter(user=request.user, revoked_at__isnull=True).first()
    return render(request, "legal/calendar.html", {
        "events": events, "days": PAGE_DAYS, "feed": feed, "new_url": new_url, "today": start,
    })


@login_required
def calendar_page(request):
    policy.require(request.user, CALENDAR)
    return _page(request)


@login_required
@require_POST
def calendar_feed_create(request):
    """Shows the new secret address once, on this response (it is never stored)."""
    policy.require(request.user, CALENDAR)
    _feed, token = services.calendar_feed_create(actor=request.user)
    url = request.build_absolute_uri(reverse("legal:calendar_feed", args=[token]))
    return _page(request, new_url=url)


@login_required
@require_POST
def calendar_feed_revoke(request):
    policy.require(request.user, CALENDAR)
    if services.calendar_feed_revoke(actor=request.user):
        messages.success(request, _("The calendar address was revoked: it no longer works."))
    return redirect("legal:calendar")


@require_GET
def calendar_feed(request, token):
    """The iCalendar feed, for calendar apps (no session: the secret address is the key). Event
    titles carry legal case numbers only; an unknown or revoked address answers 404."""
    feed = feed_for_token(token)
    if feed is None or not policy.allowed(feed.user, CALENDAR):
        raise Http404
    user = feed.user
    start = common.today() - datetime.timedelta(days=FEED_PAST_DAYS)
    language = request.GET.get("lang") if request.GET.get("lang") in ("id", "en") else "id"
    with override(language):
        events = selectors.calendar_events(user, start=start, end=common.today()
                                           + datetime.timedelta(days=FEED_FUTURE_DAYS))
        body = ical.calendar(events, name=_("Lindungi: hearings and deadlines"), now=timezone.now(),
                             url_for=lambda e: request.build_absolute_uri(reverse("legal:detail",
                                                                                   args=[e.legal_case_id])))
    feed_used(feed)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    response["Content-Disposition"] = 'inline; filename="lindungi.ics"'
    response["Referrer-Policy"] = "no-referrer"
    return response
