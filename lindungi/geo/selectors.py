"""Reading regions. Regions are reference data (no personal data), readable by every role in the
network scope; the policy still decides, so an account without a role sees nothing."""

from __future__ import annotations

from django.db.models import QuerySet

from lindungi.core import policy
from lindungi.geo.models import Region

VIEW = "geo.region.view"


def region_list(*, user, level: str | None = None, parent: str | None = None, within: str | None = None,
                search: str | None = None) -> QuerySet[Region]:
    """Regions `user` may see: of one level, the children of `parent`, everything inside `within`
    (e.g. every district of province 31), or names containing `search`."""
    queryset = policy.scope_filter(user, VIEW, Region.objects.all())
    if level:
        queryset = queryset.filter(level=level)
    if parent:
        queryset = queryset.filter(parent_id=parent)
    if within:
        queryset = queryset.filter(code__startswith=f"{within}.")
    if search:
        queryset = queryset.filter(name__icontains=search.strip())
    return queryset.order_by("code")


def region_get(*, user, code: str) -> Region:
    """One region by its code, or OutOfScope (404)."""
    return policy.get_object(user, VIEW, Region.objects.select_related("parent"), code=code)


def region_options(*, user, level: str, parent: str | None) -> QuerySet[Region]:
    """The choices of a picker: every province, or the children of `parent` at `level` by name."""
    policy.require(user, VIEW)
    queryset = policy.scope_filter(user, VIEW, Region.objects.filter(level=level))
    if level != Region.Level.PROVINCE:
        if not parent:
            return queryset.none()
        queryset = queryset.filter(parent_id=parent)
    return queryset.order_by("name")
