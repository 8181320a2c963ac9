from django.urls import path
from rest_framework.routers import SimpleRouter

from lindungi.programs import api

app_name = "programs-api"
router = SimpleRouter(trailing_slash=True)
router.register("programs/activities", api.ActivityViewSet, basename="activity")
router.register("programs/events", api.EventViewSet, basename="event")
router.register("programs/results", api.ResultViewSet, basename="result")
router.register("programs/indicators", api.IndicatorViewSet, basename="indicator")
router.register("programs/donors", api.DonorViewSet, basename="donor")
router.register("programs/partners", api.PartnerViewSet, basename="partner")
router.register("programs/learning", api.LearningViewSet, basename="learning")
router.register("programs", api.ProgramViewSet, basename="program")
urlpatterns = [
    path("programs/reference/", api.ReferenceView.as_view(), name="reference"),
    path("programs/dashboard/", api.DashboardView.as_view(), name="dashboard"),
    path("programs/iati.xml", api.IatiView.as_view(), name="iati"),
    path("programs/files/<uuid:pk>/", api.FileDownloadView.as_view(), name="file-download"),
    path("programs/reference/<slug:kind>/", api.ReferenceItemView.as_view(), name="reference-item"),
    *router.urls,
]
