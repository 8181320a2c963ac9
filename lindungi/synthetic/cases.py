"""One organisation's synthetic case load: children, cases and what was done in them, incidents,
perpetrators and legal cases, built as rows batch by batch.

Rows (`rows.new(Model, ...)`) carry the apps' own fields and defaults as plain attributes;
`generator.write_batch` runs the models' validators on them (`full_clean` on the model instance
of each sampled row) and writes them with `rows.encode`, which encrypts identifying fields and
computes blind indexes with the application's own crypto code. Derived columns (consent flags,
incident contexts, legal milestones) follow the same rules as the services that keep them
(`refresh_consent_flags`, `refresh_contexts`, `_apply_milestones`); a test asks those services
whether they agree.

Plaintext content is a function of (seed, organisation, as-of date) only: `random.Random` seeded
with a string is stable across runs and platforms. What differs between two runs with the same
seed are primary keys (UUIDv7: time and randomness), the encryption nonces and so the stored
ciphertexts, and timestamps of the writing itself (`created_at`).
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field

from lindungi.cases import models as cm
from lindungi.incidents import models as im
from lindungi.legal import models as lm
from lindungi.synthetic import names
from lindungi.synthetic import reference as ref
from lindungi.synthetic.rows import new

D = datetime.timedelta
ASSESSMENT_DOMAINS = [d.value for d in cm.Domain]
EXPLOITATION = set(im.ExploitationType.values)

_sex = ref.Picker(ref.SEX)
_age = ref.Picker(ref.AGE)
_risk = ref.Picker(ref.RISK)
_source = ref.Picker(ref.SOURCE)
_concern = ref.Picker(ref.CONCERNS)
_school = ref.Picker(ref.SCHOOL)
_closure = ref.Picker(ref.CLOSURE)
_relationship = ref.Picker(ref.RELATIONSHIP)
_perp_age = ref.Picker(ref.PERP_AGE)
_info_source = ref.Picker(ref.INFO_SOURCE)
_verification = ref.Picker(ref.VERIFICATION)
_referral_type = ref.Picker(ref.REFERRAL_TYPES)
_follow_up_type = ref.Picker(ref.FOLLOW_UP_TYPES)
_status_by_age = [(days, ref.Picker(pairs)) for days, pairs in ref.STATUS_BY_AGE]
_legal_by_age = [(days, ref.Picker(pairs)) for days, pairs in ref.LEGAL_STAGE_BY_AGE]


@dataclass
class OrgSpec:
    """What a worker needs to know about one organisation (plain values: it crosses processes)."""

    org_id: int
    code: str
    cases: int
    provinces: dict  # province code -> number of cases
    regencies: dict  # province code -> [regency codes]
    caseworkers: list
    supervisors: list
    legal_officers: list
    providers: dict  # province code -> [(provider id, service type)]


@dataclass
class Reference:
    """Reference rows the builder points at (loaded once per process)."""

    stages: dict  # code -> Stage
    articles: dict  # code -> LawArticle id
    platforms: list  # Platform ids

    @classmethod
    def load(cls) -> Reference:
        return cls(
            stages={s.code: s for s in lm.Stage.objects.all()},
            articles=dict(lm.LawArticle.objects.values_list("code", "id")),
            platforms=list(im.Platform.objects.filter(is_active=True).order_by("code").values_list("id", flat=True)),
        )


# Models in the order they are written (foreign keys point backwards in this list).
ORDER = [
    cm.Child, cm.Caregiver, cm.Case, cm.Consent, cm.Assessment, cm.CasePlan, cm.CasePlanGoal, cm.CasePlanAction,
    cm.Approval, cm.Referral, cm.ServiceRecord, cm.FollowUp, cm.CaseEvent,
    im.Incident, im.IncidentCase, im.IncidentType, im.Incident.platforms.through, im.Perpetrator,
    lm.LegalCase, lm.LegalCaseIncident, lm.LegalCaseVictim, lm.StageEntry, lm.Defendant, lm.Charge, lm.Verdict,
    lm.Appeal, lm.Hearing, lm.Accompaniment, lm.Restitution, cm.CaseTeamMember,
]


@dataclass
class Batch:
    rows: dict = field(default_factory=lambda: {model: [] for model in ORDER})
    # Instances to run the models' validators on (all, or those of every n-th case).
    to_validate: list = field(default_factory=list)

    def add(self, obj, validate: bool):
        self.rows[obj.model].append(obj)
        if validate:
            self.to_validate.append(obj)
        return obj

    def count(self, model) -> int:
        return len(self.rows[model])


@dataclass
class Counters:
    """The last number given per year (case, incident, legal case), for the number counters."""

    cases: dict = field(default_factory=dict)
    incidents: dict = field(default_factory=dict)
    legal: dict = field(default_factory=dict)

    @staticmethod
    def next(table: dict, year: int) -> int:
        table[year] = table.get(year, 0) + 1
        return table[year]


def _at(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(9, 0), tzinfo=datetime.UTC)


def _age_on(born: datetime.date, day: datetime.date) -> int:
    """Whole years on `day` (the rule of `Child.age_on`, without building a second instance)."""
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def registration_days(rng: random.Random, count: int, as_of: datetime.date) -> list[datetime.date]:
    """`count` registration dates over the last YEARS years, growing yearly, oldest first."""
    weights = [ref.YEARLY_GROWTH ** -back for back in range(ref.YEARS)]
    years = ref.Picker(list(enumerate(weights)))
    return sorted(as_of - D(days=years(rng) * 365 + rng.randint(0, 364)) for _ in range(count))


class OrgBuilder:
    """Builds the rows of one organisation, batch after batch, from its own random stream."""

    def __init__(self, spec: OrgSpec, *, seed: int, as_of: datetime.date, reference: Reference,
                 validate: str = "sample", sample_every: int = 50):
        self.spec = spec
        self.as_of = as_of
        self.ref = reference
        self.validate = validate
        self.sample_every = max(1, sample_every)
        self.rng = random.Random(f"lindungi-synthetic|{seed}|{spec.code}")
        self.counters = Counters()
        # Province of each case, in registration order: the organisation's provinces shuffled in
        # proportion to their share.
        provinces = [code for code, n in sorted(spec.provinces.items()) for _ in range(n)]
        self.rng.shuffle(provinces)
        self.days = registration_days(self.rng, spec.cases, as_of)
        self.plan = list(zip(self.days, provinces, strict=True))
        self.position = 0

    @property
    def done(self) -> bool:
        return self.position >= len(self.plan)

    def next_batch(self, size: int) -> Batch:
        batch = Batch()
        chunk = self.plan[self.position:self.position + size]
        pending_link = None  # a case that joins the next incident (incidents with two children)
        for registered_on, province in chunk:
            index = self.position
            self.position += 1
            check = self.validate == "all" or (self.validate == "sample" and index % self.sample_every == 0)
            case = self._case(batch, registered_on, province, check)
            if pending_link is not None:
                self._incident(batch, [pending_link, case], check)
                pending_link = None
            elif case.concerns and set(case.concerns) & EXPLOITATION and self.rng.random() < 0.7:
                if self.rng.random() < 0.08:
                    pending_link = case  # linked together with the next case of the batch
                else:
                    self._incident(batch, [case], check)
        if pending_link is not None:
            self._incident(batch, [pending_link], False)
        return batch

    # --- cases ------------------------------------------------------------------------------
    def _case(self, batch: Batch, registered_on: datetime.date, province: str, check: bool) -> cm.Case:
        rng, spec = self.rng, self.spec
        org = spec.org_id
        sex = _sex(rng)
        age = _age(rng)
        estimated = rng.random() < 0.15
        born = (datetime.date(registered_on.year - age, 1, 1) if estimated
                else registered_on - D(days=age * 365 + rng.randint(0, 364)))
        regency = rng.choice(spec.regencies[province]) if spec.regencies.get(province) else None
        child = batch.add(new(cm.Child,
            organisation_id=org, full_name=names.person(rng), sex=sex, birth_date=born,
            birth_date_is_estimated=estimated, nik=names.nik(rng) if rng.random() < 0.6 else "",
            aliases=names.word(rng, 2) + " " + names.TAG if rng.random() < 0.1 else "",
            language="Bahasa Indonesia" if rng.random() < 0.3 else "",
            has_disability=rng.choice(["no", "no", "no", "no", "unknown", "yes"]),
            province_id=province, regency_id=regency,
            street_address=f"Jalan Sintetis No. {rng.randint(1, 200)}" if rng.random() < 0.8 else "",
            phone=names.phone(rng) if rng.random() < 0.5 else "", school_status=_school(rng),
        ), check)
        guardian_is_suspect = rng.random() < 0.08
        caregiver = None
        if rng.random() < 0.85:
            caregiver = batch.add(new(cm.Caregiver,
                organisation_id=org, child=child,
                full_name=("Ibu " if rng.random() < 0.6 else "Bapak ") + names.person(rng),
                relationship=rng.choice(["mother", "mother", "father", "grandparent", "aunt_uncle"]),
                contact=names.phone(rng) if rng.random() < 0.7 else "", is_legal_guardian=True, lives_with_child=True,
                safety="unsafe" if guardian_is_suspect else "safe", is_suspected_perpetrator=guardian_is_suspect,
            ), check)
        days_old = (self.as_of - registered_on).days
        status = next(picker for limit, picker in _status_by_age if days_old <= limit)(rng)
        step = ref.WORKFLOW.index(status)
        risk = _risk(rng)
        concerns = [_concern(rng)]
        if rng.random() < 0.3:
            other = _concern(rng)
            if other not in concerns:
                concerns.append(other)
        basis = "vital_interest" if guardian_is_suspect else ("child_assent" if rng.random() < 0.07 else
                                                              "guardian_consent")
        caseworker = rng.choice(spec.caseworkers)
        supervisor = rng.choice(spec.supervisors)
        year = registered_on.year
        case = batch.add(new(cm.Case,
            organisation_id=org, child=child, registered_on=registered_on,
            number=f"{spec.code}-{year}-{Counters.next(self.counters.cases, year):05d}",
            source=_source(rng), concerns=concerns,
            narrative="Uraian kasus sintetis untuk uji beban; tidak ada orang sungguhan." if rng.random() < 0.5 else "",
            legal_basis=basis,
            legal_basis_notes="Wali diduga pelaku (sintetis)." if basis == "vital_interest" else "",
            risk_level=risk, risk_reason="Alasan risiko sintetis." if risk == "high" else "",
            risk_assessed_on=registered_on, assigned_caseworker_id=caseworker, supervisor_id=supervisor,
            status=status, status_changed_on=registered_on, province_id=province, regency_id=regency, sex=sex,
            age_years=_age_on(born, registered_on), age_is_estimated=estimated,
            created_by_id=caseworker,
        ), check)
        self._consents(batch, case, basis, caseworker, check, caregiver)
        day = registered_on
        plan = None
        if step >= 1:
            day = min(day + D(days=rng.randint(1, 10)), self.as_of)
            done = step >= 2
            assessment = batch.add(new(cm.Assessment,
                organisation_id=org, case=case, assessed_on=day,
                scores={d: rng.randint(0, 3) for d in ASSESSMENT_DOMAINS},
                needs={"safety": "Kebutuhan sintetis."} if rng.random() < 0.5 else None,
                summary="Ringkasan asesmen sintetis." if rng.random() < 0.4 else "",
                status="approved" if done else rng.choice(["draft", "submitted"]), created_by_id=caseworker,
            ), check)
            if assessment.status == "submitted":
                batch.add(new(cm.Approval, organisation_id=org, case=case, kind="assessment", assessment=assessment,
                                      status="submitted", requested_by_id=caseworker, requested_at=_at(day)), check)
        if step >= 2:
            day = min(day + D(days=rng.randint(1, 14)), self.as_of)
            plan_status = "approved" if step >= 3 else rng.choice(["draft", "submitted"])
            plan = batch.add(new(cm.CasePlan, organisation_id=org, case=case, status=plan_status, created_by_id=caseworker,
                                         summary="Rencana sintetis." if rng.random() < 0.3 else ""), check)
            goal = batch.add(new(cm.CasePlanGoal, organisation_id=org, plan=plan, domain=rng.choice(ASSESSMENT_DOMAINS),
                                             description="Tujuan rencana kasus (sintetis)."), check)
            batch.add(new(cm.CasePlanAction,
                organisation_id=org, goal=goal, description="Tindakan rencana kasus (sintetis).",
                responsible="Pendamping", due_on=day + D(days=rng.randint(7, 90)),
                status="done" if step >= 4 else rng.choice(["planned", "planned", "in_progress"])), check)
            if plan_status == "submitted":
                batch.add(new(cm.Approval, organisation_id=org, case=case, kind="case_plan", plan=plan, status="submitted",
                                      requested_by_id=caseworker, requested_at=_at(day)), check)
        last_follow_up = None
        if step >= 3:
            day = min(day + D(days=rng.randint(1, 14)), self.as_of)
            for _ in range(rng.choice((0, 1, 1, 1, 2))):
                self._referral(batch, case, province, day, caseworker, basis, check)
            if rng.random() < 0.5:
                batch.add(new(cm.ServiceRecord, organisation_id=org, case=case, service_type="psychosocial",
                                           provided_on=day, provided_by_id=caseworker,
                                           notes="Konseling sintetis." if rng.random() < 0.5 else ""), check)
            last = day
            for _ in range(rng.choice((0, 1, 1, 2, 3))):
                last = min(last + D(days=rng.randint(5, 40)), self.as_of)
                last_follow_up = batch.add(new(cm.FollowUp,
                    organisation_id=org, case=case, date=last, type=_follow_up_type(rng), done_by_id=caseworker,
                    notes="Catatan kunjungan sintetis." if rng.random() < 0.6 else ""), check)
            day = last
        if step >= 4:
            day = min(day + D(days=rng.randint(5, 60)), self.as_of)
        if step >= 5:
            day = min(day + D(days=rng.randint(10, 120)), self.as_of)
            case.closure_reason = _closure(rng)
            case.closed_on = day
        elif last_follow_up is not None and step >= 3:
            # The next visit promised; about a fifth of them have passed (overdue tasks).
            next_date = last_follow_up.date + D(days=rng.randint(-10, 45))
            if next_date > last_follow_up.date:
                last_follow_up.next_date = next_date
                case.next_follow_up_on = next_date
        case.status_changed_on = day
        batch.add(new(cm.CaseEvent, organisation_id=org, case=case, at=_at(registered_on), actor_id=caseworker,
                               kind="registered", data={"number": case.number}), check)
        if step:
            data = {"previous": ref.WORKFLOW[step - 1], "status": status}
            if status == "closed":
                data["reason"] = case.closure_reason
            batch.add(new(cm.CaseEvent, organisation_id=org, case=case, at=_at(day), actor_id=supervisor,
                                   kind="status_changed", data=data), check)
        return case

    def _consents(self, batch, case, basis, caseworker, check, caregiver=None):
        """Consents as given at registration, and the case's flags from them (the rule of
        `refresh_consent_flags`: a purpose is on while an unwithdrawn consent for it exists). A
        guardian gives every consent of the case: the caregiver registered with the child, or
        another guardian when there is none."""
        rng = self.rng
        giver = "child" if basis in ("child_assent", "vital_interest") else "guardian"
        if giver == "guardian":
            giver_name = caregiver.full_name if caregiver is not None else "Wali " + names.person(rng)
        else:
            giver_name = "Anak (sintetis)"
        purposes = []
        if basis in ("guardian_consent", "child_assent"):
            purposes.append("services")  # the basis relies on it (`_check_basis`)
        for purpose, share in (("referral", 0.85), ("statistics", 0.92), ("sharing", 0.4)):
            if rng.random() < share:
                purposes.append(purpose)
        for purpose in purposes:
            withdrawn = rng.random() < 0.02
            batch.add(new(cm.Consent,
                organisation_id=case.organisation_id, case=case, purpose=purpose, given_on=case.registered_on,
                given_by_kind=giver, given_by_name=giver_name,
                recorded_by_id=caseworker, recorded_at=_at(case.registered_on),
                withdrawn_on=min(case.registered_on + D(days=rng.randint(10, 200)), self.as_of) if withdrawn else None,
                withdrawn_recorded_by_id=caseworker if withdrawn else None,
            ), check)
            if not withdrawn:
                setattr(case, f"{purpose}_consent", True)

    def _referral(self, batch, case, province, day, caseworker, basis, check):
        rng = self.rng
        providers = self.spec.providers.get(province) or []
        if not providers:
            return
        wanted = _referral_type(rng)
        matching = [p for p in providers if p[1] == wanted] or providers
        provider_id, service_type = rng.choice(matching)
        sent = min(day + D(days=rng.randint(0, 5)), self.as_of)
        answered = (self.as_of - sent).days > 14 or rng.random() < 0.5
        status = rng.choice(["accepted", "accepted", "completed", "declined"]) if answered else "sent"
        batch.add(new(cm.Referral,
            organisation_id=case.organisation_id, case=case, service_type=service_type, provider_id=provider_id,
            urgency=rng.choice(["normal", "normal", "high", "urgent"]), status=status,
            basis="consent" if basis in ("guardian_consent", "child_assent") else basis,
            reason="Rujukan sintetis." if rng.random() < 0.6 else "", sent_on=sent,
            responded_on=min(sent + D(days=rng.randint(1, 10)), self.as_of) if answered else None,
            completed_on=min(sent + D(days=rng.randint(10, 60)), self.as_of) if status == "completed" else None,
            created_by_id=caseworker,
        ), check)

    # --- incidents --------------------------------------------------------------------------
    def _incident(self, batch: Batch, cases: list, check: bool) -> None:
        rng, org = self.rng, self.spec.org_id
        first = cases[0]
        types = [c for c in first.concerns if c in EXPLOITATION] or ["abuse"]
        if "online" not in types and rng.random() < 0.15:
            types.append("online")  # groomed online, then exploited offline
        setting = rng.choice(ref.SETTINGS_BY_TYPE[types[0]])
        occurred = first.registered_on - D(days=rng.randint(1, 90))
        precision = rng.choice(["day"] * 8 + ["month", "year"])
        if precision == "month":
            occurred = occurred.replace(day=1)
        elif precision == "year":
            occurred = occurred.replace(month=1, day=1)
        modus = ["online_grooming"] if "online" in types else [rng.choice(
            ["job_offer", "boyfriend", "peers", "debt_bondage", "family", "other"])]
        commercial = types[0] not in ("abuse",)
        exchanged = (["money"] + (["goods"] if rng.random() < 0.3 else [])) if commercial and rng.random() < 0.8 else []
        countries = ["MY"] if "trafficking" in types and rng.random() < 0.25 else []
        year = first.registered_on.year
        incident = batch.add(new(im.Incident,
            organisation_id=org, number=f"IN-{year}-{Counters.next(self.counters.incidents, year):04d}",
            occurred_on=occurred, date_precision=precision, province_id=first.province_id,
            regency_id=first.regency_id, setting=setting,
            location_details="Tempat sintetis." if setting != "online" and rng.random() < 0.5 else "",
            modus=modus, exchanged=exchanged,
            exchange_details="Uang (sintetis)." if exchanged and rng.random() < 0.4 else "",
            cross_border_countries=countries,
            description="Uraian kejadian sintetis." if rng.random() < 0.6 else "",
            source=_info_source(rng), verification=_verification(rng), created_by_id=first.created_by_id,
        ), check)
        for case in cases:
            batch.add(new(im.IncidentCase, incident=incident, case=case, linked_at=_at(case.registered_on)), False)
        subtypes = rng.sample(im.OnlineSubtype.values, k=rng.randint(1, 2)) if "online" in types else []
        for code in types:
            for sub in (subtypes if code == "online" else [""]):
                batch.add(new(im.IncidentType, incident=incident, type=code, subtype=sub), False)
        platforms = []
        if (setting == "online" or "online" in types) and self.ref.platforms:
            platforms = rng.sample(self.ref.platforms, k=min(len(self.ref.platforms), rng.randint(1, 2)))
            for platform_id in platforms:
                batch.add(new(im.Incident.platforms.through, incident=incident, platform_id=platform_id), False)
        perpetrators = []
        roles = ref.ROLES_BY_TYPE[types[0]]
        for n in range(rng.choice((1, 1, 1, 2, 2, 3))):
            identified = rng.random() < 0.6
            relationship = _relationship(rng)
            perpetrators.append(batch.add(new(im.Perpetrator,
                organisation_id=org, incident=incident, identified=identified,
                name=names.person(rng) if identified else "", sex="male" if rng.random() < 0.88 else "female",
                age_group=_perp_age(rng), nationality="ID" if rng.random() < 0.95 else "MY",
                relationship=relationship, role=roles[n % len(roles)], arrested=identified and rng.random() < 0.4,
            ), check))
        # Derived contexts: the rule of incidents.services.refresh_contexts.
        incident.possible_exploitation = bool(exchanged)
        incident.is_online = (setting == "online" or "online" in types or "online_grooming" in modus
                              or bool(platforms))
        incident.is_cross_border = any(code != "ID" for code in countries)
        incident.third_party_involved = any(p.role in im.THIRD_PARTY_ROLES for p in perpetrators)
        incident.family_involved = any(p.relationship in im.FAMILY_RELATIONSHIPS for p in perpetrators)
        incident.child_perpetrator = any(p.age_group == im.AgeGroup.UNDER_18 for p in perpetrators)
        identified = [p for p in perpetrators if p.identified]
        if identified and rng.random() < 0.3 and self.spec.legal_officers:
            self._legal_case(batch, incident, cases, identified[0], types[0], check)

    # --- legal cases ------------------------------------------------------------------------
    def _legal_case(self, batch, incident, cases, perpetrator, exploitation, check):
        rng, org = self.rng, self.spec.org_id
        opened = min(cases[0].registered_on + D(days=rng.randint(0, 20)), self.as_of)
        age = (self.as_of - opened).days
        target = next(picker for limit, picker in _legal_by_age if age <= limit)(rng)
        path = ref.LEGAL_PATHS[target]
        # Dates of the stages: spread between opening and (nearly) today.
        span = max(age, len(path))
        dates = sorted(opened + D(days=int(span * i / len(path))) for i in range(len(path)))
        stages = [self.ref.stages[code] for code in path]
        current = stages[-1]
        officer = rng.choice(self.spec.legal_officers)
        year = opened.year
        legal_case = batch.add(new(lm.LegalCase,
            organisation_id=org, number=f"LC-{year}-{Counters.next(self.counters.legal, year):04d}",
            assigned_officer_id=officer, police_unit_name="Unit PPA Polres Sintetis",
            report_number=f"LP/B/{rng.randint(1, 999)}/{year}/SINTETIS", summary="",
            stage=current, stage_entered_on=dates[-1], created_by_id=officer,
        ), check)
        progress = [s.order for s in stages if s.kind == lm.StageKind.PROGRESS]
        legal_case.max_order_reached = max(progress) if progress else 0
        if current.kind == lm.StageKind.ENDING:
            legal_case.is_closed, legal_case.closed_on = True, dates[-1]
        for stage, day in zip(stages, dates, strict=True):
            batch.add(new(lm.StageEntry, organisation_id=org, legal_case=legal_case, stage=stage, entered_on=day,
                                    recorded_by_id=officer, recorded_at=_at(day)), False)
            field_name = {"reported": "reported_on", "trial": "trial_on", "verdict": "verdict_on",
                          "final": "final_on"}.get(stage.milestone)
            if field_name and getattr(legal_case, field_name) is None:
                setattr(legal_case, field_name, day)
        batch.add(new(lm.LegalCaseIncident, legal_case=legal_case, incident=incident), False)
        for case in cases:
            batch.add(new(lm.LegalCaseVictim, legal_case=legal_case, case=case), False)
            batch.add(new(cm.CaseTeamMember, case=case, user_id=officer, role="legal_officer", source="legal",
                                        legal_case_id=str(legal_case.pk), added_at=_at(opened)), False)
        batch.add(new(lm.Accompaniment, organisation_id=org, legal_case=legal_case, victim=cases[0], date=dates[0],
                                   type="police_examination", done_by_id=officer, duration_minutes=180), check)
        reached = {stage.code for stage in stages}
        if max(progress or [0]) < 30:
            return
        defendant = batch.add(new(lm.Defendant, organisation_id=org, legal_case=legal_case, perpetrator=perpetrator,
                                           named_suspect_on=dates[min(2, len(dates) - 1)],
                                           detained=rng.random() < 0.6), check)
        if "prosecution" in reached:
            for code in ref.ARTICLES_BY_TYPE.get(exploitation, [])[:2]:
                if code in self.ref.articles:
                    batch.add(new(lm.Charge, legal_case=legal_case, defendant=defendant, article_id=self.ref.articles[code]),
                              False)
        if "trial" in reached:
            trial_day = legal_case.trial_on or dates[-1]
            for n, agenda in enumerate(["indictment", "evidence", "victim_testimony"]):
                hearing_day = trial_day + D(days=7 * n)
                upcoming = hearing_day > self.as_of
                batch.add(new(lm.Hearing, organisation_id=org, legal_case=legal_case, date=hearing_day,
                                     time=datetime.time(9 + n, 0), court="PN Sintetis", agenda=agenda,
                                     status="scheduled" if upcoming else "held", accompanied_by_id=officer,
                                     created_by_id=officer), check)
        if "verdict" in reached:
            outcome = rng.choice(["convicted"] * 17 + ["acquitted", "acquitted", "released"])
            batch.add(new(lm.Verdict, organisation_id=org, defendant=defendant, level="first_instance",
                                 court="PN Sintetis", decided_on=legal_case.verdict_on, outcome=outcome,
                                 prison_months=rng.randint(36, 180) if outcome == "convicted" else None,
                                 recorded_at=_at(legal_case.verdict_on)), check)
            final = outcome
            if "appeal" in reached:
                filed = legal_case.verdict_on + D(days=5)
                batch.add(new(lm.Appeal, organisation_id=org, defendant=defendant, level="appeal", filed_by="defendant",
                                    filed_on=filed, recorded_at=_at(filed)), check)
            defendant.final_outcome = final
            legal_case.convicted_count = 1 if final == "convicted" else 0
            if rng.random() < 0.4:
                claimed = rng.randint(5, 100) * 1_000_000
                ordered = claimed // 2 if final == "convicted" else None
                paid = (ordered or 0) if "execution" in reached and rng.random() < 0.5 else 0
                batch.add(new(lm.Restitution, organisation_id=org, legal_case=legal_case, defendant=defendant,
                                         route="investigator_prosecutor", claimed_amount=claimed,
                                         claimed_on=dates[0], ordered_amount=ordered,
                                         ordered_on=legal_case.verdict_on if ordered else None, paid_amount=paid,
                                         paid_on=dates[-1] if paid else None), check)
                legal_case.restitution_claimed_total = claimed
                legal_case.restitution_ordered_total = ordered or 0
                legal_case.restitution_paid_total = paid


def fingerprint(batch: Batch) -> list[tuple]:
    """The plaintext content of a batch (what "reproducible" promises), without keys or times."""
    out = []
    for child in batch.rows[cm.Child]:
        out.append(("child", child.full_name, child.birth_date, child.nik, child.sex, child.province_id,
                    child.regency_id))
    for case in batch.rows[cm.Case]:
        out.append(("case", case.number, case.registered_on, case.status, case.risk_level, tuple(case.concerns),
                    case.assigned_caseworker_id, case.statistics_consent, case.closed_on, case.next_follow_up_on))
    for model in ORDER:
        out.append((model._meta.label, len(batch.rows[model])))
    for incident in batch.rows[im.Incident]:
        out.append(("incident", incident.number, incident.occurred_on, incident.setting, incident.is_online))
    for legal_case in batch.rows[lm.LegalCase]:
        out.append(("legal", legal_case.number, legal_case.stage.code, legal_case.stage_entered_on))
    return out
