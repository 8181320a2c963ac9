"""Registering a child's case and keeping the child, caregivers, consents, risk and assignment
up to date."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from lindungi.accounts.models import User
from lindungi.audit import services as audit
from lindungi.cases.duplicates import find_duplicates
from lindungi.cases.models import (
    Caregiver,
    Case,
    CaseNumberCounter,
    CaseShare,
    CaseTeamMember,
    Child,
    Concern,
    Consent,
    ConsentGiver,
    ConsentPurpose,
    LegalBasis,
    Risk,
    ShareStatus,
)
from lindungi.cases.services.common import (
    changed_fields,
    event,
    lock,
    not_in_future,
    require_case,
    require_open,
    required_text,
    today,
)
from lindungi.core import policy
from lindungi.core.errors import Conflict, DomainError, validate
from lindungi.core.numbering import take_next
from lindungi.core.policy import Role, Scope
from lindungi.geo.models import Region

CHILD_FIELDS = {
    "full_name", "aliases", "sex", "birth_date", "birth_date_is_estimated", "nik", "other_ids", "nationality",
    "ethnicity", "language", "has_disability", "disability_details", "province", "regency", "district",
    "street_address", "phone", "school_status",
}
CASE_FIELDS = {"registered_on", "source", "source_details", "concerns", "narrative", "legal_basis", "legal_basis_notes"}
CAREGIVER_FIELDS = {"full_name", "relationship", "contact", "is_legal_guardian", "lives_with_child", "safety",
                    "is_suspected_perpetrator", "notes"}


# --- case numbers -------------------------------------------------------------------------------


def next_case_number(organisation, year: int) -> str:
    """`<ORG>-<year>-<5-digit sequence>`, one sequence per organisation and year. Must run inside
    a transaction: the counter row stays locked until it commits, so concurrent registrations
    queue on it instead of reading the same last value."""
    sequence = take_next(CaseNumberCounter, organisation_id=organisation.pk, year=year)
    return f"{organisation.code}-{year}-{sequence:05d}"


# --- validation helpers -------------------------------------------------------------------------


def _clean_regions(data: dict) -> None:
    province, regency, district = data.get("province"), data.get("regency"), data.get("district")
    errors = {}
    if province is not None and province.level != Region.Level.PROVINCE:
        errors["province"] = [str(_("Choose a province."))]
    if regency is not None:
        if regency.level != Region.Level.REGENCY:
            errors["regency"] = [str(_("Choose a regency or city."))]
        elif province is None or regency.parent_id != province.pk:
            errors["regency"] = [str(_("The regency or city is not in the chosen province."))]
    if district is not None:
        if district.level != Region.Level.DISTRICT:
            errors["district"] = [str(_("Choose a district."))]
        elif regency is None or district.parent_id != regency.pk:
            errors["district"] = [str(_("The district is not in the chosen regency or city."))]
    if errors:
        raise DomainError(next(iter(errors.values()))[0], fields=errors)


def _clean_concerns(concerns) -> list[str]:
    concerns = list(dict.fromkeys(concerns or []))
    unknown = [c for c in concerns if c not in Concern.values]
    if unknown:
        raise DomainError(_("Unknown protection concern."), fields={"concerns": [str(_("Unknown protection concern."))]})
    return concerns


def _child_from(data: dict, registered_on: datetime.date) -> dict:
    """Normalise child input: NIK digits only; an estimated age becomes an estimated birth date
    (1 January of the birth year, so the age on the registration date is the age given)."""
    data = dict(data)
    estimated_age = data.pop("estimated_age", None)
    if data.get("nik"):
        data["nik"] = "".join(str(data["nik"]).split())
    if not data.get("birth_date") and estimated_age not in (None, ""):
        age = int(estimated_age)
        if not 0 <= age <= 25:
            raise DomainError(_("Enter an estimated age between 0 and 25."),
                              fields={"estimated_age": [str(_("Enter an estimated age between 0 and 25."))]})
        data["birth_date"] = datetime.date(registered_on.year - age, 1, 1)
        data["birth_date_is_estimated"] = True
    not_in_future(data.get("birth_date"), "birth_date")
    _clean_regions(data)
    return data


def _sync_case_copies(case: Case, child: Child) -> list[str]:
    """The plain, coarse copies on the case (for lists and statistics)."""
    changed = []
    age = child.age_on(case.registered_on)
    values = {"province_id": child.province_id, "regency_id": child.regency_id, "sex": child.sex,
              "age_years": age if age is not None and age >= 0 else None,
              "age_is_estimated": bool(child.birth_date_is_estimated)}
    for name, value in values.items():
        if getattr(case, name) != value:
            setattr(case, name, value)
            changed.append(name)
    return changed


def _check_staff(user: User | None, organisation, role: Role, field: str):
    if user is None:
        return
    if user.organisation_id != organisation.pk or not user.is_active or role not in user.roles:
        message = {
            Role.CASEWORKER: _("Choose an active caseworker of the case's organisation."),
            Role.SUPERVISOR: _("Choose an active supervisor of the case's organisation."),
        }[role]
        raise DomainError(message, fields={field: [str(message)]})


def _check_basis(legal_basis: str, notes: str, consents: list[dict]) -> None:
    if legal_basis not in LegalBasis.values:
        raise DomainError(_("Choose the legal basis."), fields={"legal_basis": [str(_("Choose the legal basis."))]})
    if legal_basis in LegalBasis.without_consent() and not (notes or "").strip():
        message = _("Explain the legal basis (why no consent is relied on).")
        raise DomainError(message, fields={"legal_basis_notes": [str(message)]})
    if legal_basis in (LegalBasis.GUARDIAN_CONSENT, LegalBasis.CHILD_ASSENT):
        giver = ConsentGiver.GUARDIAN if legal_basis == LegalBasis.GUARDIAN_CONSENT else ConsentGiver.CHILD
        if not any(c.get("purpose") == ConsentPurpose.SERVICES and c.get("given_by_kind") == giver for c in consents):
            message = _("Record the consent for case management and services that this legal basis relies on.")
            raise DomainError(message, code="consent_required", fields={"consents": [str(message)]})


def _new_consent(actor, case: Case, data: dict) -> Consent:
    consent = Consent(
        organisation_id=case.organisation_id, case=case, purpose=data.get("purpose") or "",
        given_on=data.get("given_on") or today(), given_by_kind=data.get("given_by_kind") or "",
        given_by_name=(data.get("given_by_name") or "").strip(), recorded_by=actor,
    )
    not_in_future(consent.given_on, "given_on")
    if consent.given_on < case.registered_on - datetime.timedelta(days=365):
        message = _("The consent date is too long before the registration date.")
        raise DomainError(message, fields={"given_on": [str(message)]})
    validate(consent)
    consent.save()
    return consent


def refresh_consent_flags(case: Case) -> list[str]:
    """Recompute the case's `<purpose>_consent` flags from its active consents."""
    active = set(Consent.objects.filter(case=case, withdrawn_on__isnull=True).values_list("purpose", flat=True))
    changed = []
    for purpose in ConsentPurpose.values:
        name = f"{purpose}_consent"
        value = purpose in active
        if getattr(case, name) != value:
            setattr(case, name, value)
            changed.append(name)
    return changed


# --- registration -------------------------------------------------------------------------------


def case_register(*, actor, child: dict, case: dict, caregivers: list[dict] = (), consents: list[dict] = (),
                  assigned_caseworker: User | None = None, supervisor: User | None = None,
                  risk_level: str = Risk.MEDIUM, risk_reason: str = "", confirm_duplicate: bool = False) -> Case:
    """Register a child and their case. A possible duplicate is refused (code "possible_duplicate",
    listing what matched) unless `confirm_duplicate` says the user has seen it."""
    policy.require(actor, "cases.case.create")
    organisation = actor.organisation
    unknown = (set(child) - CHILD_FIELDS - {"estimated_age"}) | (set(case) - CASE_FIELDS)
    if unknown:
        raise DomainError(_("Unknown fields: %(names)s") % {"names": ", ".join(sorted(unknown))}, code="unknown_fields")
    registered_on = case.get("registered_on") or today()
    not_in_future(registered_on, "registered_on")
    child_data = _child_from(child, registered_on)
    required_text(child_data.get("full_name"), "full_name", _("Enter the child's full name."))
    consents = list(consents)
    _check_basis(case.get("legal_basis", ""), case.get("legal_basis_notes", ""), consents)
    if risk_level not in Risk.values:
        raise DomainError(_("Choose a risk level."), fields={"risk_level": [str(_("Choose a risk level."))]})
    if risk_level == Risk.HIGH and not (risk_reason or "").strip():
        message = _("Give the reason for a high risk level.")
        raise DomainError(message, fields={"risk_reason": [str(message)]})
    if assigned_caseworker is None and Role.CASEWORKER in actor.roles:
        assigned_caseworker = actor
    if supervisor is None and Role.SUPERVISOR in actor.roles:
        supervisor = actor
    _check_staff(assigned_caseworker, organisation, Role.CASEWORKER, "assigned_caseworker")
    _check_staff(supervisor, organisation, Role.SUPERVISOR, "supervisor")

    with transaction.atomic():
        duplicates = find_duplicates(organisation, full_name=child_data.get("full_name"),
                                     birth_date=child_data.get("birth_date"), nik=child_data.get("nik"))
        if duplicates and not confirm_duplicate:
            raise DomainError(_("This child may already be registered. Check the possible duplicates, then "
                                "confirm to register anyway."), code="possible_duplicate",
                              fields={"duplicates": duplicates.messages()})
        new_child = Child(organisation=organisation, **child_data)
        validate(new_child)
        new_child.save()
        for data in caregivers:
            _caregiver_create(new_child, data)
        new_case = Case(
            organisation=organisation, child=new_child, registered_on=registered_on,
            source=case.get("source") or "", source_details=case.get("source_details", ""),
            concerns=_clean_concerns(case.get("concerns")), narrative=case.get("narrative", ""),
            legal_basis=case.get("legal_basis"), legal_basis_notes=case.get("legal_basis_notes", ""),
            risk_level=risk_level, risk_reason=risk_reason or "", risk_assessed_on=today(),
            assigned_caseworker=assigned_caseworker, supervisor=supervisor, created_by=actor,
            status_changed_on=today(),
        )
        _sync_case_copies(new_case, new_child)
        new_case.number = next_case_number(organisation, registered_on.year)
        validate(new_case)
        new_case.save()
        for data in consents:
            _new_consent(actor, new_case, data)
        if refresh_consent_flags(new_case):
            new_case.save(update_fields=[f"{p}_consent" for p in ConsentPurpose.values])
        if assigned_caseworker != actor and Scope.ORGANISATION not in policy.scopes(actor, "cases.case.view"):
            # The registering legal officer keeps access to the case they registered.
            CaseTeamMember.objects.create(case=new_case, user=actor, role=sorted(actor.roles)[0])
        event(new_case, "registered", actor, number=new_case.number)
        audit.record("cases.case.registered", actor=actor, obj=new_case, payload={
            "child_id": str(new_child.pk), "consents": sorted({c.get("purpose") for c in consents}),
            "caregivers": len(caregivers), "duplicate_confirmed": bool(duplicates),
        })
        if duplicates:
            audit.record("cases.case.duplicate_flagged", actor=actor, obj=new_case, payload=duplicates.payload())
    return new_case


# --- the child and the case ---------------------------------------------------------------------


def child_update(*, actor, case: Case, data: dict) -> Child:
    require_case(actor, "cases.case.edit", case)
    if case.child_id is None:
        raise Conflict(_("This case was transferred; its child's record is with the receiving organisation."))
    with transaction.atomic():
        case = lock(case)
        child = Child.objects.select_for_update().get(pk=case.child_id)
        data = dict(data)
        if data.get("birth_date") and "birth_date_is_estimated" not in data:
            data["birth_date_is_estimated"] = False
        # Regions are checked together (a new regency must lie in the current province).
        regions = {name: getattr(child, name) for name in ("province", "regency", "district")}
        data = _child_from({**regions, **data}, case.registered_on)
        if "full_name" in data:
            required_text(data["full_name"], "full_name", _("Enter the child's full name."))
        changed = changed_fields(child, data, CHILD_FIELDS)
        if not changed:
            return child
        validate(child)
        child.save()
        for other in Case.objects.select_for_update().filter(child=child):
            copies = _sync_case_copies(other, child)
            if copies:
                other.save(update_fields=[*copies, "updated_at"])
        event(case, "child_updated", actor, fields=sorted(changed))
        audit.record("cases.child.updated", actor=actor, obj=child, payload={"case_id": str(case.pk), "fields": sorted(changed)})
    return child


def case_update(*, actor, case: Case, data: dict) -> Case:
    require_case(actor, "cases.case.edit", case)
    with transaction.atomic():
        case = lock(case)
        require_open(case)
        data = dict(data)
        data.pop("registered_on", None)  # the registration date (and so the number's year) is fixed
        if "concerns" in data:
            data["concerns"] = _clean_concerns(data["concerns"])
        if "legal_basis" in data or "legal_basis_notes" in data:
            basis = data.get("legal_basis", case.legal_basis)
            notes = data.get("legal_basis_notes", case.legal_basis_notes)
            consents = [{"purpose": c.purpose, "given_by_kind": c.given_by_kind}
                        for c in case.consents.filter(withdrawn_on__isnull=True)]
            _check_basis(basis, notes, consents)
        changed = changed_fields(case, data, CASE_FIELDS - {"registered_on"})
        if not changed:
            return case
        validate(case)
        case.save(update_fields=[*changed, "updated_at"])
        event(case, "case_updated", actor, fields=sorted(changed))
        audit.record("cases.case.updated", actor=actor, obj=case, payload={"fields": sorted(changed)})
    return case


def case_set_risk(*, actor, case: Case, level: str, reason: str) -> Case:
    require_case(actor, "cases.case.edit", case)
    if level not in Risk.values:
        raise DomainError(_("Choose a risk level."), fields={"risk_level": [str(_("Choose a risk level."))]})
    reason = required_text(reason, "risk_reason", _("Give the reason for the risk level."))
    with transaction.atomic():
        case = lock(case)
        require_open(case)
        previous = case.risk_level
        case.risk_level, case.risk_reason, case.risk_assessed_on = level, reason, today()
        case.save(update_fields=["risk_level", "risk_reason", "risk_assessed_on", "updated_at"])
        event(case, "risk_changed", actor, note=reason, previous=previous, level=level)
        audit.record("cases.case.risk_changed", actor=actor, obj=case, payload={"from": previous, "to": level})
    return case


def case_assign(*, actor, case: Case, caseworker: User | None, supervisor: User | None) -> Case:
    require_case(actor, "cases.case.assign", case)
    _check_staff(caseworker, case.organisation, Role.CASEWORKER, "assigned_caseworker")
    _check_staff(supervisor, case.organisation, Role.SUPERVISOR, "supervisor")
    with transaction.atomic():
        case = lock(case)
        require_open(case)
        changed = changed_fields(case, {"assigned_caseworker": caseworker, "supervisor": supervisor},
                                 {"assigned_caseworker", "supervisor"})
        if not changed:
            return case
        case.save(update_fields=[*changed, "updated_at"])
        event(case, "assigned", actor, caseworker_id=caseworker.pk if caseworker else None,
              supervisor_id=supervisor.pk if supervisor else None)
        audit.record("cases.case.assigned", actor=actor, obj=case, payload={
            "caseworker_id": caseworker.pk if caseworker else None, "supervisor_id": supervisor.pk if supervisor else None,
        })
    return case


# --- caregivers ---------------------------------------------------------------------------------


def _caregiver_create(child: Child, data: dict) -> Caregiver:
    unknown = set(data) - CAREGIVER_FIELDS
    if unknown:
        raise DomainError(_("Unknown fields: %(names)s") % {"names": ", ".join(sorted(unknown))}, code="unknown_fields")
    required_text(data.get("full_name"), "full_name", _("Enter the caregiver's name."))
    caregiver = Caregiver(organisation_id=child.organisation_id, child=child, **data)
    if caregiver.is_suspected_perpetrator:
        caregiver.safety = "unsafe"
    validate(caregiver)
    caregiver.save()
    return caregiver


def caregiver_add(*, actor, case: Case, data: dict) -> Caregiver:
    require_case(actor, "cases.case.edit", case)
    if case.child_id is None:
        raise Conflict(_("This case was transferred; its child's record is with the receiving organisation."))
    with transaction.atomic():
        case = lock(case)
        caregiver = _caregiver_create(case.child, data)
        event(case, "caregiver_added", actor, relationship=caregiver.relationship,
              suspected_perpetrator=caregiver.is_suspected_perpetrator)
        audit.record("cases.caregiver.added", actor=actor, obj=caregiver, payload={"case_id": str(case.pk)})
    return caregiver


def caregiver_update(*, actor, case: Case, caregiver: Caregiver, data: dict) -> Caregiver:
    require_case(actor, "cases.case.edit", case)
    if caregiver.child_id != case.child_id:
        raise policy.OutOfScope("cases.case.edit", Caregiver, {"pk": caregiver.pk})
    with transaction.atomic():
        case = lock(case)
        caregiver = Caregiver.objects.select_for_update().get(pk=caregiver.pk)
        if "full_name" in data:
            required_text(data["full_name"], "full_name", _("Enter the caregiver's name."))
        changed = changed_fields(caregiver, dict(data), CAREGIVER_FIELDS)
        if caregiver.is_suspected_perpetrator and caregiver.safety != "unsafe":
            caregiver.safety = "unsafe"
            changed.append("safety")
        if not changed:
            return caregiver
        validate(caregiver)
        caregiver.save()
        event(case, "caregiver_updated", actor, fields=sorted(set(changed)))
        audit.record("cases.caregiver.updated", actor=actor, obj=caregiver,
                     payload={"case_id": str(case.pk), "fields": sorted(set(changed))})
    return caregiver


# --- consents -----------------------------------------------------------------------------------


def consent_record(*, actor, case: Case, purpose: str, given_on, given_by_kind: str, given_by_name: str) -> Consent:
    require_case(actor, "cases.case.edit", case)
    required_text(given_by_name, "given_by_name", _("Enter who gave the consent."))
    with transaction.atomic():
        case = lock(case)
        require_open(case)
        consent = _new_consent(actor, case, {"purpose": purpose, "given_on": given_on,
                                             "given_by_kind": given_by_kind, "given_by_name": given_by_name})
        changed = refresh_consent_flags(case)
        if changed:
            case.save(update_fields=[*changed, "updated_at"])
        event(case, "consent_given", actor, purpose=purpose, given_by=given_by_kind)
        audit.record("cases.consent.recorded", actor=actor, obj=consent,
                     payload={"case_id": str(case.pk), "purpose": purpose, "given_by": given_by_kind})
    return consent


def consent_withdraw(*, actor, case: Case, consent: Consent, withdrawn_on=None, notes: str = "") -> Consent:
    """A withdrawal takes effect everywhere: the case's flag goes off (referral, sharing and
    statistics read it), and withdrawing the sharing consent revokes the case's active shares
    and open transfer requests."""
    require_case(actor, "cases.case.edit", case)
    if consent.case_id != case.pk:
        raise policy.OutOfScope("cases.case.edit", Consent, {"pk": consent.pk})
    withdrawn_on = withdrawn_on or today()
    not_in_future(withdrawn_on, "withdrawn_on")
    with transaction.atomic():
        case = lock(case)
        consent = Consent.objects.select_for_update().get(pk=consent.pk)
        if consent.withdrawn_on is not None:
            raise Conflict(_("This consent was already withdrawn."), code="already_withdrawn")
        if withdrawn_on < consent.given_on:
            message = _("A consent cannot be withdrawn before it was given.")
            raise DomainError(message, fields={"withdrawn_on": [str(message)]})
        consent.withdrawn_on, consent.withdrawn_recorded_by, consent.withdrawal_notes = withdrawn_on, actor, notes or ""
        consent.save(update_fields=["withdrawn_on", "withdrawn_recorded_by", "withdrawal_notes"])
        changed = refresh_consent_flags(case)
        if changed:
            case.save(update_fields=[*changed, "updated_at"])
        revoked = []
        if consent.purpose == ConsentPurpose.SHARING and not case.sharing_consent:
            from django.utils import timezone

            open_shares = CaseShare.objects.select_for_update().filter(
                case=case, status__in=[ShareStatus.REQUESTED, ShareStatus.APPROVED, ShareStatus.ACCEPTED],
                revoked_at__isnull=True,
            )
            for share in open_shares:
                share.status, share.revoked_at, share.revoked_by = ShareStatus.REVOKED, timezone.now(), actor
                share.save(update_fields=["status", "revoked_at", "revoked_by"])
                revoked.append(str(share.pk))
        event(case, "consent_withdrawn", actor, purpose=consent.purpose, revoked_shares=len(revoked))
        audit.record("cases.consent.withdrawn", actor=actor, obj=consent,
                     payload={"case_id": str(case.pk), "purpose": consent.purpose, "revoked_share_ids": revoked})
    return consent
