"""Writes for activities, their participants, outputs, speakers, agenda, files, attendance lists
and registrations."""

from __future__ import annotations

import uuid

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from lindungi.audit import services as audit
from lindungi.core import policy
from lindungi.core.errors import DomainError
from lindungi.core.policy import Scope
from lindungi.crypto import cipher
from lindungi.programs.models import (
    Activity,
    ActivityCountry,
    ActivityFile,
    ActivityOutput,
    AttendanceRecord,
    EventRegistration,
    EventSession,
    ParticipantCount,
    Speaker,
)
from lindungi.programs.services._common import assign, check, fail, set_m2m

EDIT = "programs.activity.edit"
ATTENDANCE = "programs.attendance.view"

ACTIVITY_FIELDS = ("program", "type", "title", "description", "status", "start_date", "end_date", "province",
                   "regency", "venue", "is_online", "test_max_score", "pretest_average", "posttest_average",
                   "tested_count", "results_narrative")
ACTIVITY_M2M = ("results", "organisers", "partners")
TEST_FIELDS = ("pretest_average", "posttest_average", "tested_count")


def _check_activity(actor, activity: Activity, data: dict):
    from lindungi.programs.selectors import programs_for_recording

    if activity.program_id is not None and "program" in data:
        if not programs_for_recording(actor).filter(pk=activity.program_id).exists():
            fail(_("Your organisation neither leads nor implements this program."), "program")
    for result in data.get("results") or []:
        if result.program_id != activity.program_id:
            fail(_("Choose results of the activity's own program."), "results")
    if activity.regency_id and activity.province_id and not activity.regency_id.startswith(activity.province_id + "."):
        fail(_("The regency/city is not in the selected province."), "regency")
    if activity.regency_id and not activity.province_id:
        activity.province_id = activity.regency_id.split(".")[0]
    has_test = activity.pretest_average is not None or activity.posttest_average is not None
    if has_test and not activity.type.is_training:
        fail(_("Pre- and post-tests are recorded for trainings only."), "pretest_average")
    for name in ("pretest_average", "posttest_average"):
        value = getattr(activity, name)
        if value is not None and value > activity.test_max_score:
            fail(_("A test average cannot exceed the maximum score."), name)


def activity_create(*, actor, data: dict) -> Activity:
    policy.require(actor, EDIT, Scope.ORGANISATION)
    with transaction.atomic():
        activity = Activity(organisation_id=actor.organisation_id, created_by=actor)
        assign(activity, data, ACTIVITY_FIELDS)
        if activity.type_id is None:
            fail(_("Choose the type of activity."), "type")
        _check_activity(actor, activity, data)
        check(activity)
        activity.save()
        set_m2m(activity, data, ACTIVITY_M2M)
        audit.record("programs.activity.created", actor=actor, obj=activity,
                     payload={"program": activity.program_id, "type": activity.type.code})
    return activity


def activity_update(*, actor, activity: Activity, data: dict) -> Activity:
    policy.require(actor, EDIT)
    policy.require_object(actor, EDIT, activity)
    with transaction.atomic():
        activity = Activity.objects.select_for_update().get(pk=activity.pk)
        program_before = activity.program_id
        changed = assign(activity, data, ACTIVITY_FIELDS)
        if "program" in changed and program_before is not None and "results" not in data:
            data = {**data, "results": []}
        _check_activity(actor, activity, data if "program" in changed else {k: v for k, v in data.items() if k != "program"})
        check(activity)
        activity.save()
        changed += set_m2m(activity, data, ACTIVITY_M2M)
        audit.record("programs.activity.updated", actor=actor, obj=activity, payload={"fields": changed})
    return activity


def activity_delete(*, actor, activity: Activity) -> None:
    policy.require(actor, EDIT)
    policy.require_object(actor, EDIT, activity)
    with transaction.atomic():
        pk, org, program = activity.pk, activity.organisation_id, activity.program_id
        files = [f.blob.name for f in activity.files.all()]
        activity.delete()
        audit.record("programs.activity.deleted", actor=actor, obj=("programs.activity", pk), organisation=org,
                     payload={"program": program})
        transaction.on_commit(lambda: _delete_blobs(files))


def _delete_blobs(names):
    from django.core.files.storage import default_storage

    for name in names:
        default_storage.delete(name)


def _require_edit(actor, activity: Activity):
    policy.require(actor, EDIT)
    policy.require_object(actor, EDIT, activity)


def participants_set(*, actor, activity: Activity, rows: list[dict]) -> int:
    """Replace the participant counts of an activity. Each row: sex, age_group, stakeholder_group,
    count. Returns the total."""
    _require_edit(actor, activity)
    cells = {}
    for row in rows:
        if not row.get("count"):
            continue
        key = (row.get("sex") or "unknown", getattr(row.get("age_group"), "pk", row.get("age_group")),
               getattr(row.get("stakeholder_group"), "pk", row.get("stakeholder_group")))
        if key in cells:
            fail(_("The same combination of sex, age group and stakeholder group appears twice."), "rows")
        if int(row["count"]) < 0:
            fail(_("A number of participants cannot be negative."), "rows")
        cells[key] = int(row["count"])
    with transaction.atomic():
        activity.participant_counts.all().delete()
        objs = [ParticipantCount(activity=activity, sex=sex, age_group_id=age, stakeholder_group_id=group, count=n)
                for (sex, age, group), n in cells.items()]
        for obj in objs:
            check(obj, exclude=["activity"])
        ParticipantCount.objects.bulk_create(objs)
        total = sum(cells.values())
        audit.record("programs.activity.participants_set", actor=actor, obj=activity,
                     payload={"rows": len(objs), "total": total})
    return total


def countries_set(*, actor, activity: Activity, rows: list[dict]) -> None:
    _require_edit(actor, activity)
    seen = set()
    for row in rows:
        if row["country"].pk in seen:
            fail(_("A country appears twice."), "rows")
        seen.add(row["country"].pk)
    with transaction.atomic():
        activity.countries.all().delete()
        ActivityCountry.objects.bulk_create([
            ActivityCountry(activity=activity, country=row["country"], participants=row.get("participants"))
            for row in rows
        ])
        audit.record("programs.activity.countries_set", actor=actor, obj=activity, payload={"countries": sorted(seen)})


# --- parts: speakers, sessions, outputs ------------------------------------------------------------

PART_FIELDS = {
    Speaker: ("session", "name", "affiliation", "sex", "country", "topic"),
    EventSession: ("title", "starts_at", "ends_at", "room"),
    ActivityOutput: ("kind", "title", "reach", "url", "published_on"),
}


def part_add(*, actor, activity: Activity, model, data: dict):
    _require_edit(actor, activity)
    if model in (EventSession,) and not activity.type.is_event:
        fail(_("Only events have an agenda."))
    session = data.get("session")
    if session is not None and session.activity_id != activity.pk:
        fail(_("Choose a session of this event."), "session")
    with transaction.atomic():
        part = model(activity=activity)
        assign(part, data, PART_FIELDS[model])
        check(part, exclude=["activity"])
        part.save()
        audit.record(f"programs.{model._meta.model_name}.added", actor=actor, obj=activity, payload={"id": part.pk})
    return part


def part_remove(*, actor, part) -> None:
    activity = part.activity
    _require_edit(actor, activity)
    with transaction.atomic():
        pk = part.pk
        part.delete()
        audit.record(f"programs.{type(part)._meta.model_name}.removed", actor=actor, obj=activity, payload={"id": str(pk)})


# --- files ---------------------------------------------------------------------------------------

def file_add(*, actor, activity: Activity, upload, caption: str = "") -> ActivityFile:
    from django.conf import settings

    _require_edit(actor, activity)
    if activity.organisation_id != actor.organisation_id:
        fail(_("Only the organisation that recorded the activity adds its photos and documents."), "file")
    data = upload.read()
    if len(data) > settings.LINDUNGI_MAX_ATTACHMENT_BYTES:
        fail(_("The file is too large."), "file")
    content_type = _sniff(data)
    if content_type not in ActivityFile.ALLOWED_TYPES:
        fail(_("Upload a JPEG or PNG photo, a PDF or a Word (.docx) document."), "file")
    record = ActivityFile(organisation_id=activity.organisation_id, activity=activity, caption=caption,
                          original_name=(upload.name or "")[:255], content_type=content_type, size=len(data),
                          kind=ActivityFile.ALLOWED_TYPES[content_type], uploaded_by=actor)
    sealed = cipher.encrypt_blob(record.organisation_id, record.blob_context, data)
    record.blob.save(f"{uuid.uuid4().hex}.bin", ContentFile(sealed), save=False)
    try:
        with transaction.atomic():
            check(record, exclude=["uploaded_by", "blob"])
            record.save()
            audit.record("programs.activityfile.added", actor=actor, obj=activity,
                         payload={"file": str(record.pk), "content_type": content_type})
    except Exception:
        _delete_blobs([record.blob.name])  # no row, no orphaned ciphertext
        raise
    return record


def _sniff(data: bytes) -> str:
    """The content type from the file's first bytes (the browser's claim is not trusted)."""
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"%PDF-"):
        return "application/pdf"
    if data.startswith(b"PK\x03\x04") and b"word/" in data[:4096]:
        return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    return "application/octet-stream"


def file_read(*, actor, record: ActivityFile) -> bytes:
    policy.require_object(actor, "programs.program.view", record)
    from django.core.files.storage import default_storage

    with default_storage.open(record.blob.name, "rb") as handle:
        data = cipher.decrypt_blob(record.organisation_id, record.blob_context, handle.read())
    audit.record("programs.activityfile.viewed", actor=actor, obj=record, payload={"activity": record.activity_id})
    return data


def file_remove(*, actor, record: ActivityFile) -> None:
    _require_edit(actor, record.activity)
    with transaction.atomic():
        pk, name, activity = record.pk, record.blob.name, record.activity
        record.delete()
        audit.record("programs.activityfile.removed", actor=actor, obj=activity, payload={"file": str(pk)})
        transaction.on_commit(lambda: _delete_blobs([name]))


# --- attendance lists and registrations (personal data) -------------------------------------------

def _require_attendance(actor, activity: Activity):
    _require_edit(actor, activity)
    policy.require(actor, ATTENDANCE, Scope.ORGANISATION)
    if activity.organisation_id != actor.organisation_id:
        # Attendance belongs to the organisation that recorded the activity.
        raise policy.OutOfScope(ATTENDANCE, Activity, {"pk": activity.pk}, exists=True)


PERSON_FIELDS = ("name", "contact", "institution", "sex", "stakeholder_group")


def attendance_add(*, actor, activity: Activity, data: dict) -> AttendanceRecord:
    _require_attendance(actor, activity)
    with transaction.atomic():
        record = AttendanceRecord(organisation_id=activity.organisation_id, activity=activity)
        assign(record, data, (*PERSON_FIELDS, "age_group"))
        if not (record.name or "").strip():
            fail(_("Enter the participant's name."), "name")
        check(record, exclude=["activity", "organisation"])
        record.save()
        audit.record("programs.attendance.added", actor=actor, obj=activity, payload={"record": str(record.pk)})
    return record


def registration_add(*, actor, activity: Activity, data: dict) -> EventRegistration:
    _require_attendance(actor, activity)
    if not activity.type.is_event:
        fail(_("Only events take registrations."))
    with transaction.atomic():
        record = EventRegistration(organisation_id=activity.organisation_id, activity=activity)
        assign(record, data, (*PERSON_FIELDS, "country", "status"))
        if not (record.name or "").strip():
            fail(_("Enter the participant's name."), "name")
        check(record, exclude=["activity", "organisation"])
        record.save()
        audit.record("programs.registration.added", actor=actor, obj=activity, payload={"record": str(record.pk)})
    return record


def registration_set_status(*, actor, registration: EventRegistration, status: str) -> EventRegistration:
    _require_attendance(actor, registration.activity)
    if status not in EventRegistration.Status.values:
        raise DomainError(_("Unknown status."), fields={"status": [str(_("Unknown status."))]})
    with transaction.atomic():
        registration.status = status
        registration.save(update_fields=["status"])
        audit.record("programs.registration.status_set", actor=actor, obj=registration.activity,
                     payload={"record": str(registration.pk), "status": status})
    return registration


def person_remove(*, actor, record) -> None:
    """Remove an attendance record or a registration."""
    _require_attendance(actor, record.activity)
    with transaction.atomic():
        pk, activity = record.pk, record.activity
        record.delete()
        audit.record(f"programs.{type(record)._meta.model_name}.removed", actor=actor, obj=activity,
                     payload={"record": str(pk)})
