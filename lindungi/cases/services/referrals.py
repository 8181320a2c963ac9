"""Service providers, referrals, services given in-house, and follow-ups."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from lindungi.audit import services as audit
from lindungi.cases.models import (
    Case,
    FollowUp,
    FollowUpType,
    LegalBasis,
    Referral,
    ReferralStatus,
    ServiceProvider,
    ServiceRecord,
    ServiceType,
    Urgency,
)
from lindungi.cases.services.common import (
    changed_fields,
    event,
    lock,
    not_in_future,
    require_case,
    require_open,
    today,
)
from lindungi.core import policy
from lindungi.core.errors import Conflict, DomainError, validate

PROVIDER_FIELDS = {"name", "type", "province", "regency", "address", "phone", "email", "contact_person",
                   "accepts_referrals", "notes", "is_active"}

# Referral status: what may follow what.
REFERRAL_TRANSITIONS = {
    ReferralStatus.SENT: {ReferralStatus.ACCEPTED, ReferralStatus.DECLINED},
    ReferralStatus.ACCEPTED: {ReferralStatus.COMPLETED},
    ReferralStatus.DECLINED: set(),
    ReferralStatus.COMPLETED: set(),
}


# --- providers ----------------------------------------------------------------------------------


def _check_provider_regions(provider: ServiceProvider) -> None:
    if provider.province_id and provider.province.level != "province":
        raise DomainError(_("Choose a province."), fields={"province": [str(_("Choose a province."))]})
    if provider.regency_id and provider.regency.parent_id != provider.province_id:
        message = _("The regency or city is not in the chosen province.")
        raise DomainError(message, fields={"regency": [str(message)]})


def provider_create(*, actor, data: dict) -> ServiceProvider:
    policy.require(actor, "cases.provider.manage")
    unknown = set(data) - PROVIDER_FIELDS
    if unknown:
        raise DomainError(_("Unknown fields: %(names)s") % {"names": ", ".join(sorted(unknown))}, code="unknown_fields")
    provider = ServiceProvider(organisation_id=actor.organisation_id, **data)
    with transaction.atomic():
        validate(provider)
        _check_provider_regions(provider)
        provider.save()
        audit.record("cases.provider.created", actor=actor, obj=provider, payload={"type": provider.type})
    return provider


def provider_update(*, actor, provider: ServiceProvider, data: dict) -> ServiceProvider:
    policy.require(actor, "cases.provider.manage")
    policy.require_object(actor, "cases.provider.manage", provider)
    with transaction.atomic():
        provider = ServiceProvider.objects.select_for_update().get(pk=provider.pk)
        changed = changed_fields(provider, dict(data), PROVIDER_FIELDS)
        if not changed:
            return provider
        validate(provider)
        _check_provider_regions(provider)
        provider.save()
        audit.record("cases.provider.updated", actor=actor, obj=provider, payload={"fields": sorted(changed)})
    return provider


# --- referrals ----------------------------------------------------------------------------------


def referral_basis(case: Case) -> str | None:
    """What allows referring this case: the referral consent, or a recorded legal basis that does
    not rely on consent (e.g. vital interest when the guardian is the suspect). None: nothing."""
    if case.referral_consent:
        return "consent"
    if case.legal_basis in LegalBasis.without_consent() and case.legal_basis_notes:
        return case.legal_basis
    return None


def referral_create(*, actor, case: Case, provider: ServiceProvider, service_type: str, urgency: str = Urgency.NORMAL,
                    reason: str = "", sent_on=None) -> Referral:
    require_case(actor, "cases.case.edit", case)
    policy.require_object(actor, "cases.provider.view", provider)
    sent_on = sent_on or today()
    not_in_future(sent_on, "sent_on")
    with transaction.atomic():
        case = lock(case)
        require_open(case)
        basis = referral_basis(case)
        if basis is None:
            raise DomainError(_("This case cannot be referred: there is no referral consent and no recorded legal "
                                "basis that allows it."), code="consent_required")
        if not provider.is_active or not provider.accepts_referrals:
            message = _("This provider does not accept referrals.")
            raise DomainError(message, fields={"provider": [str(message)]})
        if service_type not in ServiceType.values:
            raise DomainError(_("Choose the service."), fields={"service_type": [str(_("Choose the service."))]})
        if sent_on < case.registered_on:
            message = _("The referral date is before the registration date.")
            raise DomainError(message, fields={"sent_on": [str(message)]})
        referral = Referral(organisation_id=case.organisation_id, case=case, provider=provider,
                            service_type=service_type, urgency=urgency, reason=reason or "", sent_on=sent_on,
                            basis=basis, created_by=actor)
        validate(referral)
        referral.save()
        event(case, "referral_sent", actor, referral_id=str(referral.pk), service_type=service_type,
              provider_id=provider.pk, urgency=urgency)
        audit.record("cases.referral.sent", actor=actor, obj=referral, payload={
            "case_id": str(case.pk), "provider_id": provider.pk, "service_type": service_type, "basis": basis})
    return referral


def referral_update(*, actor, case: Case, referral: Referral, status: str, date=None, outcome: str = "") -> Referral:
    require_case(actor, "cases.case.edit", case)
    if referral.case_id != case.pk:
        raise policy.OutOfScope("cases.case.edit", Referral, {"pk": referral.pk})
    date = date or today()
    not_in_future(date, "date")
    with transaction.atomic():
        case = lock(case)
        referral = Referral.objects.select_for_update().get(pk=referral.pk)
        if status not in REFERRAL_TRANSITIONS.get(referral.status, set()):
            raise Conflict(_("A referral that is “%(current)s” cannot become “%(target)s”.") % {
                "current": referral.get_status_display(),
                "target": ReferralStatus(status).label if status in ReferralStatus.values else status,
            }, code="invalid_transition")
        if date < referral.sent_on:
            message = _("The date is before the referral was sent.")
            raise DomainError(message, fields={"date": [str(message)]})
        previous = referral.status
        referral.status = status
        fields = ["status"]
        if status in (ReferralStatus.ACCEPTED, ReferralStatus.DECLINED):
            referral.responded_on = date
            fields.append("responded_on")
        if status == ReferralStatus.COMPLETED:
            referral.completed_on = date
            fields.append("completed_on")
        if outcome:
            referral.outcome = outcome
            fields.append("outcome")
        referral.save(update_fields=fields)
        event(case, "referral_updated", actor, referral_id=str(referral.pk), previous=previous, status=status)
        audit.record(f"cases.referral.{status}", actor=actor, obj=referral,
                     payload={"case_id": str(case.pk), "from": previous, "fields": fields})
    return referral


# --- services and follow-ups --------------------------------------------------------------------


def service_record(*, actor, case: Case, service_type: str, provided_on=None, notes: str = "") -> ServiceRecord:
    require_case(actor, "cases.case.edit", case)
    provided_on = provided_on or today()
    not_in_future(provided_on, "provided_on")
    with transaction.atomic():
        case = lock(case)
        require_open(case)
        record = ServiceRecord(organisation_id=case.organisation_id, case=case, service_type=service_type,
                               provided_on=provided_on, provided_by=actor, notes=notes or "")
        validate(record)
        record.save()
        event(case, "service_recorded", actor, service_id=str(record.pk), service_type=service_type)
        audit.record("cases.service.recorded", actor=actor, obj=record,
                     payload={"case_id": str(case.pk), "service_type": service_type})
    return record


def follow_up_record(*, actor, case: Case, type: str, date=None, notes: str = "", next_date=None) -> FollowUp:
    """Record a follow-up. Its `next_date` becomes the case's next follow-up (the tasks engine's
    "follow-up overdue") when it is the latest follow-up."""
    require_case(actor, "cases.case.edit", case)
    date = date or today()
    not_in_future(date, "date")
    if type not in FollowUpType.values:
        raise DomainError(_("Choose the type of follow-up."), fields={"type": [str(_("Choose the type of follow-up."))]})
    if next_date and next_date <= date:
        message = _("The next follow-up must be after this one.")
        raise DomainError(message, fields={"next_date": [str(message)]})
    with transaction.atomic():
        case = lock(case)
        require_open(case)
        if date < case.registered_on:
            message = _("The date is before the registration date.")
            raise DomainError(message, fields={"date": [str(message)]})
        follow_up = FollowUp(organisation_id=case.organisation_id, case=case, type=type, date=date, done_by=actor,
                             notes=notes or "", next_date=next_date)
        validate(follow_up)
        follow_up.save()
        latest = FollowUp.objects.filter(case=case).order_by("-date", "-created_at").first()
        if latest.pk == follow_up.pk and case.next_follow_up_on != next_date:
            case.next_follow_up_on = next_date
            case.save(update_fields=["next_follow_up_on", "updated_at"])
        event(case, "follow_up_recorded", actor, follow_up_id=str(follow_up.pk), type=type,
              next_date=next_date.isoformat() if next_date else None)
        audit.record("cases.follow_up.recorded", actor=actor, obj=follow_up,
                     payload={"case_id": str(case.pk), "type": type})
    return follow_up
