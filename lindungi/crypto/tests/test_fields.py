import datetime

import pytest
from django import forms
from django.core import serializers
from django.core.exceptions import FieldError, ValidationError
from django.db import connection, transaction
from django.test.utils import isolate_apps

from lindungi.crypto import cipher, keys
from lindungi.crypto.fields import (
    BlindIndexField,
    EncryptedTextField,
    Sealed,
    blind_search,
    index_value,
)
from lindungi.crypto.models import EncryptedRecord
from lindungi.crypto.tests.testapp.models import Contact, Person

BIRTH = datetime.date(2012, 3, 4)


def raw_row(person, *columns):
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {', '.join(columns)} FROM {Person._meta.db_table} WHERE id = %s",
            [Person._meta.pk.get_db_prep_value(person.pk, connection)],
        )
        return cursor.fetchone()


def test_every_field_type_round_trips(person_factory):
    person = person_factory(full_name="Melati Contoh", nik="3171 0101 0101 0001", birth_date=BIRTH,
                            notes="Catatan fiktif.\nBaris dua.", details={"aliases": ["Mel"], "phone": "0800-000"})
    loaded = Person.objects.get(pk=person.pk)
    assert isinstance(loaded.__dict__["full_name"], Sealed)  # decrypted lazily
    assert loaded.full_name == "Melati Contoh"
    assert loaded.nik == "3171 0101 0101 0001"
    assert loaded.birth_date == BIRTH
    assert loaded.notes == "Catatan fiktif.\nBaris dua."
    assert loaded.details == {"aliases": ["Mel"], "phone": "0800-000"}


def test_empty_values_stay_empty(person_factory):
    person = person_factory(full_name="Kosong Fiktif")
    loaded = Person.objects.get(pk=person.pk)
    assert loaded.nik == "" and loaded.birth_date is None and loaded.notes == "" and loaded.details == {}
    assert raw_row(person, "nik", "birth_date") == ("", None)
    assert loaded.nik_index is None and loaded.name_year_index is None


def test_a_date_given_as_text_is_stored_as_a_date(person_factory):
    person = person_factory(birth_date="2012-03-04")
    assert Person.objects.get(pk=person.pk).birth_date == BIRTH


def test_the_raw_row_holds_ciphertext_only(person_factory):
    person = person_factory(full_name="Melati Contoh", nik="3171010101010001", birth_date=BIRTH,
                            details={"guardian": "Paman Fiktif"})
    row = raw_row(person, "full_name", "nik", "birth_date", "details", "name_index")
    for value in row[:4]:
        assert cipher.is_token(value)
    joined = " ".join(map(str, row))
    for plaintext in ("Melati", "3171010101010001", "2012", "Paman"):
        assert plaintext not in joined
    assert len(row[4]) == 4  # 16 bits of HMAC, in hex


def test_a_tampered_ciphertext_in_the_database_is_rejected(person_factory):
    person = person_factory()
    token = raw_row(person, "full_name")[0]
    head, body = token.rsplit(".", 1)
    Person.objects.filter(pk=person.pk).update(full_name=f"{head}.{body[:-2]}{'AB' if body[-2:] != 'AB' else 'CD'}")
    with pytest.raises(cipher.DecryptionError):
        _ = Person.objects.get(pk=person.pk).full_name


def test_a_ciphertext_copied_to_another_row_is_rejected(person_factory):
    victim = person_factory(full_name="Korban Fiktif")
    other = person_factory(full_name="Lain Fiktif")
    Person.objects.filter(pk=other.pk).update(full_name=raw_row(victim, "full_name")[0])
    with pytest.raises(cipher.DecryptionError):
        _ = Person.objects.get(pk=other.pk).full_name


def test_a_ciphertext_copied_to_another_organisation_is_rejected(person_factory, orgs):
    victim = person_factory(full_name="Korban Fiktif", org=orgs.a)
    token = raw_row(victim, "full_name")[0]
    # Same row id, other organisation: the associated data no longer matches (and B's key differs).
    Person.objects.filter(pk=victim.pk).update(organisation=orgs.b)
    with pytest.raises(cipher.DecryptionError):
        _ = Person.objects.get(pk=victim.pk).full_name
    assert raw_row(victim, "full_name")[0] == token


def test_a_value_read_without_its_instance_opens_under_its_row_and_organisation(person_factory, orgs):
    person = person_factory(full_name="Melati Contoh", birth_date=BIRTH, org=orgs.a)
    other = person_factory(full_name="Lain Fiktif", org=orgs.a)
    pk, org_id, name, birth = Person.objects.values_list("pk", "organisation_id", "full_name", "birth_date").get(
        pk=person.pk)
    assert isinstance(name, Sealed)  # values_list gives the stored token, never plaintext
    name_field, birth_field = Person._meta.get_field("full_name"), Person._meta.get_field("birth_date")
    assert name_field.open_stored(name, pk=pk, organisation_id=org_id) == "Melati Contoh"
    assert birth_field.open_stored(birth, pk=pk, organisation_id=org_id) == BIRTH
    # Bound to its row, organisation and column as a model read is.
    for wrong in ({"pk": other.pk, "organisation_id": org_id}, {"pk": pk, "organisation_id": orgs.b.pk}):
        with pytest.raises(cipher.DecryptionError):
            name_field.open_stored(name, **wrong)
    with pytest.raises(cipher.DecryptionError):
        Person._meta.get_field("notes").open_stored(name, pk=pk, organisation_id=org_id)


def test_a_ciphertext_copied_to_another_column_is_rejected(person_factory):
    person = person_factory(full_name="Korban Fiktif", notes="catatan")
    Person.objects.filter(pk=person.pk).update(notes=raw_row(person, "full_name")[0])
    with pytest.raises(cipher.DecryptionError):
        _ = Person.objects.get(pk=person.pk).notes


@pytest.mark.parametrize("lookup", ["full_name", "full_name__exact", "full_name__icontains", "full_name__startswith",
                                    "full_name__in", "birth_date__year", "birth_date__gt", "details__aliases"])
def test_lookups_on_encrypted_columns_are_refused(orgs, lookup):
    value = ["x"] if lookup.endswith("__in") else "x"
    with pytest.raises(FieldError):
        Person.objects.filter(**{lookup: value}).exists()


def test_isnull_and_sealed_with_are_the_only_lookups(person_factory):
    person = person_factory(birth_date=BIRTH)
    key_id = keys.active(person.organisation_id).key_id
    assert list(Person.objects.filter(birth_date__isnull=False)) == [person]
    assert list(Person.objects.filter(full_name__sealed_with=key_id)) == [person]
    assert not Person.objects.filter(full_name__sealed_with=key_id + 1).exists()
    with pytest.raises(TypeError):
        Person.objects.filter(full_name__sealed_with="1").exists()


def test_queryset_update_and_bulk_update_refuse_plaintext(person_factory):
    person = person_factory()
    with pytest.raises(ValueError, match="encrypted fields"), transaction.atomic():
        Person.objects.filter(pk=person.pk).update(full_name="Bocor Fiktif")
    with pytest.raises(ValueError, match="encrypted fields"), transaction.atomic():
        Person.objects.filter(pk=person.pk).update(full_name="v1.1.a plaintext that looks like a token a bit")
    person.full_name = "Bocor Fiktif"
    with pytest.raises(ValueError, match="encrypted fields"), transaction.atomic():
        Person.objects.bulk_update([person], ["full_name"])
    assert Person.objects.get(pk=person.pk).full_name == "Melati Contoh Fiktif"


def test_bulk_create_encrypts_and_indexes(orgs):
    people = Person.objects.bulk_create(
        [Person(organisation=orgs.a, full_name=f"Anak Fiktif {i}", birth_date=BIRTH) for i in range(3)]
    )
    for person in people:
        assert cipher.is_token(raw_row(person, "full_name")[0])
    assert [p.full_name for p in blind_search(Person.objects.all(), "name_index", [orgs.a.pk], "anak fiktif 1")] == [
        "Anak Fiktif 1"
    ]


def test_deferred_fields_load_and_decrypt(person_factory):
    person = person_factory(full_name="Tertunda Fiktif", birth_date=BIRTH)
    only_id = Person.objects.only("id").get(pk=person.pk)
    assert only_id.full_name == "Tertunda Fiktif"
    assert only_id.birth_date == BIRTH
    deferred = Person.objects.defer("full_name").get(pk=person.pk)
    assert deferred.full_name == "Tertunda Fiktif"


def test_refresh_from_db_reads_the_new_value(person_factory):
    person = person_factory(full_name="Lama Fiktif")
    other = Person.objects.get(pk=person.pk)
    other.full_name = "Baru Fiktif"
    other.save()
    person.refresh_from_db()
    assert person.full_name == "Baru Fiktif"
    person.refresh_from_db(fields=["full_name"])
    assert person.full_name == "Baru Fiktif"


def test_saving_an_unread_record_keeps_its_ciphertexts(person_factory):
    person = person_factory(full_name="Tetap Fiktif")
    before = raw_row(person, "full_name")[0]
    loaded = Person.objects.get(pk=person.pk)
    loaded.sex = "F"
    loaded.save()
    assert raw_row(person, "full_name")[0] == before
    assert Person.objects.get(pk=person.pk).full_name == "Tetap Fiktif"


def test_full_clean_validates_plaintext(orgs):
    Person(organisation=orgs.a, full_name="Valid Fiktif", birth_date="2012-03-04").full_clean()
    with pytest.raises(ValidationError) as too_long:
        Person(organisation=orgs.a, full_name="x" * 101).full_clean()
    assert "full_name" in too_long.value.error_dict
    with pytest.raises(ValidationError) as bad_date:
        Person(organisation=orgs.a, full_name="Valid", birth_date="2012-13-45").full_clean()
    assert "birth_date" in bad_date.value.error_dict
    with pytest.raises(ValidationError) as blank:
        Person(organisation=orgs.a, full_name="").full_clean()
    assert "full_name" in blank.value.error_dict


def test_full_clean_of_a_loaded_record_passes(person_factory):
    person = person_factory(birth_date=BIRTH, details={"a": 1})
    Person.objects.get(pk=person.pk).full_clean()


class PersonForm(forms.ModelForm):
    class Meta:
        model = Person
        fields = ["full_name", "nik", "birth_date", "notes", "details"]


def test_model_forms_show_plaintext_and_save_ciphertext(person_factory):
    person = person_factory(full_name="Formulir Fiktif", birth_date=BIRTH, details={"k": "v"})
    form = PersonForm(instance=Person.objects.get(pk=person.pk))
    html = str(form)
    assert 'value="Formulir Fiktif"' in html
    assert 'value="2012-03-04"' in html and 'type="date"' in html
    assert 'maxlength="100"' in html and 'maxlength="16"' in html
    assert "<textarea" in str(form["notes"])
    assert "v1." not in html
    assert isinstance(form.fields["details"], forms.JSONField)

    form = PersonForm(
        {"full_name": "Diubah Fiktif", "nik": "", "birth_date": "2011-02-03", "notes": "", "details": '{"k": "w"}'},
        instance=Person.objects.get(pk=person.pk),
    )
    assert form.is_valid(), form.errors
    form.save()
    loaded = Person.objects.get(pk=person.pk)
    assert (loaded.full_name, loaded.birth_date, loaded.details) == ("Diubah Fiktif", datetime.date(2011, 2, 3), {"k": "w"})
    assert cipher.is_token(raw_row(person, "full_name")[0])


def test_model_forms_reject_too_long_values(person_factory):
    form = PersonForm({"full_name": "x" * 101, "details": "{}"}, instance=Person(organisation_id=person_factory().organisation_id))
    assert not form.is_valid()
    assert "full_name" in form.errors


def test_a_json_value_mutated_in_place_is_saved(person_factory):
    person = person_factory(details={"aliases": ["A"]})
    loaded = Person.objects.get(pk=person.pk)
    loaded.details["aliases"].append("B")
    loaded.save()
    assert Person.objects.get(pk=person.pk).details == {"aliases": ["A", "B"]}


def test_update_fields_saves_the_blind_index_with_its_source(person_factory, orgs):
    person = person_factory(full_name="Nama Lama", birth_date=BIRTH)
    person.full_name = "Nama Baru"
    person.save(update_fields=["full_name"])
    assert blind_search(Person.objects.all(), "name_index", [orgs.a.pk], "nama baru") == [person]
    assert blind_search(Person.objects.all(), "name_year_index", [orgs.a.pk], "Nama Baru", BIRTH) == [person]
    assert blind_search(Person.objects.all(), "name_index", [orgs.a.pk], "nama lama") == []


def test_a_transferred_record_is_re_encrypted_without_reading_it_first(person_factory, orgs):
    person = person_factory(full_name="Pindah Fiktif", birth_date=BIRTH, org=orgs.a)
    loaded = Person.objects.get(pk=person.pk)
    loaded.organisation = orgs.b  # no attribute read before the move
    loaded.save(update_fields=["organisation"])
    moved = Person.objects.get(pk=person.pk)
    assert (moved.full_name, moved.birth_date) == ("Pindah Fiktif", BIRTH)
    assert blind_search(Person.objects.all(), "name_index", [orgs.b.pk], "pindah fiktif") == [moved]
    assert blind_search(Person.objects.all(), "name_index", [orgs.a.pk], "pindah fiktif") == []


def test_a_transferred_record_with_deferred_fields_is_re_encrypted(person_factory, orgs):
    person = person_factory(full_name="Pindah Fiktif", notes="catatan", org=orgs.a)
    loaded = Person.objects.only("id", "organisation").get(pk=person.pk)
    loaded.organisation = orgs.b
    loaded.save()
    moved = Person.objects.get(pk=person.pk)
    assert (moved.organisation_id, moved.full_name, moved.notes) == (orgs.b.pk, "Pindah Fiktif", "catatan")


def test_a_copied_record_is_re_encrypted_for_its_new_id(person_factory):
    person = person_factory(full_name="Salinan Fiktif")
    copy = Person.objects.get(pk=person.pk)
    copy.pk = None
    copy.id = Person._meta.pk.get_default()
    copy._state.adding = True
    copy.save()
    assert Person.objects.get(pk=copy.pk).full_name == "Salinan Fiktif"
    assert Person.objects.get(pk=person.pk).full_name == "Salinan Fiktif"


def test_serialisation_gives_ciphertext_only(person_factory):
    person = person_factory(full_name="Serial Fiktif", birth_date=BIRTH)
    dumped = serializers.serialize("json", Person.objects.filter(pk=person.pk))
    assert "Serial" not in dumped and "2012" not in dumped
    assert '"full_name": "v1.' in dumped


def test_blind_search_finds_a_differently_typed_name(person_factory, orgs):
    wanted = person_factory(full_name="Siti Nurhaliza", org=orgs.a)
    person_factory(full_name="Siti Nurhayati", org=orgs.a)
    person_factory(full_name="Siti Nurhaliza", org=orgs.b)
    found = blind_search(Person.objects.all(), "name_index", [orgs.a.pk], "SITI  nurhaliza")
    assert found == [wanted]
    assert len(blind_search(Person.objects.all(), "name_index", [orgs.a.pk, orgs.b.pk], "siti nurhaliza")) == 2


def test_blind_search_normalises_spelling_variants(person_factory, orgs):
    wanted = person_factory(full_name="Muhammad Joko Susilo", org=orgs.a)
    assert blind_search(Person.objects.all(), "name_index", [orgs.a.pk], "Moch. Djoko  Soesilo") == [wanted]


def test_blind_search_drops_collisions_after_decrypting(person_factory, orgs):
    wanted = person_factory(full_name="Dicari Fiktif", org=orgs.a)
    impostor = person_factory(full_name="Bukan Dicari", org=orgs.a)
    Person.objects.filter(pk=impostor.pk).update(name_index=wanted.name_index)  # a forced collision
    assert Person.objects.filter(name_index=wanted.name_index).count() == 2
    assert blind_search(Person.objects.all(), "name_index", [orgs.a.pk], "dicari fiktif") == [wanted]


def test_blind_search_respects_the_queryset_and_organisations(person_factory, orgs):
    person_factory(full_name="Tersembunyi Fiktif", org=orgs.a)
    assert blind_search(Person.objects.none(), "name_index", [orgs.a.pk], "tersembunyi fiktif") == []
    assert blind_search(Person.objects.all(), "name_index", [orgs.b.pk], "tersembunyi fiktif") == []
    assert blind_search(Person.objects.all(), "name_index", [], "tersembunyi fiktif") == []
    assert blind_search(Person.objects.all(), "name_index", [orgs.a.pk], "  ") == []


def test_compound_and_digit_indexes(person_factory, orgs):
    wanted = person_factory(full_name="Anak Fiktif", birth_date=BIRTH, nik="3171010101010001", org=orgs.a)
    person_factory(full_name="Anak Fiktif", birth_date=datetime.date(2010, 1, 1), org=orgs.a)
    assert blind_search(Person.objects.all(), "name_year_index", [orgs.a.pk], "anak fiktif", datetime.date(2012, 12, 31)) == [wanted]
    assert blind_search(Person.objects.all(), "nik_index", [orgs.a.pk], "3171-0101-0101-0001") == [wanted]
    assert len(wanted.nik_index) == 8


def test_the_network_index_matches_across_organisations(person_factory, orgs):
    a = person_factory(full_name="Ganda Fiktif", birth_date=BIRTH, org=orgs.a)
    b = person_factory(full_name="GANDA fiktif", birth_date=BIRTH, org=orgs.b)
    assert a.match_index == b.match_index
    assert a.name_year_index != b.name_year_index  # the per-organisation index does not
    found = blind_search(Person.objects.all(), "match_index", [], "ganda fiktif", BIRTH)
    assert {p.pk for p in found} == {a.pk, b.pk}


def test_index_value_is_what_the_row_stores(person_factory, orgs):
    person = person_factory(full_name="Nilai Fiktif", org=orgs.a)
    assert index_value(Person, "name_index", orgs.a.pk, "nilai  FIKTIF") == person.name_index
    assert index_value(Person, "name_index", orgs.a.pk, "") is None


def test_another_organisation_field_name_is_supported(orgs):
    contact = Contact.objects.create(owner=orgs.a, phone="+62 800-0000-0001")
    assert Contact.objects.get(pk=contact.pk).phone == "+62 800-0000-0001"
    assert blind_search(Contact.objects.all(), "phone_index", [orgs.a.pk], "62800 0000 0001") == [contact]


def test_a_record_without_organisation_cannot_be_encrypted(db):
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured):
        Person(full_name="Tanpa Organisasi").save()


@isolate_apps("lindungi.crypto.tests.testapp")
def test_system_checks_catch_misuse():
    class Broken(EncryptedRecord):
        name = EncryptedTextField(unique=True)
        shared = BlindIndexField(sources=["name", "missing"], transform="lindungi.crypto.normalise.name", network=True)

        class Meta:
            app_label = "crypto_testapp"

    ids = {error.id for error in Broken.check()}
    assert {"crypto.E001", "crypto.E002", "crypto.E011", "crypto.E013"} <= ids


def test_bits_must_be_a_multiple_of_four():
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured):
        BlindIndexField(sources=["x"], transform="t", bits=10)
