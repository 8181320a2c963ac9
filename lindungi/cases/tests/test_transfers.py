import datetime

import pytest
from django.db import connection
from django.utils import timezone

from lindungi.audit.models import AuditEvent
from lindungi.cases import selectors, services
from lindungi.cases.models import Case, CaseShare, Child, Consent
from lindungi.cases.testing import SCORES, register
from lindungi.core import policy
from lindungi.core.errors import Conflict, DomainError
from lindungi.core.policy import OutOfScope, PolicyDenied

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\n"


def _share(w, case, today, kind="share"):
    return services.share_request(actor=w.caseworker_a, case=case, to_organisation=w.org_b, kind=kind,
                                  reason="Anak pindah ke Lampung", expires_on=today + datetime.timedelta(days=30))


def test_sharing_needs_the_data_sharing_consent(w, today):
    case = register(w.caseworker_a, purposes=("services", "referral"))
    with pytest.raises(DomainError) as error:
        _share(w, case, today)
    assert error.value.code == "consent_required"


def test_a_share_is_time_limited(w, case_a, today):
    with pytest.raises(DomainError):
        services.share_request(actor=w.caseworker_a, case=case_a, to_organisation=w.org_b, kind="share", reason="x")
    with pytest.raises(DomainError):
        services.share_request(actor=w.caseworker_a, case=case_a, to_organisation=w.org_b, kind="share", reason="x",
                               expires_on=today + datetime.timedelta(days=400))


def test_a_share_needs_approval_and_acceptance_before_access(w, case_a, today):
    share = _share(w, case_a, today)
    assert not policy.in_scope(w.supervisor_b, "cases.case.view", case_a)
    with pytest.raises(PolicyDenied):
        services.share_approve(actor=w.caseworker_a, share=share)
    with pytest.raises(OutOfScope):
        services.share_accept(actor=w.supervisor_a, share=share)
    with pytest.raises(Conflict):
        services.share_accept(actor=w.supervisor_b, share=share)  # not yet approved by the sender
    services.share_approve(actor=w.supervisor_a, share=share)
    assert not policy.in_scope(w.supervisor_b, "cases.case.view", case_a)
    services.share_accept(actor=w.supervisor_b, share=share)
    assert policy.in_scope(w.supervisor_b, "cases.case.view", case_a)
    assert policy.in_scope(w.caseworker_b, "cases.case.view", case_a)
    assert not policy.in_scope(w.supervisor_b, "cases.case.edit", case_a)
    # Every access through the share is audited.
    selectors.case_get(user=w.supervisor_b, pk=case_a.pk)
    access = AuditEvent.objects.get(action="cases.share.accessed")
    assert access.object_id == str(share.pk) and access.organisation_id == w.org_b.pk
    # Revoked: the access ends at once.
    services.share_revoke(actor=w.supervisor_a, share=share)
    assert not policy.in_scope(w.supervisor_b, "cases.case.view", case_a)
    with pytest.raises(OutOfScope):
        selectors.case_get(user=w.supervisor_b, pk=case_a.pk)


def test_an_expired_share_gives_no_access(w, case_a, today):
    share = _share(w, case_a, today)
    services.share_approve(actor=w.supervisor_a, share=share)
    services.share_accept(actor=w.supervisor_b, share=share)
    CaseShare.objects.filter(pk=share.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert not policy.in_scope(w.supervisor_b, "cases.case.view", case_a)


def test_a_rejected_or_declined_request_gives_nothing(w, case_a, today):
    share = _share(w, case_a, today)
    with pytest.raises(DomainError):
        services.share_reject(actor=w.supervisor_a, share=share, comments="")
    services.share_reject(actor=w.supervisor_a, share=share, comments="Belum perlu")
    with pytest.raises(Conflict):
        services.share_approve(actor=w.supervisor_a, share=share)
    share = _share(w, case_a, today)
    services.share_approve(actor=w.supervisor_a, share=share)
    services.share_decline(actor=w.supervisor_b, share=share, comments="Di luar wilayah kami")
    assert not policy.in_scope(w.supervisor_b, "cases.case.view", case_a)


def test_a_request_to_an_organisation_deactivated_since_cannot_be_approved_only_rejected(w, case_a, today):
    from lindungi.accounts import services as accounts

    share = _share(w, case_a, today, kind="transfer")
    accounts.organisation_deactivate(actor=w.secretariat_admin, organisation=w.org_b)
    with pytest.raises(Conflict) as refused:
        services.share_approve(actor=w.supervisor_a, share=share)
    assert refused.value.code == "inactive_organisation"
    assert CaseShare.objects.get(pk=share.pk).status == "requested"
    services.share_reject(actor=w.supervisor_a, share=share, comments="Organisasi tidak aktif lagi")
    w.org_b.refresh_from_db()  # as a form reads it
    with pytest.raises(DomainError):  # nor can a new one be asked for
        _share(w, case_a, today)


def _raw(table, column, pk):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk.hex if connection.vendor == "sqlite" else pk])
        return cursor.fetchone()[0]


def test_a_transfer_moves_and_re_encrypts_the_case_and_leaves_a_stub(w, case_a, today):
    services.assessment_save(actor=w.caseworker_a, case=case_a, scores=SCORES, needs={"safety": "Rumah aman"})
    services.follow_up_record(actor=w.caseworker_a, case=case_a, type="call", notes="Catatan rahasia")
    attachment = services.attachment_upload(actor=w.caseworker_a, case=case_a, kind="document", title="Surat", file=PDF)
    old_number, old_name_cipher = case_a.number, _raw("cases_child", "full_name", case_a.child_id)
    old_name_index = Child.objects.get(pk=case_a.child_id).name_index

    share = _share(w, case_a, today, kind="transfer")
    services.share_approve(actor=w.supervisor_a, share=share)
    # While awaiting acceptance the receiving supervisor may read the case to decide (for a while).
    assert policy.in_scope(w.supervisor_b, "cases.case.view", case_a)
    share.refresh_from_db()
    assert share.expires_at is not None and share.expires_at <= timezone.now() + datetime.timedelta(days=31)
    services.share_accept(actor=w.supervisor_b, share=share)

    moved = Case.objects.get(pk=case_a.pk)
    assert moved.organisation == w.org_b and moved.number == f"ORGB-{today.year}-00001"
    assert moved.transferred_from_number == old_number and moved.supervisor == w.supervisor_b
    assert moved.assigned_caseworker is None and moved.status == "assessment"
    child = Child.objects.get(pk=moved.child_id)
    assert child.organisation == w.org_b and child.full_name == "Ani Lestari" and child.nik == "9912345678901234"
    assert _raw("cases_child", "full_name", child.pk) != old_name_cipher
    assert child.name_index != old_name_index or child.name_index is None
    assert moved.follow_ups.get().notes == "Catatan rahasia"
    assert moved.assessments.get().needs == {"safety": "Rumah aman"}
    assert all(c.organisation_id == w.org_b.pk for c in Consent.objects.filter(case=moved))
    attachment.refresh_from_db()
    _, data = selectors.attachment_open(user=w.supervisor_b, pk=attachment.pk)
    assert data == PDF
    # Search in the new organisation finds the child by name and NIK.
    assert list(selectors.case_list(user=w.supervisor_b, filters=selectors.CaseFilters(q="ani lestari"))) == [moved]
    assert list(selectors.case_list(user=w.supervisor_b, filters=selectors.CaseFilters(q="9912345678901234"))) == [moved]
    # The sender keeps a closed stub under the old number, without the child.
    stub = Case.objects.get(organisation=w.org_a, number=old_number)
    assert stub.status == "closed" and stub.closure_reason == "transferred" and stub.child is None
    assert stub.transferred_to_id == moved.pk
    assert not policy.in_scope(w.supervisor_a, "cases.case.view", moved)
    with pytest.raises(Conflict):
        services.case_reopen(actor=w.supervisor_a, case=stub, reason="x")
    share.refresh_from_db()
    assert share.status == "completed" and share.new_case_number == moved.number
    assert AuditEvent.objects.filter(action="cases.transfer.completed").exists()


def test_a_transfer_copies_a_child_who_has_other_cases_at_the_sender(w, case_a, today):
    register(w.caseworker_a, full_name="Ani Lestari", nik="9912345678901234", confirm_duplicate=True)
    other = Case.objects.exclude(pk=case_a.pk).get()
    Case.objects.filter(pk=other.pk).update(child=case_a.child)
    share = _share(w, case_a, today, kind="transfer")
    services.share_approve(actor=w.supervisor_a, share=share)
    services.share_accept(actor=w.supervisor_b, share=share)
    moved = Case.objects.get(pk=case_a.pk)
    assert moved.child_id != other.child_id
    assert Child.objects.get(pk=other.child_id).organisation == w.org_a
    assert moved.child.full_name == "Ani Lestari" and moved.child.caregivers.count() == 1


def test_the_active_shares_read_in_sql_are_the_active_shares_of_the_model(w, case_a):
    """CaseShare.objects.shared_with reads in hand-written SQL what `active()` says: every kind and
    status, revoked or not, without an expiry, expired or not yet, to this organisation or another."""
    import itertools
    import uuid

    from lindungi.cases.models import ShareKind, ShareStatus
    from lindungi.cases.models.sharing import _active_share_rows

    now = timezone.now()
    expiries = [None, now - datetime.timedelta(minutes=1), now + datetime.timedelta(days=1)]
    for kind, status, revoked_at, expires_at, to in itertools.product(
            ShareKind.values, ShareStatus.values, [None, now], expiries, [w.org_a, w.org_b]):
        CaseShare.objects.create(  # every state a share may be in, whether or not the services lead there
            organisation=w.org_a, case=case_a, to_organisation=to, kind=kind, status=status, reason="Uji (test)",
            requested_by=w.caseworker_a, revoked_at=revoked_at, expires_at=expires_at)
    for org in (w.org_a, w.org_b):
        expected = sorted(CaseShare.objects.active().filter(to_organisation=org).values_list("pk", flat=True))
        read = sorted(uuid.UUID(str(pk)) if not isinstance(pk, uuid.UUID) else pk
                      for (pk,) in _active_share_rows("default", org.pk, "id"))
        assert read == expected
        assert len(expected) == 4  # share/accepted and transfer/approved, not revoked, open or not yet expired
        assert CaseShare.objects.shared_with(org.pk) == [(case_a.pk, w.org_a.pk)] * 4
