import pytest

from lindungi.core.testing.world import build_world
from lindungi.programs.tests import matrix


@pytest.fixture
def pw(db):
    """The personas plus this app's objects only (see matrix.build)."""
    world = build_world()
    matrix.build(world)
    return world
