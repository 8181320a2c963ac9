from django.urls import path

from lindungi.reports import api

app_name = "reports-api"
urlpatterns = [
    path("reports/statistics/", api.StatisticsView.as_view(), name="statistics"),
    path("reports/statistics/export/", api.StatisticsExportView.as_view(), name="statistics-export"),
    path("reports/dataset/", api.DatasetView.as_view(), name="dataset"),
    path("reports/factsheet/", api.FactsheetView.as_view(), name="factsheet"),
    path("reports/annual/<int:year>/<slug:scope>/", api.AnnualReportView.as_view(), name="annual"),
    path("reports/annual/<int:year>/<slug:scope>/narrative/", api.NarrativeView.as_view(), name="narrative"),
]
