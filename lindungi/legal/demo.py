"""Demo legal cases for part of the demo incidents, through the services: every stage of the stage
list is represented (progress stages and the endings SP3, withdrawal and closure), with suspects,
charges, hearings (some upcoming), verdicts, appeals, accompaniment, restitution and LPSK
requests, and open appeal and cassation deadlines. All dates are relative to today."""

from __future__ import annotations

import datetime
import random

from lindungi.accounts.models import Organisation
from lindungi.cases.demo import HISTORY_YEAR
from lindungi.core.policy import Role
from lindungi.incidents.common import today
from lindungi.incidents.models import Incident
from lindungi.legal import services
from lindungi.legal.models import (
    LawArticle,
    PoliceUnitLevel,
    Stage,
    StageKind,
)

D = datetime.timedelta

# Paths through the stage list, by the stage a demo legal case ends at. Optional stages are
# skipped now and then, as in real cases (no P-19, no appeal).
PATHS = {
    "report": ["report"],
    "inquiry": ["report", "inquiry"],
    "investigation": ["report", "inquiry", "investigation"],
    "dossier-returned": ["report", "inquiry", "investigation", "dossier-returned"],
    "dossier-complete": ["report", "investigation", "dossier-returned", "dossier-complete"],
    "handover": ["report", "inquiry", "investigation", "dossier-complete", "handover"],
    "prosecution": ["report", "investigation", "dossier-complete", "handover", "prosecution"],
    "trial": ["report", "inquiry", "investigation", "dossier-complete", "handover", "prosecution", "trial"],
    "verdict": ["report", "investigation", "dossier-complete", "handover", "prosecution", "trial", "verdict"],
    "appeal": ["report", "investigation", "dossier-complete", "handover", "prosecution", "trial", "verdict",
               "appeal"],
    "cassation": ["report", "investigation", "dossier-complete", "handover", "prosecution", "trial", "verdict",
                  "appeal", "cassation"],
    "review": ["report", "investigation", "dossier-complete", "handover", "prosecution", "trial", "verdict",
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
COURTS = {"YKB": "PN Jakarta Timur (fiktif)", "LPA": "PN Tanjung Karang (fiktif)", "YBT": "PN Batam (fiktif)",
          "PKM": "PN Medan (fiktif)"}
POLICE = {"YKB": "Unit PPA Polres Metro Jakarta Timur (fiktif)", "LPA": "Unit PPA Polresta Bandar Lampung (fiktif)",
          "YBT": "Unit PPA Polresta Barelang (fiktif)", "PKM": "Subdit IV Renakta Polda Sumut (fiktif)"}


def _dates(path: list[str], end: datetime.date, rng) -> list[datetime.date]:
    """A date per stage of the path, ending on `end`, 15–35 days apart."""
    dates = [end]
    for _stage in path[:-1]:
        dates.insert(0, dates[0] - D(days=rng.randint(15, 35)))
    return dates


def _incidents(organisation, *, history: bool = False) -> list[Incident]:
    """Demo incidents with an identified perpetrator, oldest first: the current ones, or those of
    the 2012 cohort."""
    lookup = "cases__registered_on__year__lte" if history else "cases__registered_on__year__gt"
    return list(Incident.objects.filter(organisation=organisation, perpetrators__identified=True,
                                        **{lookup: HISTORY_YEAR}).distinct().order_by("occurred_on", "number"))


def _dates_from(path: list[str], start: datetime.date, rng) -> list[datetime.date]:
    """A date per stage of the path, starting on `start`, 15–35 days apart."""
    dates = [start]
    for _stage in path[1:]:
        dates.append(dates[-1] + D(days=rng.randint(15, 35)))
    return dates


def _build(ctx, org_code: str, incident: Incident, target: str, index: int, *, reported_on=None, rng=None) -> None:
    """A legal case reaching `target`: reported on `reported_on` (the history), or ending recently."""
    rng = rng or ctx.rng
    supervisor = ctx.users[f"{org_code}.{Role.SUPERVISOR}"]
    officer = ctx.users.get(f"{org_code}.{Role.LEGAL_OFFICER}") or supervisor
    path = PATHS[target]
    if reported_on is not None:
        dates = _dates_from(path, reported_on, rng)
    else:
        # The verdict, appeal decision and trial of the latest stages are recent, so that the demo
        # shows an open appeal deadline, an open cassation deadline and upcoming hearings.
        end = today() - D(days={"verdict": 3, "appeal": 40, "trial": 12}.get(target, rng.randint(5, 25)))
        dates = _dates(path, end, rng)
    stages = {s.code: s for s in Stage.objects.all()}
    level = PoliceUnitLevel.objects.filter(code="polda" if org_code == "PKM" else "polres").first()
    legal_case = services.legal_case_create(
        actor=supervisor, incidents=[incident], stage=stages[path[0]], entered_on=dates[0],
        assigned_officer=officer if officer != supervisor else None, data={
            "police_unit_level": level, "police_unit_name": POLICE.get(org_code, "Unit PPA (fiktif)"),
            "report_number": f"LP/B/{100 + index}/{dates[0].year}/SPKT (fiktif)",
            "prosecutor_office": "Kejaksaan Negeri (fiktif)", "court": COURTS.get(org_code, "PN (fiktif)"),
            "summary": "Ringkasan perkara fiktif untuk demo."})
    actor = officer
    victim = legal_case.victims.first()
    services.accompaniment_record(actor=actor, legal_case=legal_case, data={
        "date": dates[0], "type": "police_examination", "victim": victim, "duration_minutes": 180,
        "others_present": "Ibu korban (fiktif)", "notes": "Pendampingan BAP (catatan fiktif)."})
    perpetrator = incident.perpetrators.filter(identified=True).first()
    defendant = None
    hearings_done = False
    for position, code in enumerate(path[1:], start=1):
        day = dates[position]
        stage = stages[code]
        if code in ("investigation", "dossier-complete") and defendant is None:
            defendant = services.defendant_add(actor=actor, legal_case=legal_case, perpetrator=perpetrator, data={
                "named_suspect_on": day, "detained": index % 3 != 0, "detained_on": day if index % 3 else None})
            if index % 2 == 0:
                services.accompaniment_record(actor=actor, legal_case=legal_case, data={
                    "date": day, "type": "forensic", "victim": victim, "duration_minutes": 120})
        if code == "prosecution" and defendant is not None:
            types = list(incident.types.values_list("type", flat=True))
            for article_code in ARTICLES_BY_TYPE.get(types[0], [])[:2]:
                services.charge_add(actor=actor, legal_case=legal_case, defendant=defendant,
                                    article=LawArticle.objects.get(code=article_code))
            services.restitution_save(actor=actor, legal_case=legal_case, data={
                "route": "investigator_prosecutor", "defendant": defendant,
                "claimed_amount": 25_000_000 + 5_000_000 * (index % 4), "claimed_on": day})
        services.legal_case_change_stage(actor=actor, legal_case=legal_case, stage=stage, entered_on=day,
                                         note="Catatan tahap (fiktif)." if stage.kind == StageKind.ENDING else "")
        if code == "trial":
            hearings_done = True
            for n, agenda in enumerate(["indictment", "evidence", "victim_testimony"]):
                hearing_day = day + D(days=3 + 3 * n)
                if hearing_day > today():
                    break
                services.hearing_save(actor=actor, legal_case=legal_case, data={
                    "date": hearing_day, "time": datetime.time(9 + n, 0), "court": legal_case.court,
                    "agenda": agenda, "status": "held", "accompanied_by": officer,
                    "outcome": "Sidang berjalan (catatan fiktif)."})
                if agenda == "victim_testimony":
                    services.accompaniment_record(actor=actor, legal_case=legal_case, data={
                        "date": hearing_day, "type": "hearing", "victim": victim, "duration_minutes": 240})
        if code == "verdict" and defendant is not None:
            services.verdict_record(actor=actor, defendant=defendant, level="first_instance", data={
                "court": legal_case.court, "decided_on": day, "outcome": "convicted" if index % 5 else "acquitted",
                **({"prison_months": 60 + 12 * (index % 5), "fine": 100_000_000,
                    "restitution_ordered": 20_000_000} if index % 5 else {}),
                "decision_number": f"{200 + index}/Pid.Sus/{day.year}/PN (fiktif)"})
            restitution = legal_case.restitutions.first()
            if restitution is not None and index % 5:
                services.restitution_save(actor=actor, legal_case=legal_case, restitution=restitution,
                                          data={"ordered_amount": 20_000_000, "ordered_on": day})
        if code == "appeal" and defendant is not None:
            filed = dates[position - 1] + D(days=5)
            services.appeal_record(actor=actor, defendant=defendant, level="appeal", filed_by="defendant",
                                   filed_on=min(filed, day))
            if target == "appeal":  # the appeal decision came recently: a cassation deadline is open
                services.verdict_record(actor=actor, defendant=defendant, level="appeal", data={
                    "court": "PT (fiktif)", "decided_on": today() - D(days=5), "outcome": "convicted",
                    "prison_months": 72})
            else:
                services.verdict_record(actor=actor, defendant=defendant, level="appeal", data={
                    "court": "PT (fiktif)", "decided_on": day + D(days=1) if code != path[-1] else day,
                    "outcome": "convicted", "prison_months": 72})
        if code == "cassation" and defendant is not None:
            services.appeal_record(actor=actor, defendant=defendant, level="cassation", filed_by="prosecutor",
                                   filed_on=day)
        if code == "review" and defendant is not None:
            services.appeal_record(actor=actor, defendant=defendant, level="review", filed_by="defendant",
                                   filed_on=day)
        if code == "execution":
            restitution = legal_case.restitutions.first()
            if restitution is not None and restitution.ordered_amount:
                paid = restitution.ordered_amount if index % 2 else restitution.ordered_amount // 2
                services.restitution_save(actor=actor, legal_case=legal_case, restitution=restitution,
                                          data={"paid_amount": paid, "paid_on": day})
    if target == "trial" or (hearings_done and target == "prosecution"):
        for n, agenda in enumerate(["demand", "plea"]):
            services.hearing_save(actor=actor, legal_case=legal_case, data={
                "date": today() + D(days=2 + 7 * n), "time": datetime.time(10, 0), "court": legal_case.court,
                "agenda": agenda, "status": "scheduled", "accompanied_by": officer})
    if index % 3 == 0:
        services.protection_save(actor=actor, legal_case=legal_case, data={
            "victim": victim, "submitted_on": dates[0] + D(days=2), "protections": ["procedural", "psychosocial"],
            "status": "accepted" if len(path) > 3 else "submitted",
            "decided_on": dates[0] + D(days=14) if len(path) > 3 else None,
            "lpsk_reference": f"LPSK/{index}/(fiktif)"})
        services.accompaniment_record(actor=actor, legal_case=legal_case, data={
            "date": dates[0] + D(days=2), "type": "lpsk", "victim": victim, "duration_minutes": 90})


def load(ctx) -> None:
    """Spread the stage list over the organisations' incidents, so that each stage has a legal case."""
    pools = []
    for org in Organisation.objects.filter(kind=Organisation.Kind.MEMBER).order_by("code"):
        if f"{org.code}.{Role.SUPERVISOR}" not in ctx.users:
            continue
        incidents = _incidents(org)
        if incidents:
            pools.append((org.code, incidents))
    if not pools:
        ctx.notes.append("  legal: no demo incidents found, so no demo legal cases were made.")
        return
    used = {code: 0 for code, _incidents in pools}
    for index, target in enumerate(PATHS):
        code, incidents = pools[index % len(pools)]
        incident = incidents[used[code] % len(incidents)]  # reused only when an organisation has few incidents
        used[code] += 1
        _build(ctx, code, incident, target, index)
    _history(ctx)


# The 2012 cohort's legal cases, all finished long ago: reported to the police in 2012, most of them
# through trial to execution (convictions, restitution), one stopped by SP3.
HISTORY_TARGETS = ["closed", "execution", "sp3"]


def _history(ctx) -> None:
    for org in Organisation.objects.filter(kind=Organisation.Kind.MEMBER).order_by("code"):
        if f"{org.code}.{Role.SUPERVISOR}" not in ctx.users:
            continue
        rng = random.Random(f"{ctx.seed}-{HISTORY_YEAR}-legal-{org.code}")
        for n, (incident, target) in enumerate(zip(_incidents(org, history=True), HISTORY_TARGETS, strict=False)):
            reported_on = min(incident.occurred_on + D(days=rng.randint(7, 30)), datetime.date(HISTORY_YEAR, 12, 28))
            _build(ctx, org.code, incident, target, 101 + n, reported_on=reported_on, rng=rng)
