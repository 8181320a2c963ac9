"""Sharing and transferring a case between member organisations.

Request (assigned caseworker or supervisor) → approval by the sending supervisor (the view asks
for re-authentication) → acceptance by the receiving organisation's supervisor. Every step needs
the case's data-sharing consent. A share gives read access until it expires or is revoked; a
transfer moves the case: every record is re-encrypted under the receiving organisation's key, the
case gets a new number there, and the sending organisation keeps a closed stub ("transferred").
"""

from __future__ import annotations

import datetime

from django.core.files.storage import default_storage
from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lindungi.accounts.models import Organisation
from lindungi.audit import services as audit
from lindungi.cases.models import (
    Approval,
    Assessment,
    Attachment,
    Caregiver,
    Case,
    CaseEvent,
    CasePlan,
    CasePlanAction,
    CasePlanGoal,
    CaseShare,
    CaseTeamMember,
    Child,
    ClosureReason,
    Consent,
    FollowUp,
    Referral,
    ReviewStatus,
    ServiceRecord,
    ShareKind,
    ShareStatus,
    Status,
)
from lindungi.cases.services.attachments import read_blob, store_blob
from lindungi.cases.services.common import event, lock, require_case, require_open, required_text, today
from lindungi.cases.services.registration import next_case_number
from lindungi.core import policy
from lindungi.core.errors import Conflict, DomainError
from lindungi.crypto.fields import EncryptedField

MAX_SHARE_DAYS = 365
TRANSFER_DECISION_DAYS = 30  # an approved transfer not accepted by then lapses

# Sent inside the transfer's transaction, after the case's own records moved: other apps move
# their records of this case (incidents, legal cases) to `to_organisation` the same way (read
# every encrypted attribute, change `organisation`, save). Arguments: case, stub, from_organisation,
# to_organisation, actor.
case_transferred = Signal()


def _require_sharing_consent(case: Case) -> None:
    if not case.sharing_consent:
        raise DomainError(_("This case cannot be shared or transferred: there is no active consent to share it "
                            "with the network."), code="consent_required")


def share_request(*, actor, case: Case, to_organisation: Organisation, kind: str, reason: str,
                  expires_on: datetime.date | None = None) -> CaseShare:
    require_case(actor, "cases.case.transfer", case)
    reason = required_text(reason, "reason", _("Give the reason for sharing or transferring the case."))
    if kind not in ShareKind.values:
        raise DomainError(_("Choose share or transfer."), fields={"kind": [str(_("Choose share or transfer."))]})
    if (to_organisation.pk == case.organisation_id or to_organisation.is_secretariat
            or not to_organisation.is_active):
        message = _("Choose another active member organisation.")
        raise DomainError(message, fields={"to_organisation": [str(message)]})
    expires_at = None
    if kind == ShareKind.SHARE:
        if expires_on is None or expires_on <= today() or expires_on > today() + datetime.timedelta(days=MAX_SHARE_DAYS):
            message = _("Shares are time-limited: choose an end date within the next %(days)d days.") % {
                "days": MAX_SHARE_DAYS}
            raise DomainError(message, fields={"expires_on": [str(message)]})
        expires_at = timezone.make_aware(datetime.datetime.combine(expires_on, datetime.time(23, 59, 59)))
    with transaction.atomic():
        case = lock(case)
        require_open(case)
        _require_sharing_consent(case)
        pending = CaseShare.objects.filter(case=case, to_organisation=to_organisation, kind=kind,
                                           status__in=[ShareStatus.REQUESTED, ShareStatus.APPROVED])
        if pending.exists():
            raise Conflict(_("A request to this organisation is already open."), code="already_pending")
        if kind == ShareKind.TRANSFER and CaseShare.objects.filter(
                case=case, kind=ShareKind.TRANSFER, status__in=[ShareStatus.REQUESTED, ShareStatus.APPROVED]).exists():
            raise Conflict(_("A transfer of this case is already under way."), code="already_pending")
        share = CaseShare(organisation_id=case.organisation_id, case=case, to_organisation=to_organisation, kind=kind,
                          reason=reason, expires_at=expires_at, requested_by=actor)
        share.save()
        event(case, "share_requested", actor, share_id=str(share.pk), kind=kind, to_organisation_id=to_organisation.pk)
        audit.record(f"cases.{kind}.requested", actor=actor, obj=share,
                     payload={"case_id": str(case.pk), "to_organisation_id": to_organisation.pk})
    return share


def _locked_share(share: CaseShare, status: str) -> tuple[Case, CaseShare]:
    case = lock(share.case)
    share = CaseShare.objects.select_for_update().get(pk=share.pk)
    if share.status != status:
        raise Conflict(_("This request is no longer “%(status)s”; it is “%(current)s”.") % {
            "status": ShareStatus(status).label, "current": share.get_status_display()}, code="invalid_transition")
    return case, share


def share_approve(*, actor, share: CaseShare, comments: str = "") -> CaseShare:
    """The sending supervisor approves (the view has re-authenticated them)."""
    require_case(actor, "cases.case.transfer_approve", share.case)
    with transaction.atomic():
        case, share = _locked_share(share, ShareStatus.REQUESTED)
        require_open(case)
        _require_sharing_consent(case)
        if not share.to_organisation.is_active:  # deactivated since the request: nobody there could answer
            raise Conflict(_("The receiving organisation is no longer active; reject this request."),
                           code="inactive_organisation")
        share.status, share.approved_by, share.approved_at = ShareStatus.APPROVED, actor, timezone.now()
        share.comments = comments or share.comments
        if share.kind == ShareKind.TRANSFER:
            # The receiving organisation reads the case while it decides, but not for ever.
            share.expires_at = timezone.now() + datetime.timedelta(days=TRANSFER_DECISION_DAYS)
        share.save(update_fields=["status", "approved_by", "approved_at", "comments", "expires_at"])
        event(case, "share_approved", actor, share_id=str(share.pk), kind=share.kind)
        audit.record(f"cases.{share.kind}.approved", actor=actor, obj=share,
                     payload={"case_id": str(case.pk), "to_organisation_id": share.to_organisation_id})
    return share


def share_reject(*, actor, share: CaseShare, comments: str) -> CaseShare:
    require_case(actor, "cases.case.transfer_approve", share.case)
    comments = required_text(comments, "comments", _("Say why the request is rejected."))
    with transaction.atomic():
        case, share = _locked_share(share, ShareStatus.REQUESTED)
        share.status, share.approved_by, share.approved_at, share.comments = (
            ShareStatus.REJECTED, actor, timezone.now(), comments)
        share.save(update_fields=["status", "approved_by", "approved_at", "comments"])
        event(case, "share_rejected", actor, note=comments, share_id=str(share.pk), kind=share.kind)
        audit.record(f"cases.{share.kind}.rejected", actor=actor, obj=share, payload={"case_id": str(case.pk)})
    return share


def _require_receiver(actor, share: CaseShare) -> None:
    policy.require(actor, "cases.transfer.receive")
    if share.to_organisation_id != actor.organisation_id:
        raise policy.OutOfScope("cases.transfer.receive", CaseShare, {"pk": share.pk}, exists=True)


def share_accept(*, actor, share: CaseShare) -> CaseShare:
    """The receiving organisation accepts: a share becomes active; a transfer is carried out."""
    _require_receiver(actor, share)
    with transaction.atomic():
        case, share = _locked_share(share, ShareStatus.APPROVED)
        require_open(case)
        _require_sharing_consent(case)
        if share.expires_at is not None and share.expires_at <= timezone.now():
            raise Conflict(_("This share has expired."), code="expired")
        share.answered_by, share.answered_at = actor, timezone.now()
        if share.kind == ShareKind.SHARE:
            share.status = ShareStatus.ACCEPTED
            share.save(update_fields=["status", "answered_by", "answered_at"])
            event(case, "share_accepted", actor, share_id=str(share.pk), to_organisation_id=share.to_organisation_id)
            audit.record("cases.share.accepted", actor=actor, obj=share, organisation=share.to_organisation_id,
                         payload={"case_id": str(case.pk)})
        else:
            stub = _carry_out_transfer(actor, case, share)
            share.status, share.new_case_number = ShareStatus.COMPLETED, case.number
            share.save(update_fields=["status", "answered_by", "answered_at", "new_case_number"])
            audit.record("cases.transfer.completed", actor=actor, obj=share, organisation=share.to_organisation_id,
                         payload={"case_id": str(case.pk), "stub_case_id": str(stub.pk),
                                  "from_organisation_id": share.organisation_id})
    return share


def share_decline(*, actor, share: CaseShare, comments: str) -> CaseShare:
    _require_receiver(actor, share)
    comments = required_text(comments, "comments", _("Say why the request is declined."))
    with transaction.atomic():
        case, share = _locked_share(share, ShareStatus.APPROVED)
        share.status, share.answered_by, share.answered_at, share.comments = (
            ShareStatus.DECLINED, actor, timezone.now(), comments)
        share.save(update_fields=["status", "answered_by", "answered_at", "comments"])
        event(case, "share_declined", actor, share_id=str(share.pk), kind=share.kind)
        audit.record(f"cases.{share.kind}.declined", actor=actor, obj=share, organisation=share.to_organisation_id,
                     payload={"case_id": str(case.pk)})
    return share


def share_revoke(*, actor, share: CaseShare) -> CaseShare:
    """The sending organisation ends a share (or withdraws an open request) at any time."""
    require_case(actor, "cases.case.share", share.case)
    with transaction.atomic():
        case = lock(share.case)
        share = CaseShare.objects.select_for_update().get(pk=share.pk)
        if share.status not in (ShareStatus.REQUESTED, ShareStatus.APPROVED, ShareStatus.ACCEPTED):
            raise Conflict(_("Only an open request or an active share can be revoked."), code="invalid_transition")
        share.status, share.revoked_by, share.revoked_at = ShareStatus.REVOKED, actor, timezone.now()
        share.save(update_fields=["status", "revoked_by", "revoked_at"])
        event(case, "share_revoked", actor, share_id=str(share.pk), kind=share.kind)
        audit.record(f"cases.{share.kind}.revoked", actor=actor, obj=share, payload={"case_id": str(case.pk)})
    return share


# --- carrying out a transfer --------------------------------------------------------------------


def _open_all(instance) -> None:
    """Decrypt every encrypted attribute now, under the key of the current organisation."""
    for field in instance._meta.concrete_fields:
        if isinstance(field, EncryptedField):
            getattr(instance, field.attname)


def _reencrypt(instance, organisation_id: int) -> None:
    """Read every encrypted attribute (decrypting under the old key), then change the
    organisation and save: the save encrypts afresh under the new organisation's key and
    recomputes the blind indexes with the new organisation's index keys."""
    _open_all(instance)
    instance.organisation_id = organisation_id
    instance.save()


def _carry_out_transfer(actor, case: Case, share: CaseShare) -> Case:
    old_org_id, new_org = case.organisation_id, share.to_organisation
    old_number = case.number
    # The sending organisation's stub: the number it knew the case by, closed as transferred,
    # with only the plain, coarse facts (no child record, nothing encrypted).
    stub = Case(
        organisation_id=old_org_id, number=old_number, child=None, registered_on=case.registered_on,
        source=case.source, concerns=case.concerns, legal_basis=case.legal_basis, risk_level=case.risk_level,
        assigned_caseworker=case.assigned_caseworker, supervisor=case.supervisor, status=Status.CLOSED,
        closure_reason=ClosureReason.TRANSFERRED, closed_on=today(), status_changed_on=today(),
        province_id=case.province_id, regency_id=case.regency_id, sex=case.sex, age_years=case.age_years,
        age_is_estimated=case.age_is_estimated, created_by=case.created_by,
    )

    # The child moves with the case, unless other cases of the sending organisation refer to it:
    # then the receiving organisation gets its own copy.
    child = Child.objects.select_for_update().get(pk=case.child_id)
    if Case.objects.filter(child=child).exclude(pk=case.pk).exists():
        child = _copy_child(child, new_org.pk)
        case.child = child
    else:
        for caregiver in Caregiver.objects.filter(child=child):
            _reencrypt(caregiver, new_org.pk)
        _reencrypt(child, new_org.pk)

    related = [
        Consent.objects.filter(case=case), Assessment.objects.filter(case=case), CasePlan.objects.filter(case=case),
        CasePlanGoal.objects.filter(plan__case=case), CasePlanAction.objects.filter(goal__plan__case=case),
        Approval.objects.filter(case=case), Referral.objects.filter(case=case),
        ServiceRecord.objects.filter(case=case), FollowUp.objects.filter(case=case), CaseEvent.objects.filter(case=case),
    ]
    for queryset in related:
        for record in queryset:
            _reencrypt(record, new_org.pk)
    old_files = []
    for attachment in Attachment.objects.filter(case=case):
        data = read_blob(attachment)
        old_files.append(attachment.storage_name)
        _open_all(attachment)
        attachment.organisation_id = new_org.pk
        attachment.storage_name = store_blob(attachment, data)
        attachment.save()
    transaction.on_commit(lambda: [default_storage.delete(name) for name in old_files])

    # Pending requests and team members of the sending organisation end here.
    Approval.objects.filter(case=case, status=ReviewStatus.SUBMITTED).update(status=ReviewStatus.RETURNED)
    CaseTeamMember.objects.filter(case=case, removed_at__isnull=True).update(removed_at=timezone.now())
    CaseShare.objects.filter(case=case, status__in=[ShareStatus.REQUESTED, ShareStatus.APPROVED, ShareStatus.ACCEPTED],
                             revoked_at__isnull=True).exclude(pk=share.pk).update(
        status=ShareStatus.REVOKED, revoked_at=timezone.now(), revoked_by=actor)

    _open_all(case)
    case.organisation_id = new_org.pk
    case.number = next_case_number(new_org, today().year)
    case.transferred_from_number = old_number
    case.assigned_caseworker = None
    case.supervisor = actor
    case.save()
    stub.transferred_to = case
    stub.save()
    event(case, "transferred_in", actor, share_id=str(share.pk), from_organisation_id=old_org_id,
          previous_number=old_number)
    event(stub, "transferred_out", actor, share_id=str(share.pk), to_organisation_id=new_org.pk,
          new_number=case.number)
    case_transferred.send(sender=Case, case=case, stub=stub, from_organisation_id=old_org_id, to_organisation=new_org,
                          actor=actor)
    return stub


def _copy_child(child: Child, organisation_id: int) -> Child:
    values = {field.attname: getattr(child, field.attname) for field in child._meta.concrete_fields
              if field.attname not in ("id", "organisation_id", "photo_id", "created_at", "updated_at")
              and not field.attname.endswith("_index")}
    copy = Child(organisation_id=organisation_id, **values)
    copy.save()
    for caregiver in Caregiver.objects.filter(child=child):
        data = {field.attname: getattr(caregiver, field.attname) for field in caregiver._meta.concrete_fields
                if field.attname not in ("id", "organisation_id", "child_id", "created_at")}
        Caregiver.objects.create(organisation_id=organisation_id, child=copy, **data)
    return copy
