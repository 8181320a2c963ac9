"""Pages of a list whose rows are built from the page's slice of a queryset (see
`cases.selectors.case_list_rows`)."""

from __future__ import annotations

from collections.abc import Callable

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet


def _whole_number(number) -> int | None:
    """`number` as Paginator.validate_number reads it, None where that refuses it."""
    if isinstance(number, float) and not number.is_integer():
        return None
    try:
        return int(number)
    except (TypeError, ValueError):
        return None


class RowPaginator(Paginator):
    """Django's pages (numbers, count, errors) holding `rows_of(the page's slice)`: rows built from
    plain values in one query rather than model instances.

    Page 1 is read before the count: with fewer rows than fit it holds the whole list, so its
    length is the count, and a search or a narrow filter needs no COUNT query."""

    def __init__(self, queryset: QuerySet, per_page: int, rows_of: Callable[[QuerySet], list]):
        super().__init__(queryset, per_page)  # no orphans: page 1 is the first `per_page` rows
        self.rows_of = rows_of

    def page(self, number) -> Page:
        if _whole_number(number) != 1:
            return super().page(number)
        rows = self.rows_of(self.object_list[:self.per_page])
        if len(rows) < self.per_page:
            self.count = len(rows)  # replaces the cached_property: no query
        return super()._get_page(rows, 1, self)  # page 1 always exists (allow_empty_first_page)

    def _get_page(self, object_list, number, paginator) -> Page:
        return super()._get_page(self.rows_of(object_list), number, paginator)


def page_of_rows(queryset: QuerySet, number, rows_of: Callable[[QuerySet], list], per_page: int) -> Page:
    """Page `number` of `queryset` (as Paginator.get_page: a missing or invalid number is the first
    page, one past the end the last), holding `rows_of(the page's slice)`."""
    paginator = RowPaginator(queryset, per_page, rows_of)
    try:
        wanted = int(number) if number not in (None, "") else 1
    except (TypeError, ValueError):
        wanted = 1
    # get_page() would validate 1 against the count before reading the page.
    return paginator.page(1) if wanted == 1 else paginator.get_page(wanted)
