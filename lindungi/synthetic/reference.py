"""The shapes the synthetic dataset follows: where children live, who they are, how far their cases
have gone. Invented for a realistic load, not statistics about real children.

Province weights are rounded population figures in thousands (BPS projections for 2023, the six
Papua provinces as split in 2022): a national network registers cases roughly in proportion to
population. Every other distribution below is an assumption made for a plausible workload, kept in
one place so a benchmark can be read against it.
"""

from __future__ import annotations

import bisect
import itertools
import random

# province code -> population (thousands, rounded)
PROVINCE_POPULATION = {
    "11": 5482, "12": 15386, "13": 5757, "14": 6642, "15": 3679, "16": 8743, "17": 2086, "18": 9314,
    "19": 1531, "21": 2152, "31": 10680, "32": 49860, "33": 37540, "34": 3737, "35": 41416, "36": 12307,
    "51": 4434, "52": 5560, "53": 5569, "61": 5623, "62": 2774, "63": 4223, "64": 3909, "65": 730,
    "71": 2660, "72": 3122, "73": 9363, "74": 2750, "75": 1203, "76": 1453, "81": 1903, "82": 1338,
    "91": 1061, "92": 562, "93": 522, "94": 1452, "95": 1448, "96": 617,
}

ORGANISATIONS = 20  # member organisations of the synthetic network, plus the secretariat
YEARS = 10  # registrations spread over this many years up to the "as of" date
YEARLY_GROWTH = 1.12  # each year registers this many times the cases of the year before

# Caseworkers per organisation: about one per this many cases over the ten years (a caseload of
# some tens of open cases each), between the bounds.
CASES_PER_CASEWORKER = 2500
CASEWORKERS_MIN, CASEWORKERS_MAX = 2, 40

SEX = [("female", 70), ("male", 28), ("other", 1), ("unknown", 1)]
# Age at registration (years): mostly adolescents.
AGE = [(age, w) for age, w in zip(range(0, 18), [1, 1, 1, 1, 2, 2, 3, 3, 4, 5, 6, 8, 10, 13, 15, 16, 14, 11],
                                   strict=True)]
RISK = [("high", 20), ("medium", 45), ("low", 35)]
SOURCE = [("hotline", 18), ("police", 20), ("outreach", 15), ("school", 12), ("family", 15), ("self", 5),
          ("online", 8), ("member_org", 5), ("other", 2)]
# Protection concerns (Luxembourg terms first); one or two per case.
CONCERNS = [("online", 25), ("abuse", 25), ("prostitution", 15), ("trafficking", 12), ("marriage", 8),
            ("sale", 5), ("travel_tourism", 3), ("child_labour", 4), ("neglect", 3)]
SCHOOL = [("enrolled", 55), ("dropped_out", 25), ("never", 3), ("graduated", 5), ("unknown", 12)]

WORKFLOW = ["registered", "assessment", "case_plan", "services", "follow_up", "closed"]
# Status by how long ago the case was registered: (up to days, [(status, weight), ...]).
STATUS_BY_AGE = [
    (7, [("registered", 60), ("assessment", 40)]),
    (30, [("registered", 15), ("assessment", 40), ("case_plan", 30), ("services", 15)]),
    (90, [("assessment", 10), ("case_plan", 25), ("services", 45), ("follow_up", 15), ("closed", 5)]),
    (365, [("case_plan", 5), ("services", 35), ("follow_up", 30), ("closed", 30)]),
    (730, [("services", 10), ("follow_up", 15), ("closed", 75)]),
    (10 ** 6, [("services", 2), ("follow_up", 3), ("closed", 95)]),
]
CLOSURE = [("goals_met", 55), ("moved_away", 10), ("turned_18", 15), ("lost_contact", 12), ("other", 8)]

# Exploitation types of incidents, from the case's concerns; settings by type.
SETTINGS_BY_TYPE = {
    "prostitution": ["hotel", "brothel", "entertainment", "massage", "boarding_house"],
    "trafficking": ["entertainment", "workplace", "other", "hotel"],
    "sale": ["home", "hotel"],
    "travel_tourism": ["hotel", "street"],
    "marriage": ["home"],
    "online": ["online"],
    "abuse": ["home", "school", "boarding_house", "street"],
}
ROLES_BY_TYPE = {
    "prostitution": ["pimp_broker", "client", "recruiter"],
    "trafficking": ["recruiter", "facilitator", "pimp_broker"],
    "sale": ["pimp_broker", "client"],
    "travel_tourism": ["client", "facilitator"],
    "marriage": ["client", "facilitator"],
    "online": ["producer", "client"],
    "abuse": ["other"],
}
RELATIONSHIP = [("stranger", 15), ("online_contact", 18), ("acquaintance", 20), ("partner", 12), ("friend", 8),
                ("neighbour", 8), ("relative", 7), ("parent", 3), ("step_parent", 3), ("teacher", 2),
                ("employer", 2), ("unknown", 2)]
PERP_AGE = [("under_18", 8), ("18_24", 25), ("25_39", 35), ("40_59", 22), ("60_plus", 3), ("unknown", 7)]
INFO_SOURCE = [("child", 20), ("family", 20), ("police", 15), ("hotline", 12), ("outreach", 10), ("community", 8),
               ("school", 6), ("online_report", 5), ("service_provider", 4)]
VERIFICATION = [("verified", 55), ("reported", 30), ("unverified", 12), ("discredited", 3)]

# Legal cases: which stage a legal case stands at, by how long ago it was opened.
LEGAL_STAGE_BY_AGE = [
    (60, [("report", 50), ("inquiry", 35), ("withdrawn", 5), ("investigation", 10)]),
    (365, [("inquiry", 15), ("investigation", 25), ("dossier-returned", 10), ("dossier-complete", 10),
           ("handover", 8), ("prosecution", 10), ("trial", 12), ("sp3", 5), ("withdrawn", 5)]),
    (10 ** 6, [("investigation", 5), ("trial", 5), ("verdict", 10), ("appeal", 6), ("cassation", 3),
               ("review", 1), ("final", 20), ("execution", 20), ("sp3", 12), ("withdrawn", 6), ("closed", 12)]),
]
LEGAL_PATHS = {
    "report": ["report"],
    "inquiry": ["report", "inquiry"],
    "investigation": ["report", "inquiry", "investigation"],
    "dossier-returned": ["report", "inquiry", "investigation", "dossier-returned"],
    "dossier-complete": ["report", "investigation", "dossier-returned", "dossier-complete"],
    "handover": ["report", "investigation", "dossier-complete", "handover"],
    "prosecution": ["report", "investigation", "dossier-complete", "handover", "prosecution"],
    "trial": ["report", "investigation", "dossier-complete", "handover", "prosecution", "trial"],
    "verdict": ["report", "investigation", "dossier-complete", "handover", "prosecution", "trial", "verdict"],
    "appeal": ["report", "investigation", "dossier-complete", "handover", "prosecution", "trial", "verdict", "appeal"],
    "cassation": ["report", "investigation", "dossier-complete", "handover", "prosecution", "trial", "verdict",
                  "appeal", "cassation"],
    "review": ["report", "investigation", "dossier-complete", "handover", "prosecution", "trial", "verdict", "final",
               "review"],
    "final": ["report", "investigation", "dossier-complete", "handover", "prosecution", "trial", "verdict", "final"],
    "execution": ["report", "investigation", "dossier-complete", "handover", "prosecution", "trial", "verdict",
                  "final", "execution"],
    "sp3": ["report", "inquiry", "investigation", "sp3"],
    "withdrawn": ["report", "inquiry", "withdrawn"],
    "closed": ["report", "investigation", "dossier-complete", "handover", "prosecution", "trial", "verdict", "final",
               "execution", "closed"],
}
ARTICLES_BY_TYPE = {
    "prostitution": ["uu-35-2014-76i-88", "uu-21-2007-2"],
    "trafficking": ["uu-21-2007-2", "uu-21-2007-17"],
    "sale": ["uu-35-2014-76f-83"],
    "travel_tourism": ["uu-35-2014-76i-88"],
    "marriage": ["uu-12-2022-12"],
    "online": ["uu-44-2008-4-1", "uu-11-2008-27-1-45"],
    "abuse": ["uu-35-2014-76d-81", "uu-35-2014-76e-82"],
}

PROVIDER_TYPES = ["uptd_ppa", "police_ppa", "integrated_centre", "social_services", "legal_aid", "safe_house",
                  "health", "psychosocial"]
REFERRAL_TYPES = [("uptd_ppa", 20), ("police_ppa", 12), ("integrated_centre", 12), ("social_services", 12),
                  ("legal_aid", 12), ("safe_house", 8), ("health", 12), ("psychosocial", 12)]
FOLLOW_UP_TYPES = [("home_visit", 35), ("call", 30), ("school_visit", 10), ("court", 5), ("police", 5),
                   ("health_visit", 5), ("office_meeting", 10)]

# Programs and activities.
ACTIVITY_TYPES = [("sosialisasi", 22), ("pelatihan", 15), ("pendampingan-korban", 12), ("rapat-jaringan", 10),
                  ("workshop", 8), ("audiensi", 6), ("kampanye", 6), ("seminar", 5), ("talkshow-radio", 4),
                  ("rapat-konsultasi", 4), ("publikasi", 3), ("penelitian", 2), ("dialog-nasional", 1),
                  ("konferensi", 1), ("pemetaan", 1)]
STAKEHOLDERS = [("community", 25), ("school", 20), ("youth", 15), ("government", 12), ("police", 6),
                ("religious", 6), ("ngo", 8), ("media", 3), ("judiciary", 2), ("private", 3)]
ACTIVITIES_PER_CASES = 20  # one program activity for this many cases


class Picker:
    """Weighted choice without building a list per draw (the generator draws millions of times)."""

    def __init__(self, pairs):
        self.values = [value for value, _weight in pairs]
        self.cumulative = list(itertools.accumulate(weight for _value, weight in pairs))
        self.total = self.cumulative[-1]

    def __call__(self, rng: random.Random):
        return self.values[bisect.bisect_right(self.cumulative, rng.random() * self.total)]


def split(total: int, weights: dict) -> dict:
    """`total` split in proportion to `weights` (largest remainders), as integers adding up to it."""
    whole = sum(weights.values())
    exact = {key: total * weight / whole for key, weight in weights.items()}
    result = {key: int(value) for key, value in exact.items()}
    rest = total - sum(result.values())
    for key in sorted(exact, key=lambda k: (result[k] - exact[k], str(k)))[:rest]:
        result[key] += 1
    return result


def assign_provinces(organisations: int = ORGANISATIONS) -> list[list[str]]:
    """Provinces per organisation, the population shared out evenly (largest first, each to the
    organisation with the least so far): Java's big provinces get one organisation each, the
    small eastern provinces are grouped."""
    loads = [(0, index, []) for index in range(organisations)]
    for code in sorted(PROVINCE_POPULATION, key=lambda c: (-PROVINCE_POPULATION[c], c)):
        load, index, codes = min(loads)
        loads.remove((load, index, codes))
        loads.append((load + PROVINCE_POPULATION[code], index, codes + [code]))
    return [codes for _load, _index, codes in sorted(loads, key=lambda item: item[1])]
