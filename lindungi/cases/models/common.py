"""Shared references of the cases models."""

from __future__ import annotations

from django.conf import settings

ORG = "accounts.Organisation"
REGION = "geo.Region"
USER = settings.AUTH_USER_MODEL
