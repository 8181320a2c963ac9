import pytest

from lindungi.cases.models import Case, CaseShare, Child
from lindungi.core import policy


@pytest.mark.django_db
def test_models_scope_smoke(personas):
    w = personas
    child = Child.objects.create(organisation=w.org_a, full_name="Ani (Demo)", nik="9900000000000001")
    case = Case.objects.create(organisation=w.org_a, number="ORGA-2026-00001", child=child, source="hotline",
                               legal_basis="guardian_consent", assigned_caseworker=w.caseworker_a)
    assert list(policy.scope_filter(w.caseworker_a, "cases.case.view", Case.objects.all())) == [case]
    assert list(policy.scope_filter(w.caseworker2_a, "cases.case.view", Case.objects.all())) == []
    assert list(policy.scope_filter(w.supervisor_a, "cases.case.view", Case.objects.all())) == [case]
    assert list(policy.scope_filter(w.supervisor_b, "cases.case.view", Case.objects.all())) == []
    CaseShare.objects.create(organisation=w.org_a, case=case, to_organisation=w.org_b, kind="share",
                             status="accepted", reason="x", requested_by=w.supervisor_a)
    assert list(policy.scope_filter(w.supervisor_b, "cases.case.view", Case.objects.all())) == [case]
    assert list(policy.scope_filter(w.caseworker_a, "cases.case.view", Child.objects.all())) == [child]
    assert list(policy.scope_filter(w.caseworker2_a, "cases.case.view", Child.objects.all())) == []
