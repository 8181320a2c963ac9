"""Reads are scoped by the policy: across organisations a user answers 404."""

import pytest

from lindungi.accounts import selectors, services
from lindungi.accounts.models import User
from lindungi.audit.models import AuditEvent
from lindungi.core.policy import OutOfScope, Role


def test_an_administrator_lists_only_the_users_of_their_organisation(personas):
    listed = set(selectors.user_list(user=personas.admin_a))
    assert listed == set(User.objects.filter(organisation=personas.org_a))
    assert personas.caseworker_b not in listed


def test_a_supervisor_may_look_but_a_caseworker_sees_nobody(personas):
    assert personas.caseworker_a in selectors.user_list(user=personas.supervisor_a)
    assert not selectors.user_list(user=personas.caseworker_a).exists()
    # The secretariat administrator manages organisations, not the members' staff.
    assert personas.caseworker_a not in selectors.user_list(user=personas.secretariat_admin)


def test_the_user_list_filters_by_status_and_role(personas):
    services.user_deactivate(actor=personas.admin_a, user=personas.viewer_a)
    assert list(selectors.user_list(user=personas.admin_a, status="deactivated")) == [personas.viewer_a]
    assert personas.viewer_a not in selectors.user_list(user=personas.admin_a, status="active")
    assert list(selectors.user_list(user=personas.admin_a, role=Role.LEGAL_OFFICER)) == [personas.legal_a]
    # World personas never set a password: they count as invited until their first sign-in.
    assert personas.caseworker_a in selectors.user_list(user=personas.admin_a, status="invited")


def test_a_user_of_another_organisation_is_out_of_scope(personas):
    assert selectors.user_get(user=personas.admin_a, pk=personas.caseworker_a.pk) == personas.caseworker_a
    with pytest.raises(OutOfScope) as info:
        selectors.user_get(user=personas.admin_a, pk=personas.caseworker_b.pk)
    assert info.value.exists  # exists, but out of scope: worth auditing
    with pytest.raises(OutOfScope) as info:
        selectors.user_get(user=personas.admin_a, pk=987654)
    assert not info.value.exists


def test_organisations_member_sees_its_own_secretariat_sees_all(personas):
    assert list(selectors.organisation_list(user=personas.caseworker_a)) == [personas.org_a]
    assert set(selectors.organisation_list(user=personas.secretariat_admin)) == {
        personas.org_a, personas.org_b, personas.org_s}
    # Other secretariat staff see only the secretariat itself.
    assert list(selectors.organisation_list(user=personas.secretariat_me)) == [personas.org_s]
    with pytest.raises(OutOfScope):
        selectors.organisation_get(user=personas.admin_a, pk=personas.org_b.pk)


def test_tokens_are_listed_for_their_owner_only(personas):
    from datetime import timedelta

    from django.utils import timezone

    token, _ = services.token_create(actor=personas.viewer_a, name="x", expires_at=timezone.now() + timedelta(days=3))
    assert list(selectors.token_list(user=personas.viewer_a)) == [token]
    assert not selectors.token_list(user=personas.admin_a).exists()
    with pytest.raises(OutOfScope):
        selectors.token_get(user=personas.admin_a, pk=token.pk)


def test_looking_at_another_organisations_user_is_audited(personas, client_for):
    response = client_for(personas.admin_a).get(f"/account/users/{personas.caseworker_b.pk}/")
    assert response.status_code == 404
    event = AuditEvent.objects.filter(action="security.access.denied").latest("seq")
    assert event.actor_id == personas.admin_a.pk
    assert event.object_id == str(personas.caseworker_b.pk)
    assert event.payload == {"action": "accounts.user.view", "reason": "out_of_scope"}


def test_a_deactivated_user_reads_nothing(personas):
    services.user_deactivate(actor=personas.admin_a, user=personas.supervisor_a)
    supervisor = User.objects.get(pk=personas.supervisor_a.pk)
    assert not selectors.user_list(user=supervisor).exists()
    assert not selectors.organisation_list(user=supervisor).exists()
