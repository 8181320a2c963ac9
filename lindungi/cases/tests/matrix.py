"""Permission matrix rows for every route of the cases app (web and API).

`build(world)` adds `world.case_a` (a registered case of organisation A assigned to caseworker_a,
for other apps to build on) and the `cm_*` objects these rows use (kept apart so that other apps
attaching people to `world.case_a` cannot change these expectations)."""

from __future__ import annotations

import datetime

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from lindungi.cases import services
from lindungi.cases.models import CaseShare
from lindungi.cases.testing import SCORES, make_provider, register, to_services
from lindungi.core.testing.matrix import Row

PDF = b"%PDF-1.4\n% test file\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


def build(world):
    w = world
    w.case_a = register(w.caseworker_a, full_name="Kasus Dunia A", supervisor=w.supervisor_a)
    w.child_a = w.case_a.child
    w.case_b = register(w.caseworker_b, full_name="Kasus Dunia B", supervisor=w.supervisor_b, province="18",
                        regency=None)

    case = register(w.caseworker_a, full_name="Matriks Anak A", birth_date=datetime.date(2013, 3, 3),
                    supervisor=w.supervisor_a)
    w.cm_case_a = to_services(case, w.caseworker_a, w.supervisor_a)
    w.cm_case_b = register(w.caseworker_b, full_name="Matriks Anak B", supervisor=w.supervisor_b, province="18",
                           regency=None)
    w.cm_action_a = w.cm_case_a.plans.get().goals.get().actions.get()
    w.cm_assessment_a = services.assessment_save(actor=w.caseworker_a, case=w.cm_case_a, kind="review", scores=SCORES)
    # A revised case plan awaiting approval (an assessment request would block submitting cm_assessment_a).
    revised = services.plan_save(actor=w.caseworker_a, case=w.cm_case_a, goals=[{
        "domain": "health", "description": "Pemeriksaan kesehatan", "actions": [
            {"description": "Antar ke puskesmas", "responsible": "Pendamping"}]}])
    w.cm_approval_a = services.plan_submit(actor=w.caseworker_a, case=w.cm_case_a, plan=revised)
    w.cm_plan_a = services.plan_save(actor=w.caseworker_a, case=w.cm_case_a, goals=[])
    w.cm_caregiver_a = w.cm_case_a.child.caregivers.get()
    w.cm_consent_a = w.cm_case_a.consents.get(purpose="statistics")
    w.cm_provider_a = make_provider(w.org_a)
    w.cm_provider_b = make_provider(w.org_b, name="UPTD PPA Lampung (test)", province="18")
    w.cm_referral_a = services.referral_create(actor=w.caseworker_a, case=w.cm_case_a, provider=w.cm_provider_a,
                                               service_type="uptd_ppa")
    w.cm_attachment_a = services.attachment_upload(actor=w.caseworker_a, case=w.cm_case_a, kind="document",
                                                   title="Surat (test)", file=PDF)
    with default_storage.open(w.cm_attachment_a.storage_name, "rb") as handle:
        w.cm_attachment_blob = handle.read()
    w.cm_share_a = services.share_request(actor=w.caseworker_a, case=w.cm_case_a, to_organisation=w.org_b,
                                          kind="share", reason="Koordinasi (test)",
                                          expires_on=timezone.localdate() + timezone.timedelta(days=30))
    # A request from B to A, approved by B's supervisor (a share: gives no access before acceptance).
    w.cm_share_to_a = CaseShare.objects.create(
        organisation=w.org_b, case=w.cm_case_b, to_organisation=w.org_a, kind="share", status="approved",
        reason="Koordinasi (test)", requested_by=w.caseworker_b, approved_by=w.supervisor_b,
        approved_at=timezone.now(), expires_at=timezone.now() + timezone.timedelta(days=30))


def _attachment_url(w):
    """The world may outlive the test's media directory (a world shared by several tests): put the
    encrypted file back where the current storage looks for it."""
    name = w.cm_attachment_a.storage_name
    if not default_storage.exists(name):
        default_storage.save(name, ContentFile(w.cm_attachment_blob))
    return reverse("cases:attachment_download", args=[w.cm_case_a.pk, w.cm_attachment_a.pk])


def case_url(name, *extra):
    return lambda w: reverse(name, args=[w.cm_case_a.pk, *[getattr(w, e).pk for e in extra]])


# Expectations -----------------------------------------------------------------------------------
# Case data of case A: its assigned caseworker and A's supervisor. Other case roles get 404 (out of
# scope, existence not revealed); roles that never see cases get 403.
_OUT = {"caseworker2_a": 404, "legal_a": 404, "supervisor_b": 404, "caseworker_b": 404, "legal_b": 404}


def case_a(ok: int, anonymous: int = 302):
    return {"anonymous": anonymous, "*": 403, **_OUT, "caseworker_a": ok, "supervisor_a": ok}


def supervisor_a(ok: int, anonymous: int = 302):
    return {"anonymous": anonymous, "*": 403, "supervisor_a": ok, "supervisor_b": 404}


def transfer_a(ok: int, anonymous: int = 302):
    return {"anonymous": anonymous, "*": 403, "caseworker_a": ok, "supervisor_a": ok, "caseworker2_a": 404,
            "caseworker_b": 404, "supervisor_b": 404}


CASE_ROLES = ("caseworker_a", "caseworker2_a", "legal_a", "supervisor_a", "caseworker_b", "legal_b", "supervisor_b")


def case_roles(ok: int, anonymous: int = 302, **others):
    return {"anonymous": anonymous, "*": 403, **{p: ok for p in CASE_ROLES}, **others}


def workers(ok: int, anonymous: int = 302):
    """Caseworkers and supervisors (export, shares list)."""
    return {"anonymous": anonymous, "*": 403, **{p: ok for p in CASE_ROLES if not p.startswith("legal")}}


PROVIDER_VIEW = ("caseworker_a", "caseworker2_a", "legal_a", "supervisor_a", "caseworker_b", "legal_b",
                 "supervisor_b", "admin_a", "admin_b", "secretariat_admin")
PROVIDER_MANAGE = ("supervisor_a", "supervisor_b", "admin_a", "admin_b", "secretariat_admin")


def provider_view(ok: int, anonymous: int = 302):
    return {"anonymous": anonymous, "*": 403, **{p: ok for p in PROVIDER_VIEW}}


def provider_manage(ok: int, anonymous: int = 302, **others):
    return {"anonymous": anonymous, "*": 403, **{p: ok for p in PROVIDER_MANAGE}, **others}


def provider_a_manage(ok: int, anonymous: int = 302):
    return provider_manage(ok, anonymous, supervisor_b=404, admin_b=404, secretariat_admin=404)


WEB = [
    Row("cases:list", "GET", expect=case_roles(200)),
    Row("cases:register", "GET", expect=case_roles(200)),
    Row("cases:register", "POST", data=lambda w: {}, expect=case_roles(200)),
    Row("cases:export", "GET", url=lambda w: reverse("cases:export") + "?format=csv", expect=workers(200)),
    # Supervisors are sent to re-authenticate first (a test session never has recently).
    Row("cases:export_identifying", "GET", url=lambda w: reverse("cases:export_identifying") + "?format=csv",
        expect={"anonymous": 302, "*": 403, "supervisor_a": 302, "supervisor_b": 302}),
    Row("cases:tasks", "GET", expect=case_roles(200)),
    Row("cases:approvals", "GET", expect={"anonymous": 302, "*": 403, "supervisor_a": 200, "supervisor_b": 200}),
    Row("cases:shares", "GET", expect=workers(200)),
    Row("cases:share_approve", "GET", url=lambda w: reverse("cases:share_approve", args=[w.cm_share_a.pk]),
        expect={"anonymous": 302, "*": 403, "supervisor_a": 302, "supervisor_b": 404}),
    Row("cases:share_answer", "GET", url=lambda w: reverse("cases:share_answer", args=[w.cm_share_to_a.pk]),
        expect={"anonymous": 302, "*": 403, "supervisor_a": 200, "supervisor_b": 404}),
    Row("cases:share_answer", "POST", url=lambda w: reverse("cases:share_answer", args=[w.cm_share_to_a.pk]),
        data=lambda w: {"accept": "1"}, expect={"anonymous": 302, "*": 403, "supervisor_a": 302, "supervisor_b": 404}),
    Row("cases:share_revoke", "POST", url=lambda w: reverse("cases:share_revoke", args=[w.cm_share_a.pk]),
        expect={"anonymous": 302, "*": 403, "supervisor_a": 302, "supervisor_b": 404}),
    Row("cases:providers", "GET", expect=provider_view(200)),
    Row("cases:provider_new", "GET", expect=provider_manage(200)),
    Row("cases:provider_edit", "GET", url=lambda w: reverse("cases:provider_edit", args=[w.cm_provider_a.pk]),
        expect=provider_a_manage(200)),
    Row("cases:detail", "GET", url=case_url("cases:detail"), expect=case_a(200)),
    Row("cases:child_edit", "GET", url=case_url("cases:child_edit"), expect=case_a(200)),
    Row("cases:child_edit", "POST", url=case_url("cases:child_edit"), data=lambda w: {}, expect=case_a(200)),
    Row("cases:edit", "GET", url=case_url("cases:edit"), expect=case_a(200)),
    Row("cases:risk", "GET", url=case_url("cases:risk"), expect=case_a(200)),
    Row("cases:risk", "POST", url=case_url("cases:risk"), data=lambda w: {"level": "high", "reason": "Ancaman (test)"},
        expect=case_a(302)),
    Row("cases:assign", "GET", url=case_url("cases:assign"), expect=supervisor_a(200)),
    Row("cases:transition", "POST", url=case_url("cases:transition"), data=lambda w: {"status": "follow_up"},
        expect=case_a(302)),
    Row("cases:caregiver_add", "GET", url=case_url("cases:caregiver_add"), expect=case_a(200)),
    Row("cases:caregiver_edit", "GET", url=case_url("cases:caregiver_edit", "cm_caregiver_a"), expect=case_a(200)),
    Row("cases:consent_add", "GET", url=case_url("cases:consent_add"), expect=case_a(200)),
    Row("cases:consent_withdraw", "GET", url=case_url("cases:consent_withdraw", "cm_consent_a"), expect=case_a(200)),
    Row("cases:assessment_new", "GET", url=case_url("cases:assessment_new"), expect=case_a(200)),
    Row("cases:assessment_edit", "GET", url=case_url("cases:assessment_edit", "cm_assessment_a"), expect=case_a(200)),
    Row("cases:assessment_submit", "POST", url=case_url("cases:assessment_submit", "cm_assessment_a"),
        expect=case_a(302)),
    Row("cases:plan_new", "GET", url=case_url("cases:plan_new"), expect=case_a(200)),
    Row("cases:plan_edit", "GET", url=case_url("cases:plan_edit", "cm_plan_a"), expect=case_a(200)),
    Row("cases:plan_submit", "POST", url=case_url("cases:plan_submit", "cm_plan_a"), expect=case_a(302)),
    Row("cases:action_status", "POST", url=case_url("cases:action_status", "cm_action_a"),
        data=lambda w: {"status": "done"}, expect=case_a(302)),
    Row("cases:approval_decide", "GET", url=case_url("cases:approval_decide", "cm_approval_a"),
        expect=supervisor_a(200)),
    Row("cases:approval_decide", "POST", url=case_url("cases:approval_decide", "cm_approval_a"),
        data=lambda w: {"decision": "approve"}, expect=supervisor_a(302)),
    Row("cases:closure_request", "GET", url=case_url("cases:closure_request"), expect=case_a(200)),
    Row("cases:reopen", "GET", url=case_url("cases:reopen"), expect=transfer_a(200)),
    Row("cases:referral_new", "GET", url=case_url("cases:referral_new"), expect=case_a(200)),
    Row("cases:referral_update", "GET", url=case_url("cases:referral_update", "cm_referral_a"), expect=case_a(200)),
    Row("cases:service_new", "GET", url=case_url("cases:service_new"), expect=case_a(200)),
    Row("cases:follow_up_new", "GET", url=case_url("cases:follow_up_new"), expect=case_a(200)),
    Row("cases:follow_up_new", "POST", url=case_url("cases:follow_up_new"),
        data=lambda w: {"type": "call", "date": timezone.localdate().isoformat()}, expect=case_a(302)),
    Row("cases:attachment_upload", "GET", url=case_url("cases:attachment_upload"), expect=case_a(200)),
    Row("cases:attachment_download", "GET", url=_attachment_url, expect=case_a(200)),
    Row("cases:share_request", "GET", url=case_url("cases:share_request"), expect=transfer_a(200)),
]


def api_case_url(name, *extra):
    return lambda w: reverse(f"cases-api:{name}", args=[w.cm_case_a.pk, *[getattr(w, e).pk for e in extra]])


def api(route, method="GET", url=None, data=None, expect=None):
    return Row(f"cases-api:{route}", method, url=url, data=data, api=True, expect=expect)


API = [
    api("case-list", expect=case_roles(200, 401)),
    api("case-list", "POST", expect=case_roles(400, 401)),
    api("case-duplicates", "POST", data=lambda w: {"full_name": "Matriks Anak A"}, expect=case_roles(200, 401)),
    api("case-export", url=lambda w: reverse("cases-api:case-export") + "?file_format=csv", expect=workers(200, 401)),
    api("case-detail", url=api_case_url("case-detail"), expect=case_a(200, 401)),
    api("case-detail", "PATCH", url=api_case_url("case-detail"), data=lambda w: {"source_details": "Telepon (test)"},
        expect=case_a(200, 401)),
    api("case-child", "PATCH", url=api_case_url("case-child"), data=lambda w: {"aliases": "Ani (test)"},
        expect=case_a(200, 401)),
    api("case-risk", "POST", url=api_case_url("case-risk"), expect=case_a(400, 401)),
    api("case-assign", "POST", url=api_case_url("case-assign"), expect=supervisor_a(400, 401)),
    api("case-transition", "POST", url=api_case_url("case-transition"), data=lambda w: {"status": "closed"},
        expect=case_a(409, 401)),
    api("case-reopen", "POST", url=api_case_url("case-reopen"), data=lambda w: {"reason": "Kembali (test)"},
        expect=transfer_a(409, 401)),
    api("case-closure", "POST", url=api_case_url("case-closure"), expect=case_a(400, 401)),
    api("case-timeline", url=api_case_url("case-timeline"), expect=case_a(200, 401)),
    api("caregiver-list", url=api_case_url("caregiver-list"), expect=case_a(200, 401)),
    api("caregiver-list", "POST", url=api_case_url("caregiver-list"), expect=case_a(400, 401)),
    api("caregiver-detail", "PATCH", url=api_case_url("caregiver-detail", "cm_caregiver_a"),
        data=lambda w: {"safety": "unsafe"}, expect=case_a(200, 401)),
    api("consent-list", url=api_case_url("consent-list"), expect=case_a(200, 401)),
    api("consent-list", "POST", url=api_case_url("consent-list"), expect=case_a(400, 401)),
    api("consent-withdraw", "POST", url=api_case_url("consent-withdraw", "cm_consent_a"), expect=case_a(200, 401)),
    api("assessment-list", url=api_case_url("assessment-list"), expect=case_a(200, 401)),
    api("assessment-list", "POST", url=api_case_url("assessment-list"), expect=case_a(400, 401)),
    api("assessment-detail", url=api_case_url("assessment-detail", "cm_assessment_a"), expect=case_a(200, 401)),
    api("assessment-detail", "PUT", url=api_case_url("assessment-detail", "cm_assessment_a"), expect=case_a(400, 401)),
    api("assessment-submit", "POST", url=api_case_url("assessment-submit", "cm_assessment_a"),
        expect=case_a(201, 401)),
    api("plan-list", url=api_case_url("plan-list"), expect=case_a(200, 401)),
    api("plan-list", "POST", url=api_case_url("plan-list"), expect=case_a(400, 401)),
    api("plan-detail", url=api_case_url("plan-detail", "cm_plan_a"), expect=case_a(200, 401)),
    api("plan-detail", "PUT", url=api_case_url("plan-detail", "cm_plan_a"), expect=case_a(400, 401)),
    api("plan-submit", "POST", url=api_case_url("plan-submit", "cm_plan_a"), expect=case_a(400, 401)),
    api("plan-action", "PATCH", url=api_case_url("plan-action", "cm_action_a"), data=lambda w: {"status": "done"},
        expect=case_a(200, 401)),
    api("referral-list", url=api_case_url("referral-list"), expect=case_a(200, 401)),
    api("referral-list", "POST", url=api_case_url("referral-list"), expect=case_a(400, 401)),
    api("referral-detail", "PATCH", url=api_case_url("referral-detail", "cm_referral_a"),
        data=lambda w: {"status": "accepted"}, expect=case_a(200, 401)),
    api("service-list", url=api_case_url("service-list"), expect=case_a(200, 401)),
    api("service-list", "POST", url=api_case_url("service-list"), data=lambda w: {"service_type": "psychosocial"},
        expect=case_a(201, 401)),
    api("follow-up-list", url=api_case_url("follow-up-list"), expect=case_a(200, 401)),
    api("follow-up-list", "POST", url=api_case_url("follow-up-list"), expect=case_a(400, 401)),
    api("attachment-list", url=api_case_url("attachment-list"), expect=case_a(200, 401)),
    api("attachment-list", "POST", url=api_case_url("attachment-list"), expect=case_a(400, 401)),
    api("attachment-download", url=lambda w: _attachment_url(w) and reverse(
        "cases-api:attachment-download", args=[w.cm_case_a.pk, w.cm_attachment_a.pk]), expect=case_a(200, 401)),
    api("case-shares", url=api_case_url("case-shares"), expect=transfer_a(200, 401)),
    api("case-shares", "POST", url=api_case_url("case-shares"), expect=transfer_a(400, 401)),
    api("approval-list", expect={"anonymous": 401, "*": 403, "supervisor_a": 200, "supervisor_b": 200}),
    api("approval-decide", "POST", url=lambda w: reverse("cases-api:approval-decide", args=[w.cm_approval_a.pk]),
        data=lambda w: {"approve": True}, expect=supervisor_a(200, 401)),
    api("share-list", expect=workers(200, 401)),
    # A test session has not re-authenticated: even the sending supervisor is refused (403).
    api("share-approve", "POST", url=lambda w: reverse("cases-api:share-approve", args=[w.cm_share_a.pk]),
        data=lambda w: {"approve": True}, expect={"anonymous": 401, "*": 403, "supervisor_b": 404}),
    api("share-answer", "POST", url=lambda w: reverse("cases-api:share-answer", args=[w.cm_share_to_a.pk]),
        data=lambda w: {"accept": True}, expect={"anonymous": 401, "*": 403, "supervisor_a": 200, "supervisor_b": 404}),
    api("share-revoke", "POST", url=lambda w: reverse("cases-api:share-revoke", args=[w.cm_share_a.pk]),
        expect={"anonymous": 401, "*": 403, "supervisor_a": 200, "supervisor_b": 404}),
    api("task-list", expect=case_roles(200, 401)),
    api("provider-list", expect=provider_view(200, 401)),
    api("provider-list", "POST", expect=provider_manage(400, 401)),
    api("provider-detail", url=lambda w: reverse("cases-api:provider-detail", args=[w.cm_provider_b.pk]),
        expect=provider_view(200, 401)),
    api("provider-detail", "PATCH", url=lambda w: reverse("cases-api:provider-detail", args=[w.cm_provider_a.pk]),
        data=lambda w: {"phone": "021-111111"}, expect=provider_a_manage(200, 401)),
]

ROWS = WEB + API
