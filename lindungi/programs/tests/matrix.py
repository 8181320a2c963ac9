"""Permission matrix of the programs area. Program information is network-shared (everyone reads
it); organisations edit what they lead or recorded; attendance lists and registrations stay in
the recording organisation."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from lindungi.core.testing.matrix import PERSONAS, Row

D = datetime.date
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32

# Who holds which action (see core/policy.py), by persona.
PROGRAM_EDIT = {"admin_a", "program_a", "me_a", "admin_b", "program_b", "secretariat_admin", "secretariat_me",
                "secretariat_program"}
ACTIVITY_EDIT = {"program_a", "me_a", "program_b", "secretariat_me", "secretariat_program"}
REPORT = ATTENDANCE = ACTIVITY_EDIT
# Network-wide lists: the secretariat's administrators and M&E officers only.
REFERENCE = {"secretariat_admin", "secretariat_me"}
IATI = {"me_a", "program_a", "viewer_a", "program_b", "secretariat_me", "secretariat_program"}
ORG_A = {p for p in PERSONAS if p.endswith("_a")}


def everyone(status=200, anonymous=302):
    return {"anonymous": anonymous, "*": status}


def holders(action_holders, status, anonymous=302):
    """Anyone holding the action may do it (it acts in their own organisation)."""
    return {"anonymous": anonymous, "*": 403, **{p: status for p in action_holders}}


def in_org_a(action_holders, status, anonymous=302):
    """On an object of organisation A: A's holders may, other holders get 404, the rest 403."""
    return {"anonymous": anonymous, "*": 403,
            **{p: (status if p in ORG_A else 404) for p in action_holders}}


def build(world):
    from lindungi.programs import services
    from lindungi.programs.models import (
        ActivityType,
        Currency,
        EventSession,
        Indicator,
        Speaker,
        StakeholderGroup,
    )

    training = ActivityType.objects.get(code="pelatihan")
    conference = ActivityType.objects.get(code="konferensi")
    youth = StakeholderGroup.objects.get(code="youth")
    world.donor = services.donor_save(actor=world.program_a, data={"name": "Donor Uji (test)", "kind": "foreign_ngo"})
    world.partner_b = services.partner_save(actor=world.program_a, data={"name": "Organisasi B (partner)",
                                                                          "organisation": world.org_b})
    world.program_a_obj = services.program_create(actor=world.program_a, data={
        "code": "ORGA-TEST-1", "title_id": "Program uji A", "title_en": "Test program A", "status": "active",
        "start_date": D(2025, 1, 1), "end_date": D(2027, 12, 31), "target_groups": [youth]})
    world.program_s = services.program_create(actor=world.secretariat_program, data={
        "code": "SEK-TEST-1", "title_id": "Program jaringan", "status": "active", "start_date": D(2025, 1, 1),
        "end_date": D(2027, 12, 31), "partners": [world.partner_b]})
    world.funding_a = services.funding_set(actor=world.program_a, program=world.program_a_obj, donor=world.donor,
                                           amount=Decimal(1000), currency=Currency.objects.get(code="EUR"))
    world.result_a = services.result_save(actor=world.program_a, program=world.program_a_obj, data={
        "level": "outcome", "code": "1", "title_id": "Hasil uji"})
    world.indicator_a = services.indicator_save(actor=world.program_a, result=world.result_a, data={
        "code": "1.a", "title_id": "Indikator manual", "measure": Indicator.Measure.COUNT})
    world.rule_indicator_a = services.indicator_save(actor=world.program_a, result=world.result_a, data={
        "code": "1.b", "title_id": "Orang muda terlatih", "measure": "count", "computation": "rule",
        "rule_metric": "participants", "rule_activity_types": [training]})
    world.target_a = services.target_set(actor=world.program_a, indicator=world.indicator_a,
                                         period_start=D(2026, 1, 1), period_end=D(2026, 12, 31), value=Decimal(10))
    world.actual_a = services.actual_record(actor=world.me_a, indicator=world.indicator_a, period_start=D(2026, 1, 1),
                                            period_end=D(2026, 12, 31), value=Decimal(4), source="Laporan uji")
    world.activity_a = services.activity_create(actor=world.program_a, data={
        "program": world.program_a_obj, "type": training, "title": "Pelatihan uji", "start_date": D(2026, 3, 2),
        "end_date": D(2026, 3, 3), "province": None, "results": [world.result_a]})
    world.event_a = services.activity_create(actor=world.program_a, data={
        "program": world.program_a_obj, "type": conference, "title": "Konferensi uji", "start_date": D(2026, 4, 2),
        "end_date": D(2026, 4, 2)})
    world.speaker_a = services.part_add(actor=world.program_a, activity=world.activity_a, model=Speaker,
                                        data={"name": "Pembicara Fiktif"})
    world.session_a = services.part_add(actor=world.program_a, activity=world.event_a, model=EventSession, data={
        "title": "Sesi uji", "starts_at": datetime.datetime(2026, 4, 2, 9, tzinfo=datetime.UTC)})
    world.attendance_a = services.attendance_add(actor=world.program_a, activity=world.activity_a,
                                                 data={"name": "Peserta Fiktif", "contact": "0800000000"})
    world.registration_a = services.registration_add(actor=world.program_a, activity=world.event_a,
                                                     data={"name": "Pendaftar Fiktif"})
    world.file_a = services.file_add(actor=world.program_a, activity=world.activity_a,
                                     upload=SimpleUploadedFile("foto.png", PNG), caption="Foto uji")
    world.learning_a = services.learning_save(actor=world.program_a, data={
        "program": world.program_a_obj, "year": 2026, "kind": "lesson", "title": "Pelajaran uji", "text_id": "Teks"})


def _file_url(w):
    """The matrix world outlives each test's media folder (MEDIA_ROOT is per test): put the file's
    encrypted bytes back where this test's storage looks for them."""
    from django.core.files.base import ContentFile

    from lindungi.crypto import cipher

    record = w.file_a
    storage = record.blob.storage
    if not storage.exists(record.blob.name):
        sealed = cipher.encrypt_blob(record.organisation_id, record.blob_context, PNG)
        storage.save(record.blob.name, ContentFile(sealed))
    return reverse("programs:file_download", args=[record.pk])


def _api_file_url(w):
    _file_url(w)
    return reverse("programs-api:file-download", args=[w.file_a.pk])


def _program(w):
    return w.program_a_obj.pk


def _u(name, *args):
    return lambda w: reverse(name, args=[a(w) if callable(a) else a for a in args])


PROGRAM_POST = {"code": "NEW-PROG-1", "title_id": "Program baru", "status": "planned", "start_date": "2026-01-01",
                "end_date": "2026-12-31"}

ROWS = [
    # --- programs -------------------------------------------------------------------------------
    Row("programs:list", "GET", expect=everyone()),
    Row("programs:dashboard", "GET", expect=everyone()),
    Row("programs:chart", "GET", url=lambda w: reverse("programs:chart", args=["activities-by-type"]) + f"?program={_program(w)}",
        expect=everyone()),
    Row("programs:iati", "GET", expect=holders(IATI, 200)),
    Row("programs:create", "GET", expect=holders(PROGRAM_EDIT, 200)),
    Row("programs:create", "POST", data=lambda w: PROGRAM_POST, expect=holders(PROGRAM_EDIT, 302)),
    Row("programs:detail", "GET", url=_u("programs:detail", _program), expect=everyone()),
    Row("programs:edit", "GET", url=_u("programs:edit", _program), expect=in_org_a(PROGRAM_EDIT, 200)),
    Row("programs:edit", "POST", url=_u("programs:edit", _program),
        data=lambda w: {**PROGRAM_POST, "code": "ORGA-TEST-1", "status": "active"}, expect=in_org_a(PROGRAM_EDIT, 302)),
    Row("programs:funding_add", "POST", url=_u("programs:funding_add", _program),
        data=lambda w: {"donor": w.donor.pk, "amount": "5", "currency": "IDR"}, expect=in_org_a(PROGRAM_EDIT, 302)),
    Row("programs:funding_remove", "POST", url=_u("programs:funding_remove", lambda w: w.funding_a.pk),
        expect=in_org_a(PROGRAM_EDIT, 302)),
    Row("programs:result_create", "GET", url=_u("programs:result_create", _program), expect=in_org_a(PROGRAM_EDIT, 200)),
    Row("programs:result_edit", "GET", url=_u("programs:result_edit", lambda w: w.result_a.pk),
        expect=in_org_a(PROGRAM_EDIT, 200)),
    Row("programs:result_delete", "POST", url=_u("programs:result_delete", lambda w: w.result_a.pk),
        expect=in_org_a(PROGRAM_EDIT, 302)),
    Row("programs:indicator_create", "GET", url=_u("programs:indicator_create", lambda w: w.result_a.pk),
        expect=in_org_a(PROGRAM_EDIT, 200)),
    Row("programs:indicator_detail", "GET", url=_u("programs:indicator_detail", lambda w: w.rule_indicator_a.pk),
        expect=everyone()),
    Row("programs:indicator_edit", "GET", url=_u("programs:indicator_edit", lambda w: w.indicator_a.pk),
        expect=in_org_a(PROGRAM_EDIT, 200)),
    Row("programs:indicator_delete", "POST", url=_u("programs:indicator_delete", lambda w: w.indicator_a.pk),
        expect=in_org_a(PROGRAM_EDIT, 302)),
    Row("programs:target_set", "POST", url=_u("programs:target_set", lambda w: w.indicator_a.pk),
        data=lambda w: {"period_start": "2027-01-01", "period_end": "2027-12-31", "value": "12"},
        expect=in_org_a(PROGRAM_EDIT, 302)),
    Row("programs:target_delete", "POST", url=_u("programs:target_delete", lambda w: w.target_a.pk),
        expect=in_org_a(PROGRAM_EDIT, 302)),
    Row("programs:actual_record", "POST", url=_u("programs:actual_record", lambda w: w.indicator_a.pk),
        data=lambda w: {"period_start": "2027-01-01", "period_end": "2027-12-31", "value": "3", "source": "Uji"},
        expect=in_org_a(REPORT, 302)),
    Row("programs:actual_delete", "POST", url=_u("programs:actual_delete", lambda w: w.actual_a.pk),
        expect=in_org_a(REPORT, 302)),
    # --- activities and events --------------------------------------------------------------------
    Row("programs:activity_list", "GET", expect=everyone()),
    Row("programs:activity_create", "GET", expect=holders(ACTIVITY_EDIT, 200)),
    Row("programs:activity_create", "POST", data=lambda w: {
        "type": w.activity_a.type_id, "title": "Kegiatan baru", "status": "completed", "start_date": "2026-05-05",
        "end_date": "2026-05-05", "test_max_score": "100"}, expect=holders(ACTIVITY_EDIT, 302)),
    Row("programs:activity_detail", "GET", url=_u("programs:activity_detail", lambda w: w.event_a.pk), expect=everyone()),
    Row("programs:activity_edit", "GET", url=_u("programs:activity_edit", lambda w: w.activity_a.pk),
        expect=in_org_a(ACTIVITY_EDIT, 200)),
    Row("programs:activity_delete", "POST", url=_u("programs:activity_delete", lambda w: w.activity_a.pk),
        expect=in_org_a(ACTIVITY_EDIT, 302)),
    Row("programs:participants", "GET", url=_u("programs:participants", lambda w: w.activity_a.pk),
        expect=in_org_a(ACTIVITY_EDIT, 200)),
    Row("programs:countries", "GET", url=_u("programs:countries", lambda w: w.event_a.pk),
        expect=in_org_a(ACTIVITY_EDIT, 200)),
    Row("programs:file_add", "POST", url=_u("programs:file_add", lambda w: w.activity_a.pk),
        expect=in_org_a(ACTIVITY_EDIT, 302)),
    Row("programs:file_download", "GET", url=_file_url,
        expect={"anonymous": 302, "*": 404, **{p: 200 for p in ORG_A}}),
    Row("programs:part_add", "POST", url=_u("programs:part_add", lambda w: w.activity_a.pk, "speaker"),
        data=lambda w: {"speaker-name": "Pembicara Baru", "speaker-sex": "unknown"}, expect=in_org_a(ACTIVITY_EDIT, 302)),
    Row("programs:part_remove", "POST",
        url=_u("programs:part_remove", lambda w: w.activity_a.pk, "speaker", lambda w: w.speaker_a.pk),
        expect=in_org_a(ACTIVITY_EDIT, 302)),
    Row("programs:attendance", "GET", url=_u("programs:attendance", lambda w: w.activity_a.pk),
        expect=in_org_a(ATTENDANCE, 200)),
    Row("programs:attendance", "POST", url=_u("programs:attendance", lambda w: w.activity_a.pk),
        data=lambda w: {"name": "Peserta Baru (fiktif)", "sex": "female"}, expect=in_org_a(ATTENDANCE, 302)),
    Row("programs:registrations", "GET", url=_u("programs:registrations", lambda w: w.event_a.pk),
        expect=in_org_a(ATTENDANCE, 200)),
    Row("programs:registration_status", "POST", url=_u("programs:registration_status", lambda w: w.registration_a.pk),
        data=lambda w: {"status": "attended"}, expect=in_org_a(ATTENDANCE, 302)),
    # --- learning, donors, partners, reference lists -----------------------------------------------
    Row("programs:learning_list", "GET", expect=everyone()),
    Row("programs:learning_create", "GET", expect=holders(PROGRAM_EDIT, 200)),
    Row("programs:learning_edit", "GET", url=_u("programs:learning_edit", lambda w: w.learning_a.pk),
        expect=in_org_a(PROGRAM_EDIT, 200)),
    Row("programs:learning_delete", "POST", url=_u("programs:learning_delete", lambda w: w.learning_a.pk),
        expect=in_org_a(PROGRAM_EDIT, 302)),
    Row("programs:donor_list", "GET", expect=everyone()),
    Row("programs:donor_create", "GET", expect=holders(PROGRAM_EDIT, 200)),
    Row("programs:donor_create", "POST", data=lambda w: {"name": "Donor Baru", "kind": "individual", "is_active": "on"},
        expect=holders(PROGRAM_EDIT, 302)),
    Row("programs:donor_edit", "GET", url=_u("programs:donor_edit", lambda w: w.donor.pk), expect=holders(PROGRAM_EDIT, 200)),
    Row("programs:partner_create", "GET", expect=holders(PROGRAM_EDIT, 200)),
    Row("programs:partner_edit", "GET", url=_u("programs:partner_edit", lambda w: w.partner_b.pk),
        expect=holders(PROGRAM_EDIT, 200)),
    Row("programs:reference_index", "GET", expect=holders(REFERENCE, 200)),
    Row("programs:reference_list", "GET", url=_u("programs:reference_list", "activity-types"),
        expect=holders(REFERENCE, 200)),
    Row("programs:reference_edit", "GET", url=_u("programs:reference_edit", "countries", "ID"),
        expect=holders(REFERENCE, 200)),
]


def _api(name, *args):
    return _u(f"programs-api:{name}", *args)


def api_everyone(status=200):
    return {"anonymous": 401, "*": status}


def api_holders(action_holders, status):
    return holders(action_holders, status, anonymous=401)


def api_in_org_a(action_holders, status):
    return in_org_a(action_holders, status, anonymous=401)


ROWS += [
    Row("programs-api:program-list", "GET", api=True, expect=api_everyone()),
    Row("programs-api:program-list", "POST", api=True, data=lambda w: PROGRAM_POST, expect=api_holders(PROGRAM_EDIT, 201)),
    Row("programs-api:program-detail", "GET", api=True, url=_api("program-detail", _program), expect=api_everyone()),
    Row("programs-api:program-detail", "PATCH", api=True, url=_api("program-detail", _program),
        data=lambda w: {"title_en": "Renamed"}, expect=api_in_org_a(PROGRAM_EDIT, 200)),
    Row("programs-api:program-funding", "POST", api=True, url=_api("program-funding", _program),
        data=lambda w: {"donor": w.donor.pk, "amount": "7.50", "currency": "USD"}, expect=api_in_org_a(PROGRAM_EDIT, 201)),
    Row("programs-api:result-list", "GET", api=True, expect=api_everyone()),
    Row("programs-api:result-list", "POST", api=True,
        data=lambda w: {"program": w.program_a_obj.pk, "level": "goal", "code": "0", "title_id": "Tujuan"},
        expect=api_in_org_a(PROGRAM_EDIT, 201)),
    Row("programs-api:result-detail", "GET", api=True, url=_api("result-detail", lambda w: w.result_a.pk),
        expect=api_everyone()),
    Row("programs-api:result-detail", "PATCH", api=True, url=_api("result-detail", lambda w: w.result_a.pk),
        data=lambda w: {"title_en": "Outcome"}, expect=api_in_org_a(PROGRAM_EDIT, 200)),
    Row("programs-api:result-detail", "DELETE", api=True, url=_api("result-detail", lambda w: w.result_a.pk),
        expect=api_in_org_a(PROGRAM_EDIT, 204)),
    Row("programs-api:indicator-list", "GET", api=True, expect=api_everyone()),
    Row("programs-api:indicator-list", "POST", api=True,
        data=lambda w: {"result": w.result_a.pk, "title_id": "Indikator baru", "measure": "count"},
        expect=api_in_org_a(PROGRAM_EDIT, 201)),
    Row("programs-api:indicator-detail", "GET", api=True, url=_api("indicator-detail", lambda w: w.rule_indicator_a.pk),
        expect=api_everyone()),
    Row("programs-api:indicator-detail", "PATCH", api=True, url=_api("indicator-detail", lambda w: w.indicator_a.pk),
        data=lambda w: {"unit": "orang"}, expect=api_in_org_a(PROGRAM_EDIT, 200)),
    Row("programs-api:indicator-detail", "DELETE", api=True, url=_api("indicator-detail", lambda w: w.indicator_a.pk),
        expect=api_in_org_a(PROGRAM_EDIT, 204)),
    Row("programs-api:indicator-targets", "POST", api=True, url=_api("indicator-targets", lambda w: w.indicator_a.pk),
        data=lambda w: {"period_start": "2027-01-01", "period_end": "2027-12-31", "value": "9"},
        expect=api_in_org_a(PROGRAM_EDIT, 201)),
    Row("programs-api:indicator-actuals", "POST", api=True, url=_api("indicator-actuals", lambda w: w.indicator_a.pk),
        data=lambda w: {"period_start": "2027-01-01", "period_end": "2027-12-31", "value": "2", "source": "Uji"},
        expect=api_in_org_a(REPORT, 201)),
    Row("programs-api:activity-list", "GET", api=True, expect=api_everyone()),
    Row("programs-api:activity-list", "POST", api=True, data=lambda w: {
        "type": "workshop", "title": "Lokakarya API", "start_date": "2026-06-01", "end_date": "2026-06-01"},
        expect=api_holders(ACTIVITY_EDIT, 201)),
    Row("programs-api:activity-detail", "GET", api=True, url=_api("activity-detail", lambda w: w.activity_a.pk),
        expect=api_everyone()),
    Row("programs-api:activity-detail", "PATCH", api=True, url=_api("activity-detail", lambda w: w.activity_a.pk),
        data=lambda w: {"venue": "Aula"}, expect=api_in_org_a(ACTIVITY_EDIT, 200)),
    Row("programs-api:activity-detail", "DELETE", api=True, url=_api("activity-detail", lambda w: w.activity_a.pk),
        expect=api_in_org_a(ACTIVITY_EDIT, 204)),
    Row("programs-api:activity-participants", "PUT", api=True,
        url=_api("activity-participants", lambda w: w.activity_a.pk),
        data=lambda w: [{"sex": "female", "age_group": "youth", "stakeholder_group": "youth", "count": 5}],
        expect=api_in_org_a(ACTIVITY_EDIT, 200)),
    Row("programs-api:activity-countries", "PUT", api=True, url=_api("activity-countries", lambda w: w.event_a.pk),
        data=lambda w: [{"country": "ID", "participants": 20}], expect=api_in_org_a(ACTIVITY_EDIT, 200)),
    Row("programs-api:activity-speakers", "POST", api=True, url=_api("activity-speakers", lambda w: w.event_a.pk),
        data=lambda w: {"name": "Pembicara API", "session": w.session_a.pk}, expect=api_in_org_a(ACTIVITY_EDIT, 201)),
    Row("programs-api:activity-sessions", "POST", api=True, url=_api("activity-sessions", lambda w: w.event_a.pk),
        data=lambda w: {"title": "Sesi API", "starts_at": "2026-04-02T13:00:00+07:00"},
        expect=api_in_org_a(ACTIVITY_EDIT, 201)),
    Row("programs-api:activity-outputs", "POST", api=True, url=_api("activity-outputs", lambda w: w.activity_a.pk),
        data=lambda w: {"kind": "radio", "title": "Siaran", "reach": 100}, expect=api_in_org_a(ACTIVITY_EDIT, 201)),
    Row("programs-api:activity-attendance", "GET", api=True, url=_api("activity-attendance", lambda w: w.activity_a.pk),
        expect=api_in_org_a(ATTENDANCE, 200)),
    Row("programs-api:activity-attendance", "POST", api=True, url=_api("activity-attendance", lambda w: w.activity_a.pk),
        data=lambda w: {"name": "Peserta API (fiktif)"}, expect=api_in_org_a(ATTENDANCE, 201)),
    Row("programs-api:activity-registrations", "GET", api=True,
        url=_api("activity-registrations", lambda w: w.event_a.pk), expect=api_in_org_a(ATTENDANCE, 200)),
    Row("programs-api:activity-registrations", "POST", api=True,
        url=_api("activity-registrations", lambda w: w.event_a.pk),
        data=lambda w: {"name": "Pendaftar API (fiktif)", "country": "ID"}, expect=api_in_org_a(ATTENDANCE, 201)),
    Row("programs-api:activity-files", "GET", api=True, url=_api("activity-files", lambda w: w.activity_a.pk),
        expect=api_everyone()),
    Row("programs-api:activity-files", "POST", api=True, url=_api("activity-files", lambda w: w.activity_a.pk),
        expect=api_in_org_a(ACTIVITY_EDIT, 415)),  # JSON is not a file upload: refused after the checks
    Row("programs-api:file-download", "GET", api=True, url=_api_file_url,
        expect={"anonymous": 401, "*": 404, **{p: 200 for p in ORG_A}}),
    Row("programs-api:reference-item", "POST", api=True, url=_api("reference-item", "countries"),
        data=lambda w: {"code": "ID", "name_id": "Indonesia", "name_en": "Indonesia"}, expect=api_holders(REFERENCE, 200)),
    Row("programs-api:event-list", "GET", api=True, expect=api_everyone()),
    Row("programs-api:event-detail", "GET", api=True, url=_api("event-detail", lambda w: w.event_a.pk),
        expect=api_everyone()),
    Row("programs-api:donor-list", "GET", api=True, expect=api_everyone()),
    Row("programs-api:donor-list", "POST", api=True, data=lambda w: {"name": "Donor API", "kind": "company"},
        expect=api_holders(PROGRAM_EDIT, 201)),
    Row("programs-api:donor-detail", "GET", api=True, url=_api("donor-detail", lambda w: w.donor.pk),
        expect=api_everyone()),
    Row("programs-api:donor-detail", "PATCH", api=True, url=_api("donor-detail", lambda w: w.donor.pk),
        data=lambda w: {"iati_ref": "XM-TEST-1"}, expect=api_holders(PROGRAM_EDIT, 200)),
    Row("programs-api:partner-list", "GET", api=True, expect=api_everyone()),
    Row("programs-api:partner-list", "POST", api=True, data=lambda w: {"name": "Mitra API"},
        expect=api_holders(PROGRAM_EDIT, 201)),
    Row("programs-api:partner-detail", "GET", api=True, url=_api("partner-detail", lambda w: w.partner_b.pk),
        expect=api_everyone()),
    Row("programs-api:partner-detail", "PATCH", api=True, url=_api("partner-detail", lambda w: w.partner_b.pk),
        data=lambda w: {"is_active": True}, expect=api_holders(PROGRAM_EDIT, 200)),
    Row("programs-api:learning-list", "GET", api=True, expect=api_everyone()),
    Row("programs-api:learning-list", "POST", api=True,
        data=lambda w: {"year": 2026, "kind": "success", "title": "Keberhasilan", "text_id": "Teks"},
        expect=api_holders(PROGRAM_EDIT, 201)),
    Row("programs-api:learning-detail", "GET", api=True, url=_api("learning-detail", lambda w: w.learning_a.pk),
        expect=api_everyone()),
    Row("programs-api:learning-detail", "PATCH", api=True, url=_api("learning-detail", lambda w: w.learning_a.pk),
        data=lambda w: {"title": "Diubah"}, expect=api_in_org_a(PROGRAM_EDIT, 200)),
    Row("programs-api:learning-detail", "DELETE", api=True, url=_api("learning-detail", lambda w: w.learning_a.pk),
        expect=api_in_org_a(PROGRAM_EDIT, 204)),
    Row("programs-api:reference", "GET", api=True, expect=api_everyone()),
    Row("programs-api:dashboard", "GET", api=True, expect=api_everyone()),
    Row("programs-api:iati", "GET", api=True, expect=api_holders(IATI, 200)),
]
