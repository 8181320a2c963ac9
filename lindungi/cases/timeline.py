"""The case page's timeline: a translated sentence per event kind (events hold codes and ids
only; the reason for re-opening or a supervisor's comments are in the encrypted note)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from lindungi.cases import models as m


def _label(choices, value) -> str:
    return str(dict(choices).get(value, value or ""))


def describe(event: m.CaseEvent) -> str:
    d = event.data or {}
    kind = event.kind
    if kind == "registered":
        return _("Case registered as %(number)s.") % {"number": d.get("number", "")}
    if kind == "status_changed":
        text = _("Status changed from “%(previous)s” to “%(status)s”.") % {
            "previous": _label(m.Status.choices, d.get("previous")), "status": _label(m.Status.choices, d.get("status"))}
        if d.get("reason"):
            text += " " + _("Reason: %(reason)s.") % {"reason": _label(m.ClosureReason.choices, d["reason"])}
        return text
    if kind == "child_updated":
        return _("The child's details were changed.")
    if kind == "case_updated":
        return _("The case details were changed.")
    if kind == "risk_changed":
        return _("Risk level changed from %(previous)s to %(level)s.") % {
            "previous": _label(m.Risk.choices, d.get("previous")), "level": _label(m.Risk.choices, d.get("level"))}
    if kind == "assigned":
        return _("The case was (re)assigned.")
    if kind == "caregiver_added":
        text = _("Caregiver added (%(relationship)s).") % {"relationship": _label(m.Relationship.choices, d.get("relationship"))}
        if d.get("suspected_perpetrator"):
            text += " " + _("Marked as suspected perpetrator.")
        return text
    if kind == "caregiver_updated":
        return _("A caregiver's details were changed.")
    if kind == "consent_given":
        return _("Consent recorded: %(purpose)s.") % {"purpose": _label(m.ConsentPurpose.choices, d.get("purpose"))}
    if kind == "consent_withdrawn":
        text = _("Consent withdrawn: %(purpose)s.") % {"purpose": _label(m.ConsentPurpose.choices, d.get("purpose"))}
        if d.get("revoked_shares"):
            text += " " + _("Shares ended: %(count)s.") % {"count": d["revoked_shares"]}
        return text
    if kind == "assessment_saved":
        return _("%(kind)s saved.") % {"kind": _label(m.Assessment.Kind.choices, d.get("kind"))}
    if kind == "plan_saved":
        return _("Case plan saved (%(goals)s goals).") % {"goals": d.get("goals", 0)}
    if kind == "plan_action_updated":
        return _("A case plan action is now “%(status)s”.") % {"status": _label(m.ActionStatus.choices, d.get("status"))}
    if kind == "approval_requested":
        return _("Approval requested: %(kind)s.") % {"kind": _label(m.Approval.Kind.choices, d.get("kind"))}
    if kind == "approval_decided":
        if d.get("decision") == m.ReviewStatus.APPROVED:
            return _("Approved: %(kind)s.") % {"kind": _label(m.Approval.Kind.choices, d.get("kind"))}
        return _("Returned with comments: %(kind)s.") % {"kind": _label(m.Approval.Kind.choices, d.get("kind"))}
    if kind == "reopened":
        return _("The case was re-opened.")
    if kind == "referral_sent":
        return _("Referral sent: %(service)s (%(urgency)s).") % {
            "service": _label(m.ServiceType.choices, d.get("service_type")), "urgency": _label(m.Urgency.choices, d.get("urgency"))}
    if kind == "referral_updated":
        return _("Referral is now “%(status)s”.") % {"status": _label(m.ReferralStatus.choices, d.get("status"))}
    if kind == "service_recorded":
        return _("Service given: %(service)s.") % {"service": _label(m.ServiceType.choices, d.get("service_type"))}
    if kind == "follow_up_recorded":
        return _("Follow-up: %(type)s.") % {"type": _label(m.FollowUpType.choices, d.get("type"))}
    if kind == "attachment_added":
        return _("File added: %(kind)s.") % {"kind": _label(m.AttachmentKind.choices, d.get("kind"))}
    if kind == "share_requested":
        return _("%(kind)s requested.") % {"kind": _label(m.ShareKind.choices, d.get("kind"))}
    if kind == "share_approved":
        return _("%(kind)s approved by the supervisor.") % {"kind": _label(m.ShareKind.choices, d.get("kind"))}
    if kind == "share_rejected":
        return _("%(kind)s rejected by the supervisor.") % {"kind": _label(m.ShareKind.choices, d.get("kind"))}
    if kind == "share_accepted":
        return _("Share accepted by the receiving organisation.")
    if kind == "share_declined":
        return _("%(kind)s declined by the receiving organisation.") % {"kind": _label(m.ShareKind.choices, d.get("kind"))}
    if kind == "share_revoked":
        return _("%(kind)s revoked.") % {"kind": _label(m.ShareKind.choices, d.get("kind"))}
    if kind == "transferred_in":
        return _("Case received by transfer (previous number %(number)s).") % {"number": d.get("previous_number", "")}
    if kind == "transferred_out":
        return _("Case transferred; it continues as %(number)s.") % {"number": d.get("new_number", "")}
    return kind


def describe_events(events) -> list[dict]:
    return [{"at": e.at, "actor": e.actor, "text": describe(e), "note": e.note, "kind": e.kind} for e in events]
