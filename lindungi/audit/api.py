"""`GET /api/v1/audit-events/`: the audit trail of the administrator's organisation, with the same
filters as the page (action prefix, actor, since/until, object_type, object_id)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.views import APIView

from lindungi.api.pagination import Pagination
from lindungi.api.permissions import IsAuthenticatedWithMFA, PolicyPermission
from lindungi.audit import selectors
from lindungi.audit.forms import AuditFilterForm
from lindungi.audit.models import AuditEvent
from lindungi.core.errors import DomainError


class ActorSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="full_name")


class AuditEventSerializer(serializers.ModelSerializer):
    actor = ActorSerializer(read_only=True, allow_null=True)
    organisation = serializers.IntegerField(source="organisation_id", allow_null=True, read_only=True)
    payload = serializers.JSONField(read_only=True, help_text="Ids and field names only; never personal data.")

    class Meta:
        model = AuditEvent
        fields = ["seq", "at", "actor", "organisation", "action", "object_type", "object_id", "request_id", "ip",
                  "payload", "prev_hash", "hash"]


class AuditEventListView(APIView):
    permission_classes = [IsAuthenticatedWithMFA, PolicyPermission]
    policy_action = "audit.event.view"
    pagination_class = Pagination

    @extend_schema(
        summary=_("The audit trail of your organisation"),
        description="Newest first. Administrators only; each sees their own organisation's events.",
        parameters=[
            OpenApiParameter("action", OpenApiTypes.STR, description="An action code or its beginning, e.g. cases."),
            OpenApiParameter("actor", OpenApiTypes.INT, description="Id of the user who acted."),
            OpenApiParameter("since", OpenApiTypes.DATE, description="From this day (inclusive, local time)."),
            OpenApiParameter("until", OpenApiTypes.DATE, description="Until this day (inclusive, local time)."),
            OpenApiParameter("object_type", OpenApiTypes.STR, description="e.g. cases.case"),
            OpenApiParameter("object_id", OpenApiTypes.STR),
            OpenApiParameter("page", OpenApiTypes.INT),
            OpenApiParameter("page_size", OpenApiTypes.INT),
        ],
        responses=AuditEventSerializer(many=True),
    )
    def get(self, request):
        params = {k: v for k, v in request.query_params.items() if k in AuditFilterForm.base_fields}
        form = AuditFilterForm(params, user=request.user)
        if not form.is_valid():
            fields = {name: [str(e) for e in errors] for name, errors in form.errors.items()}
            raise DomainError(next(iter(fields.values()))[0], code="invalid", fields=fields)
        events = selectors.event_list(user=request.user, filters=form.cleaned_data)
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(events, request, view=self)
        return paginator.get_paginated_response(AuditEventSerializer(page, many=True).data)
