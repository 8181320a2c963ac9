"""The API twin of every case screen: the same selectors and services as the web views.

Sensitive steps need a recently re-authenticated browser session (allauth): approving a share or
transfer and exporting identifying data. A personal token can never do them (a token is a
long-lived secret; re-authentication is a person proving presence)."""

from __future__ import annotations

from allauth.account.internal.flows.reauthentication import did_recently_reauthenticate
from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from lindungi.accounts.models import ApiToken
from lindungi.api.pagination import Pagination, RowPagination
from lindungi.audit import services as audit
from lindungi.cases import exports, selectors, services
from lindungi.cases import serializers as s
from lindungi.cases.duplicates import find_duplicates, network_message
from lindungi.cases.models import (
    Approval,
    Assessment,
    Attachment,
    Caregiver,
    CasePlan,
    CasePlanAction,
    Consent,
    Referral,
    ServiceProvider,
)
from lindungi.cases.services.attachments import content_disposition_name
from lindungi.cases.tasks import task_list
from lindungi.cases.timeline import describe_events
from lindungi.core import policy


class ReauthenticationRequired(PermissionDenied):
    default_code = "reauthentication_required"
    default_detail = _("This needs a recent re-authentication in the browser session; API tokens cannot do it.")


def require_recent_reauthentication(request) -> None:
    if isinstance(request.auth, ApiToken) or not did_recently_reauthenticate(request._request):
        raise ReauthenticationRequired()


def parse(serializer_class, request, **kwargs):
    serializer = serializer_class(data=request.data, context={"request": request}, **kwargs)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class CaseAPIView(APIView):
    """Base: the case from the URL, through the policy (403 for roles without the action, 404 out
    of scope)."""

    def case(self, action: str = "cases.case.view", *, record_view: bool = False):
        policy.require(self.request.user, action)
        return selectors.case_get(user=self.request.user, pk=self.kwargs["pk"], action=action, record_view=record_view)

    def child_of(self, case, model, key: str, action: str = "cases.case.edit"):
        pk = self.kwargs[key]
        lookup = {"goal__plan__case": case} if model is CasePlanAction else {"case": case}
        if model is Caregiver:
            lookup = {"child_id": case.child_id}
        obj = model.objects.filter(pk=pk, **lookup).first()
        if obj is None:
            raise policy.OutOfScope(action, model, {"pk": pk}, exists=model.objects.filter(pk=pk).exists())
        return obj

    def ctx(self):
        return {"request": self.request}


def paginated(view, queryset, serializer_class, *, rows_of=None):
    """A page of `queryset` through `serializer_class`; with `rows_of`, the page holds the rows it
    builds from the page's slice (plain values) rather than model instances."""
    paginator = Pagination() if rows_of is None else RowPagination(rows_of)
    page = paginator.paginate_queryset(queryset, view.request, view=view)
    return paginator.get_paginated_response(serializer_class(page, many=True, context={"request": view.request}).data)


# --- cases --------------------------------------------------------------------------------------


class CaseListView(CaseAPIView):
    @extend_schema(summary="List and search cases", responses=s.CaseListSerializer(many=True))
    def get(self, request):
        policy.require(request.user, "cases.case.view")
        filters = selectors.CaseFilters.from_params(request.query_params)
        return paginated(self, selectors.case_list(user=request.user, filters=filters), s.CaseListRowSerializer,
                         rows_of=selectors.case_api_rows)

    @extend_schema(summary="Register a case", request=s.RegistrationInput, responses={201: s.CaseDetailSerializer})
    def post(self, request):
        policy.require(request.user, "cases.case.create")
        data = parse(s.RegistrationInput, request)
        case = services.case_register(actor=request.user, child=dict(data["child"]), case=dict(data["case"]),
                                      caregivers=[dict(c) for c in data.get("caregivers", [])],
                                      consents=[dict(c) for c in data.get("consents", [])],
                                      assigned_caseworker=data.get("assigned_caseworker"),
                                      supervisor=data.get("supervisor"), risk_level=data["risk_level"],
                                      risk_reason=data["risk_reason"], confirm_duplicate=data["confirm_duplicate"])
        return Response(s.CaseDetailSerializer(case, context=self.ctx()).data, status=status.HTTP_201_CREATED)


class DuplicateCheckView(CaseAPIView):
    @extend_schema(summary="Check for possible duplicates before registering", request=s.DuplicateCheckInput,
                   responses=OpenApiTypes.OBJECT)
    def post(self, request):
        policy.require(request.user, "cases.case.create")
        data = parse(s.DuplicateCheckInput, request)
        found = find_duplicates(request.user.organisation, full_name=data.get("full_name"),
                                birth_date=data.get("birth_date"), nik=data.get("nik"))
        # A lookup by name or NIK across the network: on the record, like every read of case data.
        audit.record("cases.duplicate.checked", actor=request.user, payload={
            "fields": sorted(k for k, v in data.items() if v), **found.payload()})
        return Response({
            "local": [{"id": str(c.pk), "number": c.number, "status": c.status} for c in found.local],
            "network": [{"organisation": o.code, "name": o.name, "message": network_message(o)} for o in found.network],
        })


class CaseExportView(CaseAPIView):
    @extend_schema(summary="Export the filtered list (file_format=csv or xlsx); identifying=1 needs re-authentication",
                   responses={(200, "text/csv"): OpenApiTypes.BINARY,
                              (200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"): OpenApiTypes.BINARY})
    def get(self, request):
        identifying = request.query_params.get("identifying") in ("1", "true")
        action = "cases.case.export_identifying" if identifying else "cases.case.export"
        policy.require(request.user, action)
        if identifying:
            require_recent_reauthentication(request)
        filters = selectors.CaseFilters.from_params(request.query_params)
        queryset = selectors.case_list(user=request.user, filters=filters, action=action)
        return exports.export_response(user=request.user, queryset=queryset,
                                       fmt=request.query_params.get("file_format", "csv"), identifying=identifying,
                                       filters={k: v for k, v in request.query_params.items() if k != "file_format"})


class CaseDetailView(CaseAPIView):
    @extend_schema(summary="One case (audited)", responses=s.CaseDetailSerializer)
    def get(self, request, pk):
        case = self.case(record_view=True)
        return Response(s.CaseDetailSerializer(case, context=self.ctx()).data)

    @extend_schema(summary="Change the case", request=s.CaseUpdateInput, responses=s.CaseDetailSerializer)
    def patch(self, request, pk):
        case = self.case("cases.case.edit")
        case = services.case_update(actor=request.user, case=case, data=dict(parse(s.CaseUpdateInput, request, partial=True)))
        return Response(s.CaseDetailSerializer(case, context=self.ctx()).data)


class ChildView(CaseAPIView):
    @extend_schema(summary="Change the child's details", request=s.ChildUpdateInput, responses=s.ChildSerializer)
    def patch(self, request, pk):
        case = self.case("cases.case.edit")
        data = dict(parse(s.ChildUpdateInput, request, partial=True))
        child = services.child_update(actor=request.user, case=case, data=data)
        return Response(s.ChildSerializer(child).data)


class RiskView(CaseAPIView):
    @extend_schema(summary="Set the risk level", request=s.RiskInput, responses=s.CaseDetailSerializer)
    def post(self, request, pk):
        case = self.case("cases.case.edit")
        data = parse(s.RiskInput, request)
        case = services.case_set_risk(actor=request.user, case=case, level=data["level"], reason=data["reason"])
        return Response(s.CaseDetailSerializer(case, context=self.ctx()).data)


class AssignView(CaseAPIView):
    @extend_schema(summary="Assign caseworker and supervisor", request=s.AssignInput, responses=s.CaseDetailSerializer)
    def post(self, request, pk):
        case = self.case("cases.case.assign")
        data = parse(s.AssignInput, request)
        case = services.case_assign(actor=request.user, case=case, caseworker=data["caseworker"],
                                    supervisor=data["supervisor"])
        return Response(s.CaseDetailSerializer(case, context=self.ctx()).data)


class TransitionView(CaseAPIView):
    @extend_schema(summary="Move the case (only the moves a worker makes directly)", request=s.TransitionInput,
                   responses=s.CaseDetailSerializer)
    def post(self, request, pk):
        case = self.case("cases.case.edit")
        case = services.case_transition(actor=request.user, case=case, to=parse(s.TransitionInput, request)["status"])
        return Response(s.CaseDetailSerializer(case, context=self.ctx()).data)


class ReopenView(CaseAPIView):
    @extend_schema(summary="Re-open a closed case", request=s.ReasonInput, responses=s.CaseDetailSerializer)
    def post(self, request, pk):
        case = self.case("cases.case.reopen")
        case = services.case_reopen(actor=request.user, case=case, reason=parse(s.ReasonInput, request)["reason"])
        return Response(s.CaseDetailSerializer(case, context=self.ctx()).data)


class ClosureView(CaseAPIView):
    @extend_schema(summary="Request the closure (needs a closure assessment)", request=s.ClosureInput,
                   responses={201: s.ApprovalSerializer})
    def post(self, request, pk):
        case = self.case("cases.case.edit")
        data = parse(s.ClosureInput, request)
        approval = services.closure_request(actor=request.user, case=case, reason=data["reason"], notes=data["notes"])
        return Response(s.ApprovalSerializer(approval).data, status=status.HTTP_201_CREATED)


class TimelineView(CaseAPIView):
    @extend_schema(summary="The case's timeline", responses=s.EventSerializer(many=True))
    def get(self, request, pk):
        case = self.case()
        events = describe_events(case.events.select_related("actor")[:500])
        return Response(s.EventSerializer(events, many=True).data)


# --- caregivers and consents --------------------------------------------------------------------


class CaregiverListView(CaseAPIView):
    @extend_schema(summary="Caregivers and guardians", responses=s.CaregiverSerializer(many=True))
    def get(self, request, pk):
        case = self.case()
        caregivers = case.child.caregivers.all() if case.child_id else Caregiver.objects.none()
        return Response(s.CaregiverSerializer(caregivers, many=True).data)

    @extend_schema(summary="Add a caregiver", request=s.CaregiverInput, responses={201: s.CaregiverSerializer})
    def post(self, request, pk):
        case = self.case("cases.case.edit")
        caregiver = services.caregiver_add(actor=request.user, case=case, data=dict(parse(s.CaregiverInput, request)))
        return Response(s.CaregiverSerializer(caregiver).data, status=status.HTTP_201_CREATED)


class CaregiverDetailView(CaseAPIView):
    @extend_schema(summary="Change a caregiver", request=s.CaregiverUpdateInput, responses=s.CaregiverSerializer)
    def patch(self, request, pk, caregiver_pk):
        case = self.case("cases.case.edit")
        caregiver = self.child_of(case, Caregiver, "caregiver_pk")
        data = dict(parse(s.CaregiverUpdateInput, request, partial=True))
        caregiver = services.caregiver_update(actor=request.user, case=case, caregiver=caregiver, data=data)
        return Response(s.CaregiverSerializer(caregiver).data)


class ConsentListView(CaseAPIView):
    @extend_schema(summary="Consents", responses=s.ConsentSerializer(many=True))
    def get(self, request, pk):
        case = self.case()
        return Response(s.ConsentSerializer(case.consents.select_related("recorded_by"), many=True).data)

    @extend_schema(summary="Record a consent", request=s.ConsentInput, responses={201: s.ConsentSerializer})
    def post(self, request, pk):
        case = self.case("cases.case.edit")
        data = parse(s.ConsentInput, request)
        consent = services.consent_record(actor=request.user, case=case, purpose=data["purpose"],
                                          given_on=data.get("given_on"), given_by_kind=data["given_by_kind"],
                                          given_by_name=data["given_by_name"])
        return Response(s.ConsentSerializer(consent).data, status=status.HTTP_201_CREATED)


class ConsentWithdrawView(CaseAPIView):
    @extend_schema(summary="Withdraw a consent (takes effect everywhere)", request=s.WithdrawInput,
                   responses=s.ConsentSerializer)
    def post(self, request, pk, consent_pk):
        case = self.case("cases.case.edit")
        consent = self.child_of(case, Consent, "consent_pk")
        data = parse(s.WithdrawInput, request)
        consent = services.consent_withdraw(actor=request.user, case=case, consent=consent,
                                            withdrawn_on=data.get("withdrawn_on"), notes=data.get("notes", ""))
        return Response(s.ConsentSerializer(consent).data)


# --- assessments, plans, approvals --------------------------------------------------------------


class AssessmentListView(CaseAPIView):
    @extend_schema(summary="Assessments", responses=s.AssessmentSerializer(many=True))
    def get(self, request, pk):
        return Response(s.AssessmentSerializer(self.case().assessments.all(), many=True).data)

    @extend_schema(summary="Write an assessment (submit=true sends it for approval)", request=s.AssessmentInput,
                   responses={201: s.AssessmentSerializer})
    def post(self, request, pk):
        case = self.case("cases.case.edit")
        data = dict(parse(s.AssessmentInput, request))
        submit = data.pop("submit")
        assessment = services.assessment_save(actor=request.user, case=case, **data)
        if submit:
            services.assessment_submit(actor=request.user, case=case, assessment=assessment)
            assessment.refresh_from_db()
        return Response(s.AssessmentSerializer(assessment).data, status=status.HTTP_201_CREATED)


class AssessmentDetailView(CaseAPIView):
    @extend_schema(summary="One assessment", responses=s.AssessmentSerializer)
    def get(self, request, pk, assessment_pk):
        case = self.case()
        return Response(s.AssessmentSerializer(self.child_of(case, Assessment, "assessment_pk", "cases.case.view")).data)

    @extend_schema(summary="Change a draft or returned assessment", request=s.AssessmentInput,
                   responses=s.AssessmentSerializer)
    def put(self, request, pk, assessment_pk):
        case = self.case("cases.case.edit")
        assessment = self.child_of(case, Assessment, "assessment_pk")
        data = dict(parse(s.AssessmentInput, request))
        submit = data.pop("submit")
        assessment = services.assessment_save(actor=request.user, case=case, assessment=assessment, **data)
        if submit:
            services.assessment_submit(actor=request.user, case=case, assessment=assessment)
            assessment.refresh_from_db()
        return Response(s.AssessmentSerializer(assessment).data)


class AssessmentSubmitView(CaseAPIView):
    @extend_schema(summary="Send an assessment for approval", request=None, responses={201: s.ApprovalSerializer})
    def post(self, request, pk, assessment_pk):
        case = self.case("cases.case.edit")
        approval = services.assessment_submit(actor=request.user, case=case,
                                              assessment=self.child_of(case, Assessment, "assessment_pk"))
        return Response(s.ApprovalSerializer(approval).data, status=status.HTTP_201_CREATED)


class PlanListView(CaseAPIView):
    @extend_schema(summary="Case plans", responses=s.PlanSerializer(many=True))
    def get(self, request, pk):
        plans = self.case().plans.prefetch_related("goals__actions")
        return Response(s.PlanSerializer(plans, many=True).data)

    @extend_schema(summary="Write a case plan (submit=true sends it for approval)", request=s.PlanInput,
                   responses={201: s.PlanSerializer})
    def post(self, request, pk):
        case = self.case("cases.case.edit")
        data = parse(s.PlanInput, request)
        plan = services.plan_save(actor=request.user, case=case, summary=data["summary"],
                                  goals=[{**g, "actions": [dict(a) for a in g["actions"]]} for g in data["goals"]])
        if data["submit"]:
            services.plan_submit(actor=request.user, case=case, plan=plan)
            plan.refresh_from_db()
        return Response(s.PlanSerializer(plan).data, status=status.HTTP_201_CREATED)


class PlanDetailView(CaseAPIView):
    @extend_schema(summary="One case plan", responses=s.PlanSerializer)
    def get(self, request, pk, plan_pk):
        case = self.case()
        return Response(s.PlanSerializer(self.child_of(case, CasePlan, "plan_pk", "cases.case.view")).data)

    @extend_schema(summary="Replace a draft or returned case plan", request=s.PlanInput, responses=s.PlanSerializer)
    def put(self, request, pk, plan_pk):
        case = self.case("cases.case.edit")
        plan = self.child_of(case, CasePlan, "plan_pk")
        data = parse(s.PlanInput, request)
        plan = services.plan_save(actor=request.user, case=case, plan=plan, summary=data["summary"],
                                  goals=[{**g, "actions": [dict(a) for a in g["actions"]]} for g in data["goals"]])
        if data["submit"]:
            services.plan_submit(actor=request.user, case=case, plan=plan)
            plan.refresh_from_db()
        return Response(s.PlanSerializer(plan).data)


class PlanSubmitView(CaseAPIView):
    @extend_schema(summary="Send a case plan for approval", request=None, responses={201: s.ApprovalSerializer})
    def post(self, request, pk, plan_pk):
        case = self.case("cases.case.edit")
        approval = services.plan_submit(actor=request.user, case=case, plan=self.child_of(case, CasePlan, "plan_pk"))
        return Response(s.ApprovalSerializer(approval).data, status=status.HTTP_201_CREATED)


class ActionView(CaseAPIView):
    @extend_schema(summary="Update a case plan action's status", request=s.ActionStatusInput,
                   responses=s.ActionSerializer)
    def patch(self, request, pk, action_pk):
        case = self.case("cases.case.edit")
        action = self.child_of(case, CasePlanAction, "action_pk")
        action = services.plan_action_update(actor=request.user, case=case, action=action,
                                             status=parse(s.ActionStatusInput, request)["status"])
        return Response(s.ActionSerializer(action).data)


class ApprovalListView(CaseAPIView):
    @extend_schema(summary="Requests awaiting my approval", responses=s.ApprovalSerializer(many=True))
    def get(self, request):
        policy.require(request.user, "cases.case.approve")
        return paginated(self, selectors.pending_approvals(user=request.user), s.ApprovalSerializer)


class ApprovalDecideView(CaseAPIView):
    @extend_schema(summary="Approve, or return with comments", request=s.DecisionInput, responses=s.ApprovalSerializer)
    def post(self, request, approval_pk):
        policy.require(request.user, "cases.case.approve")
        approval = selectors.related_get(user=request.user, model=Approval, pk=approval_pk, action="cases.case.approve")
        data = parse(s.DecisionInput, request)
        approval = services.approval_decide(actor=request.user, approval=approval, approve=data["approve"],
                                            comments=data["comments"])
        return Response(s.ApprovalSerializer(approval).data)


# --- referrals, services, follow-ups, attachments -----------------------------------------------


class ReferralListView(CaseAPIView):
    @extend_schema(summary="Referrals", responses=s.ReferralSerializer(many=True))
    def get(self, request, pk):
        return Response(s.ReferralSerializer(self.case().referrals.select_related("provider"), many=True).data)

    @extend_schema(summary="Refer (needs the referral consent or a recorded legal basis)", request=s.ReferralInput,
                   responses={201: s.ReferralSerializer})
    def post(self, request, pk):
        case = self.case("cases.case.edit")
        data = dict(parse(s.ReferralInput, request))
        referral = services.referral_create(actor=request.user, case=case, **data)
        return Response(s.ReferralSerializer(referral).data, status=status.HTTP_201_CREATED)


class ReferralDetailView(CaseAPIView):
    @extend_schema(summary="Record the provider's answer or the outcome", request=s.ReferralUpdateInput,
                   responses=s.ReferralSerializer)
    def patch(self, request, pk, referral_pk):
        case = self.case("cases.case.edit")
        referral = self.child_of(case, Referral, "referral_pk")
        referral = services.referral_update(actor=request.user, case=case, referral=referral,
                                            **dict(parse(s.ReferralUpdateInput, request)))
        return Response(s.ReferralSerializer(referral).data)


class ServiceListView(CaseAPIView):
    @extend_schema(summary="Services we gave", responses=s.ServiceRecordSerializer(many=True))
    def get(self, request, pk):
        return Response(s.ServiceRecordSerializer(self.case().services.select_related("provided_by"), many=True).data)

    @extend_schema(summary="Record a service we gave", request=s.ServiceInput, responses={201: s.ServiceRecordSerializer})
    def post(self, request, pk):
        case = self.case("cases.case.edit")
        record = services.service_record(actor=request.user, case=case, **dict(parse(s.ServiceInput, request)))
        return Response(s.ServiceRecordSerializer(record).data, status=status.HTTP_201_CREATED)


class FollowUpListView(CaseAPIView):
    @extend_schema(summary="Follow-ups", responses=s.FollowUpSerializer(many=True))
    def get(self, request, pk):
        return Response(s.FollowUpSerializer(self.case().follow_ups.select_related("done_by"), many=True).data)

    @extend_schema(summary="Record a follow-up", request=s.FollowUpInput, responses={201: s.FollowUpSerializer})
    def post(self, request, pk):
        case = self.case("cases.case.edit")
        follow_up = services.follow_up_record(actor=request.user, case=case, **dict(parse(s.FollowUpInput, request)))
        return Response(s.FollowUpSerializer(follow_up).data, status=status.HTTP_201_CREATED)


class AttachmentListView(CaseAPIView):
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    @extend_schema(summary="Files", responses=s.AttachmentSerializer(many=True))
    def get(self, request, pk):
        return Response(s.AttachmentSerializer(self.case().attachments.all(), many=True).data)

    @extend_schema(summary="Upload a file (multipart)", request=s.AttachmentInput, responses={201: s.AttachmentSerializer})
    def post(self, request, pk):
        case = self.case("cases.case.edit")
        attachment = services.attachment_upload(actor=request.user, case=case, **dict(parse(s.AttachmentInput, request)))
        return Response(s.AttachmentSerializer(attachment).data, status=status.HTTP_201_CREATED)


class AttachmentDownloadView(CaseAPIView):
    @extend_schema(summary="Download a file (audited)", responses={(200, "application/octet-stream"): bytes})
    def get(self, request, pk, attachment_pk):
        case = self.case()
        self.child_of(case, Attachment, "attachment_pk", "cases.case.view")
        attachment, data = selectors.attachment_open(user=request.user, pk=attachment_pk)
        response = HttpResponse(data, content_type=attachment.content_type)
        response["Content-Disposition"] = f'attachment; filename="{content_disposition_name(attachment)}"'
        response["X-Content-Type-Options"] = "nosniff"
        return response


# --- sharing and transfers ----------------------------------------------------------------------


class CaseShareListView(CaseAPIView):
    @extend_schema(summary="Shares and transfers of a case", responses=s.ShareSerializer(many=True))
    def get(self, request, pk):
        case = self.case("cases.case.transfer")
        return Response(s.ShareSerializer(case.shares.select_related("case", "organisation", "to_organisation"),
                                          many=True, context=self.ctx()).data)

    @extend_schema(summary="Request a share or a transfer (needs the sharing consent)", request=s.ShareInput,
                   responses={201: s.ShareSerializer})
    def post(self, request, pk):
        case = self.case("cases.case.transfer")
        data = parse(s.ShareInput, request)
        share = services.share_request(actor=request.user, case=case, **dict(data))
        return Response(s.ShareSerializer(share, context=self.ctx()).data, status=status.HTTP_201_CREATED)


class ShareListView(CaseAPIView):
    @extend_schema(summary="Requests to approve, to answer, and shares in both directions",
                   responses=OpenApiTypes.OBJECT)
    def get(self, request):
        policy.require(request.user, "cases.share.view")
        lists = selectors.share_list(user=request.user)
        return Response({key: s.ShareSerializer(value, many=True, context=self.ctx()).data for key, value in lists.items()})


class ShareApproveView(CaseAPIView):
    @extend_schema(summary="Sending supervisor: approve or reject (re-authenticated session only)",
                   request=s.ShareApproveInput, responses=s.ShareSerializer)
    def post(self, request, share_pk):
        policy.require(request.user, "cases.case.transfer_approve")
        share = selectors.share_get(user=request.user, pk=share_pk)
        policy.require_object(request.user, "cases.case.transfer_approve", share.case)
        require_recent_reauthentication(request)
        data = parse(s.ShareApproveInput, request)
        if data["approve"]:
            share = services.share_approve(actor=request.user, share=share, comments=data["comments"])
        else:
            share = services.share_reject(actor=request.user, share=share, comments=data["comments"])
        return Response(s.ShareSerializer(share, context=self.ctx()).data)


class ShareAnswerView(CaseAPIView):
    @extend_schema(summary="Receiving organisation: accept or decline", request=s.ShareAnswerInput,
                   responses=s.ShareSerializer)
    def post(self, request, share_pk):
        policy.require(request.user, "cases.transfer.receive")
        share = selectors.share_get(user=request.user, pk=share_pk)
        data = parse(s.ShareAnswerInput, request)
        if data["accept"]:
            share = services.share_accept(actor=request.user, share=share)
        else:
            share = services.share_decline(actor=request.user, share=share, comments=data["comments"])
        return Response(s.ShareSerializer(share, context=self.ctx()).data)


class ShareRevokeView(CaseAPIView):
    @extend_schema(summary="Revoke a share or withdraw a request", request=None, responses=s.ShareSerializer)
    def post(self, request, share_pk):
        policy.require(request.user, "cases.case.share")
        share = selectors.share_get(user=request.user, pk=share_pk)
        share = services.share_revoke(actor=request.user, share=share)
        return Response(s.ShareSerializer(share, context=self.ctx()).data)


# --- tasks and providers ------------------------------------------------------------------------


class TaskListView(APIView):
    @extend_schema(summary="My tasks (overdue and awaiting me)", responses=OpenApiTypes.OBJECT)
    def get(self, request):
        policy.require(request.user, "cases.case.view")
        return Response([task.as_dict() for task in task_list(request.user)])


class ProviderListView(APIView):
    @extend_schema(summary="Service-provider directory", responses=s.ProviderSerializer(many=True))
    def get(self, request):
        policy.require(request.user, "cases.provider.view")
        return paginated(self, selectors.provider_list(user=request.user, params=request.query_params),
                         s.ProviderSerializer)

    @extend_schema(summary="Add a provider", request=s.ProviderSerializer, responses={201: s.ProviderSerializer})
    def post(self, request):
        policy.require(request.user, "cases.provider.manage")
        data = parse(s.ProviderSerializer, request)
        provider = services.provider_create(actor=request.user, data=dict(data))
        return Response(s.ProviderSerializer(provider).data, status=status.HTTP_201_CREATED)


class ProviderDetailView(APIView):
    @extend_schema(summary="One provider", responses=s.ProviderSerializer)
    def get(self, request, provider_pk):
        policy.require(request.user, "cases.provider.view")
        provider = policy.get_object(request.user, "cases.provider.view", ServiceProvider.objects.all(), pk=provider_pk)
        return Response(s.ProviderSerializer(provider).data)

    @extend_schema(summary="Change a provider of my organisation", request=s.ProviderSerializer,
                   responses=s.ProviderSerializer)
    def patch(self, request, provider_pk):
        policy.require(request.user, "cases.provider.manage")
        provider = policy.get_object(request.user, "cases.provider.manage", ServiceProvider.objects.all(),
                                     pk=provider_pk)
        data = parse(s.ProviderSerializer, request, partial=True)
        provider = services.provider_update(actor=request.user, provider=provider, data=dict(data))
        return Response(s.ProviderSerializer(provider).data)
