"""Helpers for tests, the permission-matrix world and demo data: cases and incidents made through
the services, as a user would."""

from __future__ import annotations

import datetime

from django.utils import timezone

from lindungi.cases import services as case_services
from lindungi.cases.models import ConsentPurpose
from lindungi.geo.models import Region
from lindungi.incidents import services


def register_case(actor, *, full_name="Anak Uji (test)", birth_date=datetime.date(2011, 4, 9), province="31",
                  regency="31.71", caseworker=None, supervisor=None, registered_on=None, statistics=True,
                  concerns=("prostitution",)):
    """A registered child case, with the consents a legal case needs (statistics optional)."""
    registered_on = registered_on or timezone.localdate()
    purposes = [p for p in ConsentPurpose.values if statistics or p != ConsentPurpose.STATISTICS]
    return case_services.case_register(
        actor=actor,
        child={"full_name": full_name, "birth_date": birth_date, "sex": "female",
               "province": Region.objects.get(pk=province) if province else None,
               "regency": Region.objects.get(pk=regency) if regency else None},
        case={"registered_on": registered_on, "source": "hotline", "concerns": list(concerns),
              "narrative": "Narasi fiktif (test).", "legal_basis": "guardian_consent"},
        consents=[{"purpose": p, "given_by_kind": "guardian", "given_by_name": "Wali Fiktif (test)",
                   "given_on": registered_on} for p in purposes],
        assigned_caseworker=caseworker, supervisor=supervisor, confirm_duplicate=True)


def record_incident(actor, cases, *, types=("prostitution",), online_subtypes=(), occurred_on=None,
                    setting="hotel", exchanged=("money",), province="31", regency="31.71", **data):
    occurred_on = occurred_on or timezone.localdate() - datetime.timedelta(days=30)
    platforms = data.pop("platforms", ())
    return services.incident_create(
        actor=actor, cases=list(cases), types=list(types), online_subtypes=list(online_subtypes),
        data={"occurred_on": occurred_on, "setting": setting, "source": "hotline", "exchanged": list(exchanged),
              "province": Region.objects.get(pk=province) if province else None,
              "regency": Region.objects.get(pk=regency) if regency else None,
              "description": "Uraian fiktif (test).", **data},
        platforms=platforms)


def add_perpetrator(actor, incident, *, name="Pelaku Fiktif (test)", role="pimp_broker", **data):
    return services.perpetrator_add(actor=actor, incident=incident, data={
        "identified": bool(name), "name": name, "sex": "male", "age_group": "25_39", "nationality": "ID",
        "relationship": "stranger", "role": role, **data})
