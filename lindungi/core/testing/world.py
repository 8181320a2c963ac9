"""The test world: two member organisations (A, B) and the secretariat, with one persona per role.

Apps add their own objects to the world (a case in A, a program of B, ...) through builders
registered in their `tests/matrix.py`; the permission matrix and other tests use the same world.
"""

from __future__ import annotations

from types import SimpleNamespace

from lindungi.accounts.models import Organisation
from lindungi.accounts.testing import make_organisation, make_user
from lindungi.core.policy import Role

PERSONA_ROLES: dict[str, tuple[str, tuple[Role, ...]]] = {
    # persona: (organisation key, roles)
    "admin_a": ("a", (Role.ADMINISTRATOR,)),
    "supervisor_a": ("a", (Role.SUPERVISOR,)),
    "caseworker_a": ("a", (Role.CASEWORKER,)),
    "caseworker2_a": ("a", (Role.CASEWORKER,)),
    "legal_a": ("a", (Role.LEGAL_OFFICER,)),
    "program_a": ("a", (Role.PROGRAM_OFFICER,)),
    "me_a": ("a", (Role.ME_OFFICER,)),
    "viewer_a": ("a", (Role.VIEWER,)),
    "admin_b": ("b", (Role.ADMINISTRATOR,)),
    "supervisor_b": ("b", (Role.SUPERVISOR,)),
    "caseworker_b": ("b", (Role.CASEWORKER,)),
    "legal_b": ("b", (Role.LEGAL_OFFICER,)),
    "program_b": ("b", (Role.PROGRAM_OFFICER,)),
    "secretariat_admin": ("s", (Role.ADMINISTRATOR,)),
    "secretariat_me": ("s", (Role.ME_OFFICER,)),
    "secretariat_program": ("s", (Role.PROGRAM_OFFICER,)),
}
PERSONAS = ("anonymous", *PERSONA_ROLES)


def build_world() -> SimpleNamespace:
    world = SimpleNamespace()
    world.org_s = make_organisation("SEKNAS", "Sekretariat Nasional (test)", kind=Organisation.Kind.SECRETARIAT, province="31")
    world.org_a = make_organisation("ORGA", "Organisasi A (test)", province="31")
    world.org_b = make_organisation("ORGB", "Organisasi B (test)", province="18")
    orgs = {"a": world.org_a, "b": world.org_b, "s": world.org_s}
    world.users = {}
    for persona, (org_key, roles) in PERSONA_ROLES.items():
        user = make_user(orgs[org_key], f"{persona}@test.invalid", roles, full_name=persona.replace("_", " ").title())
        world.users[persona] = user
        setattr(world, persona, user)
    return world
