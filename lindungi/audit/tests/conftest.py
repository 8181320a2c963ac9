import contextlib

import pytest
from django.db import connection

from lindungi.audit import triggers


@contextlib.contextmanager
def attacker():
    """Play someone with the database owner's rights: drop the append-only triggers for a moment."""
    triggers.uninstall(connection)
    try:
        yield connection.cursor()
    finally:
        triggers.install(connection)


@pytest.fixture
def as_attacker():
    return attacker
