"""Paths that carry a secret reach the logs with a placeholder instead."""

import io
import logging

import pytest

from lindungi.core.logging import without_secrets

TOKEN = "s3cr3t-calendar-token"


@pytest.mark.parametrize(("path", "logged"), [
    (f"/legal/calendar/{TOKEN}.ics", "/legal/calendar/[token].ics"),
    ("/accounts/password/reset/key/1a-5x9-c0ffee123/", "/accounts/password/reset/key/[key]/"),
    ("/accounts/password/reset/key/1a-set-password/", "/accounts/password/reset/key/1a-set-password/"),
    ("/accounts/password/reset/key/done/", "/accounts/password/reset/key/done/"),
    ("/accounts/confirm-email/MQ:1tZ:abc/", "/accounts/confirm-email/[key]/"),
    ("/legal/calendar/", "/legal/calendar/"),
    ("/cases/0193a3b2-0000-7000-8000-000000000000/", "/cases/0193a3b2-0000-7000-8000-000000000000/"),
])
def test_secrets_in_paths_are_replaced(path, logged):
    assert without_secrets(f"Not Found: {path}") == f"Not Found: {logged}"


@pytest.mark.django_db
def test_django_logs_a_calendar_address_that_is_not_found_without_its_token(client):
    handler = next(h for h in logging.getLogger().handlers if h.get_name() == "console")
    written = io.StringIO()
    previous = handler.setStream(written)
    try:
        assert client.get(f"/legal/calendar/{TOKEN}.ics").status_code == 404
    finally:
        handler.setStream(previous)
    assert "Not Found: /legal/calendar/[token].ics" in written.getvalue()
    assert TOKEN not in written.getvalue()


@pytest.mark.parametrize("name", ["django.request", "django.server", "django.security.csrf", "lindungi.cases"])
def test_every_handler_a_record_reaches_masks_secret_paths(name):
    """Django's default handlers (its console while DEBUG is on, the development server's) wrote
    paths as they are; every handler on the way of these records must mask them."""
    from lindungi.core.logging import WithoutSecretPaths

    reached = []
    logger = logging.getLogger(name)
    while logger is not None:
        reached += logger.handlers
        logger = logger.parent if logger.propagate else None
    reached = [handler for handler in reached if not type(handler).__module__.startswith("_pytest")]  # pytest's capture
    assert reached
    assert all(any(isinstance(f, WithoutSecretPaths) for f in handler.filters) for handler in reached), reached
