"""Synthetic programs and activities: each member organisation runs a program every two years in
its provinces (a logframe of goal → outcomes → outputs with indicators computed from activities),
the secretariat runs national programs; activities (one per ACTIVITIES_PER_CASES cases) are held
over the ten years with participant counts by sex, age group and stakeholder group. Nothing here is
personal data (no attendance lists), so nothing is encrypted."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from lindungi.programs.models import (
    Activity,
    ActivityOutput,
    ActivityType,
    AgeGroup,
    Indicator,
    IndicatorTarget,
    ParticipantCount,
    Program,
    Result,
    StakeholderGroup,
)
from lindungi.synthetic import reference as ref

D = datetime.timedelta
_activity_type = ref.Picker(ref.ACTIVITY_TYPES)
_stakeholder = ref.Picker(ref.STAKEHOLDERS)
OUTPUT_KINDS = {"kampanye": "online", "publikasi": "publication", "talkshow-radio": "radio", "penelitian": "document",
                "seminar": "document"}


def build(*, organisations: list[dict], secretariat, activities: int, seed: int, as_of: datetime.date,
          validate) -> dict:
    """Write programs and activities; `organisations`: dicts with org, code, provinces, regencies,
    share (of activities), user (the program officer). Returns counts per model."""
    rng = random.Random(f"lindungi-synthetic|{seed}|programs")
    types = {t.code: t for t in ActivityType.objects.all()}
    groups = {g.code: g for g in StakeholderGroup.objects.all()}
    ages = {a.code: a for a in AgeGroup.objects.all()}
    start_year = as_of.year - ref.YEARS + 1
    programs, results, outputs = [], [], {}
    counts = dict.fromkeys(["programs", "results", "indicators", "targets", "activities", "participants", "outputs"], 0)

    owners = [(o["org"], o["code"], o["provinces"], o["user"]) for o in organisations]
    owners.append((secretariat["org"], secretariat["code"], sorted(ref.PROVINCE_POPULATION), secretariat["user"]))
    for org, code, provinces, user in owners:
        for year in range(start_year, as_of.year + 1, 2):
            start = datetime.date(year, 1, 1)
            end = datetime.date(year + 1, 12, 31)
            status = "completed" if end < as_of else "active"
            program = Program(
                code=f"{code}-{year}-P", title_id=f"Program perlindungan anak {code} {year} (sintetis)",
                title_en=f"Child protection program {code} {year} (synthetic)", status=status, start_date=start,
                end_date=end, lead_organisation=org, created_by=user)
            validate(program)
            programs.append((program, provinces))
    Program.objects.bulk_create([p for p, _prov in programs])
    counts["programs"] = len(programs)
    Program.provinces.through.objects.bulk_create([
        Program.provinces.through(program_id=p.pk, region_id=code) for p, provinces in programs for code in provinces])

    # Logframe: goal -> 2 outcomes -> 2 outputs each; an indicator per output (participants, computed).
    goals = [Result(program=p, level="goal", code="1", title_id="Anak terlindungi dari eksploitasi seksual (sintetis)",
                    order=1) for p, _prov in programs]
    Result.objects.bulk_create(goals)
    outcomes = [Result(program=g.program, parent=g, level="outcome", code=f"1.{n}", order=n,
                       title_id=f"Hasil {n} (sintetis)") for g in goals for n in (1, 2)]
    Result.objects.bulk_create(outcomes)
    output_rows = [Result(program=o.program, parent=o, level="output", code=f"{o.code}.{n}", order=n,
                          title_id=f"Keluaran {o.code}.{n} (sintetis)") for o in outcomes for n in (1, 2)]
    Result.objects.bulk_create(output_rows)
    for result in output_rows:
        outputs.setdefault(result.program_id, []).append(result)
    results = goals + outcomes + output_rows
    counts["results"] = len(results)
    indicators = [Indicator(result=r, code=f"{r.code}.a", title_id=f"Jumlah peserta keluaran {r.code} (sintetis)",
                            unit="orang", computation="rule", rule_metric="participants", rule_scope="result",
                            by_sex=True) for r in output_rows]
    Indicator.objects.bulk_create(indicators)
    counts["indicators"] = len(indicators)
    targets = [IndicatorTarget(indicator=i, period_start=i.result.program.start_date,
                               period_end=i.result.program.end_date, value=Decimal(rng.randint(100, 2000)))
               for i in indicators]
    IndicatorTarget.objects.bulk_create(targets)
    counts["targets"] = len(targets)

    by_owner = {}
    for program, _prov in programs:
        by_owner.setdefault(program.lead_organisation_id, []).append(program)
    shares = ref.split(activities, {o["org"].pk: o["share"] for o in organisations})
    weights = [ref.YEARLY_GROWTH ** -back for back in range(ref.YEARS)]
    years = ref.Picker(list(enumerate(weights)))
    age_codes = [code for code in ("child", "youth", "adult") if code in ages]
    for owner in organisations:
        org, user = owner["org"], owner["user"]
        rows, parts, links, products = [], [], [], []
        for _ in range(shares[org.pk]):
            type_code = _activity_type(rng)
            kind = types.get(type_code)
            if kind is None:
                continue
            start = as_of - D(days=years(rng) * 365 + rng.randint(0, 364)) + D(days=60)
            province = rng.choice(owner["provinces"])
            regencies = owner["regencies"].get(province) or [None]
            program = next((p for p in by_owner.get(org.pk, []) if p.start_date <= start <= p.end_date), None)
            trained = kind.is_training
            pre = Decimal(rng.randint(30, 60)) if trained else None
            activity = Activity(
                program=program, organisation=org, type=kind,
                title=f"{kind.label_id} {province} (sintetis)", status="planned" if start > as_of else "completed",
                start_date=start, end_date=start + D(days=rng.choice((0, 0, 0, 1, 2))), province_id=province,
                regency_id=rng.choice(regencies), venue="Balai Sintetis", is_online=rng.random() < 0.1,
                pretest_average=pre, posttest_average=pre + rng.randint(5, 35) if trained else None,
                tested_count=rng.randint(10, 40) if trained else None, created_by=user)
            rows.append(activity)
            if program is not None:
                links.append((activity, rng.choice(outputs[program.pk])))
            if activity.status == "completed":
                cells = set()
                for _cell in range(rng.randint(2, 6)):
                    cells.add((rng.choice(("female", "male")), rng.choice(age_codes), _stakeholder(rng)))
                for sex, age, group in sorted(cells):
                    parts.append(ParticipantCount(activity=activity, sex=sex, age_group=ages[age],
                                                  stakeholder_group=groups.get(group), count=rng.randint(3, 60)))
                if type_code in OUTPUT_KINDS:
                    products.append(ActivityOutput(activity=activity, kind=OUTPUT_KINDS[type_code],
                                                   title=f"Keluaran {kind.label_id} (sintetis)",
                                                   reach=rng.randint(100, 20000), published_on=activity.end_date))
        for activity in rows[:: max(1, len(rows) // 20)]:
            validate(activity)
        Activity.objects.bulk_create(rows, batch_size=2000)
        ParticipantCount.objects.bulk_create(parts, batch_size=2000)
        ActivityOutput.objects.bulk_create(products, batch_size=2000)
        Activity.results.through.objects.bulk_create(
            [Activity.results.through(activity_id=a.pk, result_id=r.pk) for a, r in links], batch_size=2000)
        counts["activities"] += len(rows)
        counts["participants"] += len(parts)
        counts["outputs"] += len(products)
    return counts
