"""Permission matrix of the legal area (pages, API, calendar feed).

`build(world)` opens `world.legal_case_a` on the incidents app's `world.incident_a`, assigned to
legal_a, at the investigation stage, with `world.defendant_a` (the incident's perpetrator, with a
first-instance verdict), `world.charge_a`, `world.hearing_a`, `world.restitution_a`,
`world.protection_a`, and `world.calendar_token_a` (legal_a's calendar feed).

Who sees legal case A: legal_a (assigned officer), caseworker_a (caseworker of the victim's case),
supervisor_a (organisation). Who may edit it: legal_a and supervisor_a. Other case roles: 404.
"""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone

from lindungi.core.testing.matrix import Row
from lindungi.legal import services
from lindungi.legal.models import DeadlineRule, LawArticle, PoliceUnitLevel, Stage


def build(world):
    w = world
    today = timezone.localdate()
    w.legal_case_a = services.legal_case_create(
        actor=w.supervisor_a, incidents=[w.incident_a], assigned_officer=w.legal_a,
        stage=Stage.objects.get(code="report"), entered_on=today - datetime.timedelta(days=90),
        data={"police_unit_level": PoliceUnitLevel.objects.get(code="polres"), "police_unit_name": "Polres Uji",
              "report_number": "LP/B/1/2026/UJI", "court": "PN Uji"})
    w.legal_case_a = services.legal_case_change_stage(
        actor=w.legal_a, legal_case=w.legal_case_a, stage=Stage.objects.get(code="trial"),
        entered_on=today - datetime.timedelta(days=30))
    w.defendant_a = services.defendant_add(actor=w.legal_a, legal_case=w.legal_case_a, perpetrator=w.perpetrator_a,
                                           data={"named_suspect_on": today - datetime.timedelta(days=80)})
    w.charge_a = services.charge_add(actor=w.legal_a, legal_case=w.legal_case_a, defendant=w.defendant_a,
                                     article=LawArticle.objects.get(code="uu-35-2014-76i-88"))
    w.verdict_a = services.verdict_record(actor=w.legal_a, defendant=w.defendant_a, level="first_instance", data={
        "decided_on": today - datetime.timedelta(days=2), "outcome": "convicted", "prison_months": 48})
    w.hearing_a = services.hearing_save(actor=w.legal_a, legal_case=w.legal_case_a, data={
        "date": today + datetime.timedelta(days=5), "court": "PN Uji", "agenda": "evidence"})
    w.restitution_a = services.restitution_save(actor=w.legal_a, legal_case=w.legal_case_a, data={
        "route": "lpsk", "claimed_amount": 10_000_000, "claimed_on": today - datetime.timedelta(days=20)})
    w.protection_a = services.protection_save(actor=w.legal_a, legal_case=w.legal_case_a, data={
        "submitted_on": today - datetime.timedelta(days=25), "protections": ["procedural"]})
    w.stage_inquiry = Stage.objects.get(code="inquiry")
    w.stage_prosecution = Stage.objects.get(code="prosecution")
    _feed, w.calendar_token_a = services.calendar_feed_create(actor=w.legal_a)
    w.deadline_rule_pk = DeadlineRule.objects.get(code="appeal").pk


def _today(days: int = 0) -> str:
    return (timezone.localdate() + datetime.timedelta(days=days)).isoformat()


CASE_ROLES = ("caseworker_a", "caseworker2_a", "legal_a", "supervisor_a", "caseworker_b", "legal_b", "supervisor_b")
OUT = {p: 404 for p in CASE_ROLES}


def viewers(ok: int, anonymous: int = 302) -> dict:
    """Reading legal case A: the officer, the victim's caseworker, A's supervisor."""
    return {"anonymous": anonymous, "*": 403, **OUT, "legal_a": ok, "caseworker_a": ok, "supervisor_a": ok}


def editors(ok: int, anonymous: int = 302) -> dict:
    """Changing legal case A: the officer and A's supervisor; caseworkers never edit legal cases."""
    return {"anonymous": anonymous, "*": 403, "caseworker2_a": 403, "caseworker_b": 403,
            **{p: 404 for p in ("legal_b", "supervisor_b")}, "caseworker_a": 403, "legal_a": ok, "supervisor_a": ok}


def role_holders(roles: tuple[str, ...], status: int, anonymous: int = 302) -> dict:
    return {"anonymous": anonymous, "*": 403, **{p: status for p in roles}}


LIST = CASE_ROLES
CREATE = ("legal_a", "supervisor_a", "legal_b", "supervisor_b")
CALENDAR = CASE_ROLES
# Network-wide lists: the secretariat's administrators and supervisors only (the world has no
# secretariat supervisor); member organisations' administrators and supervisors get 403.
REFERENCE = ("secretariat_admin",)


def _case(name, *extra):
    return lambda w: reverse(name, args=[w.legal_case_a.pk, *[getattr(w, e).pk for e in extra]])


def create_form(w) -> dict:
    return {"incident_numbers": w.incident_a.number, "stage": Stage.objects.get(code="report").pk,
            "entered_on": _today(-3), "police_unit_name": "Polres Uji"}


def hearing_form(w) -> dict:
    return {"date": _today(9), "time": "09:30", "court": "PN Uji", "agenda": "demand", "status": "scheduled"}


def restitution_form(w) -> dict:
    return {"route": "investigator_prosecutor", "claimed_amount": 5000000, "claimed_on": _today(-1)}


def protection_form(w) -> dict:
    return {"submitted_on": _today(-1), "protections": ["physical", "medical"], "status": "submitted"}


def verdict_form(w) -> dict:
    return {"level": "first_instance", "decided_on": _today(-2), "outcome": "convicted", "prison_months": 60,
            "fine": 50000000}


_WEB_ROWS = [
    Row("legal:list", "GET", expect=role_holders(LIST, 200)),
    Row("legal:create", "GET", expect=role_holders(CREATE, 200)),
    Row("legal:create", "POST", data=create_form,
        expect={**role_holders(CREATE, 400), "legal_a": 302, "supervisor_a": 302}),
    Row("legal:detail", "GET", url=_case("legal:detail"), expect=viewers(200)),
    Row("legal:edit", "GET", url=_case("legal:edit"), expect=editors(200)),
    Row("legal:edit", "POST", url=_case("legal:edit"), data=lambda w: {"police_unit_name": "Polres Uji 2",
                                                                        "court": "PN Uji"}, expect=editors(302)),
    Row("legal:links", "GET", url=_case("legal:links"), expect=editors(200)),
    Row("legal:links", "POST", url=_case("legal:links"),
        data=lambda w: {"incident_numbers": w.incident_a.number, "victims": [str(w.inc_case_a.pk)]},
        expect=editors(302)),
    Row("legal:assign", "GET", url=_case("legal:assign"),
        expect={"anonymous": 302, "*": 403, "supervisor_a": 200, "supervisor_b": 404}),
    Row("legal:assign", "POST", url=_case("legal:assign"), data=lambda w: {"officer": w.legal_a.pk},
        expect={"anonymous": 302, "*": 403, "supervisor_a": 302, "supervisor_b": 404}),
    Row("legal:stage", "GET", url=_case("legal:stage"), expect=editors(200)),
    Row("legal:stage", "POST", url=_case("legal:stage"),
        data=lambda w: {"stage": Stage.objects.get(code="verdict").pk, "entered_on": _today(-1)},
        expect=editors(302)),
    Row("legal:charge_add", "GET", url=_case("legal:charge_add"), expect=editors(200)),
    Row("legal:charge_add", "POST", url=_case("legal:charge_add"),
        data=lambda w: {"article": LawArticle.objects.get(code="uu-21-2007-2").pk}, expect=editors(302)),
    Row("legal:charge_remove", "POST", url=_case("legal:charge_remove", "charge_a"), expect=editors(302)),
    Row("legal:defendant_add", "GET", url=_case("legal:defendant_add"), expect=editors(200)),
    # The incident's only identified perpetrator is already a defendant: the form comes back.
    Row("legal:defendant_add", "POST", url=_case("legal:defendant_add"),
        data=lambda w: {"perpetrator": str(w.perpetrator_a.pk)}, expect=editors(400)),
    Row("legal:defendant_edit", "GET", url=_case("legal:defendant_edit", "defendant_a"), expect=editors(200)),
    Row("legal:defendant_edit", "POST", url=_case("legal:defendant_edit", "defendant_a"),
        data=lambda w: {"named_suspect_on": _today(-80), "detained": "on", "detained_on": _today(-79)},
        expect=editors(302)),
    Row("legal:verdict", "GET", url=_case("legal:verdict", "defendant_a"), expect=editors(200)),
    Row("legal:verdict", "POST", url=_case("legal:verdict", "defendant_a"), data=verdict_form, expect=editors(302)),
    Row("legal:appeal", "GET", url=_case("legal:appeal", "defendant_a"), expect=editors(200)),
    Row("legal:appeal", "POST", url=_case("legal:appeal", "defendant_a"),
        data=lambda w: {"level": "appeal", "filed_by": "defendant", "filed_on": _today()}, expect=editors(302)),
    Row("legal:hearing_add", "GET", url=_case("legal:hearing_add"), expect=editors(200)),
    Row("legal:hearing_add", "POST", url=_case("legal:hearing_add"), data=hearing_form, expect=editors(302)),
    Row("legal:hearing_edit", "GET", url=_case("legal:hearing_edit", "hearing_a"), expect=editors(200)),
    Row("legal:hearing_edit", "POST", url=_case("legal:hearing_edit", "hearing_a"), data=hearing_form,
        expect=editors(302)),
    Row("legal:accompaniment_add", "GET", url=_case("legal:accompaniment_add"), expect=editors(200)),
    Row("legal:accompaniment_add", "POST", url=_case("legal:accompaniment_add"),
        data=lambda w: {"date": _today(), "type": "psychological", "done_by": w.supervisor_a.pk,
                        "duration_minutes": 60, "notes": "Catatan uji."}, expect=editors(302)),
    Row("legal:restitution_add", "GET", url=_case("legal:restitution_add"), expect=editors(200)),
    Row("legal:restitution_add", "POST", url=_case("legal:restitution_add"), data=restitution_form,
        expect=editors(302)),
    Row("legal:restitution_edit", "GET", url=_case("legal:restitution_edit", "restitution_a"), expect=editors(200)),
    Row("legal:restitution_edit", "POST", url=_case("legal:restitution_edit", "restitution_a"),
        data=lambda w: {"route": "lpsk", "claimed_amount": 10000000, "claimed_on": _today(-20),
                        "ordered_amount": 8000000, "ordered_on": _today(-1)}, expect=editors(302)),
    Row("legal:protection_add", "GET", url=_case("legal:protection_add"), expect=editors(200)),
    Row("legal:protection_add", "POST", url=_case("legal:protection_add"), data=protection_form, expect=editors(302)),
    Row("legal:protection_edit", "GET", url=_case("legal:protection_edit", "protection_a"), expect=editors(200)),
    Row("legal:protection_edit", "POST", url=_case("legal:protection_edit", "protection_a"),
        data=lambda w: {"submitted_on": _today(-25), "protections": ["procedural"], "status": "accepted",
                        "decided_on": _today(-3)}, expect=editors(302)),
    Row("legal:calendar", "GET", expect=role_holders(CALENDAR, 200)),
    Row("legal:calendar_feed_create", "POST", expect=role_holders(CALENDAR, 200)),
    Row("legal:calendar_feed_create", "GET", expect={"anonymous": 302, "*": 405}),
    Row("legal:calendar_feed_revoke", "POST", expect=role_holders(CALENDAR, 302)),
    # The feed is for calendar apps: the secret address is the key, whoever asks.
    Row("legal:calendar_feed", "GET", url=lambda w: reverse("legal:calendar_feed", args=[w.calendar_token_a]),
        expect={"anonymous": 200, "*": 200}),
    Row("legal:reference_index", "GET", expect=role_holders(REFERENCE, 200)),
    Row("legal:reference", "GET", url=lambda w: reverse("legal:reference", args=["stages"]),
        expect=role_holders(REFERENCE, 200)),
    Row("legal:reference", "POST", url=lambda w: reverse("legal:reference", args=["police-unit-levels"]),
        data=lambda w: {"code": "polairud", "label_id": "Polairud", "label_en": "Water police", "order": 50,
                        "is_active": "on"}, expect=role_holders(REFERENCE, 302)),
    Row("legal:reference_edit", "GET",
        url=lambda w: reverse("legal:reference_edit", args=["deadlines", w.deadline_rule_pk]),
        expect=role_holders(REFERENCE, 200)),
    Row("legal:reference_edit", "POST",
        url=lambda w: reverse("legal:reference_edit", args=["deadlines", w.deadline_rule_pk]),
        data=lambda w: {"code": "appeal", "label_id": "Batas waktu banding", "label_en": "Appeal deadline",
                        "order": 10, "days": 7, "after_level": "first_instance", "files_level": "appeal",
                        "is_active": "on"}, expect=role_holders(REFERENCE, 302)),
]


_API_ROWS = [
    Row("legal-api:legalcase-list", "GET", api=True, expect=role_holders(LIST, 200, anonymous=401)),
    Row("legal-api:legalcase-list", "POST", api=True,
        data=lambda w: {"incidents": [str(w.incident_a.pk)], "stage": "report", "entered_on": _today(-3)},
        expect={**role_holders(CREATE, 400, anonymous=401), "legal_a": 201, "supervisor_a": 201}),
    Row("legal-api:legalcase-detail", "GET", api=True, url=_case("legal-api:legalcase-detail"),
        expect=viewers(200, anonymous=401)),
    Row("legal-api:legalcase-detail", "PATCH", api=True, url=_case("legal-api:legalcase-detail"),
        data=lambda w: {"prosecutor_office": "Kejari Uji"}, expect=editors(200, anonymous=401)),
    Row("legal-api:legalcase-links", "PUT", api=True, url=_case("legal-api:legalcase-links"),
        data=lambda w: {"incidents": [str(w.incident_a.pk)], "victims": [str(w.inc_case_a.pk)]},
        expect=editors(200, anonymous=401)),
    Row("legal-api:legalcase-assign", "POST", api=True, url=_case("legal-api:legalcase-assign"),
        data=lambda w: {"officer": None},
        expect={"anonymous": 401, "*": 403, "supervisor_a": 200, "supervisor_b": 404}),
    Row("legal-api:legalcase-stage", "GET", api=True, url=_case("legal-api:legalcase-stage"),
        expect=viewers(200, anonymous=401)),
    # Back to an earlier stage: refused with the reason (409) for those who may change it.
    Row("legal-api:legalcase-stage", "POST", api=True, url=_case("legal-api:legalcase-stage"),
        data=lambda w: {"stage": "inquiry"}, expect=editors(409, anonymous=401)),
    Row("legal-api:charge-list", "POST", api=True, url=_case("legal-api:charge-list"),
        data=lambda w: {"article": "uu-44-2008-4-1"}, expect=editors(201, anonymous=401)),
    Row("legal-api:charge-detail", "DELETE", api=True, url=_case("legal-api:charge-detail", "charge_a"),
        expect=editors(204, anonymous=401)),
    Row("legal-api:defendant-list", "POST", api=True, url=_case("legal-api:defendant-list"),
        data=lambda w: {"perpetrator": str(w.perpetrator_a.pk)}, expect=editors(409, anonymous=401)),
    Row("legal-api:defendant-detail", "PATCH", api=True, url=_case("legal-api:defendant-detail", "defendant_a"),
        data=lambda w: {"detained": True}, expect=editors(200, anonymous=401)),
    Row("legal-api:verdict", "POST", api=True, url=_case("legal-api:verdict", "defendant_a"), data=verdict_form,
        expect=editors(201, anonymous=401)),
    Row("legal-api:appeal", "POST", api=True, url=_case("legal-api:appeal", "defendant_a"),
        data=lambda w: {"level": "appeal", "filed_by": "prosecutor", "filed_on": _today()},
        expect=editors(201, anonymous=401)),
    Row("legal-api:hearing-list", "POST", api=True, url=_case("legal-api:hearing-list"), data=hearing_form,
        expect=editors(201, anonymous=401)),
    Row("legal-api:hearing-detail", "PATCH", api=True, url=_case("legal-api:hearing-detail", "hearing_a"),
        data=lambda w: {"status": "postponed"}, expect=editors(200, anonymous=401)),
    Row("legal-api:accompaniment-list", "POST", api=True, url=_case("legal-api:accompaniment-list"),
        data=lambda w: {"date": _today(), "type": "home_visit", "duration_minutes": 45},
        expect=editors(201, anonymous=401)),
    Row("legal-api:restitution-list", "POST", api=True, url=_case("legal-api:restitution-list"),
        data=restitution_form, expect=editors(201, anonymous=401)),
    Row("legal-api:restitution-detail", "PATCH", api=True, url=_case("legal-api:restitution-detail", "restitution_a"),
        data=lambda w: {"ordered_amount": 9000000, "ordered_on": _today()}, expect=editors(200, anonymous=401)),
    Row("legal-api:protection-list", "POST", api=True, url=_case("legal-api:protection-list"), data=protection_form,
        expect=editors(201, anonymous=401)),
    Row("legal-api:protection-detail", "PATCH", api=True, url=_case("legal-api:protection-detail", "protection_a"),
        data=lambda w: {"status": "rejected", "decided_on": _today()}, expect=editors(200, anonymous=401)),
    Row("legal-api:calendar", "GET", api=True, expect=role_holders(CALENDAR, 200, anonymous=401)),
    Row("legal-api:calendar-feed", "POST", api=True, expect=role_holders(CALENDAR, 201, anonymous=401)),
    Row("legal-api:calendar-feed", "DELETE", api=True, expect=role_holders(CALENDAR, 204, anonymous=401)),
    Row("legal-api:reference-list", "GET", api=True, url=lambda w: reverse("legal-api:reference-list",
                                                                           args=["articles"]),
        expect=role_holders(LIST, 200, anonymous=401)),
    Row("legal-api:reference-list", "POST", api=True, url=lambda w: reverse("legal-api:reference-list",
                                                                            args=["laws"]),
        data=lambda w: {"code": "uu-uji", "short_name": "UU Uji", "label_id": "UU Uji", "label_en": "Test law"},
        expect=role_holders(REFERENCE, 201, anonymous=401)),
    Row("legal-api:reference-detail", "PATCH", api=True,
        url=lambda w: reverse("legal-api:reference-detail", args=["deadlines", w.deadline_rule_pk]),
        data=lambda w: {"days": 8}, expect=role_holders(REFERENCE, 200, anonymous=401)),
]

ROWS = _WEB_ROWS + _API_ROWS

