import datetime

import pytest

from lindungi.incidents.testing import add_perpetrator, record_incident, register_case


@pytest.fixture
def iw(personas):
    """Personas plus a case of organisation A (caseworker_a) with an incident and a perpetrator,
    and a case of organisation B."""
    w = personas
    w.case_a = register_case(w.caseworker_a, full_name="Ani Insiden (test)", supervisor=w.supervisor_a)
    w.case2_a = register_case(w.caseworker_a, full_name="Budi Kedua (test)", supervisor=w.supervisor_a,
                              birth_date=datetime.date(2010, 1, 1))
    w.case_b = register_case(w.caseworker_b, full_name="Citra B (test)", supervisor=w.supervisor_b, province="18",
                             regency=None)
    w.incident_a = record_incident(w.caseworker_a, [w.case_a])
    w.perpetrator_a = add_perpetrator(w.caseworker_a, w.incident_a, name="Darto Pelaku (test)")
    return w
