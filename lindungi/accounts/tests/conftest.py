import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _empty_cache():
    """Rate-limit counters and used TOTP codes live in the cache: each test starts without them."""
    cache.clear()
    yield
    cache.clear()
