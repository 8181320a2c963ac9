import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from lindungi.audit.models import AuditEvent
from lindungi.crypto import cipher, keys, rotation
from lindungi.crypto.fields import blind_search
from lindungi.crypto.models import DataKey
from lindungi.crypto.tests.testapp.models import Contact, Person

BIRTH = datetime.date(2012, 3, 4)
NEW_KEK = b"new-kek-0123456789abcdef01234567"  # 32 bytes, obviously fake


def rotate(*args):
    out = io.StringIO()
    call_command("rotate_keys", *args, "--settle-seconds", "0", "--batch-size", "2", stdout=out)
    return out.getvalue()


@pytest.fixture
def people(orgs):
    made = []
    for i, org in enumerate([orgs.a, orgs.a, orgs.a, orgs.a, orgs.a, orgs.b]):
        made.append(Person.objects.create(
            organisation=org, full_name=f"Siti Nurhaliza {i}" if i else "Siti Nurhaliza", birth_date=BIRTH,
            nik=f"317101010101000{i}", details={"i": i},
        ))
    made.append(Person.objects.create(organisation=orgs.a, full_name="Tanpa Tanggal"))
    Contact.objects.create(owner=orgs.a, phone="0800-1111-2222")
    return made


def tokens(model=Person, field="full_name"):
    return list(model.objects.values_list(field, flat=True))


def assert_everything_readable_and_searchable(orgs):
    keys.forget_cached_keys()
    for person in Person.objects.all():
        assert person.full_name.startswith(("Siti Nurhaliza", "Tanpa Tanggal"))
        if person.full_name != "Tanpa Tanggal":
            assert person.birth_date == BIRTH
    found = blind_search(Person.objects.all(), "name_index", [orgs.a.pk], "SITI  nurhaliza")
    assert [p.full_name for p in found] == ["Siti Nurhaliza"]
    assert len(blind_search(Person.objects.all(), "name_year_index", [orgs.a.pk], "siti nurhaliza 3", BIRTH)) == 1
    assert len(blind_search(Person.objects.all(), "nik_index", [orgs.a.pk], "3171-0101-0101-0002")) == 1
    assert len(blind_search(Person.objects.all(), "match_index", [], "siti nurhaliza 5", BIRTH)) == 1
    assert len(blind_search(Contact.objects.all(), "phone_index", [orgs.a.pk], "080011112222")) == 1


def test_rotating_one_organisation_re_encrypts_its_rows_only(orgs, people):
    b_before = sorted(Person.objects.filter(organisation=orgs.b).values_list("full_name", flat=True))

    output = rotate("--organisation", orgs.a.code)

    assert "Key rotation complete" in output and "crypto_testapp.person" in output
    assert DataKey.objects.get(organisation=orgs.a, is_active=True).key_id == 2
    assert DataKey.objects.get(organisation=orgs.a, key_id=1).retired_at is not None
    assert not Person.objects.filter(organisation=orgs.a, full_name__sealed_with=1).exists()
    assert not Person.objects.filter(organisation=orgs.a, birth_date__sealed_with=1).exists()
    assert not Contact.objects.filter(phone__sealed_with=1).exists()
    assert Person.objects.filter(organisation=orgs.a, full_name__sealed_with=2).count() == 6
    assert sorted(Person.objects.filter(organisation=orgs.b).values_list("full_name", flat=True)) == b_before
    assert_everything_readable_and_searchable(orgs)


def test_rotation_recomputes_the_blind_indexes(orgs, people):
    before = {p.pk: (p.nik_index, p.name_year_index) for p in Person.objects.filter(organisation=orgs.a)}
    rotate("--organisation", orgs.a.code)
    after = {p.pk: (p.nik_index, p.name_year_index) for p in Person.objects.filter(organisation=orgs.a)}
    # 32-bit NIK indexes change with the key (a 16-bit one may collide by chance).
    assert all(after[pk][0] != before[pk][0] for pk in before if before[pk][0])
    for person in Person.objects.filter(organisation=orgs.a):
        assert person.nik_index == Person._meta.get_field("nik_index").compute(person)


def test_rotating_everything_twice_keeps_everything_readable_and_searchable(orgs, people):
    network_before = {p.pk: p.match_index for p in Person.objects.all()}
    rotate("--all")
    assert DataKey.objects.get(organisation__isnull=True, is_active=True).key_id == 2
    assert DataKey.objects.get(organisation=orgs.b, is_active=True).key_id == 2
    assert all(p.match_index != network_before[p.pk] for p in Person.objects.exclude(match_index=None))
    assert_everything_readable_and_searchable(orgs)
    rotate("--all")
    assert DataKey.objects.get(organisation=orgs.a, is_active=True).key_id == 3
    assert DataKey.objects.filter(retired_at__isnull=True, is_active=False).count() == 0
    assert_everything_readable_and_searchable(orgs)


def test_search_keeps_working_in_the_middle_of_a_rotation(orgs, people):
    rotation.begin(orgs.a.pk)  # new key active, no row re-encrypted yet
    rotation.begin(keys.NETWORK)
    assert_everything_readable_and_searchable(orgs)
    newcomer = Person.objects.create(organisation=orgs.a, full_name="Baru Fiktif", birth_date=BIRTH)
    assert cipher.key_id_of(Person.objects.filter(pk=newcomer.pk).values_list("full_name", flat=True)[0]) == 2
    assert blind_search(Person.objects.all(), "name_index", [orgs.a.pk], "baru fiktif") == [newcomer]


def test_an_interrupted_rotation_is_resumed_not_restarted(orgs, people):
    rotation.begin(orgs.a.pk)
    output = rotate("--organisation", orgs.a.code)
    assert "resuming rotation to 2" in output
    assert list(DataKey.objects.filter(organisation=orgs.a).order_by("key_id").values_list("key_id", "is_active")) == [
        (1, False), (2, True)
    ]
    assert DataKey.objects.get(organisation=orgs.a, key_id=1).retired_at is not None
    assert_everything_readable_and_searchable(orgs)


def test_rows_written_with_the_old_key_during_the_rotation_are_swept_up(orgs, people, monkeypatch):
    rotation.begin(orgs.a.pk)
    # Another process still has key 1 cached as active and writes a row with it.
    old = keys.material(orgs.a.pk, 1)
    monkeypatch.setattr(keys, "active", lambda org_id, _real=keys.active: old if org_id == orgs.a.pk else _real(org_id))
    late = Person.objects.create(organisation=orgs.a, full_name="Terlambat Fiktif")
    monkeypatch.undo()
    keys.forget_cached_keys()
    assert Person.objects.filter(pk=late.pk, full_name__sealed_with=1).exists()
    rotate("--organisation", orgs.a.code)
    assert not Person.objects.filter(organisation=orgs.a, full_name__sealed_with=1).exists()
    assert Person.objects.get(pk=late.pk).full_name == "Terlambat Fiktif"
    assert blind_search(Person.objects.all(), "name_index", [orgs.a.pk], "terlambat fiktif") == [late]


def test_rotation_is_audited_without_plaintext(orgs, people):
    rotate("--organisation", orgs.a.code)
    event = AuditEvent.objects.filter(action="crypto.key.rotated").get()
    assert event.organisation_id == orgs.a.pk
    assert event.payload["active_key"] == 2 and event.payload["retired_keys"] == [1]
    assert "Siti" not in str(event.payload)


def test_an_organisation_without_a_key_has_nothing_to_rotate(orgs):
    assert "nothing to rotate" in rotate("--organisation", orgs.b.code)
    assert not DataKey.objects.filter(organisation=orgs.b).exists()


@pytest.mark.parametrize("args, message", [
    ((), "Say what to rotate"),
    (("--organisation", "NOPE"), "No organisation"),
    (("--organisation", "CRA", "--all"), "exclude each other"),
])
def test_bad_arguments_are_refused(orgs, args, message):
    with pytest.raises(CommandError, match=message):
        rotate(*args)


def test_kek_rotation_re_wraps_every_data_key(orgs, people, settings):
    old_kek = settings.LINDUNGI_KEK
    settings.LINDUNGI_KEK, settings.LINDUNGI_KEK_PREVIOUS = NEW_KEK, old_kek
    keys.forget_cached_keys()
    output = rotate("--all", "--rewrap-only")
    assert "re-wrapped" in output
    assert set(DataKey.objects.values_list("kek_id", flat=True)) == {keys.kek_id(NEW_KEK)}
    settings.LINDUNGI_KEK_PREVIOUS = None  # the old KEK is gone for good
    assert_everything_readable_and_searchable(orgs)
    assert AuditEvent.objects.filter(action="crypto.kek.rewrapped").exists()


def test_without_the_previous_kek_nothing_can_be_read_or_re_wrapped(orgs, people, settings):
    settings.LINDUNGI_KEK = NEW_KEK
    keys.forget_cached_keys()
    with pytest.raises(cipher.DecryptionError):
        _ = Person.objects.first().full_name
    with pytest.raises(CommandError, match="LINDUNGI_KEK_PREVIOUS"):
        rotate("--all", "--rewrap-only")


def test_shredding_an_organisation_makes_its_data_unreadable_and_it_never_gets_a_key_again(orgs, people):
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("shred_organisation", orgs.a.code, "--confirm", "WRONG", stdout=out)
    with pytest.raises(CommandError, match="deactivate it first"):  # its users could still be signed in
        call_command("shred_organisation", orgs.a.code, "--confirm", orgs.a.code, stdout=out)
    assert DataKey.objects.filter(organisation=orgs.a).exists()
    orgs.a.is_active = False
    orgs.a.save(update_fields=["is_active"])
    call_command("shred_organisation", orgs.a.code, "--confirm", orgs.a.code.lower(), stdout=out)
    assert not DataKey.objects.filter(organisation=orgs.a).exists()
    with pytest.raises(cipher.DecryptionError):
        _ = Person.objects.filter(organisation=orgs.a).first().full_name
    assert Person.objects.filter(organisation=orgs.b).get().full_name == "Siti Nurhaliza 5"
    assert AuditEvent.objects.filter(action="crypto.organisation.shredded", organisation_id=orgs.a.pk).exists()
    orgs.a.refresh_from_db()
    assert orgs.a.shredded_at is not None
    keys.forget_cached_keys()
    with pytest.raises(keys.Shredded), transaction.atomic():  # before, the next write made it a new key
        Person.objects.create(organisation=orgs.a, full_name="Nama Baru")
    assert not DataKey.objects.filter(organisation=orgs.a).exists()


def test_files_are_re_encrypted_through_the_model_hook(orgs, people, monkeypatch):
    store = {"file": cipher.encrypt_blob(orgs.a.pk, "test|1", b"fictional file")}
    calls = []

    def rotate_encrypted_blobs(*, organisation_id, stale_key_ids, batch_size, log):
        calls.append((organisation_id, stale_key_ids))
        if cipher.blob_key_id(store["file"]) in stale_key_ids:
            store["file"] = cipher.encrypt_blob(organisation_id, "test|1", cipher.decrypt_blob(organisation_id, "test|1", store["file"]))
            return rotation.FileRotation(checked=1, rewritten=1)
        return rotation.FileRotation(checked=1)

    monkeypatch.setattr(Contact, "rotate_encrypted_blobs", staticmethod(rotate_encrypted_blobs), raising=False)
    rotate("--organisation", orgs.a.code)
    assert calls == [(orgs.a.pk, [1])]
    assert cipher.blob_key_id(store["file"]) == 2
    assert cipher.decrypt_blob(orgs.a.pk, "test|1", store["file"]) == b"fictional file"


def test_every_model_with_encrypted_files_re_encrypts_them_on_rotation():
    from django.apps import apps

    with_files = [m for m in apps.get_models() if isinstance(getattr(m, "blob_context", None), property)]
    assert {m._meta.label for m in with_files} >= {"cases.Attachment", "programs.ActivityFile"}
    assert [m._meta.label for m in with_files if not callable(getattr(m, "rotate_encrypted_blobs", None))] == []
