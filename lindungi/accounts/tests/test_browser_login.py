"""In a real browser (Debian's Chromium): sign in with password and authenticator code, switch
language, and the forced two-factor enrolment, all under our Content-Security-Policy."""

import re

import pytest
from django.utils import translation

from lindungi.accounts.testing import TEST_TOTP_SECRET, make_organisation, make_user
from lindungi.accounts.tests.helpers import PASSWORD, totp_code
from lindungi.core.policy import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _in(language, text):
    with translation.override(language):
        return translation.gettext(text)


def _watch_csp(page):
    """Collect Content-Security-Policy violations reported by the browser."""
    violations = []
    page.on("console", lambda message: violations.append(message.text)
            if "Content Security Policy" in message.text else None)
    return violations


def _sign_in(page, live_server, user):
    page.goto(f"{live_server.url}/")
    page.get_by_label(_in("id", "Email address")).fill(user.email)
    page.get_by_label(_in("id", "Password")).fill(PASSWORD)
    page.get_by_role("button", name=_in("id", "Sign in"), exact=True).click()


def test_sign_in_with_totp_and_switch_language(live_server, page):
    org = make_organisation("BRWS", "Yayasan Peramban (test)", province="31")
    org_user = make_user(org, "peramban@test.invalid", [Role.CASEWORKER], password=PASSWORD, full_name="Citra Peramban")
    violations = _watch_csp(page)
    _sign_in(page, live_server, org_user)
    # Second step: the code from the authenticator app.
    page.wait_for_url(re.compile(r"/accounts/2fa/authenticate/"))
    page.locator("input[name=code]").fill(totp_code(TEST_TOTP_SECRET, margin=10))
    page.locator("form[action='/accounts/2fa/authenticate/'] button[type=submit]").first.click()
    page.wait_for_url(f"{live_server.url}/")
    main = page.locator("main")
    assert "Yayasan Peramban (test)" in main.inner_text()
    assert _in("id", "You work at") in main.inner_text()
    with translation.override("id"):
        assert str(Role.CASEWORKER.label) in main.inner_text()
    assert page.locator("html").get_attribute("lang") == "id"

    page.locator(".lang-switch button[value=en]").click()
    page.wait_for_load_state()
    page.wait_for_function("document.documentElement.lang === 'en'")
    assert "You work at" in page.locator("main").inner_text()
    with translation.override("en"):
        assert str(Role.CASEWORKER.label) in page.locator("main").inner_text()

    page.locator(".lang-switch button[value=id]").click()
    page.wait_for_function("document.documentElement.lang === 'id'")
    assert _in("id", "You work at") in page.locator("main").inner_text()
    assert not violations, violations


def test_a_caseworker_without_mfa_is_forced_to_enrol(live_server, page):
    org = make_organisation("BRWM", "Yayasan Enrol (test)", province="31")
    user = make_user(org, "enrol@test.invalid", [Role.CASEWORKER], password=PASSWORD, mfa=False)
    violations = _watch_csp(page)
    _sign_in(page, live_server, user)
    # allauth confirms the password before any MFA change, then shows the enrolment page.
    page.wait_for_url(re.compile(r"/accounts/reauthenticate/"))
    assert _in("id", "Your role gives access to case data, so your account must be protected with two-factor "
                     "authentication. Please set it up now.") in page.locator("main").inner_text()
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(re.compile(r"/accounts/2fa/totp/activate/"))
    assert _in("id", "Set up two-factor authentication") in page.locator("h1").inner_text()
    qr = page.locator("img.qr")
    page.wait_for_function("document.querySelector('img.qr').complete")
    assert qr.evaluate("img => img.naturalWidth") > 0  # the data: URL image is allowed by the CSP
    # Anything else sends them back here.
    page.goto(f"{live_server.url}/")
    page.wait_for_url(re.compile(r"/accounts/2fa/totp/activate/"))
    # Finish the enrolment with a code from the shown key.
    secret = page.locator("#authenticator_secret").input_value()
    page.locator("input[name=code]").fill(totp_code(secret, margin=10))
    page.get_by_role("button", name=_in("id", "Activate")).click()
    page.wait_for_url(re.compile(r"/accounts/2fa/recovery-codes/"))
    page.goto(f"{live_server.url}/")
    page.wait_for_url(f"{live_server.url}/")
    assert "Yayasan Enrol (test)" in page.locator("main").inner_text()
    assert not violations, violations
