"""A minimal iCalendar (RFC 5545) writer for the personal hearing-and-deadline feed: VCALENDAR with
one VEVENT per event, text escaped (§3.3.11), lines folded at 75 octets (§3.1), CRLF line ends.
Timed events are written in UTC; deadlines and hearings without a time are all-day events."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from django.conf import settings

PRODID = "-//Lindungi//Legal calendar//ID"
HEARING_DURATION = datetime.timedelta(hours=2)


def escape(text: str) -> str:
    """TEXT value escaping: backslash, semicolon, comma and newlines."""
    return (str(text).replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n"))


def fold(line: str) -> str:
    """Fold a content line into chunks of at most 75 octets (UTF-8), never splitting a character;
    continuation lines start with one space."""
    encoded = line.encode("utf-8")
    if len(encoded) <= 75:
        return line
    parts, current, size, limit = [], [], 0, 75
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            parts.append("".join(current))
            current, size, limit = [], 0, 74  # the leading space of a continuation line counts
        current.append(char)
        size += width
    parts.append("".join(current))
    return "\r\n ".join(parts)


def _utc(value: datetime.datetime) -> str:
    return value.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def _date(value: datetime.date) -> str:
    return value.strftime("%Y%m%d")


def event_lines(event, *, stamp: datetime.datetime, url: str = "") -> list[str]:
    lines = ["BEGIN:VEVENT", f"UID:{escape(event.uid)}", f"DTSTAMP:{_utc(stamp)}"]
    if event.time is not None:
        local = datetime.datetime.combine(event.date, event.time, tzinfo=ZoneInfo(settings.TIME_ZONE))
        lines += [f"DTSTART:{_utc(local)}", f"DTEND:{_utc(local + HEARING_DURATION)}"]
    else:
        lines += [f"DTSTART;VALUE=DATE:{_date(event.date)}",
                  f"DTEND;VALUE=DATE:{_date(event.date + datetime.timedelta(days=1))}"]
    lines.append(f"SUMMARY:{escape(event.title)}")
    if event.location:
        lines.append(f"LOCATION:{escape(event.location)}")
    if url:
        lines.append(f"URL:{url}")
    lines += [f"CATEGORIES:{escape(event.kind.upper())}", "TRANSP:TRANSPARENT", "END:VEVENT"]
    return lines


def calendar(events: Iterable, *, name: str, now: datetime.datetime, url_for=None) -> str:
    """The whole feed as text. `url_for(event)` gives the event's link (a page that needs sign-in)."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN", "METHOD:PUBLISH",
             f"X-WR-CALNAME:{escape(name)}"]
    for event in events:
        lines += event_lines(event, stamp=now, url=url_for(event) if url_for else "")
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
