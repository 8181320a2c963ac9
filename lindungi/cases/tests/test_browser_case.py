"""A caseworker and a supervisor take a case from registration to closure in a real browser:
register → assess → plan → refer → follow up → request closure → supervisor approves."""

import datetime

import pytest
from django.conf import settings
from django.test import Client

from lindungi.accounts.testing import make_organisation, make_user
from lindungi.cases.models import Case
from lindungi.cases.testing import make_provider
from lindungi.core.policy import Role

DOMAINS = ["safety", "health", "psychosocial", "legal", "education", "family", "economic", "reintegration"]


def _sign_in(page, live_server, user):
    """Authenticate the browser with a session made by the test client (MFA is enrolled)."""
    client = Client()
    client.force_login(user)
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "url": live_server.url,
                               "value": client.cookies[settings.SESSION_COOKIE_NAME].value}])
    page.set_viewport_size({"width": 390, "height": 844})  # a phone
    return page


def _submit(page, name=None):
    selector = f"main form button[name={name}]" if name else "main form.card button[type=submit]"
    with page.expect_navigation():
        page.locator(selector).first.click()


def _approve(supervisor, live_server, case):
    supervisor.goto(f"{live_server.url}/cases/{case.pk}/")
    supervisor.locator("a[href*='/approvals/']").first.click()
    supervisor.check("input[name=decision][value=approve]")
    _submit(supervisor)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_case_from_registration_to_approved_closure(live_server, page, browser):
    org = make_organisation("ORGA", "Organisasi A (test)", province="31")
    caseworker = make_user(org, "pendamping@test.invalid", [Role.CASEWORKER], full_name="Citra Pendamping")
    supervisor_user = make_user(org, "supervisor@test.invalid", [Role.SUPERVISOR], full_name="Sari Supervisor")
    make_provider(org, name="UPTD PPA Jakarta (test)")
    _sign_in(page, live_server, caseworker)
    supervisor_context = browser.new_context(locale="id-ID")
    supervisor = _sign_in(supervisor_context.new_page(), live_server, supervisor_user)
    supervisor.set_default_timeout(15000)
    today = datetime.date.today()

    # Register.
    page.goto(f"{live_server.url}/cases/new/")
    page.fill("[name=full_name]", "Mawar Melati")
    page.select_option("[name=sex]", "female")
    page.fill("[name=birth_date]", "2012-03-04")
    page.fill("[name=nik]", "9901020304050607")
    page.select_option("[name=province]", "31")
    page.fill("[name=caregiver_name]", "Ibu Melati")
    page.select_option("[name=caregiver_relationship]", "mother")
    page.select_option("[name=source]", "hotline")
    page.check("[name=concerns][value=online]")
    page.fill("[name=narrative]", "Anak dihubungi orang asing lewat gim daring.")
    page.select_option("[name=legal_basis]", "guardian_consent")
    for purpose in ("services", "referral", "statistics"):
        page.check(f"[name=consent_purposes][value={purpose}]")
    page.fill("[name=consent_given_by_name]", "Ibu Melati")
    page.select_option("[name=supervisor]", str(supervisor_user.pk))
    _submit(page)
    case = Case.objects.get()
    assert page.url.endswith(f"/cases/{case.pk}/")
    assert "Mawar Melati" in page.content() and case.number in page.content()

    # Assess and send for approval; the supervisor approves.
    page.locator(f"a[href='/cases/{case.pk}/assessments/new/']").first.click()
    for domain in DOMAINS:
        page.select_option(f"[name=score_{domain}]", "2")
    page.fill("[name=needs_safety]", "Butuh pengawasan orang tua atas gawai.")
    _submit(page, "submit")
    _approve(supervisor, live_server, case)
    case.refresh_from_db()
    assert case.status == "case_plan"

    # Case plan; the supervisor approves.
    page.goto(f"{live_server.url}/cases/{case.pk}/plans/new/")
    page.select_option("[name=g0_domain]", "safety")
    page.fill("[name=g0_description]", "Anak aman saat daring")
    page.fill("[name=g0_a0_description]", "Edukasi keamanan daring untuk keluarga")
    page.fill("[name=g0_a0_responsible]", "Pendamping")
    page.fill("[name=g0_a0_due_on]", (today + datetime.timedelta(days=14)).isoformat())
    _submit(page, "submit")
    _approve(supervisor, live_server, case)
    case.refresh_from_db()
    assert case.status == "services"

    # Refer.
    page.goto(f"{live_server.url}/cases/{case.pk}/")
    page.locator(f"a[href='/cases/{case.pk}/referrals/new/']").click()
    page.select_option("[name=service_type]", "uptd_ppa")
    page.select_option("[name=provider]", index=1)
    page.select_option("[name=urgency]", "high")
    _submit(page)
    assert "UPTD PPA Jakarta (test)" in page.content()

    # Follow up.
    page.locator(f"a[href='/cases/{case.pk}/follow-ups/new/']").click()
    page.select_option("[name=type]", "home_visit")
    page.fill("[name=notes]", "Keluarga mendukung.")
    page.fill("[name=next_date]", (today + datetime.timedelta(days=7)).isoformat())
    _submit(page)
    assert "Keluarga mendukung." in page.content()

    # Closure assessment, then the closure request.
    page.goto(f"{live_server.url}/cases/{case.pk}/assessments/new/?kind=closure")
    for domain in DOMAINS:
        page.select_option(f"[name=score_{domain}]", "0")
    _submit(page, "save")
    page.locator(f"a[href='/cases/{case.pk}/closure/']").first.click()
    page.select_option("[name=reason]", "goals_met")
    _submit(page)
    case.refresh_from_db()
    assert case.status == "services" and case.approvals.filter(kind="closure", status="submitted").exists()

    # The supervisor sees it on the home page and approves.
    supervisor.goto(f"{live_server.url}/")
    assert case.number in supervisor.content()
    _approve(supervisor, live_server, case)
    case.refresh_from_db()
    assert case.status == "closed" and case.closure_reason == "goals_met"
    page.goto(f"{live_server.url}/cases/{case.pk}/")
    timeline = page.locator("#timeline").inner_text()
    assert case.number in timeline
    assert page.locator("ol.timeline li").count() >= 10
    supervisor_context.close()
