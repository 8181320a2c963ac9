"""Swagger UI really runs in Chromium, offline, under our Content-Security-Policy, and can call the
API with the signed-in session."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_swagger_ui_shows_and_calls_the_api_without_csp_violations(browser_login, personas, live_server,
                                                                    csp_violations):
    page = browser_login(personas.viewer_a)
    outside = []
    page.on("request", lambda request: outside.append(request.url)
            if not request.url.startswith((live_server.url, "data:", "blob:")) else None)
    # A deep link opens one operation (Swagger UI only renders what is on screen for a large API).
    page.goto(f"{live_server.url}/api/v1/docs/#/regions/regions_list", wait_until="domcontentloaded", timeout=60000)
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Lindungi API", timeout=30000)
    operation = page.locator("#operations-regions-regions_list")
    expect(operation).to_be_visible(timeout=30000)
    operation.get_by_role("button", name="Try it out").click()
    operation.get_by_role("button", name="Execute").click()
    expect(operation.locator(".live-responses-table tr.response .response-col_status")).to_have_text("200", timeout=30000)
    expect(operation.locator(".live-responses-table")).to_contain_text('"count": 7837')
    assert not csp_violations
    assert not outside, f"requests outside Lindungi: {outside}"
