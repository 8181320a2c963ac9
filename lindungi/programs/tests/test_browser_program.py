"""In Chromium: create a program with an indicator, record an activity, see the indicator move."""

import pytest
from playwright.sync_api import expect

from lindungi.programs.models import Indicator, Program

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def submit(page, form_selector="main form.card"):
    page.locator(f"{form_selector} button[type=submit]").first.click()
    page.wait_for_load_state("domcontentloaded")


def test_create_program_indicator_record_activity_and_see_the_indicator_move(browser_login, personas, live_server,
                                                                             csp_violations):
    page = browser_login(personas.program_a)
    base = live_server.url

    # 1. A new program.
    page.goto(f"{base}/programs/new/")
    page.fill("#id_code", "BROWSER-1")
    page.fill("#id_title_id", "Program uji peramban")
    page.select_option("#id_status", "active")
    page.fill("#id_start_date", "2026-01-01")
    page.fill("#id_end_date", "2026-12-31")
    submit(page)
    program = Program.objects.get(code="BROWSER-1")
    expect(page).to_have_url(f"{base}/programs/{program.pk}/")

    # 2. An outcome in its logframe.
    page.click(f"a[href='/programs/{program.pk}/results/new/']")
    page.select_option("#id_level", "outcome")
    page.fill("#id_title_id", "Orang muda terlatih")
    submit(page)
    result = program.results.get()

    # 3. An indicator computed from activity data: participants of trainings.
    page.click(f"a[href='/programs/results/{result.pk}/indicators/new/']")
    page.fill("#id_title_id", "Peserta pelatihan")
    page.check("input[name=computation][value=rule]")
    page.select_option("#id_rule_metric", "participants")
    page.get_by_label("Pelatihan", exact=True).check()
    submit(page)
    indicator = Indicator.objects.get(result=result)
    expect(page).to_have_url(f"{base}/programs/indicators/{indicator.pk}/")
    page.fill("#id_value", "40")
    page.locator(f"form[action='/programs/indicators/{indicator.pk}/targets/'] button").click()
    page.wait_for_load_state("domcontentloaded")
    expect(page.locator("td.actual").first).to_contain_text("0")

    # 4. Record a training with 12 participants.
    page.goto(f"{base}/programs/activities/new/?program={program.pk}")
    page.select_option("#id_type", label="Pelatihan")
    page.fill("#id_title", "Pelatihan orang muda")
    page.fill("#id_start_date", "2026-03-10")
    page.check(f"input[name=results][value='{result.pk}']")
    submit(page)
    page.wait_for_url("**/participants/")
    page.select_option("#id_p-0-sex", "female")
    page.fill("#id_p-0-count", "7")
    page.select_option("#id_p-1-sex", "male")
    page.fill("#id_p-1-count", "5")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url("**/programs/activities/*/")

    # 5. The indicator has moved.
    page.goto(f"{base}/programs/indicators/{indicator.pk}/")
    expect(page.locator("td.actual").first).to_contain_text("12")
    expect(page.locator("#indicator-total progress")).to_have_attribute("value", "30")
    page.goto(f"{base}/programs/{program.pk}/")
    expect(page.locator(".logframe")).to_contain_text("12")
    chart = page.locator("figure.chart img").first
    expect(chart).to_be_visible()
    assert page.evaluate("(img) => img.naturalWidth", chart.element_handle()) > 0  # the SVG loaded
    assert not csp_violations
