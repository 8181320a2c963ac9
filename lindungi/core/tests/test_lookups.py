"""`__any_of` answers as `__in`; on PostgreSQL the values travel as one array parameter."""

import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lindungi.cases.models import Case


@pytest.fixture
def events(world):
    """Records with UUID keys: the cases of the test world."""
    found = list(Case.objects.order_by("pk"))
    assert len(found) >= 4
    return found


def _ids(queryset):
    return sorted(str(pk) for pk in queryset.values_list("pk", flat=True))


def test_it_finds_what_in_finds(events):
    chosen = [events[0].pk, events[3].pk, uuid.uuid4(), None, events[3].pk]
    base = Case.objects.all()
    assert _ids(base.filter(pk__any_of=chosen)) == _ids(base.filter(pk__in=chosen)) == sorted(
        str(e.pk) for e in (events[0], events[3]))
    assert _ids(base.exclude(pk__any_of=chosen)) == _ids(base.exclude(pk__in=chosen))
    assert _ids(base.filter(pk__any_of=set(chosen[:2]))) == _ids(base.filter(pk__in=chosen[:2]))


def test_nothing_or_only_null_matches_nothing(events):
    base = Case.objects.all()
    assert not base.filter(pk__any_of=[]).exists()
    assert not base.filter(pk__any_of=[None]).exists()
    assert base.filter(pk__any_of=[]) | base.filter(pk=events[1].pk)


def test_on_postgresql_the_ids_are_one_array_parameter(events):
    ids = [e.pk for e in events]
    with CaptureQueriesContext(connection) as queries:
        assert Case.objects.filter(pk__any_of=ids).count() == len(ids)
    sql = queries.captured_queries[-1]["sql"]
    if connection.vendor == "postgresql":
        assert "= ANY(" in sql and " IN (" not in sql
    else:
        assert " IN (" in sql
