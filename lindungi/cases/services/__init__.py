"""Writes of the cases app. Each service checks the policy, validates, writes and records its
audit event in one transaction (docs/architecture.md)."""

from lindungi.cases.services.attachments import attachment_upload
from lindungi.cases.services.referrals import (
    follow_up_record,
    provider_create,
    provider_update,
    referral_create,
    referral_update,
    service_record,
)
from lindungi.cases.services.registration import (
    caregiver_add,
    caregiver_update,
    case_assign,
    case_register,
    case_set_risk,
    case_update,
    child_update,
    consent_record,
    consent_withdraw,
)
from lindungi.cases.services.transfers import (
    case_transferred,
    share_accept,
    share_approve,
    share_decline,
    share_reject,
    share_request,
    share_revoke,
)
from lindungi.cases.services.workflow import (
    approval_decide,
    assessment_save,
    assessment_submit,
    case_reopen,
    case_transition,
    closure_request,
    plan_action_update,
    plan_save,
    plan_submit,
)

__all__ = [
    "approval_decide", "assessment_save", "assessment_submit", "attachment_upload", "caregiver_add",
    "caregiver_update", "case_assign", "case_register", "case_reopen", "case_set_risk", "case_transferred",
    "case_transition", "case_update", "child_update", "closure_request", "consent_record", "consent_withdraw",
    "follow_up_record", "plan_action_update", "plan_save", "plan_submit", "provider_create", "provider_update",
    "referral_create", "referral_update", "service_record", "share_accept", "share_approve", "share_decline",
    "share_reject", "share_request", "share_revoke",
]
