"""SECURITY.md: "a test reads the raw database file/rows and finds no plaintext name"."""

import datetime

import pytest
from django.db import connection

from lindungi.accounts.testing import make_organisation
from lindungi.audit.services import record
from lindungi.crypto.tests.testapp.models import Contact, Person

SECRETS = {
    "name": "Kenanga Rahasia Fiktif",
    "nik": "3171234567890123",
    "birth date": "2013-07-19",
    "address": "Jalan Rahasia Fiktif",
    "guardian": "Paman Rahasia",
    "phone": "0800-5551-2345",
}


def _write_rows():
    org = make_organisation("RAW", "Raw Storage Org (test)")
    person = Person.objects.create(
        organisation=org, full_name=SECRETS["name"], nik=SECRETS["nik"],
        birth_date=datetime.date.fromisoformat(SECRETS["birth date"]),
        notes=f"Tinggal di {SECRETS['address']} 12.", details={"guardian": SECRETS["guardian"]},
    )
    Contact.objects.create(owner=org, phone=SECRETS["phone"])
    # Services record what they did: ids and field names only.
    record("cases.child.registered", obj=person, payload={"fields": ["full_name", "nik", "birth_date"]})
    return person


def _needles() -> dict[str, list[bytes]]:
    needles = {}
    for label, value in SECRETS.items():
        forms = {value, value.lower(), value.upper(), value.replace("-", "")}
        needles[label] = [f.encode() for f in forms] + [f.encode("utf-16-le") for f in forms]
    return needles


def _scan(blob: bytes) -> list[str]:
    lowered = blob.lower()
    return [label for label, forms in _needles().items() if any(f.lower() in lowered for f in forms)]


@pytest.mark.django_db(transaction=True)
def test_no_table_holds_plaintext_personal_data():
    _write_rows()
    found = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            dump = repr(cursor.fetchall()).encode()
            if leaks := _scan(dump):
                found[table] = leaks
    assert not found, f"plaintext found: {found}"


@pytest.mark.django_db(transaction=True)
def test_the_database_file_holds_no_plaintext(tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("The file-level check copies the SQLite database; on PostgreSQL every table is scanned above.")
    _write_rows()
    copy = tmp_path / "copy.sqlite3"
    with connection.cursor() as cursor:
        cursor.execute("VACUUM INTO %s", [str(copy)])
    data = copy.read_bytes()
    assert data.startswith(b"SQLite format 3")
    assert _scan(data) == []


@pytest.mark.django_db(transaction=True)
def test_the_scan_would_find_plaintext():
    """The check itself works: an unencrypted copy of a secret is found."""
    org = make_organisation("RAW", "Raw Storage Org (test)")
    org.address = SECRETS["address"]
    org.save()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {connection.ops.quote_name('accounts_organisation')}")
        assert _scan(repr(cursor.fetchall()).encode()) == ["address"]
