"""The incidents and legal rows of the permission matrix, on a world with only these apps' objects
(the full matrix in core/tests runs them too, with every app's builders)."""

import json

import pytest
from django.db import transaction
from django.test import Client

from lindungi.core.testing.matrix import PERSONAS
from lindungi.core.testing.world import build_world
from lindungi.incidents.tests import matrix as incidents_matrix
from lindungi.legal.tests import matrix as legal_matrix

ROWS = incidents_matrix.ROWS + legal_matrix.ROWS
# The marker makes pytest-django set up the test database (a module-scoped fixture alone does not:
# it would then write to the development database).
pytestmark = pytest.mark.django_db


class _Rollback(Exception):
    pass


@pytest.fixture(scope="module")
def legal_world(django_db_setup, django_db_blocker):
    """Built once for the module in a transaction rolled back at the end; each request runs in
    its own savepoint, so the rows cannot affect each other."""
    with django_db_blocker.unblock():
        try:
            with transaction.atomic():
                world = build_world()
                incidents_matrix.build(world)
                legal_matrix.build(world)
                yield world
                raise _Rollback
        except _Rollback:
            pass


@pytest.mark.parametrize("row", ROWS, ids=[row.id for row in ROWS])
def test_incidents_and_legal_routes_answer_each_persona_as_expected(row, legal_world, django_db_blocker):
    failures = []
    with django_db_blocker.unblock():
        for persona in PERSONAS:
            client = Client()
            if persona != "anonymous":
                client.force_login(legal_world.users[persona])
            kwargs = {}
            if row.data is not None:
                body = row.data(legal_world)
                kwargs = ({"data": json.dumps(body), "content_type": "application/json"} if row.api
                          else {"data": body})
            elif row.api and row.method in ("POST", "PUT", "PATCH"):
                kwargs = {"data": "{}", "content_type": "application/json"}
            try:
                with transaction.atomic():
                    response = getattr(client, row.method.lower())(row.resolve_url(legal_world), **kwargs)
                    raise _Rollback
            except _Rollback:
                pass
            expected = row.status_for(persona)
            if response.status_code != expected:
                detail = response.content.decode()[:300] if response.status_code in (400, 409) else ""
                failures.append(f"{persona}: expected {expected}, got {response.status_code} {detail}")
    assert not failures, f"{row.method} {row.route}:\n" + "\n".join(failures)
