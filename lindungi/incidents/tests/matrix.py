"""Permission matrix of the incidents area (pages and API).

`build(world)` adds `world.inc_case_a` (a case of organisation A assigned to caseworker_a),
`world.inc_case2_a` (another of caseworker_a's cases, to link), `world.incident_a` linked to the
first, with `world.perpetrator_a`, and `world.platform_a` (a reference item). The legal app's
builder then opens a legal case on the incident, assigned to legal_a: so legal_a sees the incident
(ASSIGNED through the legal case), caseworker_a through the case, supervisor_a through the
organisation; everyone else with a case role gets 404, roles without case data 403.
"""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone

from lindungi.core.testing.matrix import Row
from lindungi.incidents.models import Platform
from lindungi.incidents.testing import add_perpetrator, record_incident, register_case


def build(world):
    w = world
    w.inc_case_a = register_case(w.caseworker_a, full_name="Anak Matriks Insiden (test)", supervisor=w.supervisor_a)
    w.inc_case2_a = register_case(w.caseworker_a, full_name="Anak Matriks Kedua (test)", supervisor=w.supervisor_a,
                                  birth_date=datetime.date(2012, 2, 2))
    w.incident_a = record_incident(w.caseworker_a, [w.inc_case_a])
    w.perpetrator_a = add_perpetrator(w.caseworker_a, w.incident_a, name="Pelaku Matriks (test)")
    w.platform_a = Platform.objects.get(code="facebook")


def _days_ago(days: int) -> str:
    return (timezone.localdate() - datetime.timedelta(days=days)).isoformat()


CASE_ROLES = ("caseworker_a", "caseworker2_a", "legal_a", "supervisor_a", "caseworker_b", "legal_b", "supervisor_b")


def holders(status: int, anonymous: int = 302) -> dict:
    """Every persona whose role holds the action (in its own organisation)."""
    return {"anonymous": anonymous, "*": 403, **{p: status for p in CASE_ROLES}}


def on_incident_a(ok: int, anonymous: int = 302, out: int = 404) -> dict:
    """An action on incident A: its caseworker, legal officer (through the legal case) and A's
    supervisor may; other case roles get 404; roles without case data 403."""
    return {"anonymous": anonymous, "*": 403, **{p: out for p in CASE_ROLES},
            "caseworker_a": ok, "legal_a": ok, "supervisor_a": ok}


# The reference lists are network-wide: only the secretariat's administrators and supervisors
# (the world has no secretariat supervisor) manage them; member organisations' are refused.
REFERENCE = ("secretariat_admin",)


def reference(status: int, anonymous: int = 302) -> dict:
    return {"anonymous": anonymous, "*": 403, **{p: status for p in REFERENCE}}


def _incident(name, *extra):
    return lambda w: reverse(name, args=[w.incident_a.pk, *[getattr(w, e).pk for e in extra]])


def _perpetrator(name):
    return lambda w: reverse(name, args=[w.perpetrator_a.pk])


def incident_form(w) -> dict:
    return {"case_numbers": w.inc_case_a.number, "types": ["prostitution", "online"], "online_subtypes": ["grooming"],
            "occurred_on": _days_ago(12), "date_precision": "day", "setting": "hotel", "source": "hotline",
            "verification": "reported", "exchanged": ["money"], "platforms": [w.platform_a.pk],
            "description": "Uraian matriks (test)."}


def perpetrator_form(w) -> dict:
    return {"identified": "on", "name": "Pelaku Baru (test)", "role": "client", "sex": "male", "age_group": "25_39",
            "relationship": "stranger", "nationality": ""}


_WEB_ROWS = [
    Row("incidents:list", "GET", expect=holders(200)),
    Row("incidents:create", "GET", expect=holders(200)),
    # Only those who may link case A succeed; the others get the form back with the error.
    Row("incidents:create", "POST", data=incident_form,
        expect={**holders(400), "caseworker_a": 302, "legal_a": 302, "supervisor_a": 302}),
    Row("incidents:detail", "GET", url=_incident("incidents:detail"), expect=on_incident_a(200)),
    Row("incidents:edit", "GET", url=_incident("incidents:edit"), expect=on_incident_a(200)),
    Row("incidents:edit", "POST", url=_incident("incidents:edit"), data=incident_form, expect=on_incident_a(302)),
    Row("incidents:link_case", "POST", url=_incident("incidents:link_case"),
        data=lambda w: {"case_number": w.inc_case2_a.number}, expect=on_incident_a(302)),
    Row("incidents:link_case", "GET", url=_incident("incidents:link_case"),
        expect={"anonymous": 302, "*": 405}),
    Row("incidents:unlink_case", "POST", url=_incident("incidents:unlink_case", "inc_case_a"),
        expect=on_incident_a(302)),
    Row("incidents:perpetrator_add", "GET", url=_incident("incidents:perpetrator_add"), expect=on_incident_a(200)),
    Row("incidents:perpetrator_add", "POST", url=_incident("incidents:perpetrator_add"), data=perpetrator_form,
        expect=on_incident_a(302)),
    Row("incidents:perpetrator_edit", "GET", url=_perpetrator("incidents:perpetrator_edit"),
        expect=on_incident_a(200)),
    Row("incidents:perpetrator_edit", "POST", url=_perpetrator("incidents:perpetrator_edit"), data=perpetrator_form,
        expect=on_incident_a(302)),
    Row("incidents:perpetrator_remove", "POST", url=_perpetrator("incidents:perpetrator_remove"),
        expect=on_incident_a(302)),
    Row("incidents:reference", "GET", url=lambda w: reverse("incidents:reference", args=["platforms"]),
        expect=reference(200)),
    Row("incidents:reference", "POST", url=lambda w: reverse("incidents:reference", args=["platforms"]),
        data=lambda w: {"code": "matrix-app", "label_id": "Aplikasi uji", "label_en": "Test app", "order": 90,
                        "is_active": "on"}, expect=reference(302)),
    Row("incidents:reference_edit", "GET",
        url=lambda w: reverse("incidents:reference_edit", args=["platforms", w.platform_a.pk]), expect=reference(200)),
    Row("incidents:reference_edit", "POST",
        url=lambda w: reverse("incidents:reference_edit", args=["platforms", w.platform_a.pk]),
        data=lambda w: {"code": "facebook", "label_id": "Facebook", "label_en": "Facebook", "order": 5,
                        "is_active": "on"}, expect=reference(302)),
]


def api_incident(w) -> dict:
    return {"cases": [str(w.inc_case_a.pk)], "types": ["prostitution"], "occurred_on": _days_ago(20),
            "setting": "brothel", "source": "police", "exchanged": ["money"]}


_API_ROWS = [
    Row("incidents-api:incident-list", "GET", api=True, expect=holders(200, anonymous=401)),
    Row("incidents-api:incident-list", "POST", api=True, data=api_incident,
        expect={**holders(400, anonymous=401), "caseworker_a": 201, "legal_a": 201, "supervisor_a": 201}),
    Row("incidents-api:incident-detail", "GET", api=True, url=_incident("incidents-api:incident-detail"),
        expect=on_incident_a(200, anonymous=401)),
    Row("incidents-api:incident-detail", "PATCH", api=True, url=_incident("incidents-api:incident-detail"),
        data=lambda w: {"verification": "verified"}, expect=on_incident_a(200, anonymous=401)),
    Row("incidents-api:incident-cases", "POST", api=True, url=_incident("incidents-api:incident-cases"),
        data=lambda w: {"case": str(w.inc_case2_a.pk)},
        # legal_a works on the incident but not on that other case of caseworker_a: refused.
        expect={**on_incident_a(201, anonymous=401), "legal_a": 400}),
    # The last case cannot be unlinked: 409 for those who may try.
    Row("incidents-api:incident-case", "DELETE", api=True, url=_incident("incidents-api:incident-case", "inc_case_a"),
        expect=on_incident_a(409, anonymous=401)),
    Row("incidents-api:perpetrator-list", "POST", api=True, url=_incident("incidents-api:perpetrator-list"),
        data=lambda w: {"identified": False, "role": "client", "sex": "male"},
        expect=on_incident_a(201, anonymous=401)),
    Row("incidents-api:perpetrator-detail", "PATCH", api=True, url=_perpetrator("incidents-api:perpetrator-detail"),
        data=lambda w: {"arrested": True}, expect=on_incident_a(200, anonymous=401)),
    # A suspect in a legal case cannot be removed: 409.
    Row("incidents-api:perpetrator-detail", "DELETE", api=True, url=_perpetrator("incidents-api:perpetrator-detail"),
        expect=on_incident_a(409, anonymous=401)),
    Row("incidents-api:choices", "GET", api=True, expect=holders(200, anonymous=401)),
    Row("incidents-api:platform-list", "GET", api=True, expect=holders(200, anonymous=401)),
    Row("incidents-api:platform-list", "POST", api=True,
        data=lambda w: {"code": "matrix-api", "label_id": "Aplikasi API", "label_en": "API app"},
        expect=reference(201, anonymous=401)),
    Row("incidents-api:platform-detail", "PATCH", api=True,
        url=lambda w: reverse("incidents-api:platform-detail", args=[w.platform_a.pk]),
        data=lambda w: {"order": 7}, expect=reference(200, anonymous=401)),
]

ROWS = _WEB_ROWS + _API_ROWS
