import pytest
from django.db import transaction

from lindungi.crypto import keys
from lindungi.crypto.models import DataKey
from lindungi.crypto.tests.testapp.models import Person

OTHER_KEK = b"other-kek-0123456789abcdef012345"  # 32 bytes, obviously fake


def test_a_data_key_is_stored_only_wrapped(orgs):
    material = keys.active(orgs.a.pk)
    row = DataKey.objects.get(organisation=orgs.a, key_id=material.key_id)
    assert material.dek not in bytes(row.wrapped)
    assert row.kek_id == keys.kek_id(keys.current_kek())
    assert material.dek.hex() not in repr(material)


def test_the_network_key_is_separate_from_organisation_keys(orgs):
    assert keys.active(keys.NETWORK).dek != keys.active(orgs.a.pk).dek
    assert DataKey.objects.filter(organisation__isnull=True, is_active=True).count() == 1


def test_a_wrong_kek_cannot_unwrap(orgs, settings):
    keys.active(orgs.a.pk)
    keys.forget_cached_keys()
    settings.LINDUNGI_KEK = OTHER_KEK
    with pytest.raises(keys.KeyError_, match="not configured"):
        keys.active(orgs.a.pk)


def test_the_previous_kek_still_unwraps_during_kek_rotation(orgs, settings):
    original = keys.active(orgs.a.pk).dek
    keys.forget_cached_keys()
    settings.LINDUNGI_KEK_PREVIOUS, settings.LINDUNGI_KEK = settings.LINDUNGI_KEK, OTHER_KEK
    assert keys.active(orgs.a.pk).dek == original


def test_a_key_created_in_a_rolled_back_transaction_is_not_reused(orgs):
    """Otherwise the cached key would encrypt rows that no process can read after a restart."""

    class Boom(Exception):
        pass

    with pytest.raises(Boom), transaction.atomic():
        Person.objects.create(organisation=orgs.b, full_name="Rolled Back Fiktif")
        raise Boom
    assert not DataKey.objects.filter(organisation=orgs.b).exists()
    person = Person.objects.create(organisation=orgs.b, full_name="Kept Fiktif")
    keys.forget_cached_keys()  # as a fresh process would
    assert Person.objects.get(pk=person.pk).full_name == "Kept Fiktif"


def test_searchable_keys_do_not_create_a_key(orgs):
    assert keys.searchable(orgs.b.pk) == []
    assert not DataKey.objects.filter(organisation=orgs.b).exists()
