"""The OpenAPI 3 schema (valid, generated without warnings) and the documentation pages, served
from our own static files under our Content-Security-Policy."""

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[3]


def test_the_schema_generates_without_warnings_or_errors():
    result = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "spectacular", "--validate", "--fail-on-warn", "--format",
         "openapi-json", "--file", "/dev/null"],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
        env={"DJANGO_SETTINGS_MODULE": "lindungi.settings.test", "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 0, result.stderr[-4000:]


@pytest.fixture
def schema(client_for, personas) -> dict:
    response = client_for(personas.viewer_a).get(reverse("api-schema") + "?format=json", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    return json.loads(response.content)


@pytest.mark.django_db
def test_the_served_schema_is_valid_openapi_3(schema):
    from openapi_spec_validator import validate

    validate(schema)
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["title"] == "Lindungi API"


@pytest.mark.django_db
def test_the_schema_documents_both_ways_to_authenticate(schema):
    schemes = schema["components"]["securitySchemes"]
    assert (schemes["personalToken"]["type"], schemes["personalToken"]["scheme"]) == ("http", "bearer")
    assert schemes["session"]["in"] == "cookie"


@pytest.mark.django_db
def test_every_operation_documents_the_error_shape(schema):
    assert schema["components"]["schemas"]["Error"]["required"] == ["error"]
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            for status in ("401", "403", "429"):
                ref = operation["responses"][status]["content"]["application/json"]["schema"]["$ref"]
                assert ref == "#/components/schemas/Error", f"{method} {path} {status}"


@pytest.mark.django_db
def test_the_regions_endpoints_are_documented_with_their_filters(schema):
    listing = schema["paths"]["/api/v1/regions/"]["get"]
    names = {parameter["name"] for parameter in listing["parameters"]}
    assert {"level", "parent", "within", "search", "page", "page_size"} <= names
    detail = schema["paths"]["/api/v1/regions/{code}/"]["get"]
    assert "404" in detail["responses"]
    pattern = re.compile(detail["parameters"][0]["schema"]["pattern"])
    assert pattern.match("31.71.01") and not pattern.match("abc")


def test_the_schema_needs_a_signed_in_user(client):
    assert client.get(reverse("api-schema")).status_code == 401


# --- documentation pages --------------------------------------------------------------------------

ASSET = re.compile(r'(?:src|href)="(/static/[^"]+)"')


def csp(response) -> dict[str, list[str]]:
    return {part.split()[0]: part.split()[1:] for part in response["Content-Security-Policy"].split(";")
            if part.strip()}


@pytest.mark.django_db
@pytest.mark.parametrize("route", ["api-docs"])
def test_docs_pages_load_everything_from_our_own_static_files(client_for, personas, route):
    client = client_for(personas.viewer_a)
    response = client.get(reverse(route))
    assert response.status_code == 200
    html = response.content.decode()
    assert "https://" not in html and "http://" not in html, "no asset from the internet"
    assets = ASSET.findall(html)
    assert any(a.endswith((".js",)) for a in assets) and any(a.endswith(".css") for a in assets)
    for asset in assets:
        assert client.get(asset).status_code == 200, asset
    nonce = response.wsgi_request.csp_nonce
    for attributes in re.findall(r"<script\b([^>]*)>", html):
        assert "src=" in attributes and f'nonce="{nonce}"' in attributes


@pytest.mark.django_db
def test_swagger_start_up_code_is_a_separate_script(client_for, personas):
    client = client_for(personas.viewer_a)
    html = client.get(reverse("api-docs")).content.decode()
    script_url = re.search(r'<script src="([^"]*script=[^"]*)"', html).group(1).replace("&amp;", "&")
    script = client.get(script_url)
    assert script.status_code == 200 and script["Content-Type"].startswith("application/javascript")
    body = script.content.decode()
    assert "SwaggerUIBundle" in body and '"validatorUrl": null' in body


@pytest.mark.django_db
@pytest.mark.parametrize("route", ["api-docs"])
def test_docs_pages_loosen_only_styles_and_only_there(client_for, personas, route):
    client = client_for(personas.viewer_a)
    docs = csp(client.get(reverse(route)))
    assert "'unsafe-inline'" in docs["style-src"]
    assert "'unsafe-inline'" not in docs["script-src"] and "'unsafe-eval'" not in docs["script-src"]
    assert docs["default-src"] == ["'self'"] and docs["connect-src"] == ["'self'"]
    home = csp(client.get(reverse("core:home")))
    assert "'unsafe-inline'" not in home["style-src"]


@pytest.mark.django_db
@pytest.mark.parametrize("route", ["api-docs"])
def test_docs_pages_send_anonymous_visitors_to_the_login_page(client, route):
    response = client.get(reverse(route))
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))
