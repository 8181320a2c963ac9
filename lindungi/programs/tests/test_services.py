"""Services: policy, validation, audit, and nothing changes on bad input."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from lindungi.audit.models import AuditEvent
from lindungi.core.errors import DomainError
from lindungi.core.policy import OutOfScope, PolicyDenied
from lindungi.geo.models import Region
from lindungi.programs import services
from lindungi.programs.models import Activity, ActivityType, AttendanceRecord, Program, Result

D = datetime.date
pytestmark = pytest.mark.django_db


def _data(**extra):
    return {"code": "NEW-1", "title_id": "Program baru", "status": "planned", "start_date": D(2026, 1, 1),
            "end_date": D(2026, 12, 31), **extra}


def test_program_create_is_led_by_the_actors_organisation_and_audited(pw):
    program = services.program_create(actor=pw.program_b, data=_data())
    assert program.lead_organisation == pw.org_b
    event = AuditEvent.objects.filter(action="programs.program.created").latest("seq")
    assert event.object_id == str(program.pk) and event.payload == {"code": "NEW-1"}


def test_program_create_refuses_bad_input_and_changes_nothing(pw):
    before = Program.objects.count()
    with pytest.raises(DomainError) as error:
        services.program_create(actor=pw.program_a, data=_data(end_date=D(2025, 1, 1)))
    assert error.value.fields  # the period constraint names its error
    with pytest.raises(DomainError) as error:
        services.program_create(actor=pw.program_a, data=_data(code="ORGA-TEST-1"))  # duplicate code
    assert "code" in error.value.fields
    with pytest.raises(DomainError) as error:
        services.program_create(actor=pw.program_a, data=_data(
            provinces=[Region.objects.get(code="18")], regencies=[Region.objects.get(code="31.71")]))
    assert "regencies" in error.value.fields
    assert Program.objects.count() == before


def test_roles_without_the_action_are_refused(pw):
    with pytest.raises(PolicyDenied):
        services.program_create(actor=pw.caseworker_a, data=_data())
    with pytest.raises(PolicyDenied):
        services.activity_create(actor=pw.viewer_a, data={"type": ActivityType.objects.first(), "title": "x",
                                                          "start_date": D(2026, 1, 1), "end_date": D(2026, 1, 1)})


def test_other_organisations_cannot_edit_a_program(pw):
    with pytest.raises(OutOfScope):
        services.program_update(actor=pw.program_b, program=pw.program_a_obj, data={"title_en": "x"})
    with pytest.raises(OutOfScope):
        services.result_save(actor=pw.secretariat_me, program=pw.program_a_obj, data={"level": "goal", "title_id": "x"})


def test_logframe_levels_are_enforced(pw):
    goal = services.result_save(actor=pw.program_a, program=pw.program_a_obj, data={"level": "goal", "title_id": "Tujuan"})
    with pytest.raises(DomainError):
        services.result_save(actor=pw.program_a, program=pw.program_a_obj,
                             data={"level": "output", "title_id": "x", "parent": goal})
    other = services.result_save(actor=pw.program_b, program=services.program_create(actor=pw.program_b, data=_data()),
                                 data={"level": "goal", "title_id": "y"})
    with pytest.raises(DomainError):
        services.result_save(actor=pw.program_a, program=pw.program_a_obj,
                             data={"level": "outcome", "title_id": "x", "parent": other})
    outcome = services.result_save(actor=pw.program_a, program=pw.program_a_obj,
                                   data={"level": "outcome", "title_id": "x", "parent": goal})
    assert outcome.parent == goal and Result.objects.filter(program=pw.program_a_obj).count() == 3


def test_an_implementing_partner_records_activities_but_cannot_edit_the_program(pw):
    training = ActivityType.objects.get(code="pelatihan")
    activity = services.activity_create(actor=pw.program_b, data={
        "program": pw.program_s, "type": training, "title": "Pelatihan oleh mitra", "start_date": D(2026, 2, 1),
        "end_date": D(2026, 2, 1)})
    assert activity.organisation == pw.org_b
    with pytest.raises(OutOfScope):
        services.program_update(actor=pw.program_b, program=pw.program_s, data={"title_en": "x"})
    # The lead organisation may correct the partner's record.
    services.activity_update(actor=pw.secretariat_program, activity=activity, data={"venue": "Aula"})
    # A program the organisation neither leads nor implements is refused.
    with pytest.raises(DomainError) as error:
        services.activity_create(actor=pw.program_b, data={
            "program": pw.program_a_obj, "type": training, "title": "x", "start_date": D(2026, 2, 1),
            "end_date": D(2026, 2, 1)})
    assert "program" in error.value.fields


def test_activity_validation(pw):
    seminar = ActivityType.objects.get(code="seminar")
    base = {"program": pw.program_a_obj, "type": seminar, "title": "Seminar", "start_date": D(2026, 2, 1),
            "end_date": D(2026, 2, 1)}
    count = Activity.objects.count()
    with pytest.raises(DomainError):  # tests only for trainings
        services.activity_create(actor=pw.program_a, data={**base, "pretest_average": Decimal(10)})
    with pytest.raises(DomainError):  # regency outside the province
        services.activity_create(actor=pw.program_a, data={**base, "province": Region.objects.get(code="18"),
                                                           "regency": Region.objects.get(code="31.71")})
    with pytest.raises(DomainError):  # a result of another program
        services.activity_create(actor=pw.program_a, data={**base, "results": [
            services.result_save(actor=pw.program_b, program=services.program_create(actor=pw.program_b, data=_data()),
                                 data={"level": "goal", "title_id": "z"})]})
    assert Activity.objects.count() == count
    activity = services.activity_create(actor=pw.program_a, data={**base, "regency": Region.objects.get(code="31.71")})
    assert activity.province_id == "31"  # filled in from the regency


def test_participants_reject_duplicate_cells(pw):
    rows = [{"sex": "female", "age_group": None, "stakeholder_group": None, "count": 3}] * 2
    with pytest.raises(DomainError):
        services.participants_set(actor=pw.program_a, activity=pw.activity_a, rows=rows)
    assert services.participants_set(actor=pw.program_a, activity=pw.activity_a, rows=rows[:1]) == 3


def test_attendance_is_encrypted_and_stays_in_the_recording_organisation(pw):
    record = services.attendance_add(actor=pw.me_a, activity=pw.activity_a,
                                     data={"name": "Rahasia Fiktif Sekali", "contact": "081234567890"})
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT name, contact FROM {AttendanceRecord._meta.db_table} WHERE id = %s", [record.pk.hex
                       if connection.vendor == "sqlite" else record.pk])
        name, contact = cursor.fetchone()
    assert "Rahasia" not in name and "0812345" not in contact
    assert AttendanceRecord.objects.get(pk=record.pk).name == "Rahasia Fiktif Sekali"
    # The lead organisation's officer of another organisation (here: B) cannot add or see.
    with pytest.raises(OutOfScope):
        services.attendance_add(actor=pw.program_b, activity=pw.activity_a, data={"name": "x"})
    # No name ever goes into the audit trail.
    assert not AuditEvent.objects.filter(payload__icontains="Rahasia").exists()


def test_files_are_encrypted_and_content_checked(pw):
    with pytest.raises(DomainError):
        services.file_add(actor=pw.program_a, activity=pw.activity_a,
                          upload=SimpleUploadedFile("x.exe", b"MZ\x90\x00 not an image"))
    jpeg = b"\xff\xd8\xff\xe0" + b"photo-bytes" * 10
    record = services.file_add(actor=pw.program_a, activity=pw.activity_a, upload=SimpleUploadedFile("f.jpg", jpeg))
    with record.blob.storage.open(record.blob.name, "rb") as handle:
        stored = handle.read()
    assert b"photo-bytes" not in stored
    assert services.file_read(actor=pw.program_a, record=record) == jpeg
    with pytest.raises(OutOfScope):
        services.file_read(actor=pw.program_b, record=record)


def test_deleting_an_activity_is_audited_without_personal_data(pw):
    pk = pw.activity_a.pk
    services.activity_delete(actor=pw.program_a, activity=pw.activity_a)
    assert not Activity.objects.filter(pk=pk).exists()
    assert not AttendanceRecord.objects.filter(activity_id=pk).exists()
    assert AuditEvent.objects.filter(action="programs.activity.deleted", object_id=str(pk)).exists()


def test_individual_donors_are_never_named_publicly(pw):
    donor = services.donor_save(actor=pw.program_a, data={"name": "Ibu Dermawan Fiktif", "kind": "individual"})
    assert donor.public_name != donor.name and "Dermawan" not in donor.public_name


def test_reference_lists_are_managed_by_the_secretariats_admins_and_me_officers(pw):
    from lindungi.programs.models import ActivityType as T

    services.reference_save(actor=pw.secretariat_me, model=T, data={
        "code": "kunjungan", "label_id": "Kunjungan", "label_en": "Visit", "order": 5, "is_active": True,
        "is_training": False, "is_event": False})
    assert T.objects.filter(code="kunjungan").exists()
    event = AuditEvent.objects.filter(action="programs.activitytype.created").latest("seq")
    assert event.actor_id == pw.secretariat_me.pk and event.organisation_id == pw.org_s.pk
    services.reference_save(actor=pw.secretariat_admin, model=T, data={"label_en": "Home visit"},
                            instance=T.objects.get(code="kunjungan"))
    assert T.objects.get(code="kunjungan").label_en == "Home visit"
    for persona in ("program_a", "secretariat_program", "viewer_a"):
        with pytest.raises(PolicyDenied):
            services.reference_save(actor=getattr(pw, persona), model=T,
                                    data={"code": "x", "label_id": "x", "label_en": "x"})


def _reference_rows():
    from lindungi.programs.models import ActivityType, Country

    return (list(ActivityType.objects.order_by("code").values()), list(Country.objects.order_by("code").values()))


@pytest.mark.parametrize("persona", ["admin_a", "me_a", "admin_b"])
def test_member_organisations_cannot_change_the_network_reference_lists(pw, persona):
    """The lists are shared by the whole network: a member organisation's administrator or M&E
    officer may neither change an item for everyone nor add one."""
    from lindungi.programs.models import ActivityType, Country

    actor = getattr(pw, persona)
    before = _reference_rows()
    events = AuditEvent.objects.count()
    with pytest.raises(PolicyDenied):
        services.reference_save(actor=actor, model=ActivityType, data={"is_active": False},
                                instance=ActivityType.objects.get(code="pelatihan"))
    with pytest.raises(PolicyDenied):
        services.reference_save(actor=actor, model=Country, data={"name_en": "Renamed"},
                                instance=Country.objects.get(code="ID"))
    with pytest.raises(PolicyDenied):
        services.reference_save(actor=actor, model=ActivityType, data={
            "code": "kunjungan", "label_id": "Kunjungan", "label_en": "Visit", "order": 5, "is_active": True,
            "is_training": False, "is_event": False})
    assert _reference_rows() == before
    assert AuditEvent.objects.count() == events  # nothing saved (a refusal is audited by the page or API)


def test_learning_entries_belong_to_the_organisation(pw):
    entry = services.learning_save(actor=pw.program_b, data={"year": 2026, "kind": "challenge", "title": "Tantangan",
                                                             "text_id": "Teks", "program": pw.program_s})
    assert entry.organisation == pw.org_b  # B implements the secretariat's program
    with pytest.raises(DomainError):
        services.learning_save(actor=pw.program_b, data={"year": 2026, "kind": "lesson", "title": "x",
                                                         "text_id": "y", "program": pw.program_a_obj})
    with pytest.raises(OutOfScope):
        services.learning_delete(actor=pw.program_a, entry=entry)


def test_a_key_rotation_re_encrypts_the_activity_photos(pw, django_capture_on_commit_callbacks):
    import io

    from django.core.management import call_command

    from lindungi.crypto import cipher
    from lindungi.crypto.models import DataKey

    jpeg = b"\xff\xd8\xff\xe0" + b"photo-bytes" * 10
    record = services.file_add(actor=pw.program_a, activity=pw.activity_a, upload=SimpleUploadedFile("f.jpg", jpeg))
    old_name = record.blob.name
    with django_capture_on_commit_callbacks(execute=True):
        call_command("rotate_keys", "--organisation", record.organisation.code, "--settle-seconds", "0",
                     stdout=io.StringIO())
    record.refresh_from_db()
    assert record.blob.name != old_name and not record.blob.storage.exists(old_name)
    with record.blob.storage.open(record.blob.name, "rb") as handle:
        assert cipher.blob_key_id(handle.read()) == DataKey.objects.get(organisation=record.organisation,
                                                                        is_active=True).key_id
    assert services.file_read(actor=pw.program_a, record=record) == jpeg
