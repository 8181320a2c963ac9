"""Writes of the legal app. Each service checks the policy, validates, writes and records its
audit event in one transaction (docs/architecture.md)."""

from lindungi.legal.services.calendar import calendar_feed_create, calendar_feed_revoke
from lindungi.legal.services.legal_cases import (
    legal_case_assign,
    legal_case_change_stage,
    legal_case_create,
    legal_case_set_links,
    legal_case_update,
)
from lindungi.legal.services.proceedings import (
    appeal_record,
    charge_add,
    charge_remove,
    defendant_add,
    defendant_update,
    hearing_save,
    verdict_record,
)
from lindungi.legal.services.reference import reference_save
from lindungi.legal.services.support import accompaniment_record, protection_save, restitution_save

__all__ = [
    "accompaniment_record", "appeal_record", "calendar_feed_create", "calendar_feed_revoke", "charge_add",
    "charge_remove", "defendant_add", "defendant_update", "hearing_save", "legal_case_assign",
    "legal_case_change_stage", "legal_case_create", "legal_case_set_links", "legal_case_update", "protection_save",
    "reference_save", "restitution_save", "verdict_record",
]
