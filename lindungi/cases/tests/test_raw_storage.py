"""No child's name or NIK is stored in plaintext anywhere in the database (SECURITY.md)."""

import pytest
from django.db import connection

from lindungi.cases import services
from lindungi.cases.testing import SCORES, register

pytestmark = pytest.mark.django_db

NAME, NIK, STREET, GUARDIAN, NOTE = "Kemuning Sasmita", "9987654321098765", "Jalan Melati Tersembunyi", \
    "Ratih Wulandari", "Catatan kunjungan sangat rahasia"


def _all_text_in_database() -> str:
    chunks = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 - table names from introspection
            for row in cursor.fetchall():
                chunks.extend(str(value) for value in row if value is not None)
    return "\n".join(chunks)


def test_no_name_nik_address_or_note_is_stored_in_plaintext(w):
    case = register(w.caseworker_a, full_name=NAME, nik=NIK, street_address=STREET, aliases="Ningning Rahasia")
    services.caregiver_add(actor=w.caseworker_a, case=case, data={"full_name": GUARDIAN, "relationship": "mother"})
    services.assessment_save(actor=w.caseworker_a, case=case, scores=SCORES, needs={"safety": NOTE})
    services.follow_up_record(actor=w.caseworker_a, case=case, type="home_visit", notes=NOTE)
    services.case_set_risk(actor=w.caseworker_a, case=case, level="high", reason=NOTE)
    dump = _all_text_in_database().lower()
    for secret in (NAME, NIK, STREET, GUARDIAN, NOTE, "Ningning Rahasia"):
        assert secret.lower() not in dump, secret
    # ...and yet the application reads them back.
    case.refresh_from_db()
    assert case.child.full_name == NAME and case.child.nik == NIK
