import os
import shutil

import pytest

from lindungi.core.testing.world import build_world


@pytest.fixture(autouse=True)
def _isolated_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _fresh_key_cache():
    from lindungi.crypto import keys

    keys.forget_cached_keys()
    yield
    keys.forget_cached_keys()


@pytest.fixture
def world(db):
    """Organisations A, B and the secretariat with one persona per role (see core/testing/world.py),
    plus whatever each app's `tests/matrix.py` `build(world)` adds."""
    from lindungi.core.testing.matrix import builders

    world = build_world()
    for build in builders():
        build(world)
    return world


@pytest.fixture
def personas(db):
    """Only the organisations and personas, without the apps' objects (faster)."""
    return build_world()


@pytest.fixture
def client_for(client):
    """client_for(user) -> a test client signed in as that user (MFA enrolled)."""
    from django.test import Client

    def make(user):
        c = Client()
        if user is not None:
            c.force_login(user)
        return c

    return make


def _chromium_path():
    return shutil.which("chromium") or ("/usr/bin/chromium" if os.path.exists("/usr/bin/chromium") else None)


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium through Playwright. In CI a missing browser fails; locally it skips."""
    path = _chromium_path()
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("Chromium is required for browser tests in CI (apt-get install chromium).")
        pytest.skip("Browser tests skipped: Chromium is not installed (apt-get install chromium).")
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=path,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="id-ID")
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


@pytest.fixture
def browser_login(page, live_server):
    """browser_login(user) -> the Playwright `page`, signed in as `user` through a session cookie
    (no login form: for tests about other pages). Needs a transactional database."""
    from django.conf import settings
    from django.test import Client

    def login(user):
        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value,
                                   "url": live_server.url}])
        return page

    return login


@pytest.fixture
def csp_violations(page):
    """Messages of Content-Security-Policy violations the browser reports on `page`."""
    violations = []
    page.on("console", lambda message: violations.append(message.text)
            if "Content Security Policy" in message.text else None)
    return violations
