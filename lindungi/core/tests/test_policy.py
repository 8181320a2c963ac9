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


def test_in_scope_many_agrees_with_in_scope_for_every_persona_action_and_object(world):
    from lindungi.cases.models import CaseTeamMember
    from lindungi.core.testing.world import PERSONA_ROLES

    # A co-worker on case A's team: the ASSIGNED scope through the team, not the assignment.
    CaseTeamMember.objects.create(case=world.case_a, user=world.caseworker2_a, role="co_worker")
    actions = [action for action in policy.RULES if action.startswith(("cases.case.", "incidents.incident.",
                                                                        "legal.legalcase."))]
    objects = [world.case_a, world.case_b]
    for name in ("incident_a", "legal_case_a"):
        if hasattr(world, name):
            objects.append(getattr(world, name))
    checked = 0
    for persona in PERSONA_ROLES:
        user = world.users[persona]
        for obj in objects:
            model_actions = [a for a in actions if a.split(".")[1] == obj._meta.model_name]
            expected = {action: policy.in_scope(user, action, obj) for action in model_actions}
            assert policy.in_scope_many(user, model_actions, obj) == expected, (persona, obj)
            checked += sum(expected.values())
    assert checked, "some persona may act on some object"
    assert policy.in_scope_many(world.caseworker2_a, ["cases.case.edit"], world.case_a) == {"cases.case.edit": True}
    assert policy.in_scope_many(world.caseworker_b, ["cases.case.edit"], world.case_a) == {"cases.case.edit": False}
