from django.urls import path

from lindungi.legal.views import calendar, legal_cases, proceedings, reference, support

app_name = "legal"
urlpatterns = [
    path("", legal_cases.legal_case_list, name="list"),
    path("new/", legal_cases.legal_case_create, name="create"),
    path("calendar/", calendar.calendar_page, name="calendar"),
    path("calendar/feed/", calendar.calendar_feed_create, name="calendar_feed_create"),
    path("calendar/feed/revoke/", calendar.calendar_feed_revoke, name="calendar_feed_revoke"),
    path("calendar/<str:token>.ics", calendar.calendar_feed, name="calendar_feed"),
    path("reference/", reference.reference_index, name="reference_index"),
    path("reference/<slug:kind>/", reference.reference_list, name="reference"),
    path("reference/<slug:kind>/<int:pk>/", reference.reference_list, name="reference_edit"),
    path("<uuid:pk>/", legal_cases.legal_case_detail, name="detail"),
    path("<uuid:pk>/edit/", legal_cases.legal_case_edit, name="edit"),
    path("<uuid:pk>/links/", legal_cases.legal_case_links, name="links"),
    path("<uuid:pk>/assign/", legal_cases.legal_case_assign, name="assign"),
    path("<uuid:pk>/stage/", legal_cases.legal_case_stage, name="stage"),
    path("<uuid:pk>/charges/new/", proceedings.charge_add, name="charge_add"),
    path("<uuid:pk>/charges/<int:charge_pk>/remove/", proceedings.charge_remove, name="charge_remove"),
    path("<uuid:pk>/defendants/new/", proceedings.defendant_add, name="defendant_add"),
    path("<uuid:pk>/defendants/<uuid:defendant_pk>/", proceedings.defendant_edit, name="defendant_edit"),
    path("<uuid:pk>/defendants/<uuid:defendant_pk>/verdict/", proceedings.verdict_record, name="verdict"),
    path("<uuid:pk>/defendants/<uuid:defendant_pk>/appeal/", proceedings.appeal_record, name="appeal"),
    path("<uuid:pk>/hearings/new/", proceedings.hearing_save, name="hearing_add"),
    path("<uuid:pk>/hearings/<uuid:hearing_pk>/", proceedings.hearing_save, name="hearing_edit"),
    path("<uuid:pk>/accompaniment/new/", support.accompaniment_add, name="accompaniment_add"),
    path("<uuid:pk>/restitution/new/", support.restitution_save, name="restitution_add"),
    path("<uuid:pk>/restitution/<uuid:item_pk>/", support.restitution_save, name="restitution_edit"),
    path("<uuid:pk>/protection/new/", support.protection_save, name="protection_add"),
    path("<uuid:pk>/protection/<uuid:item_pk>/", support.protection_save, name="protection_edit"),
]
