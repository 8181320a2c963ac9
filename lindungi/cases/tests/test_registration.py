import datetime

import pytest

from lindungi.audit.models import AuditEvent
from lindungi.cases import services
from lindungi.cases.models import Case, CaseShare, Child, Status
from lindungi.cases.testing import register
from lindungi.core.errors import Conflict, DomainError
from lindungi.core.policy import OutOfScope, PolicyDenied

pytestmark = pytest.mark.django_db


def test_registering_gives_a_number_per_organisation_and_year(w, today):
    first = register(w.caseworker_a, full_name="Ani Satu")
    second = register(w.caseworker_a, full_name="Ani Dua")
    other_org = register(w.caseworker_b, full_name="Budi Tiga", province="18", regency=None)
    assert first.number == f"ORGA-{today.year}-00001"
    assert second.number == f"ORGA-{today.year}-00002"
    assert other_org.number == f"ORGB-{today.year}-00001"


def test_a_registration_in_an_earlier_year_uses_that_years_sequence(w, today):
    case = register(w.caseworker_a, full_name="Ani Lama", registered_on=datetime.date(today.year - 1, 12, 30))
    assert case.number == f"ORGA-{today.year - 1}-00001"


def test_registration_records_child_case_consents_and_audit(w, case_a):
    case = Case.objects.get(pk=case_a.pk)
    assert case.status == Status.REGISTERED
    assert case.assigned_caseworker == w.caseworker_a and case.supervisor == w.supervisor_a
    assert case.child.full_name == "Ani Lestari" and case.child.nik == "9912345678901234"
    assert case.services_consent and case.referral_consent and case.sharing_consent and case.statistics_consent
    assert case.age_years == case.child.age_on(case.registered_on)
    assert case.province_id == "31" and case.regency_id == "31.71" and case.sex == "female"
    event = AuditEvent.objects.filter(action="cases.case.registered", object_id=str(case.pk)).get()
    assert "Ani" not in str(event.payload) and "9912" not in str(event.payload)
    assert case.events.filter(kind="registered").exists()


def test_an_estimated_age_becomes_an_estimated_birth_date(w, today):
    case = register(w.caseworker_a, full_name="Tanpa Akta", birth_date=None, estimated_age=12)
    assert case.child.birth_date == datetime.date(today.year - 12, 1, 1)
    assert case.child.birth_date_is_estimated and case.age_is_estimated and case.age_years == 12


@pytest.mark.parametrize("nik", ["12345", "99123456789012345", "99ab567890123456"])
def test_a_nik_must_have_sixteen_digits(w, nik):
    with pytest.raises(DomainError) as error:
        register(w.caseworker_a, nik=nik)
    assert "nik" in error.value.fields
    assert not Child.objects.exists()


def test_a_regency_outside_the_province_is_refused(w):
    with pytest.raises(DomainError) as error:
        register(w.caseworker_a, province="18", regency="31.71")
    assert "regency" in error.value.fields


def test_guardian_consent_as_basis_needs_the_recorded_consent(w):
    with pytest.raises(DomainError) as error:
        register(w.caseworker_a, legal_basis="child_assent", purposes=())
    assert error.value.code == "consent_required"


def test_a_basis_without_consent_must_be_explained(w):
    with pytest.raises(DomainError) as error:
        register(w.caseworker_a, legal_basis="vital_interest", purposes=())
    assert "legal_basis_notes" in error.value.fields
    case = register(w.caseworker_a, legal_basis="vital_interest", legal_basis_notes="Wali diduga pelaku",
                    purposes=())
    assert not case.referral_consent and case.legal_basis == "vital_interest"


def test_high_risk_needs_a_reason(w):
    with pytest.raises(DomainError):
        register(w.caseworker_a, risk_level="high")
    assert register(w.caseworker_a, risk_level="high", risk_reason="Pelaku masih tinggal serumah").risk_level == "high"


def test_roles_without_cases_cannot_register(w):
    with pytest.raises(PolicyDenied):
        register(w.program_a)
    with pytest.raises(PolicyDenied):
        register(w.secretariat_admin)


def test_only_staff_of_the_organisation_can_be_assigned(w):
    with pytest.raises(DomainError) as error:
        register(w.supervisor_a, caseworker=w.caseworker_b)
    assert "assigned_caseworker" in error.value.fields


def test_a_legal_officer_who_registers_keeps_access_through_the_team(w):
    from lindungi.core import policy

    case = register(w.legal_a, caseworker=w.caseworker_a)
    assert policy.in_scope(w.legal_a, "cases.case.view", case)
    assert not policy.in_scope(w.caseworker2_a, "cases.case.view", case)


# --- duplicates -----------------------------------------------------------------------------


def test_a_possible_duplicate_in_the_organisation_is_shown_and_must_be_confirmed(w, case_a):
    with pytest.raises(DomainError) as error:
        register(w.caseworker_a, full_name="  ani   LESTARI ", birth_date=datetime.date(2012, 1, 1))
    assert error.value.code == "possible_duplicate"
    assert case_a.number in " ".join(error.value.fields["duplicates"])
    confirmed = register(w.caseworker_a, full_name="ani lestari", birth_date=datetime.date(2012, 1, 1),
                         confirm_duplicate=True)
    assert AuditEvent.objects.filter(action="cases.case.duplicate_flagged", object_id=str(confirmed.pk)).exists()


def test_the_same_nik_is_a_possible_duplicate_whatever_the_name(w, case_a):
    with pytest.raises(DomainError) as error:
        register(w.caseworker_a, full_name="Nama Lain", nik="9912 3456 7890 1234")
    assert case_a.number in " ".join(error.value.fields["duplicates"])


def test_another_organisations_match_names_only_the_organisation(w, case_a, english):
    with pytest.raises(DomainError) as error:
        register(w.caseworker_b, full_name="Ani Lestari", province="18", regency=None)
    messages = " ".join(error.value.fields["duplicates"])
    assert w.org_a.name in messages and "contact its supervisor" in messages
    assert case_a.number not in messages


def test_different_children_are_not_duplicates(w, case_a):
    assert register(w.caseworker_a, full_name="Ani Lestari", birth_date=datetime.date(2010, 5, 17)).pk


# --- changing the child and the case --------------------------------------------------------


def test_changing_the_childs_address_updates_the_cases_plain_copies(w, case_a):
    from lindungi.geo.models import Region

    services.child_update(actor=w.caseworker_a, case=case_a, data={"province": Region.objects.get(pk="18"),
                                                                    "regency": None})
    case_a.refresh_from_db()
    assert case_a.province_id == "18" and case_a.regency_id is None
    assert AuditEvent.objects.filter(action="cases.child.updated").get().payload["fields"] == ["province", "regency"]


def test_a_caseworker_cannot_change_a_case_not_assigned_to_them(w, case_a):
    with pytest.raises(OutOfScope):
        services.case_update(actor=w.caseworker2_a, case=case_a, data={"narrative": "x"})
    with pytest.raises(OutOfScope):
        services.child_update(actor=w.supervisor_b, case=case_a, data={"aliases": "x"})


def test_risk_changes_need_a_reason_and_are_on_the_timeline(w, case_a):
    with pytest.raises(DomainError):
        services.case_set_risk(actor=w.caseworker_a, case=case_a, level="high", reason=" ")
    services.case_set_risk(actor=w.caseworker_a, case=case_a, level="high", reason="Ancaman dari pelaku")
    case_a.refresh_from_db()
    assert case_a.risk_level == "high" and case_a.risk_reason == "Ancaman dari pelaku"
    assert case_a.events.filter(kind="risk_changed").get().note == "Ancaman dari pelaku"


def test_only_the_supervisor_assigns(w, case_a):
    with pytest.raises(PolicyDenied):
        services.case_assign(actor=w.caseworker_a, case=case_a, caseworker=w.caseworker2_a, supervisor=None)
    services.case_assign(actor=w.supervisor_a, case=case_a, caseworker=w.caseworker2_a, supervisor=w.supervisor_a)
    case_a.refresh_from_db()
    assert case_a.assigned_caseworker == w.caseworker2_a


def test_a_suspected_perpetrator_is_never_marked_safe(w, case_a):
    caregiver = services.caregiver_add(actor=w.caseworker_a, case=case_a, data={
        "full_name": "Paman (test)", "relationship": "aunt_uncle", "safety": "safe", "is_suspected_perpetrator": True})
    assert caregiver.safety == "unsafe"
    other = case_a.child.caregivers.exclude(pk=caregiver.pk).get()
    services.caregiver_update(actor=w.caseworker_a, case=case_a, caregiver=other, data={"is_suspected_perpetrator": True})
    other.refresh_from_db()
    assert other.safety == "unsafe"


# --- consents -------------------------------------------------------------------------------


def test_withdrawing_a_consent_takes_effect_everywhere(w, case_a, today):
    share = services.share_request(actor=w.caseworker_a, case=case_a, to_organisation=w.org_b, kind="share",
                                   reason="Koordinasi", expires_on=today + datetime.timedelta(days=10))
    consent = case_a.consents.get(purpose="sharing")
    services.consent_withdraw(actor=w.caseworker_a, case=case_a, consent=consent)
    case_a.refresh_from_db()
    share.refresh_from_db()
    assert not case_a.sharing_consent and share.status == "revoked"
    assert Case.objects.with_statistics_consent().filter(pk=case_a.pk).exists()
    services.consent_withdraw(actor=w.caseworker_a, case=case_a, consent=case_a.consents.get(purpose="statistics"))
    assert not Case.objects.with_statistics_consent().filter(pk=case_a.pk).exists()
    with pytest.raises(Conflict):
        services.consent_withdraw(actor=w.caseworker_a, case=case_a, consent=consent)
    assert CaseShare.objects.active().count() == 0


def test_a_new_consent_turns_the_flag_back_on(w, case_a, today):
    services.consent_withdraw(actor=w.caseworker_a, case=case_a, consent=case_a.consents.get(purpose="referral"))
    services.consent_record(actor=w.caseworker_a, case=case_a, purpose="referral", given_on=today,
                            given_by_kind="guardian", given_by_name="Ibu Wali")
    case_a.refresh_from_db()
    assert case_a.referral_consent
    assert case_a.consents.filter(purpose="referral").count() == 2


@pytest.mark.django_db(transaction=True)
def test_concurrent_registrations_never_share_a_number():
    """Two transactions taking a number at the same moment queue on the counter row."""
    import threading

    from django.db import connection, transaction

    from lindungi.accounts.testing import make_organisation
    from lindungi.cases.services.registration import next_case_number

    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises all writers; the race exists on PostgreSQL")
    org = make_organisation("RACE", "Race (test)")
    numbers, barrier = [], threading.Barrier(4)

    def take():
        try:
            barrier.wait()
            with transaction.atomic():
                numbers.append(next_case_number(org, 2026))
        finally:
            connection.close()

    threads = [threading.Thread(target=take) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(numbers) == [f"RACE-2026-0000{i}" for i in range(1, 5)]
