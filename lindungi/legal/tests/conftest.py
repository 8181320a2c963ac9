import datetime

import pytest
from django.utils import timezone, translation

from lindungi.incidents.testing import add_perpetrator, record_incident, register_case
from lindungi.legal import services
from lindungi.legal.models import Stage


@pytest.fixture(autouse=True)
def _english():
    """Messages and reference labels in English, whatever the default language."""
    with translation.override("en"):
        yield


def days_ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


def stage(code: str) -> Stage:
    return Stage.objects.get(code=code)


@pytest.fixture
def lw(personas):
    """Personas, a case of A (caseworker_a) with an incident and an identified perpetrator, and
    legal case A on it, opened by supervisor_a 100 days ago and assigned to legal_a."""
    w = personas
    w.case_a = register_case(w.caseworker_a, full_name="Ani Hukum (test)", supervisor=w.supervisor_a)
    w.case2_a = register_case(w.caseworker2_a, full_name="Budi Hukum (test)", supervisor=w.supervisor_a,
                              birth_date=datetime.date(2010, 6, 6))
    w.incident_a = record_incident(w.caseworker_a, [w.case_a])
    w.perpetrator_a = add_perpetrator(w.caseworker_a, w.incident_a, name="Darto Terdakwa (test)")
    w.legal_case_a = services.legal_case_create(
        actor=w.supervisor_a, incidents=[w.incident_a], assigned_officer=w.legal_a, stage=stage("report"),
        entered_on=days_ago(100), data={"report_number": "LP/B/77/2026/UJI", "court": "PN Uji"})
    return w
