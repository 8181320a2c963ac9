"""Attachments, shares and transfers, and the case timeline."""

from __future__ import annotations

import contextvars
from contextlib import contextmanager

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lindungi.cases.models.case import Case
from lindungi.cases.models.choices import AttachmentKind, ShareKind, ShareStatus
from lindungi.cases.models.common import ORG, USER
from lindungi.core.policy import Scope
from lindungi.crypto.fields import EncryptedTextField
from lindungi.crypto.models import EncryptedRecord


class Attachment(EncryptedRecord):
    """An encrypted file: the bytes are sealed with `crypto.cipher.encrypt_blob` under the
    organisation's key (bound to this row), stored under a server-generated name; the content type
    is detected from the bytes, never taken from the upload."""

    organisation = models.ForeignKey(ORG, on_delete=models.PROTECT, related_name="+", db_index=False)
    # Its own index serves the case page's attachments.
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField(_("kind"), max_length=16, choices=AttachmentKind.choices)
    title = EncryptedTextField(_("title"), max_chars=200)
    content_type = models.CharField(max_length=100, editable=False)
    size = models.PositiveIntegerField(editable=False)
    storage_name = models.CharField(max_length=200, editable=False, unique=True)
    uploaded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", db_index=False)
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-uploaded_at"]

    def __str__(self):
        return self.get_kind_display()

    @property
    def blob_context(self) -> str:
        return f"cases.attachment|{self.pk}"

    @classmethod
    def rotate_encrypted_blobs(cls, **rotation):
        from lindungi.crypto.rotation import reencrypt_files

        return reencrypt_files(cls, name_field="storage_name", **rotation)


# Active shares read inside `CaseShareQuerySet.read_once()`: receiving organisation id -> pairs.
_share_reads: contextvars.ContextVar[dict | None] = contextvars.ContextVar("lindungi_share_reads", default=None)


class CaseShareQuerySet(models.QuerySet):
    def active(self):
        """Shares that give access now: accepted (or, for a transfer, approved and awaiting the
        receiving organisation, which must see the case to decide), not revoked, not expired."""
        now = timezone.now()
        return self.filter(
            Q(kind=ShareKind.SHARE, status=ShareStatus.ACCEPTED)
            | Q(kind=ShareKind.TRANSFER, status=ShareStatus.APPROVED),
            revoked_at__isnull=True,
        ).filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))

    def shared_with(self, organisation_id) -> list[tuple]:
        """(case id, sending organisation id) of every active share to `organisation_id`. Inside
        `read_once()` the answer is read once per organisation and reused."""
        reads = _share_reads.get()
        if reads is not None and organisation_id in reads:
            return reads[organisation_id]
        pairs = _read_active_shares(self.db, organisation_id)
        if reads is not None:
            reads[organisation_id] = pairs
        return pairs

    def case_ids_shared_with(self, organisation_id) -> list:
        """The ids of the cases an active share opens to `organisation_id`, read once so that the
        scopes of cases, incidents and legal cases filter on a list instead of a correlated EXISTS."""
        return [case_id for case_id, _sender in self.shared_with(organisation_id)]

    def organisation_ids_sharing_with(self, organisation_id) -> set:
        """The organisations whose cases an active share opens to `organisation_id`."""
        return {sender for _case_id, sender in self.shared_with(organisation_id)}

    @contextmanager
    def read_once(self):
        """Within the block, active shares are read once per receiving organisation: a selector
        that needs them twice (the SHARED scope and the organisations whose blind indexes a search
        tries) asks the database once. Only for reads: the block must not change shares, and it
        ends with the selector call, so it cannot outlive a change made by a later service call."""
        if _share_reads.get() is not None:  # nested: the outer block's reads serve
            yield
            return
        token = _share_reads.set({})
        try:
            yield
        finally:
            _share_reads.reset(token)


def _read_active_shares(alias: str, organisation_id) -> list[tuple]:
    """`CaseShare.objects.active().filter(to_organisation_id=...)`'s (case id, sender) pairs, in
    hand-written SQL: every scoped list and page of cases, incidents and legal cases reads them, and
    building that query through the ORM cost three times what running it does. A test holds the
    condition equal to `active()` for every kind, status, revocation and expiry."""
    case_id = CaseShare._meta.get_field("case").target_field
    return [(case_id.to_python(case), sender)
            for case, sender in _active_share_rows(alias, organisation_id, "case_id, organisation_id")]


def _active_share_rows(alias: str, organisation_id, columns: str) -> list[tuple]:
    from django.db import connections

    connection = connections[alias]
    table = connection.ops.quote_name(CaseShare._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {columns} FROM {table} WHERE to_organisation_id = %s "  # noqa: S608 (our table and columns)
            "AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > %s) "
            "AND ((kind = %s AND status = %s) OR (kind = %s AND status = %s))",
            [organisation_id, connection.ops.adapt_datetimefield_value(timezone.now()),
             ShareKind.SHARE.value, ShareStatus.ACCEPTED.value, ShareKind.TRANSFER.value, ShareStatus.APPROVED.value])
        return cursor.fetchall()


class CaseShare(EncryptedRecord):
    """A share (time-limited read access) or a transfer of a case to another member organisation.

    Request (caseworker or supervisor) → approval by the sending supervisor, re-authenticated →
    acceptance by the receiving organisation. Needs the data-sharing consent."""

    # No index of its own: served by share_from_status_idx.
    organisation = models.ForeignKey(ORG, on_delete=models.PROTECT, related_name="+",
                                     db_index=False)  # the sender
    # No index of its own: served by share_case_to_status_idx.
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="shares", db_index=False)
    # No index of its own: served by share_to_status_idx.
    to_organisation = models.ForeignKey(ORG, verbose_name=_("to organisation"), on_delete=models.PROTECT,
                                        related_name="+", db_index=False)
    kind = models.CharField(_("kind"), max_length=8, choices=ShareKind.choices)
    status = models.CharField(_("status"), max_length=10, choices=ShareStatus.choices, default=ShareStatus.REQUESTED)
    reason = EncryptedTextField(_("reason"), max_chars=2000)
    expires_at = models.DateTimeField(_("access until"), null=True, blank=True)
    requested_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", db_index=False)
    requested_at = models.DateTimeField(default=timezone.now)
    approved_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+", db_index=False)
    approved_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+", db_index=False)
    answered_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                   db_index=False)
    revoked_at = models.DateTimeField(null=True, blank=True)
    comments = EncryptedTextField(_("comments"), max_chars=2000, blank=True)
    # For a completed transfer: the case number the receiving organisation gave.
    new_case_number = models.CharField(max_length=32, blank=True)

    objects = CaseShareQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at"]
        indexes = [
            # The shares of one case: the case page, the audit of a shared case's reading, a
            # pending request's check, and whether an incident's case is shared with me.
            models.Index(fields=["case", "to_organisation", "status"], name="share_case_to_status_idx"),
            # SHARED scope (the active shares to my organisation, read by every scoped list) and the
            # receiving supervisor's inbox of shares and transfers by status.
            models.Index(fields=["to_organisation", "status"], name="share_to_status_idx"),
            # Sending supervisor's inbox: requests awaiting approval.
            models.Index(fields=["organisation", "status"], name="share_from_status_idx"),
        ]

    def __str__(self):
        return self.get_kind_display()

    @property
    def is_active(self) -> bool:
        return CaseShare.objects.active().filter(pk=self.pk).exists()

    @classmethod
    def policy_q(cls, user, scope):
        # Both ends see the share itself: the sender (organisation) and the receiver.
        if scope == Scope.ORGANISATION:
            return Q(organisation_id=user.organisation_id) | Q(to_organisation_id=user.organisation_id)
        if scope == Scope.ASSIGNED:
            return Q(case__assigned_caseworker_id=user.pk)
        return None


class CaseEvent(EncryptedRecord):
    """The case's timeline: what happened, when, by whom. `data` holds codes and ids only (the
    page renders a translated sentence per kind); free text that goes with an event (the reason
    for re-opening, a supervisor's comments) is in the encrypted `note`."""

    organisation = models.ForeignKey(ORG, on_delete=models.PROTECT, related_name="+", db_index=False)
    # No index of its own: served by case_event_case_at_idx.
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events", db_index=False)
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                              db_index=False)
    kind = models.CharField(max_length=40)
    data = models.JSONField(default=dict, blank=True)
    note = EncryptedTextField(max_chars=2000, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            # The case page's timeline: one case, newest first.
            models.Index(fields=["case", "-at"], name="case_event_case_at_idx"),
        ]

    def __str__(self):
        return self.kind
