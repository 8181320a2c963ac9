from __future__ import annotations

import os
import time
import uuid

from django.db import models
from django.db.models import Q


def uuid7() -> uuid.UUID:
    """A time-ordered UUID (RFC 9562 version 7): random enough to hide counts, ordered enough that
    primary-key indexes are appended to instead of split at random places."""
    millis = time.time_ns() // 1_000_000
    rand = int.from_bytes(os.urandom(10), "big")
    value = (millis & ((1 << 48) - 1)) << 80
    value |= 0x7 << 76
    value |= ((rand >> 62) & 0xFFF) << 64
    value |= 0b10 << 62
    value |= rand & ((1 << 62) - 1)
    return uuid.UUID(int=value)


class EncryptedRecord(models.Model):
    """Base for models with encrypted fields: the primary key exists before the first save,
    because it is part of every ciphertext's associated data.

    `save(update_fields=[...])` is widened where encryption needs it: a blind index is saved with
    its sources, and a record that changed organisation re-encrypts all its encrypted fields.
    """

    id = models.UUIDField(primary_key=True, default=uuid7, editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        from lindungi.crypto.fields import prepare_save, reset_origin

        update_fields = prepare_save(self, kwargs.get("update_fields"))
        if update_fields is not None:
            kwargs["update_fields"] = update_fields
        super().save(*args, **kwargs)
        reset_origin(self)

    save.alters_data = True


class DataKey(models.Model):
    """A data-encryption key, stored only wrapped by the key-encryption key (KEK).

    One per organisation is active; older ones stay until `rotate_keys` has re-encrypted every row.
    The row with no organisation is the network key, used only for the network-wide matching
    index (duplicate detection and de-duplicated statistics across organisations): a deliberate,
    documented choice, see docs/security.md.
    """

    organisation = models.ForeignKey(
        "accounts.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="data_keys"
    )
    key_id = models.PositiveIntegerField()
    wrapped = models.BinaryField()
    kek_id = models.CharField(max_length=16)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "key_id"], name="datakey_unique_id_per_org"),
            models.UniqueConstraint(
                fields=["organisation"], condition=Q(is_active=True), name="datakey_one_active_per_org"
            ),
            models.UniqueConstraint(
                fields=["key_id"], condition=Q(organisation__isnull=True), name="datakey_unique_network_id"
            ),
            models.UniqueConstraint(
                fields=["is_active"], condition=Q(organisation__isnull=True, is_active=True),
                name="datakey_one_active_network",
            ),
        ]

    def __str__(self):
        return f"DataKey(org={self.organisation_id}, id={self.key_id}, active={self.is_active})"
