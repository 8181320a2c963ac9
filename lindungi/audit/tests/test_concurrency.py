"""Appends from several connections at once keep one valid chain (advisory lock on PostgreSQL)."""

import threading

import pytest
from django.db import connection, connections, transaction

from lindungi.audit import verify
from lindungi.audit.models import AuditEvent
from lindungi.audit.services import record

THREADS = 6
EACH = 15


@pytest.mark.django_db(transaction=True)
def test_concurrent_appends_keep_a_valid_chain(settings):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has a single writer by design (IMMEDIATE transactions); the race needs PostgreSQL.")
    settings.LINDUNGI_AUDIT_CHECKPOINT_EVERY = 10
    start = threading.Barrier(THREADS)
    errors = []

    def append(worker):
        try:
            start.wait()
            for i in range(EACH):
                # Each event in its own transaction, with a little work inside, as services do.
                with transaction.atomic():
                    record("test.concurrent.append", payload={"worker": worker, "i": i})
                    AuditEvent.objects.filter(seq__gt=0).exists()
        except Exception as exc:  # reported below: a thread's failure must fail the test
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=append, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert not errors, errors
    assert list(AuditEvent.objects.order_by("seq").values_list("seq", flat=True)) == list(range(1, THREADS * EACH + 1))
    report = verify.verify()
    assert report.ok, report.problems
    assert report.checkpoints == THREADS * EACH // 10


@pytest.mark.django_db(transaction=True)
def test_without_the_lock_two_appenders_collide(monkeypatch):
    """The test above can fail: without the lock, two appenders that read the same head fork the chain
    (here forced deterministically: no lock, and both wait for each other after reading the head,
    before either inserts; waiting where the lock would be taken still let a fast appender commit
    before a slow one had read the head)."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only.")
    from lindungi.audit import chain, services

    both_read_the_head = threading.Barrier(2, timeout=10)
    event_hash = chain.event_hash

    def hash_after_both_read(*args, **kwargs):
        both_read_the_head.wait()
        return event_hash(*args, **kwargs)

    monkeypatch.setattr(services, "_lock_chain", lambda: None)
    monkeypatch.setattr(chain, "event_hash", hash_after_both_read)
    errors = []

    def append(worker):
        try:
            with transaction.atomic():
                record("test.concurrent.append", payload={"worker": worker})
        except Exception as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=append, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(errors) == 1  # the second insert of the same seq is refused by the primary key
    assert AuditEvent.objects.count() == 1
