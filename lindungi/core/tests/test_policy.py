from django.db.models import Q

from lindungi.accounts.models import Organisation
from lindungi.core import policy


def test_a_wide_scope_is_not_lost_when_combined_with_a_narrow_one(personas):
    # The secretariat administrator holds ORGANISATION and NETWORK on organisation.view.
    visible = policy.scope_filter(personas.secretariat_admin, "accounts.organisation.view", Organisation.objects.all())
    assert set(visible) == {personas.org_s, personas.org_a, personas.org_b}


def test_a_member_administrator_sees_only_their_organisation(personas):
    visible = policy.scope_filter(personas.admin_a, "accounts.organisation.view", Organisation.objects.all())
    assert list(visible) == [personas.org_a]


def test_no_grant_gives_an_empty_queryset(personas):
    assert not policy.scope_filter(personas.viewer_a, "cases.case.view", Organisation.objects.all()).exists()


def test_unknown_actions_are_refused(personas):
    import pytest

    with pytest.raises(LookupError):
        policy.scopes(personas.admin_a, "cases.case.teleport")


def test_empty_q_is_falsy_so_the_policy_can_detect_everything():
    assert not Q()
    assert Q(pk=1)
