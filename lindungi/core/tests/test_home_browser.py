"""The home page's lazily loaded statistics section in Chromium: htmx puts it in place of its
placeholder once the page is shown, under the Content-Security-Policy; without JavaScript the
placeholder is a link to it."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_htmx_replaces_the_placeholder_with_the_statistics(browser_login, personas, live_server, csp_violations):
    page = browser_login(personas.supervisor_a)
    page.goto(f"{live_server.url}/")
    expect(page.locator("#home-statistics")).to_be_visible()
    expect(page.locator("#home-lazy-statistics")).to_have_count(0)
    assert not csp_violations


def test_without_javascript_the_placeholder_links_to_the_statistics(browser, personas, live_server):
    from django.conf import settings
    from django.test import Client

    context = browser.new_context(java_script_enabled=False)
    client = Client()
    client.force_login(personas.supervisor_a)
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME,
                          "value": client.cookies[settings.SESSION_COOKIE_NAME].value, "url": live_server.url}])
    try:
        page = context.new_page()
        page.goto(f"{live_server.url}/")
        expect(page.locator("#home-statistics")).to_have_count(0)
        page.locator("#home-lazy-statistics a").click()
        expect(page.locator("#home-statistics")).to_be_visible()
    finally:
        context.close()
