"""Helpers for tests (and the permission-matrix world): register cases through the services, as a
user would."""

from __future__ import annotations

import datetime

from django.utils import timezone

from lindungi.cases import services
from lindungi.cases.models import ConsentPurpose, ServiceProvider
from lindungi.geo.models import Region

ALL_CONSENTS = tuple(ConsentPurpose.values)


def consents(*purposes, given_on=None, given_by_kind="guardian", name="Ibu Wali (test)"):
    return [{"purpose": p, "given_by_kind": given_by_kind, "given_by_name": name,
             "given_on": given_on or timezone.localdate()} for p in purposes]


def register(actor, *, full_name="Ani Test", birth_date=datetime.date(2012, 5, 17), nik="", purposes=ALL_CONSENTS,
             legal_basis="guardian_consent", legal_basis_notes="", risk_level="medium", risk_reason="",
             registered_on=None, caseworker=None, supervisor=None, province="31", regency="31.71",
             confirm_duplicate=False, **child):
    registered_on = registered_on or timezone.localdate()
    child_data = {"full_name": full_name, "birth_date": birth_date, "nik": nik, "sex": "female",
                  "province": Region.objects.get(pk=province) if province else None,
                  "regency": Region.objects.get(pk=regency) if regency else None,
                  "street_address": "Jalan Contoh 1 (test)", "phone": "0800-0000-0000", **child}
    purposes = tuple(purposes)
    if legal_basis == "guardian_consent" and "services" not in purposes:
        purposes = ("services", *purposes)
    return services.case_register(
        actor=actor, child=child_data,
        case={"registered_on": registered_on, "source": "hotline", "concerns": ["online"],
              "narrative": "Narasi uji (test).", "legal_basis": legal_basis, "legal_basis_notes": legal_basis_notes},
        consents=consents(*purposes, given_on=registered_on), caregivers=[
            {"full_name": "Ibu Wali (test)", "relationship": "mother", "contact": "0800-1111-2222", "safety": "safe"}],
        assigned_caseworker=caseworker, supervisor=supervisor, risk_level=risk_level, risk_reason=risk_reason,
        confirm_duplicate=confirm_duplicate)


SCORES = {"safety": 2, "health": 1, "psychosocial": 3, "legal": 2, "education": 1, "family": 2, "economic": 1,
          "reintegration": 0}


def make_provider(organisation, *, name="UPTD PPA Jakarta (test)", province="31", accepts=True):
    return ServiceProvider.objects.create(organisation=organisation, name=name, type="uptd_ppa",
                                          province_id=province, accepts_referrals=accepts, phone="021-000000")


def to_services(case, caseworker, supervisor):
    """Take a registered case through assessment and case plan approval."""
    assessment = services.assessment_save(actor=caseworker, case=case, scores=SCORES, needs={"safety": "Rumah aman"})
    approval = services.assessment_submit(actor=caseworker, case=case, assessment=assessment)
    services.approval_decide(actor=supervisor, approval=approval, approve=True)
    plan = services.plan_save(actor=caseworker, case=case, goals=[{
        "domain": "safety", "description": "Anak aman", "actions": [
            {"description": "Cari rumah aman", "responsible": "Pendamping", "due_on": timezone.localdate()}]}])
    approval = services.plan_submit(actor=caseworker, case=case, plan=plan)
    services.approval_decide(actor=supervisor, approval=approval, approve=True)
    case.refresh_from_db()
    return case
