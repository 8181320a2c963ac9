from django.urls import path

from lindungi.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("table/", views.table, name="table"),
    path("chart/", views.chart, name="chart"),
    path("table/export/<slug:fmt>/", views.table_export, name="table_export"),
    path("dataset/", views.dataset, name="dataset"),
    path("factsheet/", views.factsheet, name="factsheet"),
    path("factsheet/pdf/", views.factsheet_download, name="factsheet_pdf"),
    path("annual/", views.annual_list, name="annual_list"),
    path("annual/<int:year>/<slug:scope>/", views.annual_detail, name="annual_detail"),
    path("annual/<int:year>/<slug:scope>/pdf/", views.annual_pdf, name="annual_pdf"),
    path("annual/<int:year>/<slug:scope>/docx/", views.annual_docx, name="annual_docx"),
    path("annual/<int:year>/<slug:scope>/edit/", views.annual_edit, name="annual_edit"),
]
