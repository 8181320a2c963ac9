"""The chained picker in Chromium: with htmx (lists follow their parent at once, a stale district
list is emptied) and without JavaScript (lists refresh on submit)."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True),
              pytest.mark.urls("lindungi.geo.tests.urls_picker")]


def option_count(page, selector: str) -> int:
    return page.locator(f"{selector} option").count()


def test_with_htmx_each_list_follows_its_parent(browser_login, personas, live_server, csp_violations):
    page = browser_login(personas.caseworker_a)
    page.goto(f"{live_server.url}/picker-test/")
    assert option_count(page, "#id_place-regency") == 1  # only "choose a province first"

    page.select_option("#id_place-province", "31")
    page.wait_for_selector('#id_place-regency option[value="31.71"]', state="attached")
    page.select_option("#id_place-regency", "31.71")
    page.wait_for_selector('#id_place-district option[value="31.71.01"]', state="attached")
    page.select_option("#id_place-district", "31.71.01")

    # Another province: its regencies replace Jakarta's, and the districts of Jakarta Pusat go.
    page.select_option("#id_place-province", "18")
    page.wait_for_selector('#id_place-regency option[value="18.71"]', state="attached")
    expect(page.locator("#id_place-district option")).to_have_count(1)
    page.select_option("#id_place-regency", "18.71")
    page.wait_for_selector('#id_place-district option[value="18.71.01"]', state="attached")
    page.select_option("#id_place-district", "18.71.01")
    page.get_by_role("button", name="Save").click()
    page.wait_for_selector("#chosen")
    assert page.locator("#chosen").inner_text() == "18.71.01"
    expect(page.locator("#id_place-district")).to_have_value("18.71.01")
    assert not csp_violations


def test_without_javascript_the_lists_refresh_on_submit(browser, personas, live_server):
    from django.conf import settings
    from django.test import Client
    from django.utils import translation

    context = browser.new_context(java_script_enabled=False, locale="id-ID")
    client = Client()
    client.force_login(personas.caseworker_a)
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME,
                          "value": client.cookies[settings.SESSION_COOKIE_NAME].value, "url": live_server.url}])
    page = context.new_page()
    with translation.override("id"):
        refresh = translation.gettext("Update the region lists")
    try:
        page.goto(f"{live_server.url}/picker-test/")
        page.select_option("#id_place-province", "31")
        page.get_by_role("button", name=refresh).click()
        page.wait_for_selector('#id_place-regency option[value="31.71"]', state="attached")
        page.select_option("#id_place-regency", "31.71")
        page.get_by_role("button", name=refresh).click()
        page.wait_for_selector('#id_place-district option[value="31.71.01"]', state="attached")
        page.select_option("#id_place-district", "31.71.01")
        page.get_by_role("button", name="Save").click()
        page.wait_for_selector("#chosen")
        assert page.locator("#chosen").inner_text() == "31.71.01"
    finally:
        context.close()
