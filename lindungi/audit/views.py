"""The audit trail for an organisation's administrators: a filtered, paginated page and a CSV
download of the same selection (itself audited)."""

from __future__ import annotations

import csv
import json

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from lindungi.audit import selectors
from lindungi.audit.forms import AuditFilterForm
from lindungi.audit.services import record
from lindungi.core import policy

PAGE_SIZE = 50
CSV_COLUMNS = ["seq", "time", "actor_id", "actor", "organisation_id", "action", "object_type", "object_id", "ip",
               "request_id", "payload", "hash"]


def payload_items(payload) -> list[tuple[str, str]]:
    """The payload as (key, text) pairs for display."""
    if not isinstance(payload, dict):
        return [("", _as_text(payload))]
    return [(str(key), _as_text(value)) for key, value in sorted(payload.items())]


def _as_text(value) -> str:
    if isinstance(value, list | tuple) and all(not isinstance(v, dict | list) for v in value):
        return ", ".join(str(v) for v in value)
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    if value is None:
        return "—"
    return str(value)


def _filters(request, form) -> dict | None:
    """The cleaned filters ({} when none are given), or None when the form has errors."""
    if not request.GET:
        return {}
    return form.cleaned_data if form.is_valid() else None


@login_required
@require_GET
def event_list(request):
    policy.require(request.user, "audit.event.view")
    form = AuditFilterForm(request.GET or None, user=request.user)
    filters = _filters(request, form)
    events = selectors.event_list(user=request.user, filters=filters or {})
    if filters is None:
        events = events.none()
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    for event in page.object_list:
        event.payload_items = payload_items(event.payload)
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "audit/event_list.html", {
        "form": form, "page": page, "query": query.urlencode(), "filtered": bool(filters),
        "can_export": policy.allowed(request.user, "audit.event.export"),
    })


class _Echo:
    def write(self, value):
        return value


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value) -> str:
    """A CSV cell that a spreadsheet will not run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def _csv_rows(events):
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(CSV_COLUMNS)  # BOM: spreadsheets then read UTF-8 correctly
    for event in events.iterator(chunk_size=2000):
        actor = event.actor.full_name if event.actor_id and event.actor else ""
        yield writer.writerow([_cell(v) for v in (
            event.seq, timezone.localtime(event.at).isoformat(timespec="seconds"), event.actor_id or "", actor,
            event.organisation_id or "", event.action, event.object_type, event.object_id, event.ip or "",
            event.request_id, json.dumps(event.payload, ensure_ascii=False, sort_keys=True), event.hash,
        )])


@login_required
@require_GET
def event_export(request):
    policy.require(request.user, "audit.event.export")
    form = AuditFilterForm(request.GET or None, user=request.user)
    filters = _filters(request, form)
    if filters is None:
        return render(request, "audit/event_list.html", {"form": form, "page": None, "query": "",
                                                         "can_export": True}, status=400)
    events = selectors.event_list(user=request.user, filters=filters, action="audit.event.export")
    with transaction.atomic():
        record("audit.trail.exported", actor=request.user, organisation=request.user.organisation_id,
               payload={"filters": form.summary() if filters else {}, "format": "csv"})
    filename = f"audit-{request.user.organisation.code}-{timezone.localdate().isoformat()}.csv"
    response = StreamingHttpResponse(_csv_rows(events), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
