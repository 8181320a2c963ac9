"""The shell in Chromium: on a phone, on a wide screen, by keyboard, under the Content-Security-Policy."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_on_a_phone_the_navigation_folds_behind_a_menu_button(browser_login, personas, live_server, csp_violations):
    page = browser_login(personas.admin_a)
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"{live_server.url}/")
    links, toggle = page.locator("#main-nav-list"), page.locator(".nav-toggle")
    expect(links).to_be_hidden()
    expect(toggle).to_have_attribute("aria-expanded", "false")
    toggle.click()
    expect(links).to_be_visible()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    page.keyboard.press("Escape")
    expect(links).to_be_hidden()
    expect(toggle).to_be_focused()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"the page is {width}px wide on a 360px screen"
    assert not csp_violations


def test_on_a_wide_screen_the_navigation_is_always_shown(browser_login, personas, live_server):
    page = browser_login(personas.admin_a)
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"{live_server.url}/")
    expect(page.locator("#main-nav-list")).to_be_visible()
    expect(page.locator(".nav-toggle")).to_be_hidden()
    expect(page.locator("#main-nav-list a[aria-current=page]")).to_have_attribute("href", "/")


def test_without_javascript_the_navigation_is_simply_shown(browser, personas, live_server):
    from django.conf import settings
    from django.test import Client

    context = browser.new_context(java_script_enabled=False, viewport={"width": 360, "height": 740})
    client = Client()
    client.force_login(personas.admin_a)
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME,
                          "value": client.cookies[settings.SESSION_COOKIE_NAME].value, "url": live_server.url}])
    try:
        page = context.new_page()
        page.goto(f"{live_server.url}/")
        expect(page.locator("#main-nav-list")).to_be_visible()
        expect(page.locator(".nav-toggle")).to_be_hidden()
    finally:
        context.close()


def test_the_first_tab_offers_the_skip_link_to_the_content(browser_login, personas, live_server):
    page = browser_login(personas.caseworker_a)
    page.goto(f"{live_server.url}/")
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()


def test_the_language_switch_works_by_keyboard(browser_login, personas, live_server):
    page = browser_login(personas.caseworker_a)
    page.goto(f"{live_server.url}/")
    assert page.locator("html").get_attribute("lang") == "id"
    page.locator(".lang-switch button[value=en]").focus()
    page.keyboard.press("Enter")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("#cando")).to_have_text("What you can do")
