from django.urls import path

from lindungi.core import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("home/sections/<slug:key>/", views.home_section, name="home_section"),
    path("reference/", views.reference_lists, name="reference_lists"),
    path("healthz", views.health, name="health"),
]
