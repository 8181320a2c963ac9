"""Demo incidents for part of the demo cases (the cases demo runs before this one), recorded through
the services by each organisation's supervisor. Everything is synthetic and obviously fictional:
places and perpetrators are labelled "fiktif"."""

from __future__ import annotations

import datetime
import random

from django.utils import timezone

from lindungi.accounts.models import Organisation
from lindungi.cases.demo import HISTORY_YEAR
from lindungi.cases.models import Case
from lindungi.core.policy import Role
from lindungi.incidents import services
from lindungi.incidents.models import (
    Exchange,
    ExploitationType,
    Incident,
    InformationSource,
    Modus,
    OnlineSubtype,
    PerpetratorRelationship,
    PerpetratorRole,
    Platform,
    Setting,
    Verification,
)

# What fraction of each organisation's cases get incidents (the rest stay without one).
SHARE = 0.7
MAX_PER_ORGANISATION = 14

PLACES = {
    Setting.HOTEL: "Hotel Melati Fiktif, kamar lantai 2",
    Setting.BROTHEL: "Lokalisasi Rekaan, gang belakang pasar",
    Setting.ENTERTAINMENT: "Karaoke Bintang Fiktif",
    Setting.MASSAGE: "Panti Pijat Rekaan",
    Setting.BOARDING_HOUSE: "Kos Contoh dekat terminal",
    Setting.HOME: "Rumah pelaku (alamat fiktif)",
    Setting.STREET: "Taman kota (lokasi fiktif)",
    Setting.WORKPLACE: "Warung makan fiktif",
    Setting.SCHOOL: "Sekolah fiktif",
    Setting.ONLINE: "",
    Setting.OTHER: "Pelabuhan rekaan",
}
SETTINGS_BY_TYPE = {
    ExploitationType.PROSTITUTION: [Setting.HOTEL, Setting.BROTHEL, Setting.ENTERTAINMENT, Setting.MASSAGE,
                                    Setting.BOARDING_HOUSE],
    ExploitationType.TRAFFICKING: [Setting.ENTERTAINMENT, Setting.OTHER, Setting.WORKPLACE],
    ExploitationType.SALE: [Setting.HOME, Setting.HOTEL],
    ExploitationType.TRAVEL_TOURISM: [Setting.HOTEL, Setting.STREET],
    ExploitationType.MARRIAGE: [Setting.HOME],
    ExploitationType.ONLINE: [Setting.ONLINE],
    ExploitationType.ABUSE: [Setting.HOME, Setting.SCHOOL, Setting.BOARDING_HOUSE],
}
ROLES_BY_TYPE = {
    ExploitationType.PROSTITUTION: [PerpetratorRole.PIMP_BROKER, PerpetratorRole.CLIENT, PerpetratorRole.RECRUITER],
    ExploitationType.TRAFFICKING: [PerpetratorRole.RECRUITER, PerpetratorRole.FACILITATOR,
                                   PerpetratorRole.PIMP_BROKER],
    ExploitationType.SALE: [PerpetratorRole.PIMP_BROKER, PerpetratorRole.CLIENT],
    ExploitationType.TRAVEL_TOURISM: [PerpetratorRole.CLIENT, PerpetratorRole.FACILITATOR],
    ExploitationType.MARRIAGE: [PerpetratorRole.CLIENT, PerpetratorRole.FACILITATOR],
    ExploitationType.ONLINE: [PerpetratorRole.PRODUCER, PerpetratorRole.CLIENT],
    ExploitationType.ABUSE: [PerpetratorRole.OTHER],
}
FICTIONAL_NAMES = ["Pelaku Fiktif Alfa", "Pelaku Fiktif Bravo", "Pelaku Fiktif Charlie", "Pelaku Fiktif Delta",
                   "Pelaku Fiktif Ekho", "Pelaku Fiktif Foxtrot", "Pelaku Fiktif Golf", "Pelaku Fiktif Hotel",
                   "Pelaku Fiktif India", "Pelaku Fiktif Juliet", "Pelaku Fiktif Kilo", "Pelaku Fiktif Lima"]


def demo_cases(organisation, *, history: bool = False) -> list[Case]:
    """The demo cases of `organisation` that incidents are recorded for, oldest first (transfer
    stubs have no child and are left out): the first part of the current ones, or every case of the
    2012 cohort (each of those came to the network with an incident)."""
    lookup = "registered_on__year__lte" if history else "registered_on__year__gt"
    cases = list(Case.objects.filter(organisation=organisation, child__isnull=False, **{lookup: HISTORY_YEAR})
                 .order_by("registered_on", "number"))
    if history or not cases:
        return cases
    return cases[:min(MAX_PER_ORGANISATION, max(1, round(len(cases) * SHARE)))]


def _supervisor(ctx, code):
    return ctx.users.get(f"{code}.{Role.SUPERVISOR}")


def _types_for(case, rng) -> list[str]:
    types = [c for c in case.concerns or [] if c in ExploitationType.values]
    if not types:
        types = [rng.choice([ExploitationType.PROSTITUTION, ExploitationType.ONLINE, ExploitationType.TRAFFICKING,
                             ExploitationType.ABUSE])]
    if rng.random() < 0.2 and ExploitationType.ONLINE not in types:
        types.append(ExploitationType.ONLINE)  # e.g. groomed online, then exploited offline
    return types


def _incident_for(ctx, actor, cases, index: int, rng=None) -> Incident:
    rng = rng or ctx.rng
    case = cases[0]
    types = _types_for(case, rng)
    setting = rng.choice(SETTINGS_BY_TYPE[types[0]])
    online = ExploitationType.ONLINE in types or setting == Setting.ONLINE
    subtypes = rng.sample(list(OnlineSubtype.values), k=rng.randint(1, 2)) if ExploitationType.ONLINE in types else []
    platforms = (list(Platform.objects.filter(code__in=rng.sample(["facebook", "whatsapp", "michat", "telegram",
                                                                    "instagram", "tiktok"], k=2))) if online else [])
    modus = [Modus.ONLINE_GROOMING] if online else [rng.choice([Modus.JOB_OFFER, Modus.BOYFRIEND, Modus.PEERS,
                                                                Modus.DEBT_BONDAGE, Modus.FAMILY])]
    commercial = types[0] != ExploitationType.ABUSE
    occurred = (case.registered_on or timezone.localdate()) - datetime.timedelta(days=rng.randint(3, 60))
    precision = "day" if index % 5 else rng.choice(["month", "year"])
    region = {"province": case.province, "regency": case.regency} if case.province_id else {}
    countries = ["MY"] if ExploitationType.TRAFFICKING in types and index % 2 == 0 else []
    incident = services.incident_create(
        actor=actor, cases=cases, types=types, online_subtypes=subtypes, platforms=platforms, data={
            "occurred_on": occurred, "date_precision": precision, "setting": setting,
            "location_details": PLACES[setting], "modus": modus,
            "exchanged": [Exchange.MONEY] + ([Exchange.GOODS] if index % 3 == 0 else []) if commercial else [],
            "exchange_details": "Uang dan hadiah fiktif (demo)." if commercial else "",
            "cross_border_countries": countries, "source": rng.choice(list(InformationSource.values)),
            "description": "Uraian kejadian fiktif untuk demo Lindungi. Semua nama dan tempat rekaan.",
            "verification": [Verification.VERIFIED, Verification.REPORTED, Verification.VERIFIED,
                             Verification.UNVERIFIED, Verification.DISCREDITED][index % 5],
            **region})
    roles = ROLES_BY_TYPE[types[0]]
    for n in range(1 + (index % 3 == 0) + (index % 4 == 1)):
        identified = not (n == 1 and index % 2)  # some perpetrators stay unknown
        services.perpetrator_add(actor=actor, incident=incident, data={
            "identified": identified, "name": rng.choice(FICTIONAL_NAMES) if identified else "",
            "role": roles[n % len(roles)], "sex": "male" if n or index % 6 else "female",
            "age_group": ["25_39", "40_59", "18_24", "under_18"][(index + n) % 4] if index % 7 else "unknown",
            "nationality": "ID" if index % 6 else "MY",
            "relationship": [PerpetratorRelationship.STRANGER, PerpetratorRelationship.ONLINE_CONTACT,
                             PerpetratorRelationship.ACQUAINTANCE, PerpetratorRelationship.PARTNER,
                             PerpetratorRelationship.RELATIVE][(index + n) % 5],
            "arrested": identified and index % 2 == 0, "notes": "Catatan fiktif (demo)."})
    return incident


def load(ctx) -> None:
    made = 0
    for org in Organisation.objects.filter(kind=Organisation.Kind.MEMBER).order_by("code"):
        actor = _supervisor(ctx, org.code)
        cases = demo_cases(org)
        if actor is None or not cases:
            continue
        index = 0
        while index < len(cases):
            # Every fifth incident involves two children of the organisation (an incident with
            # several cases); the first case also gets a second, later incident.
            group = cases[index:index + 2] if index % 5 == 4 and index + 1 < len(cases) else [cases[index]]
            _incident_for(ctx, actor, group, index)
            made += 1
            index += len(group)
        _incident_for(ctx, actor, [cases[0]], index + 1)
        made += 1
        # The 2012 cohort, from a random stream of its own so that the rest of the demo stays as it is.
        history_rng = random.Random(f"{ctx.seed}-{HISTORY_YEAR}-incidents-{org.code}")
        for n, case in enumerate(demo_cases(org, history=True)):
            _incident_for(ctx, actor, [case], n, rng=history_rng)
            made += 1
    if not made:
        ctx.notes.append("  incidents: no demo cases found, so no demo incidents were made.")
