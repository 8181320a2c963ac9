"""The web shell: Content-Security-Policy with nonces, caching of personal pages, the language
switch, error pages, and a home page that tells each persona who they are and what they can do."""

import re
from html import escape, unescape

import pytest
from django.urls import NoReverseMatch, reverse
from django.utils import translation

from lindungi.core import navigation, policy
from lindungi.core.testing.world import PERSONA_ROLES

SCRIPT_TAG = re.compile(r"<script\b([^>]*)>", re.IGNORECASE)


def csp_directives(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


@pytest.fixture
def caseworker_client(client_for, personas):
    return client_for(personas.caseworker_a)


@pytest.mark.django_db
def test_pages_carry_a_csp_with_a_nonce_and_no_inline_scripts(caseworker_client):
    response = caseworker_client.get(reverse("core:home"))
    directives = csp_directives(response)
    nonce = response.wsgi_request.csp_nonce
    assert f"'nonce-{nonce}'" in directives["script-src"]
    for directive in ("script-src", "style-src", "default-src"):
        assert "'unsafe-inline'" not in directives[directive] and "'unsafe-eval'" not in directives[directive]
    assert directives["object-src"] == ["'none'"] and directives["frame-ancestors"] == ["'none'"]
    assert directives["base-uri"] == ["'none'"] and directives["form-action"] == ["'self'"]
    scripts = SCRIPT_TAG.findall(response.content.decode())
    assert scripts, "the shell loads htmx and app.js"
    for attributes in scripts:
        assert f'nonce="{nonce}"' in attributes, f"<script{attributes}> has no nonce"
        assert "src=" in attributes, "inline <script> blocks are not allowed"


@pytest.mark.django_db
def test_the_nonce_is_fresh_for_every_response(caseworker_client):
    first = caseworker_client.get(reverse("core:home")).wsgi_request.csp_nonce
    second = caseworker_client.get(reverse("core:home")).wsgi_request.csp_nonce
    assert first != second


@pytest.mark.django_db
def test_the_login_page_has_the_same_policy_and_no_inline_script(client):
    response = client.get(reverse("account_login"))
    assert response.status_code == 200
    directives = csp_directives(response)
    assert "'unsafe-inline'" not in directives["script-src"]
    for attributes in SCRIPT_TAG.findall(response.content.decode()):
        assert "src=" in attributes and "nonce=" in attributes


@pytest.mark.django_db
def test_pages_for_signed_in_users_are_never_stored(caseworker_client):
    response = caseworker_client.get(reverse("core:home"))
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"no-store", "private"} <= cache_control


@pytest.mark.django_db
def test_api_answers_for_signed_in_users_are_never_stored(caseworker_client):
    response = caseworker_client.get(reverse("geo-api:region-list"))
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_hardening_headers(caseworker_client):
    response = caseworker_client.get(reverse("core:home"))
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])


@pytest.mark.django_db
def test_htmx_is_served_from_our_static_files_and_keeps_no_history(caseworker_client):
    html = caseworker_client.get(reverse("core:home")).content.decode()
    assert '/static/django_htmx/htmx-2.min.js"' in html
    assert '"allowEval": false' in html and '"historyCacheSize": 0' in html
    static = caseworker_client.get("/static/django_htmx/htmx-2.min.js")
    assert static.status_code == 200


@pytest.mark.django_db
def test_indonesian_is_the_default_language(client):
    response = client.get(reverse("account_login"))
    assert response.content.decode().count('<html lang="id">') == 1


@pytest.mark.django_db
def test_the_language_switch_changes_the_language_and_returns_to_the_page(caseworker_client):
    response = caseworker_client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302 and response["Location"] == "/"
    page = caseworker_client.get("/").content.decode()
    assert '<html lang="en">' in page and "What you can do" in page
    caseworker_client.post(reverse("set_language"), {"language": "id", "next": "/"})
    page = caseworker_client.get("/").content.decode()
    assert '<html lang="id">' in page and "What you can do" not in page


@pytest.mark.django_db
def test_the_language_switch_does_not_redirect_elsewhere(caseworker_client):
    response = caseworker_client.post(reverse("set_language"), {"language": "en", "next": "https://evil.example/"})
    assert response["Location"] == "/"


@pytest.mark.django_db
def test_the_switch_offers_both_languages_in_their_own_names(caseworker_client):
    html = caseworker_client.get("/").content.decode()
    assert 'name="language" value="id"' in html and 'name="language" value="en"' in html
    assert "Bahasa Indonesia" in html and "English" in html


def _expected_capabilities(user) -> set[str]:
    labels = set()
    for item in navigation.NAVIGATION:
        if item.url_name == "core:home":
            continue
        try:
            reverse(item.url_name)
        except NoReverseMatch:
            continue
        # An entry with several actions (the reference lists) shows when any of them is granted.
        actions = item.action if isinstance(item.action, tuple) else (item.action,)
        if item.action is None or any(policy.allowed(user, action) for action in actions):
            labels.add(str(item.label))
    return labels


def _capabilities_on_page(html: str) -> set[str]:
    block = html.split('id="home-capabilities"', 1)
    found = re.findall(r"<strong>([^<]+)</strong>", block[1].split("</ul>")[0]) if len(block) > 1 else []
    return {unescape(label) for label in found}


@pytest.mark.django_db
@pytest.mark.parametrize("persona", sorted(PERSONA_ROLES))
def test_the_home_page_shows_the_organisation_roles_and_capabilities_of_each_persona(client_for, personas, persona):
    user = personas.users[persona]
    client = client_for(user)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = client.get(reverse("core:home")).content.decode()
    assert user.organisation.name in html and user.organisation.code in html
    with translation.override("en"):
        for role in user.roles:
            assert f'<span class="badge">{escape(role.label)}</span>' in html
            assert escape(navigation.ROLE_SUMMARIES[role]) in html
        assert _capabilities_on_page(html) == _expected_capabilities(user)


@pytest.mark.django_db
def test_the_navigation_marks_the_current_page(caseworker_client):
    html = caseworker_client.get("/").content.decode()
    assert '<a href="/" aria-current="page">' in html


@pytest.mark.django_db
def test_unknown_pages_get_the_generic_page_and_unknown_api_paths_the_error_shape(caseworker_client):
    page = caseworker_client.get("/no-such-page/")
    assert page.status_code == 404 and "text/html" in page["Content-Type"]
    assert "Traceback" not in page.content.decode()
    api = caseworker_client.get("/api/v1/no-such-thing/")
    assert api.status_code == 404
    assert api.json()["error"]["code"] == "not_found"


@pytest.mark.django_db
def test_a_form_without_its_csrf_token_is_refused_with_a_generic_page(client_for, personas):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(personas.caseworker_a)
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = response.content.decode()
    assert response.status_code == 403 and '<main id="main"' in html
    assert "CSRF verification failed" not in html and "Forbidden" not in html


@pytest.mark.django_db
def test_health_check_is_public_and_uncached(client):
    response = client.get(reverse("core:health"))
    assert response.content == b"ok" and "no-cache" in response["Cache-Control"]


def test_the_client_address_ignores_x_forwarded_for_without_trusted_proxies(rf, settings):
    from lindungi.core.middleware import client_ip

    settings.LINDUNGI_TRUSTED_PROXY_COUNT = 0
    request = rf.get("/", REMOTE_ADDR="192.0.2.10", HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert client_ip(request) == "192.0.2.10"


def test_behind_our_proxy_the_client_address_is_what_the_proxy_saw(rf, settings):
    from lindungi.core.middleware import client_ip

    settings.LINDUNGI_TRUSTED_PROXY_COUNT = 1
    forged_then_real = "10.9.9.9, 203.0.113.5"  # the client wrote the first, nginx added the second
    request = rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=forged_then_real)
    assert client_ip(request) == "203.0.113.5"
    assert client_ip(rf.get("/", REMOTE_ADDR="127.0.0.1")) == "127.0.0.1"


@pytest.mark.django_db
def test_the_page_title_names_the_page_then_lindungi(caseworker_client):
    html = caseworker_client.get(reverse("core:home"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert re.search(r"<title>\s*(Home|Beranda) · Lindungi</title>", html)
