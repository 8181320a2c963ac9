"""Scoped reads of incidents, filters and search (with the terms to avoid as synonyms), the
statistics selectors, and encryption at rest."""

import datetime

import pytest
from django.db import connection
from django.utils import timezone

from lindungi.audit.models import AuditEvent
from lindungi.cases.models import CaseShare
from lindungi.cases.services import consent_withdraw
from lindungi.core import policy
from lindungi.core.policy import OutOfScope
from lindungi.geo.models import Region
from lindungi.incidents import selectors
from lindungi.incidents.models import Incident
from lindungi.incidents.selectors import IncidentFilters
from lindungi.incidents.testing import record_incident

pytestmark = pytest.mark.django_db


def _visible(user):
    return set(selectors.incident_list(user=user).values_list("pk", flat=True))


def test_who_sees_incident_a(iw):
    pk = iw.incident_a.pk
    assert pk in _visible(iw.caseworker_a)  # the case's caseworker
    assert pk in _visible(iw.supervisor_a)  # the organisation's supervisor
    for user in (iw.caseworker2_a, iw.legal_a, iw.caseworker_b, iw.supervisor_b, iw.legal_b):
        assert pk not in _visible(user)
    with pytest.raises(policy.PolicyDenied):
        policy.require(iw.viewer_a, "incidents.incident.view")


def test_the_legal_officer_of_a_linked_legal_case_sees_the_incident(iw):
    from lindungi.legal import services as legal

    legal.legal_case_create(actor=iw.supervisor_a, incidents=[iw.incident_a], data={}, assigned_officer=iw.legal_a)
    assert iw.incident_a.pk in _visible(iw.legal_a)


def test_an_active_share_of_the_case_shows_the_incident_to_the_other_organisation(iw):
    share = CaseShare.objects.create(organisation=iw.org_a, case=iw.case_a, to_organisation=iw.org_b, kind="share",
                                     status="accepted", reason="Koordinasi (test)", requested_by=iw.supervisor_a,
                                     expires_at=timezone.now() + datetime.timedelta(days=10))
    assert iw.incident_a.pk in _visible(iw.supervisor_b)
    assert iw.incident_a.pk in _visible(iw.caseworker_b)  # caseworkers hold SHARED for incidents
    assert selectors.is_shared_with(iw.supervisor_b, iw.incident_a)
    share.revoked_at = timezone.now()
    share.save()
    assert iw.incident_a.pk not in _visible(iw.supervisor_b)


def test_reading_an_incident_is_audited_and_out_of_scope_is_404(iw):
    selectors.incident_get(user=iw.caseworker_a, pk=iw.incident_a.pk)
    assert AuditEvent.objects.filter(action="incidents.incident.viewed", object_id=str(iw.incident_a.pk),
                                     actor=iw.caseworker_a).exists()
    with pytest.raises(OutOfScope) as error:
        selectors.incident_get(user=iw.supervisor_b, pk=iw.incident_a.pk)
    assert error.value.exists


def test_filters_by_type_setting_region_date_and_context(iw):
    online = record_incident(iw.caseworker_a, [iw.case2_a], types=["online"], online_subtypes=["live_streaming"],
                             setting="online", exchanged=[], province="18", regency=None,
                             occurred_on=timezone.localdate() - datetime.timedelta(days=400))

    def ids(**kwargs):
        return set(selectors.incident_list(user=iw.supervisor_a, filters=IncidentFilters(**kwargs))
                   .values_list("pk", flat=True))

    assert ids(type="online") == {online.pk}
    assert ids(subtype="live_streaming") == {online.pk}
    assert ids(type="prostitution") == {iw.incident_a.pk}
    assert ids(setting="online") == {online.pk}
    assert ids(province="18") == {online.pk}
    assert ids(context="possible_exploitation") == {iw.incident_a.pk}
    assert ids(date_from=timezone.localdate() - datetime.timedelta(days=100)) == {iw.incident_a.pk}
    assert ids(case=str(iw.case2_a.pk)) == {online.pk}


@pytest.mark.parametrize("words", ["child prostitute", "Child Sex Worker", "pelacur anak", "prostitution"])
def test_terms_to_avoid_are_search_synonyms_only(iw, words):
    found = set(selectors.incident_list(user=iw.supervisor_a, filters=IncidentFilters(q=words))
                .values_list("pk", flat=True))
    assert found == {iw.incident_a.pk}


def test_search_by_number_case_number_and_perpetrator_name(iw):
    def search(text):
        return set(selectors.incident_list(user=iw.supervisor_a, filters=IncidentFilters(q=text))
                   .values_list("pk", flat=True))

    assert search(iw.incident_a.number) == {iw.incident_a.pk}
    assert search(iw.case_a.number) == {iw.incident_a.pk}
    assert search("darto pelaku (test)") == {iw.incident_a.pk}
    assert search("Orang Lain") == set()
    assert search(iw.incident_a.number.lower()) == {iw.incident_a.pk}
    assert search(iw.case_a.number.lower()) == {iw.incident_a.pk}
    assert search(iw.incident_a.number[:7]) == {iw.incident_a.pk}  # "IN-2026": a prefix
    Incident.objects.filter(pk=iw.incident_a.pk).update(number=f"{iw.incident_a.number}-T")  # as a transfer names it
    assert search(f"{iw.incident_a.number}-t") == {iw.incident_a.pk}


def test_an_unknown_filter_value_is_a_clear_error(iw):
    from lindungi.core.errors import DomainError

    with pytest.raises(DomainError) as error:
        list(selectors.incident_list(user=iw.supervisor_a, filters=IncidentFilters(type="child_prostitution")))
    assert "type" in error.value.fields


def test_statistics_count_the_incidents_of_consenting_cases_only(iw):
    """The reports count `Incident.objects.with_statistics_consent()`: an incident counts while
    one of its cases has an active statistics consent."""
    second = record_incident(iw.caseworker_a, [iw.case2_a], types=["prostitution", "trafficking"])

    def counted():
        return set(Incident.objects.with_statistics_consent().filter(organisation=iw.org_a))

    assert counted() == {iw.incident_a, second}
    consent = iw.case2_a.consents.get(purpose="statistics")
    consent_withdraw(actor=iw.caseworker_a, case=iw.case2_a, consent=consent, notes="Tidak setuju (test)")
    assert counted() == {iw.incident_a}


def test_no_plaintext_name_or_narrative_in_the_database(iw):
    iw.incident_a.refresh_from_db()
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, notes FROM incidents_perpetrator")
        stored = " ".join(str(v) for row in cursor.fetchall() for v in row)
        cursor.execute("SELECT description, location_details FROM incidents_incident")
        stored += " ".join(str(v) for row in cursor.fetchall() for v in row)
    assert "Darto" not in stored and "Uraian" not in stored
    assert iw.perpetrator_a.name == "Darto Pelaku (test)"


def test_linkable_cases_are_my_organisations_cases_in_my_scope(iw):
    assert set(selectors.linkable_cases(iw.caseworker_a)) == {iw.case_a, iw.case2_a}
    assert set(selectors.linkable_cases(iw.caseworker2_a)) == set()
    found, unknown = selectors.cases_by_numbers(iw.supervisor_a, [iw.case_a.number.lower(), iw.case_b.number])
    assert found == [iw.case_a] and unknown == [iw.case_b.number]
    assert Region.objects.filter(pk="31").exists()
