import datetime

import pytest

from lindungi.synthetic import generator

AS_OF = datetime.date(2026, 6, 30)


@pytest.fixture(autouse=True)
def _cache_keys_as_in_production(monkeypatch):
    """Data keys created inside a test's transaction are not cached (by design: a rollback would
    leave a cached key nobody can read). Every test here rolls back as a whole and the key cache is
    emptied after each test (root conftest), so caching them is safe, and it is what a real run
    does; without it every encrypted value would load and unwrap its key again."""
    from lindungi.crypto import keys

    monkeypatch.setattr(keys, "_may_cache", lambda org_id: True)


@pytest.fixture
def generated(db):
    """A small synthetic network (300 cases), every row validated."""
    return generator.generate(generator.Options(cases=300, seed=3, as_of=AS_OF, batch=120, validate="all"))
