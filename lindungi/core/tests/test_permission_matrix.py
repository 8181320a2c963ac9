"""Every route × method × persona → the expected status (SECURITY.md, "How we test it")."""

import json

import pytest
from django.db import transaction
from django.test import Client

from lindungi.core.testing.matrix import PERSONAS, all_route_names, all_rows

ROWS = all_rows()


def test_every_named_route_has_an_expectation():
    covered = {row.route for row in ROWS}
    missing = sorted(all_route_names() - covered)
    assert not missing, f"Routes without a permission-matrix row: {missing}"


def test_every_row_names_an_existing_route():
    unknown = sorted({row.route for row in ROWS} - all_route_names())
    assert not unknown, f"Matrix rows for routes that do not exist: {unknown}"


def test_every_row_has_an_expectation_for_every_persona():
    for row in ROWS:
        for persona in PERSONAS:
            row.status_for(persona)  # raises KeyError when missing


class _Rollback(Exception):
    pass


@pytest.fixture(scope="module")
def matrix_world(django_db_setup, django_db_blocker):
    """One world for all rows (per worker), built in a transaction that is rolled back at the end:
    building it per row would dominate the suite's time. Each request runs in its own savepoint."""
    from lindungi.core.testing.matrix import builders
    from lindungi.core.testing.world import build_world

    with django_db_blocker.unblock():
        try:
            with transaction.atomic():
                world = build_world()
                for build in builders():
                    build(world)
                yield world
                raise _Rollback
        except _Rollback:
            pass


@pytest.mark.django_db
@pytest.mark.parametrize("row", ROWS, ids=[row.id for row in ROWS])
def test_route_answers_each_persona_as_expected(row, matrix_world):
    world = matrix_world
    failures = []
    for persona in PERSONAS:
        user = None if persona == "anonymous" else world.users[persona]
        client = Client()
        if user is not None:
            client.force_login(user)
        url = row.resolve_url(world)
        kwargs = {}
        if row.data is not None:
            body = row.data(world)
            if row.api:
                kwargs = {"data": json.dumps(body), "content_type": "application/json"}
            else:
                kwargs = {"data": body}
        elif row.api and row.method in ("POST", "PUT", "PATCH"):
            kwargs = {"data": "{}", "content_type": "application/json"}
        headers = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in row.headers.items()}
        # Each persona's request runs in a savepoint that is rolled back: the world stays the same.
        try:
            with transaction.atomic():
                response = getattr(client, row.method.lower())(url, **kwargs, **headers)
                raise _Rollback
        except _Rollback:
            pass
        expected = row.status_for(persona)
        if response.status_code != expected:
            failures.append(f"{persona}: expected {expected}, got {response.status_code}")
    assert not failures, f"{row.method} {row.route}:\n" + "\n".join(failures)
