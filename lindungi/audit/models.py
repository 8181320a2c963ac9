from __future__ import annotations

from django.db import models
from django.db.models import Q

from lindungi.core.policy import Scope


class AuditEvent(models.Model):
    """One link of the hash chain. Append-only: database triggers refuse UPDATE and DELETE.

    `seq` is assigned by the appender (gapless, under a lock), so a missing or reordered row is a
    break in the chain. The payload holds ids and field names, never plaintext personal data.
    """

    seq = models.BigIntegerField(primary_key=True)
    at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", null=True, blank=True, on_delete=models.DO_NOTHING, db_constraint=False,
        related_name="+",
    )
    action = models.CharField(max_length=100)
    object_type = models.CharField(max_length=100, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    request_id = models.CharField(max_length=32, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    payload = models.JSONField(default=dict)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["-seq"]
        indexes = [
            # The administrator's trail: one organisation, newest first, optionally one action.
            models.Index(fields=["organisation", "-seq"], name="audit_org_seq"),
            # "Who accessed this case?": all events on one object.
            models.Index(fields=["object_type", "object_id"], name="audit_object"),
        ]

    def __str__(self):
        return f"#{self.seq} {self.action}"

    @classmethod
    def policy_q(cls, user, scope):
        if scope == Scope.ORGANISATION:
            return Q(organisation_id=user.organisation_id)
        return None


class AuditCheckpoint(models.Model):
    """A signed statement "the chain had `hash` at `seq`", made with an Ed25519 key that lives
    outside the database. Truncating the chain below a checkpoint, or rewriting history before
    it, can no longer go unnoticed. Append-only like the events."""

    seq = models.BigIntegerField(primary_key=True)
    hash = models.CharField(max_length=64)
    signed_at = models.DateTimeField()
    public_key = models.CharField(max_length=64)
    signature = models.CharField(max_length=128)

    class Meta:
        ordering = ["-seq"]

    def __str__(self):
        return f"checkpoint #{self.seq}"
