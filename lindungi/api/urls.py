from django.urls import include, path

from lindungi.api import views

urlpatterns = [
    path("schema/", views.schema, name="api-schema"),
    path("docs/", views.swagger, name="api-docs"),
    path("", include("lindungi.accounts.api_urls")),
    path("", include("lindungi.audit.api_urls")),
    path("", include("lindungi.geo.api_urls")),
    path("", include("lindungi.cases.api_urls")),
    path("", include("lindungi.incidents.api_urls")),
    path("", include("lindungi.legal.api_urls")),
    path("", include("lindungi.programs.api_urls")),
    path("", include("lindungi.reports.api_urls")),
]
