"""Demo organisations and one user per role. All names are fictional."""

from __future__ import annotations

from django.utils import translation

from lindungi.accounts.models import Organisation
from lindungi.accounts.testing import make_user
from lindungi.audit.services import record
from lindungi.core.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET
from lindungi.core.policy import MFA_REQUIRED_ROLES, Role

ORGANISATIONS = [
    # code, name, kind, province code, city
    ("SEK", "Sekretariat Jaringan Lindungi", Organisation.Kind.SECRETARIAT, "31", "Jakarta Pusat"),
    ("YKB", "Yayasan Kasih Bunda (demo)", Organisation.Kind.MEMBER, "31", "Jakarta Timur"),
    ("LPA", "Lembaga Advokasi Anak Lampung (demo)", Organisation.Kind.MEMBER, "18", "Bandar Lampung"),
    ("YBT", "Yayasan Peduli Anak Batam (demo)", Organisation.Kind.MEMBER, "21", "Batam"),
    ("PKM", "Pusat Kajian Perlindungan Anak Medan (demo)", Organisation.Kind.MEMBER, "12", "Medan"),
]

# (organisation, role, fictional name)
USERS = [
    ("YKB", Role.ADMINISTRATOR, "Admin Kasih Bunda"),
    ("YKB", Role.SUPERVISOR, "Sari Supervisor"),
    ("YKB", Role.CASEWORKER, "Citra Pendamping"),
    ("YKB", Role.LEGAL_OFFICER, "Lukas Paralegal"),
    ("YKB", Role.PROGRAM_OFFICER, "Putri Program"),
    ("YKB", Role.ME_OFFICER, "Maya Monev"),
    ("YKB", Role.VIEWER, "Dewi Donor"),
    ("LPA", Role.ADMINISTRATOR, "Admin Lampung"),
    ("LPA", Role.SUPERVISOR, "Bima Supervisor"),
    ("LPA", Role.CASEWORKER, "Rina Pendamping"),
    ("LPA", Role.LEGAL_OFFICER, "Hadi Paralegal"),
    ("YBT", Role.SUPERVISOR, "Tono Supervisor"),
    ("YBT", Role.CASEWORKER, "Yuni Pendamping"),
    ("YBT", Role.LEGAL_OFFICER, "Agus Paralegal"),
    ("PKM", Role.SUPERVISOR, "Nia Supervisor"),
    ("PKM", Role.CASEWORKER, "Joko Pendamping"),
    ("PKM", Role.LEGAL_OFFICER, "Fajar Paralegal"),
    ("SEK", Role.ADMINISTRATOR, "Admin Sekretariat"),
    ("SEK", Role.ME_OFFICER, "Eka Monev Sekretariat"),
    ("SEK", Role.PROGRAM_OFFICER, "Gita Program Sekretariat"),
    ("SEK", Role.VIEWER, "Donor Pembaca"),
]


def demo_email(org_code: str, role: str) -> str:
    return f"{role.replace('_', '-')}.{org_code.lower()}@demo.lindungi.invalid"


def load(ctx) -> None:
    for code, name, kind, province, city in ORGANISATIONS:
        org = Organisation.objects.create(code=code, name=name, kind=kind, province_id=province, city=city,
                                          email=f"info@{code.lower()}.demo.invalid")
        ctx.organisations[code] = org
        record("accounts.organisation.created", obj=org, payload={"source": "demo"})
    for code, role, full_name in USERS:
        user = make_user(
            ctx.organisations[code], demo_email(code, role), [role], password=DEMO_PASSWORD, full_name=full_name,
            mfa=role in MFA_REQUIRED_ROLES, totp_secret=DEMO_TOTP_SECRET,
        )
        ctx.users[f"{code}.{role}"] = user
        record("accounts.user.created", obj=user, payload={"roles": [role], "source": "demo"})


def login_help() -> str:
    lines = [
        "",
        "Lindungi demo — sign in at http://127.0.0.1:8000/",
        f"  Password for every demo user: {DEMO_PASSWORD}",
        "  Users (YKB = Yayasan Kasih Bunda, Jakarta; also LPA, YBT, PKM, SEK = secretariat):",
    ]
    with translation.override("en"):  # the rest of this help is English too
        for code, role, _name in USERS:
            if code in ("YKB", "SEK"):
                lines.append(f"    {Role(role).label!s:<26} {demo_email(code, role)}")
    lines += [
        "  Supervisors, caseworkers, legal officers and administrators use two-factor authentication.",
        f"  Demo authenticator secret (add it to any TOTP app): {DEMO_TOTP_SECRET}",
        "  Or print the current code: .venv/bin/python manage.py demo_totp",
        "",
    ]
    return "\n".join(lines)
