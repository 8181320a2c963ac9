"""page_of_rows and RowPaginator: Django's pages (get_page's and page's), with rows built from
each page's slice, and no COUNT for a first page that holds the whole list."""

import pytest
from django.contrib.auth.models import Group
from django.core.paginator import InvalidPage, Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lindungi.core.pagination import RowPaginator, page_of_rows

pytestmark = pytest.mark.django_db


def _names(queryset):
    return [name.upper() for name in queryset.values_list("name", flat=True)]


@pytest.mark.parametrize("total", [0, 1, 4, 5, 6, 12])
@pytest.mark.parametrize("number", [None, "", "1", "2", "3", "9", "0", "-1", "x"])
def test_the_pages_are_django_s_pages(total, number):
    Group.objects.bulk_create([Group(name=f"group {i:02d}") for i in range(total)])
    queryset = Group.objects.order_by("name")
    expected = Paginator(queryset, 5).get_page(number)
    page = page_of_rows(Group.objects.order_by("name"), number, _names, 5)
    assert page.number == expected.number
    assert page.paginator.count == expected.paginator.count
    assert page.paginator.num_pages == expected.paginator.num_pages
    assert page.object_list == [group.name.upper() for group in expected.object_list]
    assert (page.has_next(), page.has_previous()) == (expected.has_next(), expected.has_previous())


@pytest.mark.parametrize(("total", "queries"), [(0, 1), (4, 1), (5, 2), (12, 2)])
def test_a_first_page_that_holds_the_whole_list_needs_no_count(total, queries):
    Group.objects.bulk_create([Group(name=f"group {i:02d}") for i in range(total)])
    with CaptureQueriesContext(connection) as captured:
        page = page_of_rows(Group.objects.order_by("name"), None, _names, 5)
        _ = page.paginator.count, page.paginator.num_pages, page.has_next()
    assert len(captured.captured_queries) == queries
    assert sum("COUNT(" in q["sql"].upper() for q in captured.captured_queries) == queries - 1


@pytest.mark.parametrize("total", [0, 4, 5, 6, 12])
@pytest.mark.parametrize("number", [1, "1", "2", "3", "9", "0", "-1", "x", None, 1.5, 2.0])
def test_a_row_paginator_s_page_is_django_s_page_or_its_error(total, number):
    Group.objects.bulk_create([Group(name=f"group {i:02d}") for i in range(total)])
    try:
        expected = Paginator(Group.objects.order_by("name"), 5).page(number)
    except InvalidPage as error:
        with pytest.raises(type(error)):
            RowPaginator(Group.objects.order_by("name"), 5, _names).page(number)
        return
    page = RowPaginator(Group.objects.order_by("name"), 5, _names).page(number)
    assert (page.number, page.paginator.count, page.paginator.num_pages) == (
        expected.number, expected.paginator.count, expected.paginator.num_pages)
    assert page.object_list == [group.name.upper() for group in expected.object_list]
    assert (page.has_next(), page.has_previous()) == (expected.has_next(), expected.has_previous())
