from django.urls import path

from lindungi.incidents import views

app_name = "incidents"
urlpatterns = [
    path("", views.incident_list, name="list"),
    path("new/", views.incident_create, name="create"),
    path("<uuid:pk>/", views.incident_detail, name="detail"),
    path("<uuid:pk>/edit/", views.incident_edit, name="edit"),
    path("<uuid:pk>/cases/", views.incident_link_case, name="link_case"),
    path("<uuid:pk>/cases/<uuid:case_pk>/unlink/", views.incident_unlink_case, name="unlink_case"),
    path("<uuid:pk>/perpetrators/new/", views.perpetrator_add, name="perpetrator_add"),
    path("perpetrators/<uuid:pk>/edit/", views.perpetrator_edit, name="perpetrator_edit"),
    path("perpetrators/<uuid:pk>/remove/", views.perpetrator_remove, name="perpetrator_remove"),
    path("reference/<slug:kind>/", views.reference_list, name="reference"),
    path("reference/<slug:kind>/<int:pk>/", views.reference_list, name="reference_edit"),
]
