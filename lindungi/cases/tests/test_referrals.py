import datetime

import pytest

from lindungi.cases import services
from lindungi.cases.testing import make_provider, register
from lindungi.core.errors import Conflict, DomainError
from lindungi.core.policy import OutOfScope, PolicyDenied

pytestmark = pytest.mark.django_db


def test_a_referral_needs_the_referral_consent_or_a_recorded_basis(w, provider_a):
    case = register(w.caseworker_a, purposes=("services", "statistics"))
    with pytest.raises(DomainError) as error:
        services.referral_create(actor=w.caseworker_a, case=case, provider=provider_a, service_type="uptd_ppa")
    assert error.value.code == "consent_required"
    assert not case.referrals.exists()
    vital = register(w.caseworker_a, full_name="Wali Pelaku", legal_basis="vital_interest",
                     legal_basis_notes="Ayah diduga pelaku", purposes=())
    referral = services.referral_create(actor=w.caseworker_a, case=vital, provider=provider_a, service_type="uptd_ppa")
    assert referral.basis == "vital_interest"


def test_a_referral_runs_sent_accepted_completed(w, case_a, provider_a, today):
    referral = services.referral_create(actor=w.caseworker_a, case=case_a, provider=provider_a, service_type="uptd_ppa",
                                        urgency="urgent", reason="Butuh rumah aman")
    assert referral.status == "sent" and referral.basis == "consent"
    with pytest.raises(Conflict):
        services.referral_update(actor=w.caseworker_a, case=case_a, referral=referral, status="completed")
    services.referral_update(actor=w.caseworker_a, case=case_a, referral=referral, status="accepted")
    services.referral_update(actor=w.caseworker_a, case=case_a, referral=referral, status="completed",
                             outcome="Anak ditempatkan")
    referral.refresh_from_db()
    assert referral.status == "completed" and referral.responded_on == today and referral.outcome == "Anak ditempatkan"
    with pytest.raises(Conflict):
        services.referral_update(actor=w.caseworker_a, case=case_a, referral=referral, status="declined")


def test_a_provider_that_takes_no_referrals_is_refused(w, case_a):
    provider = make_provider(w.org_a, accepts=False)
    with pytest.raises(DomainError) as error:
        services.referral_create(actor=w.caseworker_a, case=case_a, provider=provider, service_type="uptd_ppa")
    assert "provider" in error.value.fields


def test_another_organisations_provider_can_be_used(w, case_a):
    provider_b = make_provider(w.org_b, name="Provider B", province="18")
    assert services.referral_create(actor=w.caseworker_a, case=case_a, provider=provider_b, service_type="uptd_ppa").pk


def test_a_follow_up_sets_the_next_follow_up_date(w, today):
    case_a = register(w.caseworker_a, registered_on=today - datetime.timedelta(days=10))
    with pytest.raises(DomainError):
        services.follow_up_record(actor=w.caseworker_a, case=case_a, type="call", next_date=today)
    services.follow_up_record(actor=w.caseworker_a, case=case_a, type="home_visit", notes="Rumah aman",
                              next_date=today + datetime.timedelta(days=7))
    case_a.refresh_from_db()
    assert case_a.next_follow_up_on == today + datetime.timedelta(days=7)
    # An older follow-up recorded later does not move the next date.
    services.follow_up_record(actor=w.caseworker_a, case=case_a, type="call", date=today - datetime.timedelta(days=1))
    case_a.refresh_from_db()
    assert case_a.next_follow_up_on == today + datetime.timedelta(days=7)
    with pytest.raises(OutOfScope):
        services.follow_up_record(actor=w.caseworker2_a, case=case_a, type="call")


def test_services_given_are_recorded(w, case_a):
    record = services.service_record(actor=w.caseworker_a, case=case_a, service_type="psychosocial", notes="Konseling")
    assert record.provided_by == w.caseworker_a and case_a.services.count() == 1


def test_providers_are_managed_by_supervisors_of_their_organisation(w):
    from lindungi.geo.models import Region

    with pytest.raises(PolicyDenied):
        services.provider_create(actor=w.caseworker_a, data={"name": "X", "type": "health",
                                                             "province": Region.objects.get(pk="31")})
    provider = services.provider_create(actor=w.supervisor_a, data={
        "name": "Puskesmas (test)", "type": "health", "province": Region.objects.get(pk="31"),
        "regency": Region.objects.get(pk="31.71")})
    assert provider.organisation == w.org_a
    with pytest.raises(DomainError):
        services.provider_create(actor=w.supervisor_a, data={
            "name": "Salah", "type": "health", "province": Region.objects.get(pk="18"),
            "regency": Region.objects.get(pk="31.71")})
    with pytest.raises(OutOfScope):
        services.provider_update(actor=w.supervisor_b, provider=provider, data={"phone": "1"})
    services.provider_update(actor=w.admin_a, provider=provider, data={"phone": "021-1"})
    provider.refresh_from_db()
    assert provider.phone == "021-1"
