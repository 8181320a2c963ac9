"""Test-only models (installed by `lindungi.settings.test` only): every kind of encrypted field
and blind index, with obviously fictional data in the tests."""

from django.db import models

from lindungi.crypto.fields import BlindIndexField, EncryptedDateField, EncryptedJSONField, EncryptedTextField
from lindungi.crypto.models import EncryptedRecord


class Person(EncryptedRecord):
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    full_name = EncryptedTextField(max_chars=100)
    nik = EncryptedTextField(max_chars=16, blank=True)
    birth_date = EncryptedDateField(null=True, blank=True)
    notes = EncryptedTextField(blank=True)
    details = EncryptedJSONField(default=dict, blank=True)
    sex = models.CharField(max_length=1, blank=True)  # not identifying on its own: plain
    name_index = BlindIndexField(sources=["full_name"], transform="lindungi.crypto.normalise.name")
    nik_index = BlindIndexField(sources=["nik"], transform="lindungi.crypto.normalise.digits", bits=32)
    name_year_index = BlindIndexField(
        sources=["full_name", "birth_date"], transform="lindungi.crypto.normalise.name_and_birth_year"
    )
    match_index = BlindIndexField(
        sources=["full_name", "birth_date"], transform="lindungi.crypto.normalise.name_and_birth_year",
        network=True, bits=32,
    )


class Contact(EncryptedRecord):
    """A model whose organisation field has another name."""

    owner = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    phone = EncryptedTextField(max_chars=30, organisation_field="owner")
    phone_index = BlindIndexField(sources=["phone"], transform="lindungi.crypto.normalise.digits",
                                  organisation_field="owner")
