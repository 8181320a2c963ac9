"""The generator writes rows without model instances (`synthetic.rows`): what it stores must be what
the application's own fields store and read back, encrypted and blind-indexed the same way."""

import pytest
from django.db import connection

from lindungi.accounts.models import Organisation
from lindungi.cases import models as cm
from lindungi.crypto import cipher
from lindungi.crypto.fields import (
    BlindIndexField,
    EncryptedField,
    blind_index_fields,
    blind_search,
    encrypted_fields,
)
from lindungi.incidents import models as im
from lindungi.synthetic import names, rows
from lindungi.synthetic.cases import ORDER, OrgBuilder, OrgSpec, Reference
from lindungi.synthetic.tests.conftest import AS_OF

pytestmark = pytest.mark.django_db


def test_generated_rows_decrypt_through_the_model_fields(generated):
    decrypted = 0
    for model in ORDER:
        fields = encrypted_fields(model)
        for obj in model.objects.all():
            for field in fields:
                getattr(obj, field.attname)  # DecryptionError if key, format or associated data differ
                decrypted += 1
            for index in blind_index_fields(model):
                assert getattr(obj, index.attname) == index.compute(obj), (model.__name__, index.name)
    assert decrypted > 3000
    child = next(c for c in cm.Child.objects.all() if c.nik and c.phone)
    assert child.full_name.endswith(names.TAG) and child.nik.startswith("99") and child.phone.startswith("0899")


def test_generated_children_are_found_through_their_blind_indexes(generated):
    children = cm.Child.objects.all()
    org_ids = list(Organisation.objects.values_list("pk", flat=True))
    checked = 0
    for child in list(children.order_by("pk"))[::7]:
        assert child in blind_search(children, "name_index", [child.organisation_id], child.full_name)
        assert child in blind_search(children, "name_year_index", [child.organisation_id], child.full_name,
                                     child.birth_date)
        assert child in blind_search(children, "network_name_year_index", org_ids, child.full_name, child.birth_date)
        assert child in blind_search(children, "birth_date_index", [child.organisation_id], child.birth_date)
        if child.nik:
            assert child in blind_search(children, "nik_index", [child.organisation_id], child.nik)
            assert child in blind_search(children, "network_nik_index", org_ids, child.nik)
        # Another spelling of the name finds the same child: the transform is the field's own.
        assert child in blind_search(children, "name_index", [child.organisation_id], f"  {child.full_name.upper()}!")
        checked += 1
    assert checked >= 40


def _plain(value):
    """psycopg's JSON wrappers do not compare by content: compare what they wrap."""
    return (type(value).__name__, value.obj) if hasattr(value, "obj") and hasattr(value, "dumps") else value


def test_rows_are_encoded_as_djangos_own_save_path_would_store_them(generated):
    """Every column of every kind of row, against `pre_save` + `get_db_prep_save` of the model
    instance (what `bulk_create` does): equal, except ciphertexts (random nonces: they must decrypt
    to the same plaintext) and the time of writing."""
    org = Organisation.objects.filter(code="SN01").get()
    spec = OrgSpec(org_id=org.pk, code="SN01", cases=150, provinces={"32": 100, "31": 50},
                   regencies={"32": ["32.01", "32.73"], "31": ["31.71"]}, caseworkers=[1, 2], supervisors=[3],
                   legal_officers=[4], providers={"32": [(1, "uptd_ppa"), (2, "health")], "31": [(3, "legal_aid")]})
    batch = OrgBuilder(spec, seed=5, as_of=AS_OF, reference=Reference.load()).next_batch(150)
    compared = set()
    for model in ORDER:
        made = batch.rows[model]
        if not made:
            continue
        fields = rows.columns(model, made[0].pk is not None)
        for row, fast in zip(made, rows.encode(model, made, connection), strict=True):
            instance = rows.to_model(row)
            for field, value in zip(fields, fast, strict=True):
                expected = field.get_db_prep_save(field.pre_save(instance, True), connection)
                if isinstance(field, EncryptedField):
                    assert (value in (None, "")) == (expected in (None, "")), field
                    if value:
                        aad = cipher.associated_data(org.pk, model._meta.db_table, field.column, row.pk)
                        assert cipher.decrypt(org.pk, value, aad) == cipher.decrypt(org.pk, expected, aad)
                elif getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                    assert value is not None
                else:
                    assert _plain(value) == _plain(expected), (model.__name__, field.name, value, expected)
                    if isinstance(field, BlindIndexField) and value:
                        compared.add(field.name)
        compared.add(model.__name__)
    assert {"Child", "Case", "Consent", "Incident", "Perpetrator", "LegalCase", "name_index",
            "network_nik_index"} <= compared
    assert batch.rows[im.Incident]



def test_a_row_without_an_organisation_is_refused_as_the_fields_refuse_it():
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured):
        rows.encode(cm.Child, [rows.new(cm.Child, full_name="Tanpa Lembaga (Sintetis)")], connection)
    with pytest.raises(ImproperlyConfigured):
        rows.encode(cm.Caregiver, [rows.new(cm.Caregiver, full_name="Ibu Tanpa Lembaga (Sintetis)")], connection)


def test_synthetic_ids_have_the_layout_of_the_applications_uuid7():
    import os
    import uuid

    from lindungi.crypto.models import uuid7
    from lindungi.synthetic import ids

    app, made = uuid7(), [ids.uuid7() for _ in range(10_000)]  # more than one draw of the pool
    assert len(set(made)) == len(made)
    for value in (app, *made):
        assert value.version == 7 and value.variant == uuid.RFC_4122
    millis = [value.int >> 80 for value in made]
    assert millis == sorted(millis) and abs(millis[0] - (app.int >> 80)) < 1000  # ordered by the time of making
    assert len({value.int & ((1 << 62) - 1) for value in made}) == len(made)  # random bits differ
    # Rows of the models keyed by uuid7 take their keys from the bulk source.
    assert isinstance(rows.new(cm.Child, organisation_id=1).pk, uuid.UUID)
    assert cm.Child._meta.pk.default is uuid7
    # A forked writer draws its own randomness, not a copy of its parent's pool.
    ids.uuid7()
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: its next id, to the parent
        os.write(write, ids.uuid7().bytes)
        os._exit(0)
    os.waitpid(pid, 0)
    child_id = uuid.UUID(bytes=os.read(read, 16))
    parent_id = ids.uuid7()
    assert (child_id.int & ((1 << 62) - 1)) != (parent_id.int & ((1 << 62) - 1))


def test_written_rows_read_back_as_the_values_they_were_built_with(generated):
    """What `write_batch` stores (binary COPY on PostgreSQL, executemany on SQLite) reads back
    through the models as the row's own values, column by column, decrypted where encrypted."""
    from lindungi.accounts.models import User
    from lindungi.synthetic import generator

    org = Organisation.objects.filter(kind="secretariat").get()  # no records yet: no number is taken
    staff = list(User.objects.filter(organisation=org).values_list("pk", flat=True))
    provider = cm.ServiceProvider.objects.values_list("pk", "type", "province_id").first()
    spec = OrgSpec(org_id=org.pk, code="SNSEK", cases=120, provinces={provider[2]: 120}, regencies={provider[2]: []},
                   caseworkers=staff, supervisors=staff, legal_officers=staff,
                   providers={provider[2]: [provider[:2]]})
    batch = OrgBuilder(spec, seed=9, as_of=AS_OF, reference=Reference.load(), validate="none").next_batch(120)
    generator.write_batch(batch, org.pk, 1)
    compared = set()
    for model in ORDER:
        made = batch.rows[model]
        if not made or made[0].pk is None:
            continue  # rows numbered by the database: nothing refers to them
        stored = model.objects.in_bulk([row.pk for row in made])
        for row in made:
            instance = stored[row.pk]
            for field in rows.columns(model, True):
                expected = row.__dict__[field.attname]
                if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                    continue
                assert getattr(instance, field.attname) == expected, (model.__name__, field.name)
                compared.add(type(field).__name__)
    assert {"UUIDField", "DateField", "DateTimeField", "JSONField", "BooleanField", "CharField", "ForeignKey",
            "EncryptedTextField", "EncryptedDateField", "BlindIndexField"} <= compared


def test_pooled_random_bytes_are_never_handed_out_twice_nor_shared_with_a_forked_writer():
    import os

    from lindungi.synthetic import ids

    pool = ids.RandomBytes(pool_size=100)
    taken = [pool(12) for _ in range(1_000)]  # 120 draws of the pool, 4 bytes of each left unused
    assert all(len(value) == 12 for value in taken)
    assert len(set(taken)) == len(taken)
    assert len(pool(250)) == 250  # more than a pool at once
    # The generator's pool is dropped in a forked writer: its bytes are not a copy of its parent's.
    ids.random_bytes(12)
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: its next bytes, to the parent
        os.write(write, ids.random_bytes(12))
        os._exit(0)
    os.waitpid(pid, 0)
    assert os.read(read, 12) != ids.random_bytes(12)


def test_values_sealed_with_pooled_nonces_decrypt_as_the_applications_and_never_share_a_nonce(personas):
    import base64

    from lindungi.crypto import cipher
    from lindungi.synthetic import ids

    org_id = personas.org_a.pk
    aad = cipher.associated_data(org_id, "cases_child", "full_name", "row-1")
    seal = cipher.sealer(org_id, random_bytes=ids.random_bytes)
    tokens = [seal(b"Ayu Fiktif (Sintetis)", aad) for _ in range(5_000)]  # more than one draw of the pool
    assert all(cipher.decrypt(org_id, token, aad) == b"Ayu Fiktif (Sintetis)" for token in tokens)
    assert cipher.decrypt(org_id, cipher.encrypt(org_id, b"x", aad), aad) == b"x"
    bodies = [t.split(".", 2)[2] for t in tokens]
    nonces = {base64.urlsafe_b64decode(b + "=" * (-len(b) % 4))[:12] for b in bodies}
    assert len(nonces) == len(tokens)
