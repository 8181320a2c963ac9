"""The hash chain, the signed checkpoints and `verify_audit`: every kind of tampering is found."""

import io

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.management import CommandError, call_command
from django.db import DatabaseError, IntegrityError, connection, transaction

from lindungi.audit import chain, verify
from lindungi.audit.models import AuditCheckpoint, AuditEvent
from lindungi.audit.services import record, record_many, write_checkpoint
from lindungi.core import request_context

T = AuditEvent._meta.db_table


@pytest.fixture
def trail(db, settings):
    """Twelve events, checkpoints signed at #5 and #10."""
    settings.LINDUNGI_AUDIT_CHECKPOINT_EVERY = 5
    for i in range(12):
        record(f"test.thing.done{i % 3}", obj=("test.thing", i), payload={"n": i, "fields": ["a", "b"]})
    return list(AuditEvent.objects.order_by("seq"))


def run_verify(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("verify_audit", *args, stdout=out, stderr=err)
    return out.getvalue() + err.getvalue()


def assert_detected(at_seq, *args):
    with pytest.raises(CommandError) as failure:
        run_verify(*args)
    assert f"first bad event is #{at_seq} " in str(failure.value), str(failure.value)
    return str(failure.value)


def test_events_form_a_chain(trail):
    assert [e.seq for e in trail] == list(range(1, 13))
    assert trail[0].prev_hash == chain.GENESIS
    for previous, event in zip(trail, trail[1:], strict=False):
        assert event.prev_hash == previous.hash
        assert event.hash == chain.event_hash(previous.hash, chain.event_fields(event))
    assert list(AuditCheckpoint.objects.order_by("seq").values_list("seq", flat=True)) == [5, 10]


def test_an_intact_trail_verifies(trail):
    output = run_verify()
    assert "Audit trail intact: events #1–#12 (12) verified, 2 checkpoint signature(s) valid" in output


def test_an_empty_trail_verifies(db):
    assert "empty" in run_verify()


def test_request_context_and_ipv6_addresses_verify(db):
    token = request_context.bind(request_context.RequestInfo("a" * 32, "2001:0db8:0000:0000:0000:0000:0000:0001"))
    try:
        event = record("test.thing.done", payload={"nested": {"b": [1, 2.5, None], "a": "ok"}})
    finally:
        request_context.reset(token)
    stored = AuditEvent.objects.get(seq=event.seq)
    assert stored.ip == "2001:db8::1" and stored.request_id == "a" * 32
    assert verify.verify().ok


def test_record_many_appends_in_one_step(db):
    events = record_many([{"action": "test.bulk.one"}, {"action": "test.bulk.two", "payload": {"i": 2}}])
    assert [e.seq for e in events] == [1, 2]
    assert verify.verify().ok


def test_an_edited_event_is_detected(trail, as_attacker):
    with as_attacker() as cursor:
        cursor.execute(f"UPDATE {T} SET payload = %s WHERE seq = 3", ['{"n": 999, "fields": ["a", "b"]}'])
    assert "edited" in assert_detected(3)


def test_an_edited_actor_or_time_is_detected(trail, as_attacker):
    with as_attacker() as cursor:
        cursor.execute(f"UPDATE {T} SET actor_id = 4242 WHERE seq = 7")
    assert_detected(7)


def test_an_edit_with_every_later_hash_recomputed_is_caught_by_the_checkpoint(trail, as_attacker):
    """The attacker knows the algorithm and rewrites the rest of the chain; the signature stops them."""
    events = list(AuditEvent.objects.order_by("seq"))
    events[2].payload = {"n": 999}
    prev = events[1].hash
    with as_attacker() as cursor:
        for event in events[2:]:
            event.prev_hash = prev
            event.hash = chain.event_hash(prev, chain.event_fields(event))
            prev = event.hash
            cursor.execute(f"UPDATE {T} SET payload = %s, prev_hash = %s, hash = %s WHERE seq = %s",
                           [chain.canonical(event.payload).decode(), event.prev_hash, event.hash, event.seq])
    message = assert_detected(5)
    assert "signed checkpoint" in message


def test_a_deleted_event_is_detected(trail, as_attacker):
    with as_attacker() as cursor:
        cursor.execute(f"DELETE FROM {T} WHERE seq = 6")
    assert "missing" in assert_detected(6)


def test_a_deletion_with_renumbering_is_detected(trail, as_attacker):
    with as_attacker() as cursor:
        cursor.execute(f"DELETE FROM {T} WHERE seq = 6")
        for seq in range(7, 13):
            cursor.execute(f"UPDATE {T} SET seq = %s WHERE seq = %s", [seq - 1, seq])
    assert_detected(6)


def test_reordered_events_are_detected(trail, as_attacker):
    """Swap the contents of #4 and #5 (everything but seq)."""
    columns = [f.column for f in AuditEvent._meta.concrete_fields if f.column != "seq"]
    with as_attacker() as cursor:
        cursor.execute(f"SELECT {', '.join(columns)} FROM {T} WHERE seq IN (4, 5) ORDER BY seq")
        four, five = cursor.fetchall()
        assignments = ", ".join(f"{c} = %s" for c in columns)
        cursor.execute(f"UPDATE {T} SET {assignments} WHERE seq = 4", list(five))
        cursor.execute(f"UPDATE {T} SET {assignments} WHERE seq = 5", list(four))
    assert_detected(4)


def test_a_truncated_tail_is_detected(trail, as_attacker):
    with as_attacker() as cursor:
        cursor.execute(f"DELETE FROM {T} WHERE seq >= 8")
    message = assert_detected(8)
    assert "checkpoint #10 is signed but the chain ends at #7" in message


def test_a_checkpoint_taken_now_protects_the_tail(trail, as_attacker):
    call_command("audit_checkpoint", stdout=io.StringIO())
    with as_attacker() as cursor:
        cursor.execute(f"DELETE FROM {T} WHERE seq >= 11")
    assert_detected(11)


def test_a_forged_checkpoint_is_detected(trail, as_attacker):
    forger = Ed25519PrivateKey.generate()
    head = AuditEvent.objects.get(seq=12)
    with as_attacker():
        AuditCheckpoint.objects.create(
            seq=12, hash=head.hash, signed_at=head.at, public_key=chain.public_key_hex(forger.public_key()),
            signature=forger.sign(chain.checkpoint_message(12, head.hash)).hex(),
        )
    assert "signature" in assert_detected(12)
    # An older key the operator explicitly trusts is accepted.
    assert "intact" in run_verify("--public-key", chain.public_key_hex(forger.public_key()))


def test_an_altered_checkpoint_is_detected(trail, as_attacker):
    with as_attacker() as cursor:
        cursor.execute("UPDATE audit_auditcheckpoint SET hash = %s WHERE seq = 10", ["f" * 64])
    assert "signature" in assert_detected(10)


def test_verifying_from_the_newest_checkpoint(trail, as_attacker):
    output = run_verify("--from-checkpoint")
    assert "Started at checkpoint #10" in output and "#10–#12 (3)" in output
    with as_attacker() as cursor:
        cursor.execute(f"UPDATE {T} SET action = 'test.forged' WHERE seq = 11")
    assert_detected(11, "--from-checkpoint")


def test_from_checkpoint_falls_back_to_an_older_one_that_still_matches(trail, as_attacker):
    with as_attacker() as cursor:
        cursor.execute(f"UPDATE {T} SET hash = %s WHERE seq = 10", ["0" * 64])
    report = verify.verify(from_checkpoint=True)
    assert report.started_at_checkpoint == 5
    assert report.first_problem.seq == 10


def test_verification_streams_in_chunks(trail):
    assert verify.verify(chunk_size=2).events == 12


# --- the triggers ------------------------------------------------------------------------------

@pytest.mark.parametrize("statement", [
    f"UPDATE {T} SET action = 'x' WHERE seq = 1",
    f"DELETE FROM {T} WHERE seq = 1",
    f"DELETE FROM {T}",
    "UPDATE audit_auditcheckpoint SET hash = 'x'",
    "DELETE FROM audit_auditcheckpoint",
])
def test_the_database_refuses_updates_and_deletes(trail, statement):
    with pytest.raises((IntegrityError, DatabaseError), match="append-only"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(statement)
    assert AuditEvent.objects.count() == 12


def test_the_orm_cannot_update_or_delete_either(trail):
    with pytest.raises((IntegrityError, DatabaseError)), transaction.atomic():
        AuditEvent.objects.filter(seq=1).update(action="x")
    with pytest.raises((IntegrityError, DatabaseError)), transaction.atomic():
        AuditEvent.objects.filter(seq=1).delete()
    with pytest.raises((IntegrityError, DatabaseError)), transaction.atomic():
        AuditCheckpoint.objects.all().delete()
    assert verify.verify().ok


def test_postgresql_refuses_truncate(trail):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no TRUNCATE statement.")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {T}")


def test_flush_is_refused_unless_allowed(trail, settings):
    settings.LINDUNGI_ALLOW_FLUSH = False
    with pytest.raises(CommandError, match="append-only"):
        call_command("flush", interactive=False, verbosity=0)
    assert AuditEvent.objects.count() == 12


def test_checkpoints_are_idempotent_and_signed_with_the_configured_key(trail):
    first = write_checkpoint()
    assert write_checkpoint().pk == first.pk == 12
    assert first.public_key == chain.public_key_hex()
    assert verify.signature_valid(first, verify.trusted_public_keys())


def test_audit_checkpoint_prints_a_line_to_keep_elsewhere(trail):
    out = io.StringIO()
    call_command("audit_checkpoint", stdout=out)
    assert out.getvalue().startswith("audit-checkpoint seq=12 hash=")


def test_audit_checkpoint_on_an_empty_trail(db):
    out = io.StringIO()
    call_command("audit_checkpoint", stdout=out)
    assert "empty" in out.getvalue()
