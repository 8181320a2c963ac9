"""A transferred child case takes its incidents and legal cases along when nothing else holds them
(re-encrypted under the receiving organisation's key); what stays points to the closed stub."""

import pytest
from django.db import connection

from lindungi.cases import services as case_services
from lindungi.cases.models import Case
from lindungi.incidents import services as incident_services
from lindungi.incidents.models import Incident, Perpetrator
from lindungi.legal import services
from lindungi.legal.models import Accompaniment, LegalCase, ProtectionRequest, StageEntry
from lindungi.legal.tests.conftest import days_ago

pytestmark = pytest.mark.django_db


def _transfer(w, case):
    share = case_services.share_request(actor=w.supervisor_a, case=case, to_organisation=w.org_b, kind="transfer",
                                        reason="Keluarga pindah (test)")
    case_services.share_approve(actor=w.supervisor_a, share=share)
    case_services.share_accept(actor=w.supervisor_b, share=share)


def _raw(table, column, pk):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk.hex])  # noqa: S608 (test constants)
        row = cursor.fetchone()
    return row[0] if row else None


def test_an_incident_and_legal_case_of_only_this_child_move_with_the_case(lw):
    services.hearing_save(actor=lw.legal_a, legal_case=lw.legal_case_a, data={
        "date": days_ago(1), "court": "PN Uji", "agenda": "indictment"})
    before = _raw("incidents_perpetrator", "name", lw.perpetrator_a.pk)
    _transfer(lw, lw.case_a)
    incident = Incident.objects.get(pk=lw.incident_a.pk)
    legal_case = LegalCase.objects.get(pk=lw.legal_case_a.pk)
    assert incident.organisation_id == legal_case.organisation_id == lw.org_b.pk
    assert legal_case.assigned_officer is None
    assert StageEntry.objects.get(legal_case=legal_case).organisation_id == lw.org_b.pk
    perpetrator = Perpetrator.objects.get(pk=lw.perpetrator_a.pk)
    assert perpetrator.organisation_id == lw.org_b.pk and perpetrator.name == "Darto Terdakwa (test)"
    assert _raw("incidents_perpetrator", "name", lw.perpetrator_a.pk) != before  # re-encrypted
    assert list(legal_case.victims.all()) == [Case.objects.get(pk=lw.case_a.pk)]
    assert legal_case.report_number == "LP/B/77/2026/UJI"


def test_an_incident_of_two_children_stays_and_points_to_the_stub(lw):
    incident_services.incident_link_case(actor=lw.supervisor_a, incident=lw.incident_a, case=lw.case2_a)
    services.legal_case_set_links(actor=lw.supervisor_a, legal_case=lw.legal_case_a, incidents=[lw.incident_a],
                                  victims=[lw.case_a, lw.case2_a])
    accompaniment = services.accompaniment_record(actor=lw.legal_a, legal_case=lw.legal_case_a, data={
        "date": days_ago(3), "type": "police_examination", "done_by": lw.legal_a, "victim": lw.case_a})
    other_child = services.accompaniment_record(actor=lw.legal_a, legal_case=lw.legal_case_a, data={
        "date": days_ago(2), "type": "police_examination", "done_by": lw.legal_a, "victim": lw.case2_a})
    protection = services.protection_save(actor=lw.legal_a, legal_case=lw.legal_case_a, data={
        "victim": lw.case_a, "submitted_on": days_ago(2), "protections": ["procedural"]})
    _transfer(lw, lw.case_a)
    stub = Case.objects.get(organisation=lw.org_a, transferred_to=lw.case_a.pk)
    incident = Incident.objects.get(pk=lw.incident_a.pk)
    legal_case = LegalCase.objects.get(pk=lw.legal_case_a.pk)
    assert incident.organisation_id == legal_case.organisation_id == lw.org_a.pk
    assert set(incident.cases.all()) == {stub, lw.case2_a}
    assert set(legal_case.victims.all()) == {stub, lw.case2_a}
    # Records that stay name the stub, never the case now held by the other organisation.
    assert Accompaniment.objects.get(pk=accompaniment.pk).victim_id == stub.pk
    assert ProtectionRequest.objects.get(pk=protection.pk).victim_id == stub.pk
    assert Accompaniment.objects.get(pk=other_child.pk).victim_id == lw.case2_a.pk
