"""In Chromium: a legal case from the police report to the verdict and restitution, on a phone-sized
screen, as the supervisor who opens it and the legal officer who follows it."""

import datetime

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from lindungi.incidents.testing import add_perpetrator, record_incident, register_case
from lindungi.legal.models import LawArticle, LegalCase, PoliceUnitLevel, Stage

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _day(days_ago: int) -> str:
    return (timezone.localdate() - datetime.timedelta(days=days_ago)).isoformat()


def sign_in(page, live_server, user):
    """A session made with the test client, handed to the browser as its cookie."""
    page.context.clear_cookies()
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}])


def submit(page):
    page.locator("main form.card button[type=submit]").first.click()
    page.wait_for_load_state("domcontentloaded")


def no_horizontal_scroll(page) -> bool:
    return page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_a_legal_case_from_police_report_to_verdict_and_restitution(personas, live_server, page):
    w = personas
    violations = []
    page.on("console", lambda message: violations.append(message.text)
            if "Content Security Policy" in message.text else None)
    page.set_viewport_size({"width": 390, "height": 844})
    base = live_server.url
    case = register_case(w.caseworker_a, full_name="Ani Peramban (test)", supervisor=w.supervisor_a)
    incident = record_incident(w.caseworker_a, [case], types=["prostitution"], setting="hotel")
    perpetrator = add_perpetrator(w.caseworker_a, incident, name="Darto Peramban (test)")

    # 1. The supervisor opens the legal case from the incident, assigning the legal officer.
    sign_in(page, live_server, w.supervisor_a)
    page.goto(f"{base}/incidents/{incident.pk}/")
    page.click("a[href^='/legal/new/?incident=']")
    expect(page.locator("#id_incident_numbers")).to_have_value(incident.number)
    page.select_option("#id_stage", str(Stage.objects.get(code="report").pk))
    page.fill("#id_entered_on", _day(60))
    page.select_option("#id_assigned_officer", str(w.legal_a.pk))
    page.select_option("#id_police_unit_level", str(PoliceUnitLevel.objects.get(code="polres").pk))
    page.fill("#id_police_unit_name", "Unit PPA Polres Uji")
    page.fill("#id_report_number", "LP/B/321/2026/SPKT")
    page.fill("#id_court", "PN Uji Timur")
    submit(page)
    legal_case = LegalCase.objects.get()
    expect(page).to_have_url(f"{base}/legal/{legal_case.pk}/")
    expect(page.locator("#legal-officer")).to_contain_text(w.legal_a.full_name)

    # 2. The legal officer follows it on the phone: through the investigation...
    sign_in(page, live_server, w.legal_a)
    page.goto(f"{base}/legal/{legal_case.pk}/")
    expect(page.locator("h1")).to_contain_text(legal_case.number)

    def change_stage(code, days_ago):
        page.click(f"a[href='/legal/{legal_case.pk}/stage/']")
        page.select_option("#id_stage", str(Stage.objects.get(code=code).pk))
        page.fill("#id_entered_on", _day(days_ago))
        submit(page)
        expect(page).to_have_url(f"{base}/legal/{legal_case.pk}/")
        expect(page.locator("#current-stage")).to_have_text(Stage.objects.get(code=code).label_id)

    change_stage("investigation", 50)
    page.click(f"a[href='/legal/{legal_case.pk}/defendants/new/']")
    page.select_option("#id_perpetrator", str(perpetrator.pk))
    page.fill("#id_named_suspect_on", _day(48))
    page.check("#id_detained")
    page.fill("#id_detained_on", _day(47))
    submit(page)
    expect(page.locator("#defendants")).to_contain_text("Darto Peramban (test)")
    defendant = legal_case.defendants.get()

    # ... a stage that went by cannot come back (only later stages are offered) ...
    page.click(f"a[href='/legal/{legal_case.pk}/stage/']")
    offered = page.locator("#id_stage option").all_text_contents()
    assert Stage.objects.get(code="report").label_id not in offered
    assert Stage.objects.get(code="dossier-complete").label_id in offered
    page.go_back()

    # ... to prosecution, with the charges, and the trial, with the child accompanied.
    change_stage("dossier-complete", 40)
    change_stage("prosecution", 30)
    page.click(f"a[href='/legal/{legal_case.pk}/charges/new/']")
    page.select_option("#id_article", str(LawArticle.objects.get(code="uu-35-2014-76i-88").pk))
    page.select_option("#id_defendant", str(defendant.pk))
    submit(page)
    expect(page.locator("#defendants")).to_contain_text("Pasal 76I jo. 88")
    change_stage("trial", 20)
    page.click(f"a[href='/legal/{legal_case.pk}/hearings/new/']")
    page.fill("#id_date", _day(10))
    page.fill("#id_time", "09:30")
    page.select_option("#id_agenda", "victim_testimony")
    page.select_option("#id_status", "held")
    page.fill("#id_outcome", "Anak memberi keterangan didampingi (test).")
    submit(page)
    page.click(f"a[href='/legal/{legal_case.pk}/accompaniment/new/']")
    page.fill("#id_date", _day(10))
    page.select_option("#id_type", "hearing")
    page.select_option("#id_victim", str(case.pk))
    page.fill("#id_duration_minutes", "180")
    submit(page)

    # 3. The verdict: convicted, with restitution ordered; the appeal deadline shows.
    change_stage("verdict", 2)
    page.click(f"a[href='/legal/{legal_case.pk}/defendants/{defendant.pk}/verdict/']")
    page.fill("#id_decided_on", _day(2))
    page.select_option("#id_outcome", "convicted")
    page.fill("#id_prison_months", "96")
    page.fill("#id_fine", "100000000")
    page.fill("#id_restitution_ordered", "25000000")
    submit(page)
    expect(page.locator("#defendants")).to_contain_text("Rp 25.000.000")
    expect(page.locator("section[aria-labelledby='next-title']")).to_contain_text("Batas waktu banding")
    expect(page.locator("section[aria-labelledby='next-title']")).to_contain_text("sisa 5 hari")

    # 4. The restitution track: claimed, ordered, then paid.
    page.click(f"a[href='/legal/{legal_case.pk}/restitution/new/']")
    page.select_option("#id_route", "investigator_prosecutor")
    page.fill("#id_claimed_amount", "30000000")
    page.fill("#id_claimed_on", _day(25))
    page.fill("#id_ordered_amount", "25000000")
    page.fill("#id_ordered_on", _day(2))
    submit(page)
    restitution = legal_case.restitutions.get()
    page.click(f"a[href='/legal/{legal_case.pk}/restitution/{restitution.pk}/']")
    page.fill("#id_paid_amount", "25000000")
    page.fill("#id_paid_on", _day(0))
    submit(page)
    expect(page.locator("#restitution")).to_contain_text("Dibayar lunas")

    # 5. The page tells the whole story, fits the phone, and the home page shows the deadline.
    timeline = page.locator("#timeline")
    for text in ("Laporan polisi", "ditetapkan sebagai tersangka", "Sidang: Keterangan anak korban",
                 "Pendampingan: Sidang pengadilan", "dihukum", "Restitusi dibayar"):
        expect(timeline).to_contain_text(text)
    assert no_horizontal_scroll(page)
    page.goto(f"{base}/")
    expect(page.locator("#legal-upcoming")).to_be_visible()
    expect(page.locator("main")).to_contain_text(f"Batas waktu banding — {legal_case.number}")

    legal_case.refresh_from_db()
    assert (legal_case.stage.code, legal_case.convicted_count, legal_case.restitution_paid_total) == (
        "verdict", 1, 25_000_000)
    assert not violations
