"""Pages and their API twins: what each persona sees, charts with data tables, the IATI file."""

import datetime
import json

import pytest
from django.urls import reverse

from lindungi.audit.models import AuditEvent
from lindungi.programs.iati.export import validate
from lindungi.programs.models import ActivityType, Country, Program

D = datetime.date
pytestmark = pytest.mark.django_db


def test_program_page_shows_logframe_progress_and_charts_with_data_tables(pw, client_for):
    response = client_for(pw.viewer_a).get(reverse("programs:detail", args=[pw.program_a_obj.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Hasil uji" in html and "Orang muda terlatih" in html
    assert 'src="/programs/charts/activities-by-type.svg?program=' in html
    assert "<table>" in html and "<details>" in html  # each chart's data
    assert "style=" not in html.split("<main", 1)[1]  # CSP: no inline styles in our own HTML


def test_chart_is_svg_with_text(pw, client_for):
    url = reverse("programs:chart", args=["activities-by-type"]) + f"?program={pw.program_a_obj.pk}"
    response = client_for(pw.viewer_a).get(url)
    assert response["Content-Type"].startswith("image/svg+xml")
    assert b"<svg" in response.content and b"Pelatihan" in response.content
    indicator_url = reverse("programs:chart", args=["indicator"]) + f"?indicator={pw.rule_indicator_a.pk}"
    assert client_for(pw.caseworker_b).get(indicator_url).status_code == 200
    assert client_for(pw.viewer_a).get(reverse("programs:chart", args=["nope"])).status_code == 404


def test_program_list_is_network_wide_but_edit_links_are_scoped(pw, client_for):
    html = client_for(pw.program_b).get(reverse("programs:list")).content.decode()
    assert "ORGA-TEST-1" in html and "SEK-TEST-1" in html
    page = client_for(pw.program_b).get(reverse("programs:detail", args=[pw.program_a_obj.pk])).content.decode()
    assert reverse("programs:edit", args=[pw.program_a_obj.pk]) not in page
    page = client_for(pw.program_a).get(reverse("programs:detail", args=[pw.program_a_obj.pk])).content.decode()
    assert reverse("programs:edit", args=[pw.program_a_obj.pk]) in page


def test_files_and_attendance_links_only_inside_the_organisation(pw, client_for):
    url = reverse("programs:activity_detail", args=[pw.activity_a.pk])
    inside = client_for(pw.program_a).get(url).content.decode()
    outside = client_for(pw.program_b).get(url).content.decode()
    assert reverse("programs:file_download", args=[pw.file_a.pk]) in inside
    assert reverse("programs:file_download", args=[pw.file_a.pk]) not in outside
    assert reverse("programs:attendance", args=[pw.activity_a.pk]) in inside
    assert reverse("programs:attendance", args=[pw.activity_a.pk]) not in outside
    attendance = client_for(pw.me_a).get(reverse("programs:attendance", args=[pw.activity_a.pk])).content.decode()
    assert "Peserta Fiktif" in attendance


def test_recording_an_activity_through_the_form(pw, client_for):
    client = client_for(pw.program_b)
    response = client.post(reverse("programs:activity_create"), {
        "program": pw.program_s.pk, "type": ActivityType.objects.get(code="pelatihan").pk, "title": "Pelatihan mitra",
        "status": "completed", "start_date": "2026-03-01", "end_date": "", "province": "18", "regency": "18.71",
        "test_max_score": "100", "pretest_average": "50", "posttest_average": "80", "tested_count": "20"})
    assert response.status_code == 302
    activity = pw.program_s.activities.get()
    assert (activity.organisation, activity.end_date, activity.knowledge_gain) == (pw.org_b, D(2026, 3, 1), 30)
    response = client.post(reverse("programs:participants", args=[activity.pk]), {
        "p-TOTAL_FORMS": "2", "p-INITIAL_FORMS": "0", "p-0-sex": "female", "p-0-age_group": "", "p-0-stakeholder_group": "",
        "p-0-count": "12", "p-1-sex": "male", "p-1-count": ""})
    assert response.status_code == 302
    assert activity.participant_counts.get().count == 12


def test_an_output_link_typed_without_a_scheme_is_saved_as_https(pw, client_for):
    response = client_for(pw.program_a).post(reverse("programs:part_add", args=[pw.activity_a.pk, "output"]), {
        "output-kind": "radio", "output-title": "Talk show", "output-url": "radio.example/talk-show"})
    assert response.status_code == 302
    assert pw.activity_a.outputs.get().url == "https://radio.example/talk-show"


def test_bad_form_input_is_shown_and_nothing_is_saved(pw, client_for):
    count = Program.objects.count()
    response = client_for(pw.program_a).post(reverse("programs:create"), {
        "code": "ORGA-TEST-1", "title_id": "Duplikat", "status": "planned", "start_date": "2026-01-01",
        "end_date": "2026-12-31"})
    assert response.status_code == 200 and b"errorlist" in response.content
    assert Program.objects.count() == count


def test_api_indicator_shows_the_computed_actual_and_follows_the_activities(pw, client_for):
    client = client_for(pw.program_a)
    url = reverse("programs-api:indicator-detail", args=[pw.rule_indicator_a.pk])
    assert client.get(url).json()["total"]["actual"] == "0.00"
    put = client.put(reverse("programs-api:activity-participants", args=[pw.activity_a.pk]),
                     data=json.dumps([{"sex": "female", "age_group": "youth", "stakeholder_group": "youth", "count": 9}]),
                     content_type="application/json")
    assert put.status_code == 200
    assert client.get(url).json()["total"]["actual"] == "9.00"
    client.delete(reverse("programs-api:activity-detail", args=[pw.activity_a.pk]))
    assert client.get(url).json()["total"]["actual"] == "0.00"


def test_api_errors_use_the_one_shape(pw, client_for):
    response = client_for(pw.program_a).post(reverse("programs-api:program-list"), data=json.dumps({
        "code": "X-1", "title_id": "x", "start_date": "2026-05-01", "end_date": "2026-01-01"}),
        content_type="application/json")
    assert response.status_code == 400 and set(response.json()["error"]) == {"code", "message", "fields"}


def test_api_attendance_is_not_visible_to_another_organisation(pw, client_for):
    url = reverse("programs-api:activity-attendance", args=[pw.activity_a.pk])
    assert client_for(pw.me_a).get(url).json()[0]["name"] == "Peserta Fiktif"
    assert client_for(pw.secretariat_me).get(url).status_code == 404


def test_api_registrations_stay_in_the_recording_organisation(pw, client_for):
    url = reverse("programs-api:activity-registrations", args=[pw.event_a.pk])
    assert client_for(pw.program_a).get(url).json()[0]["name"] == "Pendaftar Fiktif"
    assert client_for(pw.program_b).get(url).status_code == 404
    assert client_for(pw.viewer_a).get(url).status_code == 403
    not_an_event = reverse("programs-api:activity-registrations", args=[pw.activity_a.pk])
    assert client_for(pw.program_a).get(not_an_event).status_code == 404


def test_event_api_reports_participants_by_country_and_organisation_type(pw, client_for):
    client = client_for(pw.program_a)
    client.put(reverse("programs-api:activity-countries", args=[pw.event_a.pk]),
               data=json.dumps([{"country": "ID", "participants": 30}, {"country": "PH", "participants": 4}]),
               content_type="application/json")
    body = client_for(pw.caseworker_b).get(reverse("programs-api:event-detail", args=[pw.event_a.pk])).json()
    assert {c["country"]: c["participants"] for c in body["participants_by_country"]} == {"ID": 30, "PH": 4}
    assert body["sessions"][0]["title"] == "Sesi uji"
    assert client.get(reverse("programs-api:event-detail", args=[pw.activity_a.pk])).status_code == 404


def test_iati_export_validates_and_is_scoped(pw, client_for):
    response = client_for(pw.program_a).get(reverse("programs:iati"))  # program officers: ORGANISATION scope
    assert response.status_code == 200
    assert validate(response.content) == []
    assert b"ORGA-TEST-1" in response.content and b"SEK-TEST-1" not in response.content
    network = client_for(pw.secretariat_me).get(reverse("programs-api:iati")).content
    assert validate(network) == [] and b"ORGA-TEST-1" in network and b"SEK-TEST-1" in network
    assert b"Peserta Fiktif" not in network and b"Pembicara Fiktif" not in network
    other = client_for(pw.program_b).get(reverse("programs:iati") + f"?program={pw.program_a_obj.pk}")
    assert other.status_code == 404


def test_iati_validation_catches_an_invalid_file():
    assert validate(b'<iati-activities version="2.03"><iati-activity/></iati-activities>')


def test_home_section_lists_upcoming_activities_for_program_officers(pw, client_for):
    from lindungi.programs import services

    services.activity_create(actor=pw.program_a, data={
        "program": pw.program_a_obj, "type": ActivityType.objects.get(code="seminar"), "title": "Seminar mendatang",
        "status": "planned", "start_date": datetime.date.today() + datetime.timedelta(days=5),
        "end_date": datetime.date.today() + datetime.timedelta(days=5)})
    from django.test import RequestFactory

    from lindungi.programs.home import home_section

    request = RequestFactory().get("/")
    request.user = pw.program_a
    section = home_section(request)
    assert [a.title for a in section["upcoming"]] == ["Seminar mendatang"]
    request.user = pw.caseworker_a
    assert home_section(request) is None


def test_api_file_upload_list_and_download(pw, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_for(pw.program_a)
    url = reverse("programs-api:activity-files", args=[pw.activity_a.pk])
    pdf = b"%PDF-1.4 laporan kegiatan"
    response = client.post(url, {"file": SimpleUploadedFile("laporan.pdf", pdf), "caption": "Laporan"})
    assert response.status_code == 201 and response.json()["content_type"] == "application/pdf"
    listed = client.get(url).json()
    new = next(f for f in listed if f["id"] == response.json()["id"])
    assert client.get(new["download"]).content == pdf
    assert client_for(pw.program_b).get(url).json() == []  # files stay with the organisations holding the activity
    assert client_for(pw.program_b).get(new["download"]).status_code == 404


def test_api_reference_items_are_created_or_changed_by_code(pw, client_for):
    url = reverse("programs-api:reference-item", args=["activity-types"])
    client = client_for(pw.secretariat_me)
    created = client.post(url, data=json.dumps({"code": "kunjungan-lapangan", "label_id": "Kunjungan lapangan",
                                                "label_en": "Field visit"}), content_type="application/json")
    assert created.status_code == 201
    changed = client.post(url, data=json.dumps({"code": "kunjungan-lapangan", "label_en": "Field trip"}),
                          content_type="application/json")
    assert changed.status_code == 200 and changed.json()["label_en"] == "Field trip"
    assert client_for(pw.program_a).post(url, data=json.dumps({"code": "x"}), content_type="application/json").status_code == 403


@pytest.mark.parametrize("persona", ["admin_a", "me_a", "admin_b"])
def test_member_organisations_are_refused_the_network_reference_lists_and_it_is_audited(pw, client_for, persona):
    """Pages and API alike: a member organisation's administrator or M&E officer gets 403, nothing
    changes, and each refusal is recorded as denied access."""
    user = getattr(pw, persona)
    client = client_for(user)
    before = (list(ActivityType.objects.order_by("code").values()), list(Country.objects.order_by("code").values()))
    assert client.get(reverse("programs:reference_index")).status_code == 403
    assert client.get(reverse("programs:reference_list", args=["activity-types"])).status_code == 403
    response = client.post(reverse("programs:reference_edit", args=["countries", "ID"]),
                           {"code": "ID", "name_id": "Diubah", "name_en": "Renamed", "is_active": "on"})
    assert response.status_code == 403
    response = client.post(reverse("programs-api:reference-item", args=["activity-types"]),
                           data=json.dumps({"code": "pelatihan", "is_active": False}), content_type="application/json")
    assert response.status_code == 403
    assert (list(ActivityType.objects.order_by("code").values()),
            list(Country.objects.order_by("code").values())) == before
    denied = AuditEvent.objects.filter(action="security.access.denied", actor_id=user.pk).order_by("seq")
    assert [event.payload for event in denied] == [{"action": "programs.reference.manage", "reason": "not_granted"}] * 4
    assert all(event.organisation_id == user.organisation_id for event in denied)
    assert not AuditEvent.objects.filter(action__in=["programs.activitytype.updated", "programs.country.updated"]).exists()
