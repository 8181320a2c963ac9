"""Shared references of the cases models.

Foreign keys of the case, incident and legal tables have an index of their own (Django's default)
only where a query reads rows by that column alone, and a comment says which ("Its own index
serves …"). Elsewhere `db_index=False`: the column starts a declared index that serves the same
lookups, or no query reads by it (users, organisations and regions are never deleted, so no
deletion has to find their rows either). At national scale every index costs each insert, the
disk, and a bulk load's index builds (issue 7; bench/README.md "Seventh round")."""

from __future__ import annotations

from django.conf import settings

ORG = "accounts.Organisation"
REGION = "geo.Region"
USER = settings.AUTH_USER_MODEL
