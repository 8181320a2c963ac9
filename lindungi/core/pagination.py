"""Pages of a list whose rows are built from the page's slice of a queryset (see
`cases.selectors.case_list_rows`)."""

from __future__ import annotations

from collections.abc import Callable

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet


def page_of_rows(queryset: QuerySet, number, rows_of: Callable[[QuerySet], list], per_page: int) -> Page:
    """Page `number` of `queryset` (as Paginator.get_page: a missing or invalid number is the first
    page, one past the end the last), holding `rows_of(the page's slice)`.

    A first page with fewer rows than fit holds the whole list, so its length is the count: a
    search or a narrow filter then needs no COUNT query."""
    paginator = Paginator(queryset, per_page)
    try:
        wanted = int(number) if number not in (None, "") else 1
    except (TypeError, ValueError):
        wanted = 1
    if wanted == 1:
        rows = rows_of(queryset[:per_page])
        if len(rows) < per_page:
            paginator.count = len(rows)  # replaces the cached_property: no query
        page = paginator.page(1)
        page.object_list = rows
        return page
    page = paginator.get_page(wanted)
    page.object_list = rows_of(page.object_list)
    return page
