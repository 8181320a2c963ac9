"""The programs rows of the permission matrix, on a world with only this app's objects (the full
matrix in core/tests runs them too, with every app's builders)."""

import json

import pytest
from django.db import transaction
from django.test import Client

from lindungi.core.testing.matrix import PERSONAS
from lindungi.core.testing.world import build_world
from lindungi.programs.tests import matrix


class _Rollback(Exception):
    pass


@pytest.fixture
def programs_world(db):
    world = build_world()
    matrix.build(world)
    return world


@pytest.mark.parametrize("row", matrix.ROWS, ids=[row.id for row in matrix.ROWS])
def test_programs_route_answers_each_persona_as_expected(row, programs_world):
    failures = []
    for persona in PERSONAS:
        client = Client()
        if persona != "anonymous":
            client.force_login(programs_world.users[persona])
        kwargs = {}
        if row.data is not None:
            body = row.data(programs_world)
            kwargs = {"data": json.dumps(body), "content_type": "application/json"} if row.api else {"data": body}
        try:
            with transaction.atomic():
                response = getattr(client, row.method.lower())(row.resolve_url(programs_world), **kwargs)
                raise _Rollback
        except _Rollback:
            pass
        expected = row.status_for(persona)
        if response.status_code != expected:
            detail = ""
            if response.status_code == 400 and row.api:
                detail = response.content.decode()[:200]
            failures.append(f"{persona}: expected {expected}, got {response.status_code} {detail}")
    assert not failures, f"{row.method} {row.route}:\n" + "\n".join(failures)
