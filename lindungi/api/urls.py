from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="api-schema"), name="api-redoc"),
    path("", include("lindungi.accounts.api_urls")),
    path("", include("lindungi.geo.api_urls")),
    path("", include("lindungi.cases.api_urls")),
    path("", include("lindungi.incidents.api_urls")),
    path("", include("lindungi.legal.api_urls")),
    path("", include("lindungi.programs.api_urls")),
    path("", include("lindungi.reports.api_urls")),
]
