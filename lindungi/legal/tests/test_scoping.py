"""Who sees which legal case: the assigned officer, the caseworker of a victim's case, the
organisation's supervisor, and another organisation through an active share of a victim's case."""

import datetime

import pytest
from django.utils import timezone

from lindungi.audit.models import AuditEvent
from lindungi.cases.models import CaseShare, CaseTeamMember
from lindungi.core.policy import OutOfScope
from lindungi.incidents.testing import register_case
from lindungi.legal import selectors, services
from lindungi.legal.models import Hearing
from lindungi.legal.selectors import LegalCaseFilters

pytestmark = pytest.mark.django_db


def _visible(user):
    return set(selectors.legal_case_list(user=user).values_list("pk", flat=True))


def test_who_sees_legal_case_a(lw):
    pk = lw.legal_case_a.pk
    for user in (lw.legal_a, lw.caseworker_a, lw.supervisor_a):
        assert pk in _visible(user)
    for user in (lw.caseworker2_a, lw.legal_b, lw.caseworker_b, lw.supervisor_b):
        assert pk not in _visible(user)


def test_a_co_worker_on_the_victims_case_sees_it_but_another_legal_cases_officer_does_not(lw):
    CaseTeamMember.objects.create(case=lw.case_a, user=lw.caseworker2_a, role="caseworker")
    assert lw.legal_case_a.pk in _visible(lw.caseworker2_a)
    from lindungi.accounts.testing import make_user

    other_officer = make_user(lw.org_a, "legal2_a@test.invalid", ["legal_officer"])
    CaseTeamMember.objects.create(case=lw.case_a, user=other_officer, role="legal_officer", source="legal",
                                  legal_case_id="another")
    assert lw.legal_case_a.pk not in _visible(other_officer)


def test_a_share_of_the_victims_case_shows_the_legal_case_to_the_receiving_supervisor(lw):
    CaseShare.objects.create(organisation=lw.org_a, case=lw.case_a, to_organisation=lw.org_b, kind="share",
                             status="accepted", reason="Koordinasi (test)", requested_by=lw.supervisor_a,
                             expires_at=timezone.now() + datetime.timedelta(days=5))
    assert lw.legal_case_a.pk in _visible(lw.supervisor_b) and lw.legal_case_a.pk in _visible(lw.legal_b)
    assert lw.legal_case_a.pk not in _visible(lw.caseworker_b)  # caseworkers have no SHARED legal scope
    with pytest.raises(OutOfScope):
        services.legal_case_update(actor=lw.supervisor_b, legal_case=lw.legal_case_a, data={"court": "x"})


def test_reading_a_legal_case_is_audited_and_a_stranger_gets_404(lw):
    selectors.legal_case_get(user=lw.caseworker_a, pk=lw.legal_case_a.pk)
    assert AuditEvent.objects.filter(action="legal.legalcase.viewed", actor=lw.caseworker_a).exists()
    with pytest.raises(OutOfScope) as error:
        selectors.legal_case_get(user=lw.legal_b, pk=lw.legal_case_a.pk)
    assert error.value.exists
    assert AuditEvent.objects.filter(action="legal.legalcase.viewed", actor=lw.legal_b).count() == 0


def test_records_of_a_legal_case_are_reached_through_it(lw):
    hearing = services.hearing_save(actor=lw.legal_a, legal_case=lw.legal_case_a, data={
        "date": timezone.localdate(), "court": "PN Uji", "agenda": "indictment"})
    assert selectors.related_get(user=lw.supervisor_a, model=Hearing, pk=hearing.pk) == hearing
    with pytest.raises(OutOfScope):
        selectors.related_get(user=lw.supervisor_b, model=Hearing, pk=hearing.pk)
    other = services.legal_case_create(actor=lw.supervisor_a, incidents=[lw.incident_a], data={})
    with pytest.raises(OutOfScope):
        selectors.related_get(user=lw.supervisor_a, model=Hearing, pk=hearing.pk, legal_case=other)


def test_list_filters(lw):
    from lindungi.legal.models import LawArticle, Stage

    services.charge_add(actor=lw.legal_a, legal_case=lw.legal_case_a, article=LawArticle.objects.get(
        code="uu-35-2014-76i-88"))
    other = services.legal_case_create(actor=lw.supervisor_a, incidents=[lw.incident_a], data={},
                                       stage=Stage.objects.get(code="investigation"))

    def ids(**kwargs):
        return set(selectors.legal_case_list(user=lw.supervisor_a, filters=LegalCaseFilters(**kwargs))
                   .values_list("pk", flat=True))

    a, b = lw.legal_case_a.pk, other.pk
    assert ids(stage="report") == {a} and ids(stage="investigation") == {b}
    assert ids(law="uu-35-2014") == {a} and ids(article="uu-35-2014-76i-88") == {a}
    assert ids(type="prostitution") == {a, b} and ids(type="online") == set()
    assert ids(province="31") == {a, b} and ids(province="18") == set()
    assert ids(officer=str(lw.legal_a.pk)) == {a} and ids(officer="none") == {b}
    assert ids(status="open") == {a, b} and ids(status="closed") == set()
    assert ids(q=lw.legal_case_a.number) == {a}
    assert ids(q=lw.legal_case_a.number.lower()) == {a}
    assert ids(q=lw.incident_a.number) == {a, b}
    assert ids(q=f" {lw.incident_a.number.lower()} ") == {a, b}
    assert ids(q=lw.incident_a.number[:7]) == {a, b}  # "IN-2026": a prefix
    # A victim's case (the incident's cases are the victims of a legal case opened without a choice).
    assert ids(q=lw.case_a.number) == {a, b} and ids(q=lw.case_a.number.lower()) == {a, b}
    assert ids(q="IN-1999") == set() and ids(q="Nama Orang") == set()
    other_organisations = register_case(lw.caseworker_b, full_name="Anak Lain (test)", supervisor=lw.supervisor_b)
    assert ids(q=other_organisations.number) == set()
    reported = lw.legal_case_a.reported_on
    assert ids(date_from=reported, date_to=reported) == {a}
