"""Verification of the audit chain (used by `verify_audit` and by tests).

What is checked, in order:
1. every checkpoint's Ed25519 signature, against the configured signing key's public key (and any
   older public keys the operator trusts); the `public_key` column is ignored, since whoever can
   write the table can write that column too;
2. the chain, streamed in `seq` order: no gap, each `prev_hash` is the previous row's hash, each
   hash is recomputed from the row's content;
3. each checkpoint's `hash` equals the hash of the row at its `seq` (catches a rewrite that also
   recomputed every later hash);
4. the newest checkpoint's `seq` still exists (catches truncation of the tail).
Rows after the newest checkpoint are protected by the chain only: deleting them leaves no trace
here, which is why `audit_checkpoint` runs often and its output is kept outside the database.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from lindungi.audit import chain
from lindungi.audit.models import AuditCheckpoint, AuditEvent

_ROW_FIELDS = ("seq", "at", "actor_id", "organisation_id", "action", "object_type", "object_id", "request_id",
               "ip", "payload", "prev_hash", "hash")


@dataclass
class Problem:
    seq: int
    message: str

    def __str__(self):
        return f"#{self.seq}: {self.message}"


@dataclass
class Report:
    events: int = 0
    first_seq: int | None = None
    last_seq: int | None = None
    head_hash: str | None = None
    checkpoints: int = 0
    started_at_checkpoint: int | None = None
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def first_problem(self) -> Problem | None:
        return min(self.problems, key=lambda p: p.seq) if self.problems else None


def trusted_public_keys(extra_hex: list[str] | tuple[str, ...] = ()) -> list[Ed25519PublicKey]:
    found = [chain.signing_key().public_key()]
    for text in extra_hex:
        found.append(Ed25519PublicKey.from_public_bytes(bytes.fromhex(text.strip())))
    return found


def signature_valid(checkpoint: AuditCheckpoint, public_keys: list[Ed25519PublicKey]) -> bool:
    try:
        signature = bytes.fromhex(checkpoint.signature)
    except ValueError:
        return False
    message = chain.checkpoint_message(checkpoint.seq, checkpoint.hash)
    for key in public_keys:
        try:
            key.verify(signature, message)
            return True
        except InvalidSignature:
            continue
    return False


class _Row:
    """A light stand-in for AuditEvent, for chain.event_fields (no model instances: fast)."""

    __slots__ = _ROW_FIELDS

    def __init__(self, values):
        for name, value in zip(_ROW_FIELDS, values, strict=True):
            setattr(self, name, value)


def verify(*, from_checkpoint: bool = False, extra_public_keys=(), chunk_size: int = 5000,
           progress: Callable[[int], None] | None = None) -> Report:
    report = Report()
    public_keys = trusted_public_keys(extra_public_keys)

    # 1. signatures
    valid: dict[int, str] = {}
    for checkpoint in AuditCheckpoint.objects.order_by("seq").iterator(chunk_size=chunk_size):
        report.checkpoints += 1
        if signature_valid(checkpoint, public_keys):
            valid[checkpoint.seq] = checkpoint.hash
        else:
            report.problems.append(Problem(checkpoint.seq, "checkpoint signature is not valid (forged or altered)"))

    # Where to start: the newest checkpoint whose row still has the signed hash.
    start_seq, expected_prev = 1, chain.GENESIS
    if from_checkpoint and valid:
        for seq in sorted(valid, reverse=True):
            row_hash = AuditEvent.objects.filter(seq=seq).values_list("hash", flat=True).first()
            if row_hash == valid[seq]:
                start_seq = seq
                report.started_at_checkpoint = seq
                break
        if report.started_at_checkpoint is not None:
            # The row's own link is taken on trust: its hash, which covers the link, is the signed one.
            expected_prev = AuditEvent.objects.filter(seq=start_seq).values_list("prev_hash", flat=True).get()

    # 2./3. the chain
    expected_seq = start_seq
    running = expected_prev
    broken = False
    rows = AuditEvent.objects.filter(seq__gte=start_seq).order_by("seq").values_list(*_ROW_FIELDS)
    for values in rows.iterator(chunk_size=chunk_size):
        row = _Row(values)
        if report.first_seq is None:
            report.first_seq = row.seq
        problem = None
        if row.seq != expected_seq:
            problem = Problem(expected_seq, f"event missing (the next one is #{row.seq}): deleted or renumbered")
        elif row.prev_hash != running:
            problem = Problem(row.seq, "link to the previous event is broken (reordered, inserted or deleted)")
        elif chain.event_hash(running, chain.event_fields(row)) != row.hash:
            problem = Problem(row.seq, "content does not match its hash (edited)")
        elif row.seq in valid and valid[row.seq] != row.hash:
            problem = Problem(row.seq, "differs from the signed checkpoint (history rewritten)")
        if problem is not None:
            report.problems.append(problem)
            broken = True
            break
        running = row.hash
        report.events += 1
        report.last_seq = row.seq
        report.head_hash = row.hash
        expected_seq += 1
        if progress is not None and report.events % 100_000 == 0:
            progress(report.events)

    # 4. truncation: a signed checkpoint beyond the end of an otherwise intact chain
    if not broken and valid and max(valid) > (report.last_seq or 0):
        ends = f"#{report.last_seq}" if report.last_seq is not None else "no event at all"
        report.problems.append(Problem(
            (report.last_seq or 0) + 1,
            f"events missing at the end: checkpoint #{max(valid)} is signed but the chain ends at {ends} (truncated)",
        ))
    return report
