from django.urls import path

from lindungi.accounts import api

app_name = "accounts-api"
urlpatterns = [
    path("me/", api.MeView.as_view(), name="me"),
    path("organisations/", api.OrganisationListView.as_view(), name="organisation-list"),
    path("organisations/<int:pk>/", api.OrganisationDetailView.as_view(), name="organisation-detail"),
    path("organisations/<int:pk>/deactivate/", api.OrganisationDeactivateView.as_view(),
         name="organisation-deactivate"),
    path("organisations/<int:pk>/reactivate/", api.OrganisationReactivateView.as_view(),
         name="organisation-reactivate"),
    path("users/", api.UserListView.as_view(), name="user-list"),
    path("users/<int:pk>/", api.UserDetailView.as_view(), name="user-detail"),
    path("users/<int:pk>/roles/", api.UserRolesView.as_view(), name="user-roles"),
    path("users/<int:pk>/deactivate/", api.UserDeactivateView.as_view(), name="user-deactivate"),
    path("users/<int:pk>/reactivate/", api.UserReactivateView.as_view(), name="user-reactivate"),
    path("tokens/", api.TokenListView.as_view(), name="token-list"),
    path("tokens/<int:pk>/revoke/", api.TokenRevokeView.as_view(), name="token-revoke"),
]
