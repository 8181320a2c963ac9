"""The iCalendar writer and the personal feed: secret address stored hashed, revocable, no names in
the events, RFC 5545 text rules."""

import datetime

import pytest
from django.urls import reverse

from lindungi.audit.models import AuditEvent
from lindungi.legal import ical, services
from lindungi.legal.models import CalendarFeed
from lindungi.legal.selectors import CalendarEvent
from lindungi.legal.tests.conftest import days_ago, stage

pytestmark = pytest.mark.django_db
NOW = datetime.datetime(2026, 3, 1, 8, 0, tzinfo=datetime.UTC)


def _event(**kwargs):
    values = {"uid": "hearing-1@lindungi", "kind": "hearing", "date": datetime.date(2026, 3, 10),
              "time": datetime.time(9, 30), "title": "Hearing — LC-2026-0012", "location": "PN Jakarta Timur",
              "legal_case_id": "x", "number": "LC-2026-0012"}
    return CalendarEvent(**{**values, **kwargs})


def test_escaping_follows_rfc_5545():
    assert ical.escape("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"


def test_long_lines_are_folded_at_75_octets_without_splitting_characters():
    line = "SUMMARY:" + "Sidang — é" * 20
    folded = ical.fold(line)
    parts = folded.split("\r\n")
    assert all(len(part.encode()) <= 75 for part in parts)
    assert all(part.startswith(" ") for part in parts[1:])
    assert "".join([parts[0], *(p[1:] for p in parts[1:])]) == line


def test_a_timed_hearing_is_in_utc_and_a_deadline_is_an_all_day_event():
    text = ical.calendar([_event(), _event(uid="deadline-1", kind="deadline", time=None, location="",
                                           title="Appeal deadline — LC-2026-0012")],
                         name="Lindungi", now=NOW, url_for=lambda e: "https://example.invalid/legal/x/")
    assert text.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n") and text.endswith("END:VCALENDAR\r\n")
    assert "\n" not in text.replace("\r\n", "")
    assert "DTSTART:20260310T023000Z\r\nDTEND:20260310T043000Z" in text  # 09:30 WIB
    assert "DTSTART;VALUE=DATE:20260310\r\nDTEND;VALUE=DATE:20260311" in text
    assert "DTSTAMP:20260301T080000Z" in text and text.count("BEGIN:VEVENT") == 2
    assert "SUMMARY:Hearing — LC-2026-0012" in text and "LOCATION:PN Jakarta Timur" in text


@pytest.fixture
def feed_world(lw):
    services.legal_case_change_stage(actor=lw.legal_a, legal_case=lw.legal_case_a, stage=stage("trial"),
                                     entered_on=days_ago(10))
    services.hearing_save(actor=lw.legal_a, legal_case=lw.legal_case_a, data={
        "date": days_ago(-6), "time": datetime.time(10, 0), "court": "PN Uji", "agenda": "victim_testimony"})
    lw.feed, lw.token = services.calendar_feed_create(actor=lw.legal_a)
    return lw


def test_the_feed_lists_hearings_by_case_number_only(feed_world, client):
    response = client.get(reverse("legal:calendar_feed", args=[feed_world.token]))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    assert "no-store" in response["Cache-Control"]
    body = response.content.decode()
    assert f"SUMMARY:Sidang — {feed_world.legal_case_a.number}" in body  # default language: Indonesian
    for secret in ("Darto", "Ani Hukum", "LP/B/77"):
        assert secret not in body
    english = client.get(reverse("legal:calendar_feed", args=[feed_world.token]) + "?lang=en").content.decode()
    assert f"SUMMARY:Hearing — {feed_world.legal_case_a.number}" in english


def test_only_a_hash_of_the_secret_is_stored(feed_world):
    secret = feed_world.token.split("_", 2)[2]
    stored = CalendarFeed.objects.get(pk=feed_world.feed.pk)
    assert secret not in (stored.digest + stored.prefix) and len(stored.digest) == 64


def test_a_new_address_or_a_revocation_stops_the_old_one(feed_world, client):
    url = reverse("legal:calendar_feed", args=[feed_world.token])
    _feed, token2 = services.calendar_feed_create(actor=feed_world.legal_a)
    assert client.get(url).status_code == 404
    url2 = reverse("legal:calendar_feed", args=[token2])
    assert client.get(url2).status_code == 200
    services.calendar_feed_revoke(actor=feed_world.legal_a)
    assert client.get(url2).status_code == 404
    assert AuditEvent.objects.filter(action="legal.calendar_feed.revoked").exists()


@pytest.mark.parametrize("token", ["nonsense", "lgc_abc_def", "lgc__", ""])
def test_a_wrong_address_is_404(feed_world, client, token):
    assert client.get(f"/legal/calendar/{token}.ics").status_code == 404


def test_a_deactivated_user_or_a_lost_role_stops_the_feed(feed_world, client):
    url = reverse("legal:calendar_feed", args=[feed_world.token])
    feed_world.legal_a.memberships.all().delete()
    feed_world.legal_a.forget_roles()
    assert client.get(url).status_code == 404
    feed_world.legal_a.is_active = False
    feed_world.legal_a.save()
    assert client.get(url).status_code == 404


def test_the_feed_stops_while_the_organisation_is_inactive(feed_world, client):
    from lindungi.accounts import services as accounts

    url = reverse("legal:calendar_feed", args=[feed_world.token])
    accounts.organisation_deactivate(actor=feed_world.secretariat_admin, organisation=feed_world.org_a)
    assert client.get(url).status_code == 404  # hearing dates of its children's cases no longer flow out
    accounts.organisation_reactivate(actor=feed_world.secretariat_admin, organisation=feed_world.org_a)
    assert client.get(url).status_code == 200


def test_feed_use_is_audited_at_most_hourly(feed_world, client):
    url = reverse("legal:calendar_feed", args=[feed_world.token])
    client.get(url)
    client.get(url)
    assert AuditEvent.objects.filter(action="legal.calendar_feed.used").count() == 1


def test_the_calendar_page_shows_the_new_address_once(feed_world, client_for):
    client = client_for(feed_world.legal_a)
    response = client.post(reverse("legal:calendar_feed_create"))
    page = response.content.decode()
    assert response.status_code == 200 and "/legal/calendar/lgc_" in page
    again = client.get(reverse("legal:calendar")).content.decode()
    assert "/legal/calendar/lgc_" not in again
    assert feed_world.legal_case_a.number in again
