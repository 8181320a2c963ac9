from django.urls import include, path

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("allauth.urls")),
    path("", include("lindungi.core.urls")),
    path("account/", include("lindungi.accounts.urls")),
    path("audit/", include("lindungi.audit.urls")),
    path("regions/", include("lindungi.geo.urls")),
    path("cases/", include("lindungi.cases.urls")),
    path("incidents/", include("lindungi.incidents.urls")),
    path("legal/", include("lindungi.legal.urls")),
    path("programs/", include("lindungi.programs.urls")),
    path("reports/", include("lindungi.reports.urls")),
    path("api/v1/", include("lindungi.api.urls")),
]

handler400 = "lindungi.core.views.bad_request"
handler403 = "lindungi.core.views.permission_denied"
handler404 = "lindungi.core.views.page_not_found"
handler500 = "lindungi.core.views.server_error"
