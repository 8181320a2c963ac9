from django.urls import path

from lindungi.legal import api

app_name = "legal-api"
_case = "legal-cases/<uuid:pk>/"
urlpatterns = [
    path("legal-cases/", api.LegalCaseListView.as_view(), name="legalcase-list"),
    path(_case, api.LegalCaseDetailView.as_view(), name="legalcase-detail"),
    path(_case + "links/", api.LegalCaseLinksView.as_view(), name="legalcase-links"),
    path(_case + "assign/", api.LegalCaseAssignView.as_view(), name="legalcase-assign"),
    path(_case + "stage/", api.LegalCaseStageView.as_view(), name="legalcase-stage"),
    path(_case + "charges/", api.ChargeListView.as_view(), name="charge-list"),
    path(_case + "charges/<int:charge_pk>/", api.ChargeDetailView.as_view(), name="charge-detail"),
    path(_case + "defendants/", api.DefendantListView.as_view(), name="defendant-list"),
    path(_case + "defendants/<uuid:defendant_pk>/", api.DefendantDetailView.as_view(), name="defendant-detail"),
    path(_case + "defendants/<uuid:defendant_pk>/verdicts/", api.VerdictView.as_view(), name="verdict"),
    path(_case + "defendants/<uuid:defendant_pk>/appeals/", api.AppealView.as_view(), name="appeal"),
    path(_case + "hearings/", api.HearingListView.as_view(), name="hearing-list"),
    path(_case + "hearings/<uuid:hearing_pk>/", api.HearingDetailView.as_view(), name="hearing-detail"),
    path(_case + "accompaniments/", api.AccompanimentListView.as_view(), name="accompaniment-list"),
    path(_case + "restitutions/", api.RestitutionListView.as_view(), name="restitution-list"),
    path(_case + "restitutions/<uuid:item_pk>/", api.RestitutionDetailView.as_view(), name="restitution-detail"),
    path(_case + "protection-requests/", api.ProtectionListView.as_view(), name="protection-list"),
    path(_case + "protection-requests/<uuid:item_pk>/", api.ProtectionDetailView.as_view(),
         name="protection-detail"),
    path("legal/calendar/", api.CalendarView.as_view(), name="calendar"),
    path("legal/calendar/feed/", api.CalendarFeedView.as_view(), name="calendar-feed"),
    path("legal/reference/<slug:kind>/", api.ReferenceListView.as_view(), name="reference-list"),
    path("legal/reference/<slug:kind>/<int:pk>/", api.ReferenceDetailView.as_view(), name="reference-detail"),
]
