import functools

from rest_framework.pagination import PageNumberPagination

from lindungi.core.pagination import RowPaginator


class Pagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class RowPagination(Pagination):
    """Pagination's pages (size, parameters, links, 404 for a page that does not exist) holding
    `rows_of(the page's slice)`, plain rows, instead of model instances (core.pagination)."""

    def __init__(self, rows_of):
        self.django_paginator_class = functools.partial(RowPaginator, rows_of=rows_of)
