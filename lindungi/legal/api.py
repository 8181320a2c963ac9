"""The legal API: one endpoint for every page, calling the same selectors and services; errors in
the one shape of `lindungi.api.errors`. Reading a legal case is audited like its page."""

from __future__ import annotations

import datetime

from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from lindungi.accounts.models import User
from lindungi.api.pagination import Pagination
from lindungi.cases.models import Case
from lindungi.core import policy
from lindungi.incidents import common
from lindungi.incidents import selectors as incident_selectors
from lindungi.incidents.api import page_of
from lindungi.incidents.models import Incident, Perpetrator
from lindungi.legal import selectors, services
from lindungi.legal import serializers as s
from lindungi.legal.models import (
    Charge,
    Defendant,
    Hearing,
    LegalCase,
    ProtectionRequest,
    Restitution,
)
from lindungi.legal.services._common import ASSIGN, CALENDAR, CREATE, REFERENCE

VIEW, EDIT = selectors.VIEW, selectors.EDIT
MAX_CALENDAR_DAYS = 400


class CalendarFeedCreatedSerializer(serializers.Serializer):
    url = serializers.URLField(help_text="The secret calendar address: shown in this response only.")
    created_at = serializers.DateTimeField()


def _params(*names):
    return [OpenApiParameter(name, OpenApiTypes.STR, required=False) for name in names]


NO_CONTENT = {204: None}


def _legal_case(request, pk, action=EDIT, record_view=False) -> LegalCase:
    policy.require(request.user, action)
    return selectors.legal_case_get(user=request.user, pk=pk, action=action, record_view=record_view)


def _detail(request, pk, status_code=status.HTTP_200_OK) -> Response:
    legal_case = selectors.legal_case_get(user=request.user, pk=pk, record_view=False)
    return Response(s.LegalCaseSerializer(legal_case).data, status=status_code)


def _user(request, user_id, field) -> User | None:
    if user_id is None:
        return None
    user = User.objects.filter(pk=user_id, organisation_id=request.user.organisation_id).first()
    if user is None:
        raise common.field_error(field, _("Choose an active member of your organisation."))
    return user


def _incidents(request, ids) -> list[Incident]:
    found = {i.pk: i for i in incident_selectors.visible_incidents(request.user).filter(
        pk__in=ids, organisation_id=request.user.organisation_id)}
    missing = [str(i) for i in ids if i not in found]
    if missing:
        raise common.field_error("incidents", _("These incidents cannot be linked: %(ids)s") % {
            "ids": ", ".join(missing)})
    return [found[i] for i in ids]


def _victims(legal_case_or_incidents, ids, field="victims") -> list[Case]:
    cases = {c.pk: c for c in Case.objects.filter(pk__in=ids)}
    missing = [str(i) for i in ids if i not in cases]
    if missing:
        raise common.field_error(field, _("Unknown cases: %(ids)s") % {"ids": ", ".join(missing)})
    return [cases[i] for i in ids]


def _victim(legal_case, case_id, field="victim"):
    if case_id is None:
        return None
    case = legal_case.victims.filter(pk=case_id).first()
    if case is None:
        raise common.field_error(field, _("Choose a child victim of this legal case."))
    return case


def _defendant(legal_case, defendant_id, field="defendant"):
    if defendant_id is None:
        return None
    defendant = legal_case.defendants.filter(pk=defendant_id).first()
    if defendant is None:
        raise common.field_error(field, _("Choose a defendant of this legal case."))
    return defendant


# --- legal cases --------------------------------------------------------------------------------


class LegalCaseListView(APIView):
    """Legal cases in the caller's scope; filters as on the list page (`stage`, `status`, `law`,
    `article`, `type`, `province`, `officer`, `date_from`, `date_to`, `q`)."""

    @extend_schema(operation_id="legal_cases_list", responses=page_of(s.LegalCaseListSerializer), parameters=_params(
        "stage", "status", "law", "article", "type", "province", "officer", "date_from", "date_to", "q", "page",
        "page_size"))
    def get(self, request):
        policy.require(request.user, VIEW)
        filters = selectors.LegalCaseFilters.from_params(request.query_params)
        paginator = Pagination()
        page = paginator.paginate_queryset(selectors.legal_case_list(user=request.user, filters=filters), request,
                                           view=self)
        return paginator.get_paginated_response(s.LegalCaseListSerializer(page, many=True).data)

    @extend_schema(request=s.LegalCaseCreateInput, responses={201: s.LegalCaseSerializer})
    def post(self, request):
        policy.require(request.user, CREATE)
        serializer = s.LegalCaseCreateInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        incidents = _incidents(request, data.pop("incidents"))
        victims = _victims(incidents, data.pop("victims")) if "victims" in data else None
        officer = _user(request, data.pop("assigned_officer", None), "assigned_officer")
        legal_case = services.legal_case_create(
            actor=request.user, incidents=incidents, victims=victims, stage=data.pop("stage", None),
            entered_on=data.pop("entered_on", None), reported_on=data.pop("reported_on", None),
            assigned_officer=officer, data=data)
        return _detail(request, legal_case.pk, status.HTTP_201_CREATED)


class LegalCaseDetailView(APIView):
    @extend_schema(responses=s.LegalCaseSerializer)
    def get(self, request, pk):
        legal_case = _legal_case(request, pk, VIEW, record_view=True)
        return Response(s.LegalCaseSerializer(legal_case).data)

    @extend_schema(request=s.LegalCaseDetailsInput, responses=s.LegalCaseSerializer)
    def patch(self, request, pk):
        legal_case = _legal_case(request, pk)
        serializer = s.LegalCaseDetailsInput(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        services.legal_case_update(actor=request.user, legal_case=legal_case, data=dict(serializer.validated_data))
        return _detail(request, pk)


class LegalCaseLinksView(APIView):
    """Replace the incidents and child victims of the legal case."""

    @extend_schema(request=s.LegalCaseLinksInput, responses=s.LegalCaseSerializer)
    def put(self, request, pk):
        legal_case = _legal_case(request, pk)
        serializer = s.LegalCaseLinksInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        current = {i.pk: i for i in legal_case.incidents.all()}
        wanted = serializer.validated_data["incidents"]
        new = [i for i in wanted if i not in current]
        incidents = [current[i] for i in wanted if i in current] + (_incidents(request, new) if new else [])
        victims = _victims(incidents, serializer.validated_data["victims"])
        services.legal_case_set_links(actor=request.user, legal_case=legal_case, incidents=incidents,
                                      victims=victims)
        return _detail(request, pk)


class LegalCaseAssignView(APIView):
    @extend_schema(request=s.LegalCaseAssignInput, responses=s.LegalCaseSerializer)
    def post(self, request, pk):
        legal_case = _legal_case(request, pk, ASSIGN)
        serializer = s.LegalCaseAssignInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        officer = _user(request, serializer.validated_data["officer"], "officer")
        services.legal_case_assign(actor=request.user, legal_case=legal_case, officer=officer)
        return _detail(request, pk)


class LegalCaseStageView(APIView):
    """GET: the stages the legal case may move to now. POST: move it (refusals answer 409 with
    the reason)."""

    @extend_schema(responses=s.StageSerializer(many=True))
    def get(self, request, pk):
        legal_case = _legal_case(request, pk, VIEW)
        from lindungi.legal import stages

        return Response(s.StageSerializer(stages.allowed_stages(legal_case), many=True).data)

    @extend_schema(request=s.LegalCaseStageInput, responses=s.LegalCaseSerializer)
    def post(self, request, pk):
        legal_case = _legal_case(request, pk)
        serializer = s.LegalCaseStageInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.legal_case_change_stage(actor=request.user, legal_case=legal_case, **serializer.validated_data)
        return _detail(request, pk)


class ChargeListView(APIView):
    @extend_schema(request=s.ChargeInput, responses={201: s.ChargeSerializer})
    def post(self, request, pk):
        legal_case = _legal_case(request, pk)
        serializer = s.ChargeInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        defendant = _defendant(legal_case, serializer.validated_data.get("defendant"))
        charge = services.charge_add(actor=request.user, legal_case=legal_case,
                                     article=serializer.validated_data["article"], defendant=defendant)
        return Response(s.ChargeSerializer(charge).data, status=status.HTTP_201_CREATED)


class ChargeDetailView(APIView):
    @extend_schema(responses=NO_CONTENT)
    def delete(self, request, pk, charge_pk):
        legal_case = _legal_case(request, pk)
        charge = selectors.related_get(user=request.user, model=Charge, pk=charge_pk, legal_case=legal_case)
        services.charge_remove(actor=request.user, charge=charge)
        return Response(status=status.HTTP_204_NO_CONTENT)


class DefendantListView(APIView):
    @extend_schema(request=s.DefendantCreateInput, responses={201: s.DefendantSerializer})
    def post(self, request, pk):
        legal_case = _legal_case(request, pk)
        serializer = s.DefendantCreateInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        perpetrator = Perpetrator.objects.filter(pk=data.pop("perpetrator"),
                                                 incident__legal_case_links__legal_case=legal_case).first()
        if perpetrator is None:
            raise common.field_error("perpetrator", _("Choose a perpetrator of this legal case's incidents."))
        defendant = services.defendant_add(actor=request.user, legal_case=legal_case, perpetrator=perpetrator,
                                           data=data)
        return Response(s.DefendantSerializer(defendant).data, status=status.HTTP_201_CREATED)


class DefendantDetailView(APIView):
    @extend_schema(request=s.DefendantInput, responses=s.DefendantSerializer)
    def patch(self, request, pk, defendant_pk):
        legal_case = _legal_case(request, pk)
        defendant = selectors.related_get(user=request.user, model=Defendant, pk=defendant_pk, legal_case=legal_case)
        serializer = s.DefendantInput(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        defendant = services.defendant_update(actor=request.user, defendant=defendant,
                                              data=dict(serializer.validated_data))
        return Response(s.DefendantSerializer(defendant).data)


class VerdictView(APIView):
    """Record (or correct) the decision of one court level for a defendant."""

    @extend_schema(request=s.VerdictInput, responses={201: s.VerdictSerializer})
    def post(self, request, pk, defendant_pk):
        legal_case = _legal_case(request, pk)
        defendant = selectors.related_get(user=request.user, model=Defendant, pk=defendant_pk, legal_case=legal_case)
        serializer = s.VerdictInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        verdict = services.verdict_record(actor=request.user, defendant=defendant, level=data.pop("level"), data=data)
        return Response(s.VerdictSerializer(verdict).data, status=status.HTTP_201_CREATED)


class AppealView(APIView):
    @extend_schema(request=s.AppealInput, responses={201: s.AppealSerializer})
    def post(self, request, pk, defendant_pk):
        legal_case = _legal_case(request, pk)
        defendant = selectors.related_get(user=request.user, model=Defendant, pk=defendant_pk, legal_case=legal_case)
        serializer = s.AppealInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        appeal = services.appeal_record(actor=request.user, defendant=defendant, **serializer.validated_data)
        return Response(s.AppealSerializer(appeal).data, status=status.HTTP_201_CREATED)


class HearingListView(APIView):
    @extend_schema(request=s.HearingInput, responses={201: s.HearingSerializer})
    def post(self, request, pk):
        legal_case = _legal_case(request, pk)
        serializer = s.HearingInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        if "accompanied_by" in data:
            data["accompanied_by"] = _user(request, data["accompanied_by"], "accompanied_by")
        hearing = services.hearing_save(actor=request.user, legal_case=legal_case, data=data)
        return Response(s.HearingSerializer(hearing).data, status=status.HTTP_201_CREATED)


class HearingDetailView(APIView):
    @extend_schema(request=s.HearingInput, responses=s.HearingSerializer)
    def patch(self, request, pk, hearing_pk):
        legal_case = _legal_case(request, pk)
        hearing = selectors.related_get(user=request.user, model=Hearing, pk=hearing_pk, legal_case=legal_case)
        serializer = s.HearingInput(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        if "accompanied_by" in data:
            data["accompanied_by"] = _user(request, data["accompanied_by"], "accompanied_by")
        hearing = services.hearing_save(actor=request.user, legal_case=legal_case, data=data, hearing=hearing)
        return Response(s.HearingSerializer(hearing).data)


class AccompanimentListView(APIView):
    @extend_schema(request=s.AccompanimentInput, responses={201: s.AccompanimentSerializer})
    def post(self, request, pk):
        legal_case = _legal_case(request, pk)
        serializer = s.AccompanimentInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        if "done_by" in data:
            data["done_by"] = _user(request, data["done_by"], "done_by")
        if "victim" in data:
            data["victim"] = _victim(legal_case, data["victim"])
        record = services.accompaniment_record(actor=request.user, legal_case=legal_case, data=data)
        return Response(s.AccompanimentSerializer(record).data, status=status.HTTP_201_CREATED)


class RestitutionListView(APIView):
    @extend_schema(request=s.RestitutionInput, responses={201: s.RestitutionSerializer})
    def post(self, request, pk):
        legal_case = _legal_case(request, pk)
        serializer = s.RestitutionInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        if "defendant" in data:
            data["defendant"] = _defendant(legal_case, data["defendant"])
        item = services.restitution_save(actor=request.user, legal_case=legal_case, data=data)
        return Response(s.RestitutionSerializer(item).data, status=status.HTTP_201_CREATED)


class RestitutionDetailView(APIView):
    @extend_schema(request=s.RestitutionInput, responses=s.RestitutionSerializer)
    def patch(self, request, pk, item_pk):
        legal_case = _legal_case(request, pk)
        item = selectors.related_get(user=request.user, model=Restitution, pk=item_pk, legal_case=legal_case)
        serializer = s.RestitutionInput(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        if "defendant" in data:
            data["defendant"] = _defendant(legal_case, data["defendant"])
        item = services.restitution_save(actor=request.user, legal_case=legal_case, data=data, restitution=item)
        return Response(s.RestitutionSerializer(item).data)


class ProtectionListView(APIView):
    @extend_schema(request=s.ProtectionInput, responses={201: s.ProtectionSerializer})
    def post(self, request, pk):
        legal_case = _legal_case(request, pk)
        serializer = s.ProtectionInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        if "victim" in data:
            data["victim"] = _victim(legal_case, data["victim"])
        item = services.protection_save(actor=request.user, legal_case=legal_case, data=data)
        return Response(s.ProtectionSerializer(item).data, status=status.HTTP_201_CREATED)


class ProtectionDetailView(APIView):
    @extend_schema(request=s.ProtectionInput, responses=s.ProtectionSerializer)
    def patch(self, request, pk, item_pk):
        legal_case = _legal_case(request, pk)
        item = selectors.related_get(user=request.user, model=ProtectionRequest, pk=item_pk, legal_case=legal_case)
        serializer = s.ProtectionInput(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        if "victim" in data:
            data["victim"] = _victim(legal_case, data["victim"])
        item = services.protection_save(actor=request.user, legal_case=legal_case, data=data, request=item)
        return Response(s.ProtectionSerializer(item).data)


# --- calendar -----------------------------------------------------------------------------------


def _date_param(request, name, default):
    value = request.query_params.get(name)
    if not value:
        return default
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise common.field_error(name, _("Enter a valid date.")) from None


class CalendarView(APIView):
    """Hearings and filing deadlines between `start` and `end` (default: the next 60 days)."""

    @extend_schema(responses=s.CalendarEventSerializer(many=True), parameters=[
        OpenApiParameter("start", OpenApiTypes.DATE, required=False),
        OpenApiParameter("end", OpenApiTypes.DATE, required=False)])
    def get(self, request):
        policy.require(request.user, CALENDAR)
        start = _date_param(request, "start", common.today())
        end = _date_param(request, "end", start + datetime.timedelta(days=60))
        if end < start or (end - start).days > MAX_CALENDAR_DAYS:
            raise common.field_error("end", _("Choose an end date after the start, at most %(days)s days later.") % {
                "days": MAX_CALENDAR_DAYS})
        events = selectors.calendar_events(request.user, start=start, end=end)
        return Response(s.CalendarEventSerializer(events, many=True).data)


class CalendarFeedView(APIView):
    """POST: a new personal iCalendar address (the old one stops working); the address is in this
    response only. DELETE: revoke it."""

    @extend_schema(request=None, responses={201: CalendarFeedCreatedSerializer})
    def post(self, request):
        policy.require(request.user, CALENDAR)
        feed, token = services.calendar_feed_create(actor=request.user)
        url = request.build_absolute_uri(reverse("legal:calendar_feed", args=[token]))
        return Response({"url": url, "created_at": feed.created_at}, status=status.HTTP_201_CREATED)

    @extend_schema(responses=NO_CONTENT)
    def delete(self, request):
        policy.require(request.user, CALENDAR)
        services.calendar_feed_revoke(actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- reference lists ----------------------------------------------------------------------------


def _reference_model(kind):
    if kind not in s.REFERENCE_MODELS:
        raise Http404
    return s.REFERENCE_MODELS[kind]


class ReferenceListView(APIView):
    """The legal reference lists: `stages`, `police-unit-levels`, `laws`, `articles`, `deadlines`."""

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request, kind):
        policy.require(request.user, VIEW)
        model = _reference_model(kind)
        return Response(s.reference_serializer(model)(model.objects.all(), many=True).data)

    @extend_schema(request=OpenApiTypes.OBJECT, responses={201: OpenApiTypes.OBJECT})
    def post(self, request, kind):
        policy.require(request.user, REFERENCE)
        model = _reference_model(kind)
        serializer = s.reference_serializer(model)(data=request.data)
        serializer.is_valid(raise_exception=True)
        item = services.reference_save(actor=request.user, model=model, data=dict(serializer.validated_data))
        return Response(s.reference_serializer(model)(item).data, status=status.HTTP_201_CREATED)


class ReferenceDetailView(APIView):
    @extend_schema(request=OpenApiTypes.OBJECT, responses=OpenApiTypes.OBJECT)
    def patch(self, request, kind, pk):
        policy.require(request.user, REFERENCE)
        model = _reference_model(kind)
        item = model.objects.filter(pk=pk).first()
        if item is None:
            raise Http404
        serializer = s.reference_serializer(model)(item, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        item = services.reference_save(actor=request.user, model=model, data=dict(serializer.validated_data),
                                       instance=item)
        return Response(s.reference_serializer(model)(item).data)
