"""The incident services: validation, numbering, derived contexts, links, perpetrators, audit."""

import datetime

import pytest
from django.utils import timezone, translation

from lindungi.audit.models import AuditEvent
from lindungi.core.errors import Conflict, DomainError
from lindungi.core.policy import OutOfScope, PolicyDenied
from lindungi.geo.models import Region
from lindungi.incidents import services
from lindungi.incidents.models import Incident, IncidentType, Platform
from lindungi.incidents.testing import add_perpetrator, record_incident

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def test_an_incident_gets_a_number_its_types_as_rows_and_an_audit_event(iw):
    incident = record_incident(iw.caseworker_a, [iw.case_a, iw.case2_a], types=["online", "prostitution"],
                               online_subtypes=["grooming", "csam"], setting="online", exchanged=["money"],
                               platforms=[Platform.objects.get(code="michat")])
    assert incident.number == f"IN-{TODAY().year}-0002"  # the fixture recorded the first
    assert set(incident.types.values_list("type", "subtype")) == {
        ("online", "grooming"), ("online", "csam"), ("prostitution", "")}
    assert set(incident.cases.all()) == {iw.case_a, iw.case2_a}
    event = AuditEvent.objects.filter(action="incidents.incident.created", object_id=str(incident.pk)).get()
    assert event.payload["types"] == ["online", "prostitution"]
    assert "Uraian" not in str(event.payload)


def test_derived_contexts_are_computed_from_what_was_recorded(iw):
    incident = record_incident(iw.caseworker_a, [iw.case_a], types=["trafficking"], setting="entertainment",
                               exchanged=["money"], cross_border_countries=["MY", "ID"])
    assert incident.possible_exploitation and incident.is_cross_border and not incident.is_online
    assert not incident.third_party_involved
    add_perpetrator(iw.caseworker_a, incident, role="recruiter", relationship="relative", age_group="under_18")
    incident.refresh_from_db()
    assert incident.third_party_involved and incident.family_involved and incident.child_perpetrator
    assert set(incident.contexts) == {"possible_exploitation", "cross_border", "third_party", "family_involved",
                                      "child_perpetrator"}
    services.incident_update(actor=iw.caseworker_a, incident=incident, data={"exchanged": [],
                                                                              "cross_border_countries": ["ID"]})
    incident.refresh_from_db()
    assert not incident.possible_exploitation and not incident.is_cross_border


def test_contexts_cannot_be_typed_in(iw):
    with pytest.raises(DomainError) as error:
        services.incident_update(actor=iw.caseworker_a, incident=iw.incident_a, data={"possible_exploitation": True})
    assert error.value.code == "unknown_fields"


@pytest.mark.parametrize("precision,day,stored", [
    ("day", datetime.date(2024, 2, 29), datetime.date(2024, 2, 29)),
    ("month", datetime.date(2024, 2, 29), datetime.date(2024, 2, 1)),
    ("year", datetime.date(2024, 8, 17), datetime.date(2024, 1, 1)),
])
def test_the_date_is_stored_at_the_start_of_its_precision(iw, precision, day, stored):
    incident = record_incident(iw.caseworker_a, [iw.case_a], occurred_on=day, date_precision=precision)
    assert (incident.occurred_on, incident.date_precision) == (stored, precision)


@pytest.mark.parametrize("changes,field", [
    ({"types": []}, "types"),
    ({"types": ["abuse"], "online_subtypes": ["csam"]}, "online_subtypes"),
    ({"types": ["invented"]}, "types"),
    ({"occurred_on": TODAY() + datetime.timedelta(days=1)}, "occurred_on"),
    ({"setting": "moon"}, "setting"),
    ({"cross_border_countries": ["Malaysia"]}, "cross_border_countries"),
    ({"modus": ["magic"]}, "modus"),
    ({"province": "31", "regency": "18.71"}, "regency"),
    ({"setting": "hotel", "types": ["prostitution"], "platforms": "facebook"}, "platforms"),
])
def test_bad_input_is_refused_on_its_field_and_nothing_is_recorded(iw, changes, field):
    before = Incident.objects.count()
    changes = dict(changes)
    for name in ("province", "regency"):
        if name in changes:
            changes[name] = Region.objects.get(pk=changes[name])
    if changes.get("platforms") == "facebook":
        changes["platforms"] = [Platform.objects.get(code="facebook")]
    types = changes.pop("types", ["prostitution"])
    subtypes = changes.pop("online_subtypes", [])
    platforms = changes.pop("platforms", [])
    data = {"occurred_on": TODAY(), "setting": "hotel", "source": "hotline", **changes}
    with pytest.raises(DomainError) as error:
        services.incident_create(actor=iw.caseworker_a, cases=[iw.case_a], types=types, online_subtypes=subtypes,
                                 platforms=platforms, data=data)
    assert field in error.value.fields
    assert Incident.objects.count() == before


def test_only_cases_of_my_organisation_that_I_work_on_can_be_linked(iw):
    for actor, case in ((iw.caseworker_a, iw.case_b), (iw.caseworker2_a, iw.case_a), (iw.supervisor_b, iw.case_a)):
        with pytest.raises(DomainError) as error:
            record_incident(actor, [case])
        assert "cases" in error.value.fields
    with pytest.raises(DomainError):
        record_incident(iw.caseworker_a, [])
    assert record_incident(iw.supervisor_a, [iw.case_a]).organisation_id == iw.org_a.pk


def test_roles_without_the_action_are_denied(iw):
    with pytest.raises(PolicyDenied):
        record_incident(iw.viewer_a, [iw.case_a])
    with pytest.raises(OutOfScope):
        services.incident_update(actor=iw.caseworker2_a, incident=iw.incident_a, data={"verification": "verified"})


def test_a_region_change_replaces_the_whole_location(iw):
    district = Region.objects.filter(level="district", parent_id="31.71").first()
    services.incident_update(actor=iw.caseworker_a, incident=iw.incident_a, data={"district": district})
    iw.incident_a.refresh_from_db()
    assert (iw.incident_a.province_id, iw.incident_a.regency_id, iw.incident_a.district_id) == (
        "31", "31.71", district.pk)
    services.incident_update(actor=iw.caseworker_a, incident=iw.incident_a,
                             data={"province": Region.objects.get(pk="18")})
    iw.incident_a.refresh_from_db()
    assert (iw.incident_a.province_id, iw.incident_a.regency_id, iw.incident_a.district_id) == ("18", None, None)


def test_types_and_platforms_can_change_and_are_audited(iw):
    services.incident_update(actor=iw.caseworker_a, incident=iw.incident_a, data={"setting": "online"},
                             types=["online"], online_subtypes=["extortion"],
                             platforms=[Platform.objects.get(code="instagram")])
    assert list(IncidentType.objects.filter(incident=iw.incident_a).values_list("type", "subtype")) == [
        ("online", "extortion")]
    iw.incident_a.refresh_from_db()
    assert iw.incident_a.is_online
    event = AuditEvent.objects.filter(action="incidents.incident.updated").latest("seq")
    assert set(event.payload["fields"]) == {"setting", "types", "platforms"}


def test_an_inactive_platform_cannot_be_chosen(iw):
    platform = Platform.objects.get(code="tiktok")
    services.reference_save(actor=iw.secretariat_admin, model=Platform, data={"is_active": False},
                            instance=platform)
    with pytest.raises(DomainError) as error:
        services.incident_update(actor=iw.caseworker_a, incident=iw.incident_a, data={"setting": "online"},
                                 platforms=[platform])
    assert "platforms" in error.value.fields


def test_linking_and_unlinking_cases(iw):
    services.incident_link_case(actor=iw.caseworker_a, incident=iw.incident_a, case=iw.case2_a)
    with pytest.raises(Conflict):
        services.incident_link_case(actor=iw.caseworker_a, incident=iw.incident_a, case=iw.case2_a)
    with pytest.raises(DomainError):
        services.incident_link_case(actor=iw.caseworker_a, incident=iw.incident_a, case=iw.case_b)
    services.incident_unlink_case(actor=iw.caseworker_a, incident=iw.incident_a, case=iw.case2_a)
    with pytest.raises(Conflict) as error:
        services.incident_unlink_case(actor=iw.caseworker_a, incident=iw.incident_a, case=iw.case_a)
    assert error.value.code == "last_case"
    actions = list(AuditEvent.objects.filter(object_id=str(iw.incident_a.pk)).values_list("action", flat=True))
    assert "incidents.incident.case_linked" in actions and "incidents.incident.case_unlinked" in actions


def test_perpetrators_identity_rules(iw):
    with pytest.raises(DomainError) as error:
        services.perpetrator_add(actor=iw.caseworker_a, incident=iw.incident_a,
                                 data={"identified": True, "name": " ", "role": "client"})
    assert "name" in error.value.fields
    with pytest.raises(DomainError) as error:
        services.perpetrator_add(actor=iw.caseworker_a, incident=iw.incident_a,
                                 data={"identified": False, "arrested": True, "role": "client"})
    assert "arrested" in error.value.fields
    unknown = services.perpetrator_add(actor=iw.caseworker_a, incident=iw.incident_a,
                                       data={"identified": False, "name": "ignored", "role": "client"})
    with translation.override("en"):
        assert unknown.name == "" and unknown.display_name == "Unknown perpetrator (Client or buyer)"
    services.perpetrator_update(actor=iw.caseworker_a, perpetrator=iw.perpetrator_a, data={"identified": False})
    iw.perpetrator_a.refresh_from_db()
    assert iw.perpetrator_a.name == ""


def test_a_perpetrator_can_be_removed_unless_a_legal_case_uses_them(iw):
    from lindungi.legal import services as legal

    extra = add_perpetrator(iw.caseworker_a, iw.incident_a, name="Eko Lain (test)")
    services.perpetrator_remove(actor=iw.caseworker_a, perpetrator=extra)
    assert not iw.incident_a.perpetrators.filter(pk=extra.pk).exists()
    legal_case = legal.legal_case_create(actor=iw.supervisor_a, incidents=[iw.incident_a], data={})
    legal.defendant_add(actor=iw.supervisor_a, legal_case=legal_case, perpetrator=iw.perpetrator_a)
    with pytest.raises(Conflict) as error:
        services.perpetrator_remove(actor=iw.caseworker_a, perpetrator=iw.perpetrator_a)
    assert legal_case.number in str(error.value.message)


def test_a_victim_in_a_legal_case_cannot_be_unlinked_from_its_incident(iw):
    from lindungi.legal import services as legal

    services.incident_link_case(actor=iw.caseworker_a, incident=iw.incident_a, case=iw.case2_a)
    legal.legal_case_create(actor=iw.supervisor_a, incidents=[iw.incident_a], data={})
    with pytest.raises(Conflict) as error:
        services.incident_unlink_case(actor=iw.caseworker_a, incident=iw.incident_a, case=iw.case2_a)
    assert error.value.code == "victim_in_legal_case"


def test_reference_items_keep_their_code(iw):
    item = services.reference_save(actor=iw.secretariat_admin, model=Platform,
                                   data={"code": "line", "label_id": "LINE", "label_en": "LINE", "order": 95})
    assert AuditEvent.objects.filter(action="incidents.reference.saved", object_id=str(item.pk)).exists()
    with pytest.raises(DomainError) as error:
        services.reference_save(actor=iw.secretariat_admin, model=Platform, data={"code": "line2"},
                                instance=item)
    assert "code" in error.value.fields
    with pytest.raises(PolicyDenied):
        services.reference_save(actor=iw.caseworker_a, model=Platform, data={"label_en": "x"}, instance=item)


def test_the_secretariat_manages_the_network_platform_list(iw):
    item = services.reference_save(actor=iw.secretariat_admin, model=Platform,
                                   data={"code": "line", "label_id": "LINE", "label_en": "LINE", "order": 95})
    event = AuditEvent.objects.get(action="incidents.reference.saved", object_id=str(item.pk))
    assert event.actor_id == iw.secretariat_admin.pk and event.organisation_id == iw.org_s.pk


@pytest.mark.parametrize("persona", ["admin_a", "supervisor_a", "admin_b", "supervisor_b"])
def test_member_organisations_cannot_change_the_network_platform_list(iw, persona):
    """The list is shared by the whole network: a member organisation's administrator or supervisor
    may neither rename or deactivate an item for everyone nor add one."""
    actor = getattr(iw, persona)
    before = list(Platform.objects.order_by("code").values())
    events = AuditEvent.objects.count()
    with pytest.raises(PolicyDenied):
        services.reference_save(actor=actor, model=Platform, data={"is_active": False},
                                instance=Platform.objects.get(code="tiktok"))
    with pytest.raises(PolicyDenied):
        services.reference_save(actor=actor, model=Platform, data={"label_id": "Diubah", "label_en": "Renamed"},
                                instance=Platform.objects.get(code="facebook"))
    with pytest.raises(PolicyDenied):
        services.reference_save(actor=actor, model=Platform,
                                data={"code": "line", "label_id": "LINE", "label_en": "LINE", "order": 95})
    assert list(Platform.objects.order_by("code").values()) == before
    assert AuditEvent.objects.count() == events  # nothing saved (a refusal is audited by the page or API)
