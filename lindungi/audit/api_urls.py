from django.urls import path

from lindungi.audit import api

app_name = "audit-api"
urlpatterns = [
    path("audit-events/", api.AuditEventListView.as_view(), name="event-list"),
]
