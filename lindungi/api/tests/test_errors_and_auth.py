"""The API plumbing: one error shape for every 4xx, personal tokens, CSRF for sessions, pagination."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError as DjangoValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from rest_framework import serializers
from rest_framework.test import APIRequestFactory
from rest_framework.throttling import SimpleRateThrottle
from rest_framework.views import APIView

from lindungi.accounts.models import ApiToken, Membership
from lindungi.accounts.testing import make_user
from lindungi.accounts.tokens import digest, new_token_parts
from lindungi.api.errors import flatten_errors
from lindungi.audit.models import AuditEvent
from lindungi.core.errors import Conflict, DomainError
from lindungi.core.policy import Role

REGIONS = "/api/v1/regions/"


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def assert_error_shape(response, status: int, code: str):
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "fields"}
    assert body["error"]["code"] == code, body
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    return body["error"]


def bearer(user, *, expires_in=timedelta(days=30), revoked=False) -> dict:
    prefix, secret, full = new_token_parts()
    ApiToken.objects.create(user=user, name="script", prefix=prefix, digest=digest(secret),
                            expires_at=timezone.now() + expires_in,
                            revoked_at=timezone.now() if revoked else None)
    return {"HTTP_AUTHORIZATION": f"Bearer {full}"}


# --- 401 ------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_anonymous_requests_get_401_with_a_bearer_challenge(client):
    response = client.get(REGIONS)
    assert_error_shape(response, 401, "not_authenticated")
    assert response["WWW-Authenticate"] == "Bearer"


@pytest.mark.django_db
@pytest.mark.parametrize("header", ["Bearer lgi_nope_nope", "Bearer", "Bearer a b", "bearer lgi_x_y"])
def test_a_wrong_or_malformed_token_gets_401(client, header):
    assert_error_shape(client.get(REGIONS, HTTP_AUTHORIZATION=header), 401, "authentication_failed")


@pytest.mark.django_db
def test_another_authorization_scheme_is_not_ours_and_stays_unauthenticated(client):
    assert_error_shape(client.get(REGIONS, HTTP_AUTHORIZATION="Basic dXNlcjpwYXNz"), 401, "not_authenticated")


# --- personal tokens ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_valid_token_acts_as_its_user(client, personas):
    response = client.get(REGIONS + "?level=province", **bearer(personas.caseworker_a))
    assert response.status_code == 200 and response.json()["count"] == 38
    assert ApiToken.objects.get().last_used_at is not None


@pytest.mark.django_db
def test_expired_and_revoked_tokens_are_refused(client, personas):
    expired = bearer(personas.caseworker_a, expires_in=timedelta(seconds=-1))
    revoked = bearer(personas.caseworker_a, revoked=True)
    assert_error_shape(client.get(REGIONS, **expired), 401, "authentication_failed")
    assert_error_shape(client.get(REGIONS, **revoked), 401, "authentication_failed")


@pytest.mark.django_db
def test_the_token_of_a_deactivated_user_is_refused(client, personas):
    headers = bearer(personas.viewer_a)
    personas.viewer_a.is_active = False
    personas.viewer_a.save(update_fields=["is_active"])
    assert_error_shape(client.get(REGIONS, **headers), 401, "authentication_failed")


@pytest.mark.django_db
def test_a_token_never_has_more_power_than_its_user_has_now(client, personas):
    headers = bearer(personas.viewer_a)
    assert client.get(REGIONS, **headers).status_code == 200
    Membership.objects.filter(user=personas.viewer_a).delete()  # the user loses every role
    error = assert_error_shape(client.get(REGIONS, HTTP_ACCEPT_LANGUAGE="en", **headers), 403, "permission_denied")
    assert error["message"] == "You do not have permission to do this."


@pytest.mark.django_db
def test_a_token_needs_no_csrf_token_for_writes(personas):
    client = Client(enforce_csrf_checks=True)
    response = client.post(REGIONS, {}, content_type="application/json", **bearer(personas.viewer_a))
    assert_error_shape(response, 405, "method_not_allowed")


# --- sessions and CSRF ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_session_writes_without_the_csrf_token_are_refused(personas):
    client = Client(enforce_csrf_checks=True)
    client.force_login(personas.viewer_a)
    error = assert_error_shape(client.post(REGIONS, {}, content_type="application/json"), 403, "csrf_failed")
    assert "X-CSRFToken" in error["message"]


@pytest.mark.django_db
def test_session_writes_with_the_csrf_token_pass_the_check(personas):
    client = Client(enforce_csrf_checks=True)
    client.force_login(personas.viewer_a)
    client.get("/")  # the page sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    response = client.post(REGIONS, {}, content_type="application/json", HTTP_X_CSRFTOKEN=token)
    assert_error_shape(response, 405, "method_not_allowed")  # past CSRF; regions are read-only


@pytest.mark.django_db
def test_session_reads_need_no_csrf_token(personas):
    client = Client(enforce_csrf_checks=True)
    client.force_login(personas.viewer_a)
    assert client.get(REGIONS).status_code == 200


# --- 403 ------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_user_without_a_role_is_denied_and_the_denial_is_audited(client_for, personas):
    nobody = make_user(personas.org_a, "nobody@test.invalid", [], mfa=False)
    error = assert_error_shape(client_for(nobody).get(REGIONS), 403, "permission_denied")
    assert error["fields"] == {}
    event = AuditEvent.objects.filter(action="security.access.denied").latest("seq")
    assert event.actor_id == nobody.pk and event.payload == {"action": "geo.region.view", "reason": "not_granted"}


@pytest.mark.django_db
def test_a_role_that_needs_mfa_is_refused_until_it_is_set_up(client_for, personas):
    user = make_user(personas.org_a, "nomfa@test.invalid", [Role.CASEWORKER], mfa=False)
    error = assert_error_shape(client_for(user).get(REGIONS, HTTP_ACCEPT_LANGUAGE="en"), 403, "mfa_required")
    assert "two-factor" in error["message"]


# --- 404, 405, 400 --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_unknown_region_is_404_in_the_error_shape(client_for, personas):
    assert_error_shape(client_for(personas.viewer_a).get(REGIONS + "99.99/"), 404, "not_found")


@pytest.mark.django_db
def test_an_unknown_api_path_is_404_in_the_error_shape(client_for, personas):
    assert_error_shape(client_for(personas.viewer_a).get("/api/v1/regions/not-a-code/"), 404, "not_found")


@pytest.mark.django_db
def test_a_method_the_endpoint_does_not_have_is_405(client_for, personas):
    response = client_for(personas.viewer_a).delete(REGIONS + "31/")
    assert_error_shape(response, 405, "method_not_allowed")
    assert "DELETE" not in response["Allow"] and "GET" in response["Allow"]


@pytest.mark.django_db
def test_an_invalid_filter_is_400_with_the_field(client_for, personas):
    error = assert_error_shape(client_for(personas.viewer_a).get(REGIONS + "?level=village"), 400, "invalid")
    assert list(error["fields"]) == ["level"] and error["message"] == error["fields"]["level"][0]


# --- the handler with errors the region endpoints cannot produce ----------------------------------

factory = APIRequestFactory()


class _OneAtATime(SimpleRateThrottle):
    rate = "1/minute"

    def get_cache_key(self, request, view):
        return "test-throttle"


class _Input(serializers.Serializer):
    name = serializers.CharField()
    address = serializers.DictField(child=serializers.CharField())

    def validate_address(self, value):
        raise serializers.ValidationError({"city": ["Unknown city."]})


class _View(APIView):
    authentication_classes = []
    permission_classes = []
    error = None

    def post(self, request):
        if self.error is not None:
            raise self.error
        _Input(data=request.data).is_valid(raise_exception=True)


def call(view_class, body=None):
    view_class.throttle_classes = getattr(view_class, "throttle_classes", [])
    return view_class.as_view()(factory.post("/api/v1/test/", body or {}, format="json"))


def test_a_domain_error_keeps_its_code_message_and_fields():
    class View(_View):
        error = DomainError("The child must be under 18.", code="not_a_child", fields={"birth_date": ["Too old."]})

    response = call(View)
    assert response.status_code == 400
    assert response.data == {"error": {"code": "not_a_child", "message": "The child must be under 18.",
                                       "fields": {"birth_date": ["Too old."]}}}


def test_a_conflict_is_409():
    class View(_View):
        error = Conflict("The case is already closed.")

    response = call(View)
    assert response.status_code == 409 and response.data["error"]["code"] == "conflict"


def test_a_model_validation_error_that_escaped_a_service_is_400_not_500():
    class View(_View):
        error = DjangoValidationError({"name": ["This field cannot be blank."]})

    response = call(View)
    assert response.status_code == 400
    assert response.data["error"]["fields"] == {"name": ["This field cannot be blank."]}


def test_serializer_errors_are_flattened_with_dotted_names():
    response = call(_View, {"address": {"city": "Atlantis"}})
    assert response.status_code == 400
    assert response.data["error"]["fields"] == {"name": ["This field is required."], "address.city": ["Unknown city."]}


@pytest.mark.django_db
def test_too_many_requests_is_429_with_retry_after():
    from django.core.cache import cache

    cache.delete("test-throttle")

    class View(_View):
        throttle_classes = [_OneAtATime]

    assert call(View, {"name": "x", "address": {}}).status_code in (200, 400)
    response = call(View, {"name": "x", "address": {}})
    assert response.status_code == 429
    assert response.data["error"]["code"] == "throttled" and int(response["Retry-After"]) > 0
    cache.delete("test-throttle")


def test_a_malformed_json_body_is_400():
    request = factory.post("/api/v1/test/", "{not json", content_type="application/json")
    response = _View.as_view()(request)
    assert response.status_code == 400 and response.data["error"]["code"] == "parse_error"


def test_flatten_errors_handles_lists_of_items():
    detail = {"items": [{}, {"name": ["Required."]}], "non_field_errors": ["Bad."]}
    assert flatten_errors(detail) == {"items.1.name": ["Required."], "non_field_errors": ["Bad."]}
    assert flatten_errors(["Bad."]) == {"non_field_errors": ["Bad."]}


def test_server_errors_are_left_to_the_generic_500():
    from lindungi.api.errors import exception_handler

    assert exception_handler(RuntimeError("boom"), {"request": None}) is None


# --- pagination -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_lists_are_paginated_with_count_and_links(client_for, personas):
    body = client_for(personas.viewer_a).get(REGIONS + "?level=province&page_size=10").json()
    assert body["count"] == 38 and len(body["results"]) == 10
    assert body["previous"] is None and "page=2" in body["next"]
    last = client_for(personas.viewer_a).get(REGIONS + "?level=province&page_size=10&page=4").json()
    assert len(last["results"]) == 8 and last["next"] is None


@pytest.mark.django_db
def test_the_page_size_is_capped(client_for, personas):
    body = client_for(personas.viewer_a).get(REGIONS + "?page_size=100000").json()
    assert len(body["results"]) == 200


@pytest.mark.django_db
def test_a_page_beyond_the_end_is_404_in_the_error_shape(client_for, personas):
    assert_error_shape(client_for(personas.viewer_a).get(REGIONS + "?page=999"), 404, "not_found")


@pytest.mark.django_db
def test_errors_speak_the_requested_language(client_for, personas):
    response = client_for(personas.viewer_a).get(REGIONS + "99.99/", HTTP_ACCEPT_LANGUAGE="id")
    assert response.json()["error"]["message"] == "Tidak ditemukan."
    response = client_for(personas.viewer_a).get(reverse("geo-api:region-detail", args=["99"]),
                                                 HTTP_ACCEPT_LANGUAGE="en")
    assert response.json()["error"]["message"] == "Not found."
