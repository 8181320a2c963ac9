from django.urls import path

from lindungi.geo import views

app_name = "geo"
urlpatterns = [
    path("options/", views.options, name="options"),
]
