"""Case management for child victims: the child, the case and everything done in it.

Identifying data (names, birth dates, NIK, addresses, phone numbers, guardians' details, free-text
narratives and notes, files) is encrypted under the owning organisation's key; every model that
holds some inherits `EncryptedRecord` and has a direct `organisation` foreign key (it goes into the
ciphertexts' associated data). What statistics and lists need is kept in plain, coarse columns:
sex, status, risk level, region codes, age in whole years at registration (`Case.age_years`,
bucketed by `Case.age_group`), so that neither lists nor statistics ever decrypt a birth date.

Scopes (`policy_q`): ASSIGNED = the case's assigned caseworker, or an active `CaseTeamMember` (the
extension point for legal officers assigned through a legal case, and for co-workers);
ORGANISATION = the case belongs to the user's organisation; SHARED = an accepted, unexpired,
unrevoked `CaseShare` of the case with the user's organisation.
"""

from lindungi.cases.models.case import (
    AGE_GROUPS,
    Case,
    CaseNumberCounter,
    CaseQuerySet,
    CaseTeamMember,
    Consent,
    age_group,
)
from lindungi.cases.models.child import Caregiver, Child, nik_validator
from lindungi.cases.models.choices import *  # noqa: F403 - the choices are part of the models' API
from lindungi.cases.models.choices import OPEN_STATUSES
from lindungi.cases.models.sharing import Attachment, CaseEvent, CaseShare, CaseShareQuerySet
from lindungi.cases.models.work import (
    Approval,
    Assessment,
    CasePlan,
    CasePlanAction,
    CasePlanGoal,
    FollowUp,
    Referral,
    ServiceProvider,
    ServiceRecord,
)

__all__ = [
    "AGE_GROUPS", "OPEN_STATUSES", "Approval", "Assessment", "Attachment", "Caregiver", "Case", "CaseEvent",
    "CaseNumberCounter", "CasePlan", "CasePlanAction", "CasePlanGoal", "CaseQuerySet", "CaseShare",
    "CaseShareQuerySet", "CaseTeamMember", "Child", "Consent", "FollowUp", "Referral", "ServiceProvider",
    "ServiceRecord", "age_group", "nik_validator",
]
