"""The proceedings: charges, suspects and defendants, hearings, verdicts and appeals."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from lindungi.accounts.models import User
from lindungi.audit import services as audit
from lindungi.core.errors import Conflict, DomainError, validate
from lindungi.incidents import common
from lindungi.incidents.models import Perpetrator
from lindungi.legal.models import (
    LEVEL_ORDER,
    Appeal,
    AppealLevel,
    AppealParty,
    Charge,
    Defendant,
    Hearing,
    HearingAgenda,
    HearingStatus,
    LawArticle,
    LegalCase,
    Verdict,
    VerdictLevel,
    VerdictOutcome,
)
from lindungi.legal.services._common import EDIT, lock, refresh_outcomes, require_legal_case, require_open

# --- charges ------------------------------------------------------------------------------------


def charge_add(*, actor, legal_case: LegalCase, article: LawArticle, defendant: Defendant | None = None) -> Charge:
    require_legal_case(actor, EDIT, legal_case)
    if not isinstance(article, LawArticle) or not article.is_active or not article.law.is_active:
        raise common.field_error("article", _("Choose an article in use from the list."))
    if defendant is not None and defendant.legal_case_id != legal_case.pk:
        raise common.field_error("defendant", _("Choose a defendant of this legal case."))
    with transaction.atomic():
        legal_case = lock(legal_case)
        require_open(legal_case)
        if Charge.objects.filter(legal_case=legal_case, defendant=defendant, article=article).exists():
            raise Conflict(_("This article is already charged."), code="duplicate_charge")
        charge = Charge.objects.create(legal_case=legal_case, defendant=defendant, article=article)
        audit.record("legal.charge.added", actor=actor, obj=legal_case, payload={
            "charge_id": charge.pk, "article": article.code,
            "defendant_id": str(defendant.pk) if defendant else None})
    return charge


def charge_remove(*, actor, charge: Charge) -> None:
    legal_case = charge.legal_case
    require_legal_case(actor, EDIT, legal_case)
    with transaction.atomic():
        legal_case = lock(legal_case)
        require_open(legal_case)
        payload = {"charge_id": charge.pk, "article": charge.article.code}
        charge.delete()
        audit.record("legal.charge.removed", actor=actor, obj=legal_case, payload=payload)


# --- suspects and defendants --------------------------------------------------------------------

DEFENDANT_FIELDS = {"named_suspect_on", "detained", "detained_on", "notes"}


def _clean_defendant(data: dict) -> dict:
    unknown = set(data) - DEFENDANT_FIELDS
    if unknown:
        raise DomainError(_("Unknown fields: %(names)s") % {"names": ", ".join(sorted(unknown))},
                          code="unknown_fields")
    data = dict(data)
    for name in ("named_suspect_on", "detained_on"):
        if name in data:
            common.not_in_future(data[name], name)
    if "notes" in data:
        data["notes"] = (data["notes"] or "").strip()
    return data


def _check_detention(defendant: Defendant) -> None:
    if defendant.detained_on and not defendant.detained:
        defendant.detained = True
    common.not_before(defendant.detained_on, defendant.named_suspect_on, "detained_on",
                      _("Detention cannot start before the person was named a suspect."))


def defendant_add(*, actor, legal_case: LegalCase, perpetrator: Perpetrator, data: dict | None = None) -> Defendant:
    """Record one of the incidents' perpetrators as a suspect / defendant of the legal case."""
    require_legal_case(actor, EDIT, legal_case)
    data = _clean_defendant(data or {})
    with transaction.atomic():
        legal_case = lock(legal_case)
        require_open(legal_case)
        if not legal_case.incident_links.filter(incident_id=perpetrator.incident_id).exists():
            raise common.field_error("perpetrator", _("Choose a perpetrator of this legal case's incidents."))
        if not perpetrator.identified:
            raise common.field_error("perpetrator", _("An unknown perpetrator cannot be a suspect: record their "
                                                      "identity on the incident first."))
        if Defendant.objects.filter(legal_case=legal_case, perpetrator=perpetrator).exists():
            raise Conflict(_("This perpetrator is already a suspect or defendant here."), code="duplicate_defendant")
        defendant = Defendant(organisation_id=legal_case.organisation_id, legal_case=legal_case,
                              perpetrator=perpetrator, **data)
        _check_detention(defendant)
        validate(defendant)
        defendant.save()
        audit.record("legal.defendant.added", actor=actor, obj=defendant, payload={
            "legal_case_id": str(legal_case.pk), "perpetrator_id": str(perpetrator.pk),
            "detained": defendant.detained})
    return defendant


def defendant_update(*, actor, defendant: Defendant, data: dict) -> Defendant:
    require_legal_case(actor, EDIT, defendant.legal_case)
    data = _clean_defendant(data)
    with transaction.atomic():
        lock(defendant.legal_case)
        defendant = Defendant.objects.select_for_update().get(pk=defendant.pk)
        changed = common.apply_changes(defendant, data, DEFENDANT_FIELDS)
        _check_detention(defendant)
        if not changed:
            return defendant
        validate(defendant)
        defendant.save()
        audit.record("legal.defendant.updated", actor=actor, obj=defendant, payload={"fields": sorted(changed)})
    return defendant


# --- verdicts and appeals -----------------------------------------------------------------------

VERDICT_FIELDS = {"court", "decided_on", "outcome", "prison_months", "fine", "restitution_ordered",
                  "decision_number", "notes"}


def _lower_levels(level: str) -> list[str]:
    return [code for code in VerdictLevel.values if LEVEL_ORDER[code] < LEVEL_ORDER[level]]


def _final_outcome(defendant: Defendant) -> str:
    verdicts = sorted(defendant.verdicts.all(), key=lambda v: LEVEL_ORDER[v.level])
    return verdicts[-1].outcome if verdicts else ""


def verdict_record(*, actor, defendant: Defendant, level: str, data: dict) -> Verdict:
    """Record (or correct) the decision of `level` for a defendant. A decision above the first
    instance needs the filing at that level first (appeal, cassation or review)."""
    legal_case = defendant.legal_case
    require_legal_case(actor, EDIT, legal_case)
    level = common.choice(level, VerdictLevel, "level", _("Choose the court level."))
    unknown = set(data) - VERDICT_FIELDS
    if unknown:
        raise DomainError(_("Unknown fields: %(names)s") % {"names": ", ".join(sorted(unknown))},
                          code="unknown_fields")
    data = {k: (v.strip() if isinstance(v, str) else v) for k, v in data.items()}
    data["outcome"] = common.choice(data.get("outcome"), VerdictOutcome, "outcome", _("Choose the outcome."))
    common.required(data.get("decided_on"), "decided_on", _("Enter the date of the decision."))
    common.not_in_future(data["decided_on"], "decided_on")
    for name in ("fine", "restitution_ordered"):
        if name in data:
            data[name] = common.amount(data[name], name)
    if data.get("prison_months") not in (None, ""):
        try:
            data["prison_months"] = int(data["prison_months"])
        except (TypeError, ValueError):
            raise common.field_error("prison_months", _("Enter the prison term in whole months.")) from None
        if not 0 <= data["prison_months"] <= 1200:
            raise common.field_error("prison_months", _("Enter the prison term in whole months."))
    else:
        data["prison_months"] = None
    if data["outcome"] != VerdictOutcome.CONVICTED:
        for name in ("prison_months", "fine", "restitution_ordered"):
            if data.get(name):
                raise common.field_error(name, _("A sentence, fine or restitution goes with a conviction only."))
    with transaction.atomic():
        legal_case = lock(legal_case)
        require_open(legal_case)
        defendant = Defendant.objects.select_for_update().get(pk=defendant.pk)
        lower = Verdict.objects.filter(defendant=defendant, level__in=_lower_levels(level)).order_by("-decided_on")
        if level != VerdictLevel.FIRST_INSTANCE:
            filing = Appeal.objects.filter(defendant=defendant, level=level).first()
            if filing is None:
                raise Conflict(_("Record the filing (%(level)s) before the decision at that level.") % {
                    "level": AppealLevel(level).label}, code="filing_missing")
            common.not_before(data["decided_on"], filing.filed_on, "decided_on",
                              _("The decision cannot be before the filing (%(date)s).") % {
                                  "date": filing.filed_on.isoformat()})
        latest_lower = lower.first()
        if latest_lower:
            common.not_before(data["decided_on"], latest_lower.decided_on, "decided_on",
                              _("The decision cannot be before the decision of the lower court (%(date)s).") % {
                                  "date": latest_lower.decided_on.isoformat()})
        verdict = Verdict.objects.filter(defendant=defendant, level=level).first()
        created = verdict is None
        if created:
            verdict = Verdict(organisation_id=legal_case.organisation_id, defendant=defendant, level=level)
        changed = common.apply_changes(verdict, data, VERDICT_FIELDS)
        if not created and not changed:
            return verdict
        validate(verdict)
        verdict.save()
        outcome = _final_outcome(defendant)
        if defendant.final_outcome != outcome:
            defendant.final_outcome = outcome
            defendant.save(update_fields=["final_outcome"])
        refresh_outcomes(legal_case)
        audit.record("legal.verdict.recorded" if created else "legal.verdict.corrected", actor=actor, obj=verdict,
                     payload={"legal_case_id": str(legal_case.pk), "defendant_id": str(defendant.pk), "level": level,
                              "outcome": verdict.outcome, "fields": sorted(changed)})
    return verdict


def appeal_record(*, actor, defendant: Defendant, level: str, filed_by: str, filed_on: datetime.date,
                  notes: str = "") -> Appeal:
    """Record a filing against the last decision: appeal, cassation or review."""
    legal_case = defendant.legal_case
    require_legal_case(actor, EDIT, legal_case)
    level = common.choice(level, AppealLevel, "level", _("Choose appeal, cassation or review."))
    filed_by = common.choice(filed_by, AppealParty, "filed_by", _("Choose who filed."))
    common.required(filed_on, "filed_on", _("Enter the filing date."))
    common.not_in_future(filed_on, "filed_on")
    with transaction.atomic():
        legal_case = lock(legal_case)
        require_open(legal_case)
        defendant = Defendant.objects.select_for_update().get(pk=defendant.pk)
        decided = Verdict.objects.filter(defendant=defendant, level__in=_lower_levels(level)).order_by("-decided_on")
        last = decided.first()
        if last is None:
            raise Conflict(_("There is no decision to appeal against yet: record the verdict first."),
                           code="no_decision")
        common.not_before(filed_on, last.decided_on, "filed_on",
                          _("The filing cannot be before the decision it contests (%(date)s).") % {
                              "date": last.decided_on.isoformat()})
        if Appeal.objects.filter(defendant=defendant, level=level).exists():
            raise Conflict(_("This filing is already recorded."), code="duplicate_appeal")
        appeal = Appeal(organisation_id=legal_case.organisation_id, defendant=defendant, level=level,
                        filed_by=filed_by, filed_on=filed_on, notes=(notes or "").strip())
        validate(appeal)
        appeal.save()
        audit.record("legal.appeal.filed", actor=actor, obj=appeal, payload={
            "legal_case_id": str(legal_case.pk), "defendant_id": str(defendant.pk), "level": level,
            "filed_by": filed_by})
    return appeal


# --- hearings -----------------------------------------------------------------------------------

HEARING_FIELDS = {"date", "time", "court", "agenda", "status", "accompanied_by", "outcome"}


def _check_staff(user: User | None, legal_case: LegalCase, field: str) -> None:
    if user is not None and (user.organisation_id != legal_case.organisation_id or not user.is_active):
        raise common.field_error(field, _("Choose an active member of your organisation."))


def hearing_save(*, actor, legal_case: LegalCase, data: dict, hearing: Hearing | None = None) -> Hearing:
    """Schedule a hearing, or record what happened at it."""
    require_legal_case(actor, EDIT, legal_case)
    if hearing is not None and hearing.legal_case_id != legal_case.pk:
        raise common.field_error("hearing", _("This hearing belongs to another legal case."))
    unknown = set(data) - HEARING_FIELDS
    if unknown:
        raise DomainError(_("Unknown fields: %(names)s") % {"names": ", ".join(sorted(unknown))},
                          code="unknown_fields")
    data = {k: (v.strip() if isinstance(v, str) else v) for k, v in data.items()}
    if "agenda" in data:
        data["agenda"] = common.choice(data["agenda"], HearingAgenda, "agenda", _("Choose the agenda."))
    if "status" in data:
        data["status"] = common.choice(data["status"] or HearingStatus.SCHEDULED, HearingStatus, "status",
                                       _("Choose the status."))
    _check_staff(data.get("accompanied_by"), legal_case, "accompanied_by")
    with transaction.atomic():
        legal_case = lock(legal_case)
        created = hearing is None
        if created:
            require_open(legal_case)
            hearing = Hearing(organisation_id=legal_case.organisation_id, legal_case=legal_case, created_by=actor)
        else:
            hearing = Hearing.objects.select_for_update().get(pk=hearing.pk)
        changed = common.apply_changes(hearing, data, HEARING_FIELDS)
        common.required(hearing.date, "date", _("Enter the date of the hearing."))
        common.required_text(hearing.court, "court", _("Enter the court."))
        common.required(hearing.agenda, "agenda", _("Choose the agenda."))
        if hearing.status == HearingStatus.HELD:
            common.not_in_future(hearing.date, "date")
        if hearing.outcome and hearing.status == HearingStatus.SCHEDULED and hearing.date > common.today():
            raise common.field_error("outcome", _("Record the outcome once the hearing was held."))
        if not created and not changed:
            return hearing
        validate(hearing)
        hearing.save()
        audit.record("legal.hearing.scheduled" if created else "legal.hearing.updated", actor=actor, obj=hearing,
                     payload={"legal_case_id": str(legal_case.pk), "date": hearing.date.isoformat(),
                              "agenda": hearing.agenda, "status": hearing.status, "fields": sorted(changed)})
    return hearing
