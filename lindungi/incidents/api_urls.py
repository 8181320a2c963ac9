from django.urls import path

from lindungi.incidents import api

app_name = "incidents-api"
urlpatterns = [
    path("incidents/", api.IncidentListView.as_view(), name="incident-list"),
    path("incidents/choices/", api.ChoicesView.as_view(), name="choices"),
    path("incidents/platforms/", api.PlatformListView.as_view(), name="platform-list"),
    path("incidents/platforms/<int:pk>/", api.PlatformDetailView.as_view(), name="platform-detail"),
    path("incidents/perpetrators/<uuid:pk>/", api.PerpetratorDetailView.as_view(), name="perpetrator-detail"),
    path("incidents/<uuid:pk>/", api.IncidentDetailView.as_view(), name="incident-detail"),
    path("incidents/<uuid:pk>/cases/", api.IncidentCasesView.as_view(), name="incident-cases"),
    path("incidents/<uuid:pk>/cases/<uuid:case_pk>/", api.IncidentCaseDetailView.as_view(), name="incident-case"),
    path("incidents/<uuid:pk>/perpetrators/", api.PerpetratorListView.as_view(), name="perpetrator-list"),
]
