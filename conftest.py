import os
import shutil
import threading

import pytest
from django.core.servers.basehttp import ThreadedWSGIServer
from django.test.testcases import LiveServerThread

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


class _OneRequestAtATimeServer(ThreadedWSGIServer):
    """The live server shares the test's database connection with its request threads; an
    in-memory SQLite connection used by two threads at once fails ("database table is locked")
    when the browser fetches a page's charts in parallel. Threads still hold idle keep-alive
    connections, but only one request at a time runs the application, body included."""

    application_lock = threading.Lock()
    open_connections = 0
    connections_changed = threading.Condition()

    def set_app(self, application):
        def one_at_a_time(environ, start_response):
            with self.application_lock:
                response = application(environ, start_response)
                try:
                    return list(response)
                finally:
                    if hasattr(response, "close"):
                        response.close()

        super().set_app(one_at_a_time)

    def process_request_thread(self, request, client_address):
        with self.connections_changed:
            type(self).open_connections += 1
        try:
            super().process_request_thread(request, client_address)
        finally:
            with self.connections_changed:
                type(self).open_connections -= 1
                self.connections_changed.notify_all()

    @classmethod
    def wait_until_idle(cls, timeout=10):
        """After the browser has gone: let requests still running finish before the test's
        database is flushed under them."""
        with cls.connections_changed:
            cls.connections_changed.wait_for(lambda: cls.open_connections == 0, timeout=timeout)


LiveServerThread.server_class = _OneRequestAtATimeServer


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
    _OneRequestAtATimeServer.wait_until_idle()


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
