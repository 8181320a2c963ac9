"""Supporting the victim: the accompaniment (pendampingan) log, the restitution track and LPSK
protection requests. These stay possible after a legal case is closed (a restitution is often
paid, and a child accompanied, after the proceedings end)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from lindungi.audit import services as audit
from lindungi.core.errors import DomainError, validate
from lindungi.incidents import common
from lindungi.legal.models import (
    Accompaniment,
    AccompanimentType,
    Defendant,
    LegalCase,
    ProtectionRequest,
    ProtectionStatus,
    ProtectionType,
    Restitution,
    RestitutionRoute,
)
from lindungi.legal.services._common import EDIT, lock, refresh_outcomes, require_legal_case


def _unknown(data: dict, allowed: set[str]) -> None:
    unknown = set(data) - allowed
    if unknown:
        raise DomainError(_("Unknown fields: %(names)s") % {"names": ", ".join(sorted(unknown))},
                          code="unknown_fields")


def _strip(data: dict) -> dict:
    return {k: (v.strip() if isinstance(v, str) else v) for k, v in data.items()}


def _check_victim(legal_case: LegalCase, victim, field: str = "victim") -> None:
    if victim is not None and not legal_case.victim_links.filter(case_id=victim.pk).exists():
        raise common.field_error(field, _("Choose a child victim of this legal case."))


# --- accompaniment ------------------------------------------------------------------------------

ACCOMPANIMENT_FIELDS = {"date", "type", "done_by", "victim", "others_present", "duration_minutes", "notes"}


def accompaniment_record(*, actor, legal_case: LegalCase, data: dict) -> Accompaniment:
    require_legal_case(actor, EDIT, legal_case)
    _unknown(data, ACCOMPANIMENT_FIELDS)
    data = _strip(data)
    data.setdefault("done_by", actor)
    data["type"] = common.choice(data.get("type"), AccompanimentType, "type", _("Choose the type of accompaniment."))
    common.required(data.get("date"), "date", _("Enter the date."))
    common.not_in_future(data["date"], "date")
    done_by = data["done_by"]
    if done_by is None or done_by.organisation_id != legal_case.organisation_id or not done_by.is_active:
        raise common.field_error("done_by", _("Choose an active member of your organisation."))
    duration = data.get("duration_minutes")
    if duration not in (None, ""):
        try:
            duration = int(duration)
        except (TypeError, ValueError):
            raise common.field_error("duration_minutes", _("Enter the duration in minutes.")) from None
        if not 1 <= duration <= 24 * 60:
            raise common.field_error("duration_minutes", _("Enter a duration between 1 minute and 24 hours."))
    data["duration_minutes"] = duration or None
    _check_victim(legal_case, data.get("victim"))
    with transaction.atomic():
        legal_case = lock(legal_case)
        record = Accompaniment(organisation_id=legal_case.organisation_id, legal_case=legal_case, **data)
        validate(record)
        record.save()
        audit.record("legal.accompaniment.recorded", actor=actor, obj=record, payload={
            "legal_case_id": str(legal_case.pk), "type": record.type, "date": record.date.isoformat(),
            "done_by_id": record.done_by_id})
    return record


# --- restitution --------------------------------------------------------------------------------

RESTITUTION_FIELDS = {"route", "defendant", "claimed_amount", "claimed_on", "ordered_amount", "ordered_on",
                      "paid_amount", "paid_on", "notes"}


def _check_restitution(record: Restitution) -> None:
    common.required(record.claimed_amount, "claimed_amount", _("Enter the amount claimed."))
    if record.claimed_amount <= 0:
        raise common.field_error("claimed_amount", _("The amount claimed must be more than zero."))
    common.required(record.claimed_on, "claimed_on", _("Enter the date of the claim."))
    for name in ("claimed_on", "ordered_on", "paid_on"):
        common.not_in_future(getattr(record, name), name)
    if (record.ordered_amount is None) != (record.ordered_on is None):
        field = "ordered_on" if record.ordered_on is None else "ordered_amount"
        raise common.field_error(field, _("Enter both the amount ordered and the date of the order."))
    common.not_before(record.ordered_on, record.claimed_on, "ordered_on",
                      _("The order cannot be before the claim."))
    if record.paid_amount:
        if record.paid_on is None:
            raise common.field_error("paid_on", _("Enter the date of the (last) payment."))
        if record.ordered_amount is None:
            raise common.field_error("paid_amount", _("A payment follows an order: record the amount ordered first."))
        if record.paid_amount > record.ordered_amount:
            raise common.field_error("paid_amount", _("The amount paid cannot exceed the amount ordered."))
        common.not_before(record.paid_on, record.ordered_on, "paid_on", _("The payment cannot be before the order."))
    elif record.paid_on is not None:
        raise common.field_error("paid_amount", _("Enter the amount paid."))


def restitution_save(*, actor, legal_case: LegalCase, data: dict, restitution: Restitution | None = None) -> Restitution:
    """Record a restitution claim, or what was ordered and paid on it."""
    require_legal_case(actor, EDIT, legal_case)
    if restitution is not None and restitution.legal_case_id != legal_case.pk:
        raise common.field_error("restitution", _("This restitution belongs to another legal case."))
    _unknown(data, RESTITUTION_FIELDS)
    data = _strip(data)
    if "route" in data:
        data["route"] = common.choice(data["route"], RestitutionRoute, "route", _("Choose the route of the claim."))
    for name in ("claimed_amount", "ordered_amount"):
        if name in data:
            data[name] = common.amount(data[name], name)
    if "paid_amount" in data:
        data["paid_amount"] = common.amount(data["paid_amount"], "paid_amount") or 0
    defendant = data.get("defendant")
    if defendant is not None and (not isinstance(defendant, Defendant) or defendant.legal_case_id != legal_case.pk):
        raise common.field_error("defendant", _("Choose a defendant of this legal case."))
    with transaction.atomic():
        legal_case = lock(legal_case)
        created = restitution is None
        if created:
            common.required(data.get("route"), "route", _("Choose the route of the claim."))
            restitution = Restitution(organisation_id=legal_case.organisation_id, legal_case=legal_case)
        else:
            restitution = Restitution.objects.select_for_update().get(pk=restitution.pk)
        changed = common.apply_changes(restitution, data, RESTITUTION_FIELDS)
        _check_restitution(restitution)
        if not created and not changed:
            return restitution
        validate(restitution)
        restitution.save()
        refresh_outcomes(legal_case)
        audit.record("legal.restitution.claimed" if created else "legal.restitution.updated", actor=actor,
                     obj=restitution, payload={"legal_case_id": str(legal_case.pk), "route": restitution.route,
                                               "fields": sorted(changed)})
    return restitution


# --- LPSK protection ----------------------------------------------------------------------------

PROTECTION_FIELDS = {"victim", "submitted_on", "protections", "status", "decided_on", "lpsk_reference", "notes"}


def protection_save(*, actor, legal_case: LegalCase, data: dict,
                    request: ProtectionRequest | None = None) -> ProtectionRequest:
    """Record a request to LPSK for protection, or its decision."""
    require_legal_case(actor, EDIT, legal_case)
    if request is not None and request.legal_case_id != legal_case.pk:
        raise common.field_error("request", _("This request belongs to another legal case."))
    _unknown(data, PROTECTION_FIELDS)
    data = _strip(data)
    if "protections" in data:
        data["protections"] = common.codes(data["protections"], ProtectionType, "protections",
                                           _("Choose the protection measures from the list."))
    if "status" in data:
        data["status"] = common.choice(data["status"] or ProtectionStatus.SUBMITTED, ProtectionStatus, "status",
                                       _("Choose the status."))
    _check_victim(legal_case, data.get("victim"))
    with transaction.atomic():
        legal_case = lock(legal_case)
        created = request is None
        if created:
            request = ProtectionRequest(organisation_id=legal_case.organisation_id, legal_case=legal_case)
        else:
            request = ProtectionRequest.objects.select_for_update().get(pk=request.pk)
        changed = common.apply_changes(request, data, PROTECTION_FIELDS)
        if not request.protections:
            raise common.field_error("protections", _("Choose at least one protection measure."), code="required")
        common.required(request.submitted_on, "submitted_on", _("Enter the date of the request."))
        common.not_in_future(request.submitted_on, "submitted_on")
        decided = request.status not in (ProtectionStatus.SUBMITTED, ProtectionStatus.WITHDRAWN)
        if decided and request.decided_on is None:
            raise common.field_error("decided_on", _("Enter the date of LPSK's decision."))
        if not decided and request.decided_on is not None and request.status == ProtectionStatus.SUBMITTED:
            raise common.field_error("status", _("A request with a decision date needs the decision."))
        common.not_in_future(request.decided_on, "decided_on")
        common.not_before(request.decided_on, request.submitted_on, "decided_on",
                          _("The decision cannot be before the request."))
        if not created and not changed:
            return request
        validate(request)
        request.save()
        audit.record("legal.protection.requested" if created else "legal.protection.updated", actor=actor,
                     obj=request, payload={"legal_case_id": str(legal_case.pk), "status": request.status,
                                           "protections": request.protections, "fields": sorted(changed)})
    return request
