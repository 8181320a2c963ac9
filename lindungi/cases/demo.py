"""Demo cases: about 200 obviously fictional children and cases over the four member organisations,
in every workflow state, with service providers per province; and the cases of 2012, when the
network's legal-services unit began (closed since), so that the 2012 annual report has case and
legal figures. Every name ends in "(Demo)" and every
NIK starts with "99" (no real NIK does: 99 is not a province code).

Built with bulk inserts (the encrypted fields encrypt in `pre_save`, which bulk inserts call too),
so that loading takes seconds, and recorded in the audit trail in one step."""

from __future__ import annotations

import datetime
import random

from django.utils import timezone

from lindungi.audit.services import record_many
from lindungi.cases import models as m
from lindungi.cases.testing import SCORES
from lindungi.geo.models import Region

CASES_PER_ORGANISATION = 50
# The legal-services unit began in the second half of 2012 (annual report 2012): its cases were
# registered from September to December and are all closed now.
HISTORY_YEAR = 2012
HISTORY_CASES_PER_ORGANISATION = 7
MEMBERS = ["YKB", "LPA", "YBT", "PKM"]
GIVEN_GIRLS = ["Ayu", "Bunga", "Citra", "Dewi", "Eka", "Fitri", "Gita", "Indah", "Kartika", "Lestari", "Mawar",
               "Nur", "Putri", "Rani", "Sari", "Tika", "Wulan", "Yuni"]
GIVEN_BOYS = ["Adi", "Bayu", "Dimas", "Fajar", "Galih", "Hendra", "Joko", "Rizky", "Teguh", "Wahyu"]
FAMILY = ["Lestari", "Santoso", "Siregar", "Nasution", "Wijaya", "Saputra", "Hidayat", "Pratama", "Rahayu", "Kurnia"]
# Share of cases per status (every workflow state appears in every organisation).
STATUS_MIX = [(m.Status.REGISTERED, 5), (m.Status.ASSESSMENT, 8), (m.Status.CASE_PLAN, 7), (m.Status.SERVICES, 12),
              (m.Status.FOLLOW_UP, 8), (m.Status.CLOSED, 10)]
PROVIDERS = [
    ("UPTD PPA {province} (Demo)", m.ServiceType.UPTD_PPA),
    ("Unit PPA Polda {province} (Demo)", m.ServiceType.POLICE_PPA),
    ("PPT RS Bhayangkara {province} (Demo)", m.ServiceType.INTEGRATED_CENTRE),
    ("Dinas Sosial {province} (Demo)", m.ServiceType.SOCIAL_SERVICES),
    ("LBH Anak {province} (Demo)", m.ServiceType.LEGAL_AID),
    ("Rumah Aman {province} (Demo)", m.ServiceType.SAFE_HOUSE),
    ("Puskesmas Ramah Anak {province} (Demo)", m.ServiceType.HEALTH),
]
NARRATIVES = [
    "Laporan fiktif untuk demo: anak dihubungi orang tak dikenal melalui media sosial.",
    "Laporan fiktif untuk demo: anak ditawari pekerjaan di kota lain oleh kenalan keluarga.",
    "Laporan fiktif untuk demo: sekolah melaporkan perubahan perilaku anak.",
    "Laporan fiktif untuk demo: anak ditemukan dalam penjangkauan malam.",
]


def _statuses(rng) -> list[str]:
    statuses = [status for status, count in STATUS_MIX for _ in range(count)]
    rng.shuffle(statuses)
    return statuses[:CASES_PER_ORGANISATION]


def load(ctx) -> None:
    rng = ctx.rng
    today = timezone.localdate()
    now = timezone.now()
    bag = {name: [] for name in ("children", "caregivers", "cases", "consents", "assessments", "plans", "goals",
                                 "actions", "approvals", "referrals", "services", "follow_ups", "events")}
    audit_entries = []
    providers = _providers(ctx)
    for code in MEMBERS:
        org = ctx.organisations[code]
        caseworker, supervisor = ctx.user(code, "caseworker"), ctx.user(code, "supervisor")
        regencies = list(Region.objects.filter(parent_id=org.province_id).order_by("code").values_list("code", flat=True))
        org_providers = [p for p in providers if p.province_id == org.province_id]
        counter = {}
        for status in _statuses(rng):
            # Older cases are further along the workflow.
            age_days = {"registered": (0, 20), "assessment": (3, 40), "case_plan": (15, 80), "services": (40, 300),
                        "follow_up": (60, 360), "closed": (90, 420)}[status]
            registered_on = today - datetime.timedelta(days=rng.randint(*age_days))
            counter[registered_on.year] = counter.get(registered_on.year, 0) + 1
            number = f"{org.code}-{registered_on.year}-{counter[registered_on.year]:05d}"
            _one_case(ctx, bag, org, caseworker, supervisor, regencies, org_providers, status, registered_on, number,
                      now)
            audit_entries.append({"action": "cases.case.registered", "actor": caseworker, "obj": bag["cases"][-1],
                                  "payload": {"source": "demo"}})
        # A separate random stream, so that the history does not change the rest of the demo.
        history_rng = random.Random(f"{ctx.seed}-{HISTORY_YEAR}-{code}")
        history_dates = sorted(datetime.date(HISTORY_YEAR, 9, 1) + datetime.timedelta(days=history_rng.randint(0, 120))
                               for _n in range(HISTORY_CASES_PER_ORGANISATION))
        for registered_on in history_dates:
            counter[registered_on.year] = counter.get(registered_on.year, 0) + 1
            number = f"{org.code}-{registered_on.year}-{counter[registered_on.year]:05d}"
            _one_case(ctx, bag, org, caseworker, supervisor, regencies, org_providers, m.Status.CLOSED,
                      registered_on, number, now, rng=history_rng)
            audit_entries.append({"action": "cases.case.registered", "actor": caseworker, "obj": bag["cases"][-1],
                                  "payload": {"source": "demo"}})
        for year, last in counter.items():
            m.CaseNumberCounter.objects.update_or_create(organisation=org, year=year, defaults={"last_value": last})

    for name, model in (("children", m.Child), ("caregivers", m.Caregiver), ("cases", m.Case),
                        ("consents", m.Consent), ("assessments", m.Assessment), ("plans", m.CasePlan),
                        ("goals", m.CasePlanGoal), ("actions", m.CasePlanAction), ("approvals", m.Approval),
                        ("referrals", m.Referral), ("services", m.ServiceRecord), ("follow_ups", m.FollowUp),
                        ("events", m.CaseEvent)):
        model.objects.bulk_create(bag[name], batch_size=500)
    _shares(ctx, now)
    record_many(audit_entries)
    ctx.notes.append(f"  Cases: {len(bag['cases'])} fictional cases over {', '.join(MEMBERS)}.")


def _shares(ctx, now) -> None:
    """Two active shares (YKB → LPA) and a transfer request awaiting LPA's supervisor (LPA → YBT),
    on cases whose data-sharing consent was given."""
    plan = [("YKB", "LPA", m.ShareKind.SHARE, m.ShareStatus.ACCEPTED, 2),
            ("LPA", "YBT", m.ShareKind.TRANSFER, m.ShareStatus.REQUESTED, 1)]
    rows = []
    for source, target, kind, status, count in plan:
        cases = m.Case.objects.filter(organisation__code=source, sharing_consent=True,
                                      status__in=[m.Status.SERVICES, m.Status.FOLLOW_UP]).order_by("number")[:count]
        requester, supervisor = ctx.user(source, "caseworker"), ctx.user(source, "supervisor")
        for case in cases:
            accepted = status == m.ShareStatus.ACCEPTED
            rows.append(m.CaseShare(
                organisation=case.organisation, case=case, to_organisation=ctx.organisations[target], kind=kind,
                status=status, reason="Anak pindah ke wilayah organisasi penerima (Demo).", requested_by=requester,
                requested_at=now - datetime.timedelta(days=5),
                expires_at=now + datetime.timedelta(days=60) if kind == m.ShareKind.SHARE else None,
                approved_by=supervisor if accepted else None, approved_at=now - datetime.timedelta(days=4) if accepted else None,
                answered_by=ctx.user(target, "supervisor") if accepted else None,
                answered_at=now - datetime.timedelta(days=3) if accepted else None))
    m.CaseShare.objects.bulk_create(rows)


def _providers(ctx) -> list[m.ServiceProvider]:
    rows = []
    for code in MEMBERS:
        org = ctx.organisations[code]
        province = Region.objects.get(pk=org.province_id)
        for name, kind in PROVIDERS:
            rows.append(m.ServiceProvider(
                organisation=org, name=name.format(province=province.name.title()), type=kind, province=province,
                phone=f"0800-{ctx.rng.randint(1000, 9999)}-{ctx.rng.randint(1000, 9999)}",
                address=f"Jalan Contoh No. {ctx.rng.randint(1, 99)} (Demo)", contact_person="Layanan pengaduan",
                accepts_referrals=kind != m.ServiceType.KPAI))
    return m.ServiceProvider.objects.bulk_create(rows)


def is_history(case) -> bool:
    """A case of the 2012 cohort (the other demos leave those alone or give them their own history)."""
    return case.registered_on is not None and case.registered_on.year <= HISTORY_YEAR


def _one_case(ctx, bag, org, caseworker, supervisor, regencies, providers, status, registered_on, number, now,
              rng=None):
    rng = rng or ctx.rng
    sex = rng.choice([m.Sex.FEMALE, m.Sex.FEMALE, m.Sex.FEMALE, m.Sex.MALE])
    given = rng.choice(GIVEN_GIRLS if sex == m.Sex.FEMALE else GIVEN_BOYS)
    age = rng.randint(6, 17)
    estimated = rng.random() < 0.15
    birth_date = (datetime.date(registered_on.year - age, 1, 1) if estimated
                  else registered_on - datetime.timedelta(days=age * 365 + rng.randint(0, 364)))
    regency = rng.choice(regencies) if regencies else None
    child = m.Child(
        organisation=org, full_name=f"{given} {rng.choice(FAMILY)} (Demo)", aliases=rng.choice(["", f"{given[:3]} (Demo)"]),
        sex=sex, birth_date=birth_date, birth_date_is_estimated=estimated,
        nik="" if rng.random() < 0.3 else "99" + "".join(str(rng.randint(0, 9)) for _ in range(14)),
        nationality="ID", language="Bahasa Indonesia", has_disability=rng.choice(["no", "no", "no", "unknown", "yes"]),
        province_id=org.province_id, regency_id=regency, street_address=f"Gang Demo {rng.randint(1, 50)} (Demo)",
        phone=f"0800-{rng.randint(1000, 9999)}-{rng.randint(1000, 9999)}",
        school_status=rng.choice([m.SchoolStatus.ENROLLED, m.SchoolStatus.ENROLLED, m.SchoolStatus.DROPPED_OUT]),
    )
    bag["children"].append(child)
    guardian_is_suspect = rng.random() < 0.1
    bag["caregivers"].append(m.Caregiver(
        organisation=org, child=child, full_name=f"{rng.choice(['Ibu', 'Bapak'])} {rng.choice(FAMILY)} (Demo)",
        relationship=rng.choice([m.Relationship.MOTHER, m.Relationship.FATHER, m.Relationship.GRANDPARENT]),
        contact="0800-0000-0000 (Demo)", is_legal_guardian=True, lives_with_child=True,
        safety=m.CaregiverSafety.UNSAFE if guardian_is_suspect else m.CaregiverSafety.SAFE,
        is_suspected_perpetrator=guardian_is_suspect))
    risk = rng.choice([m.Risk.HIGH, m.Risk.MEDIUM, m.Risk.MEDIUM, m.Risk.LOW, m.Risk.LOW])
    case = m.Case(
        organisation=org, number=number, child=child, registered_on=registered_on,
        source=rng.choice(m.Source.values), concerns=rng.sample(["online", "trafficking", "prostitution", "abuse",
                                                                  "marriage", "travel_tourism"], rng.randint(1, 2)),
        narrative=rng.choice(NARRATIVES),
        legal_basis=m.LegalBasis.VITAL_INTEREST if guardian_is_suspect else m.LegalBasis.GUARDIAN_CONSENT,
        legal_basis_notes="Wali diduga pelaku (Demo)." if guardian_is_suspect else "",
        risk_level=risk, risk_reason="Alasan risiko fiktif (Demo)." if risk == m.Risk.HIGH else "",
        risk_assessed_on=registered_on, assigned_caseworker=caseworker, supervisor=supervisor, status=status,
        status_changed_on=registered_on, province_id=org.province_id, regency_id=regency, sex=sex,
        age_years=max(registered_on.year - birth_date.year - ((registered_on.month, registered_on.day)
                                                               < (birth_date.month, birth_date.day)), 0),
        age_is_estimated=estimated, created_by=caseworker,
    )
    bag["cases"].append(case)
    event = _events(bag, org, case, now)
    event("registered", caseworker, registered_on, number=number)
    purposes = ["services", "referral", "statistics"] + (["sharing"] if rng.random() < 0.5 else [])
    if guardian_is_suspect:
        purposes = ["statistics"]
    for purpose in purposes:
        setattr(case, f"{purpose}_consent", True)  # what refresh_consent_flags would compute
        bag["consents"].append(m.Consent(
            organisation=org, case=case, purpose=purpose, given_on=registered_on,
            given_by_kind=m.ConsentGiver.CHILD if guardian_is_suspect else m.ConsentGiver.GUARDIAN,
            given_by_name="Wali (Demo)", recorded_by=caseworker))
    order = [s.value for s, _count in STATUS_MIX]
    step = order.index(status)
    day = registered_on
    if step >= 1:  # assessment
        day = registered_on + datetime.timedelta(days=rng.randint(1, 6))
        assessment = m.Assessment(organisation=org, case=case, assessed_on=day,
                                  scores={k: rng.randint(0, 3) for k in SCORES},
                                  needs={"safety": "Kebutuhan fiktif (Demo)."}, created_by=caseworker,
                                  status=m.ReviewStatus.APPROVED if step >= 2 else rng.choice(
                                      [m.ReviewStatus.DRAFT, m.ReviewStatus.SUBMITTED]))
        bag["assessments"].append(assessment)
        event("status_changed", caseworker, registered_on, previous="registered", status="assessment")
        if assessment.status != m.ReviewStatus.DRAFT:
            bag["approvals"].append(m.Approval(
                organisation=org, case=case, kind=m.Approval.Kind.ASSESSMENT, assessment=assessment,
                status=assessment.status, requested_by=caseworker, requested_at=_at(day),
                decided_by=supervisor if step >= 2 else None, decided_at=_at(day) if step >= 2 else None))
        case.status_changed_on = day
    if step >= 2:  # case plan
        day = day + datetime.timedelta(days=rng.randint(1, 7))
        event("status_changed", supervisor, day, previous="assessment", status="case_plan")
        plan_status = m.ReviewStatus.APPROVED if step >= 3 else rng.choice([m.ReviewStatus.DRAFT, m.ReviewStatus.SUBMITTED])
        plan = m.CasePlan(organisation=org, case=case, summary="Rencana fiktif (Demo).", status=plan_status,
                          created_by=caseworker)
        bag["plans"].append(plan)
        goal = m.CasePlanGoal(organisation=org, plan=plan, domain="safety", description="Anak aman dan terlindungi (Demo).")
        bag["goals"].append(goal)
        bag["actions"].append(m.CasePlanAction(
            organisation=org, goal=goal, description="Pendampingan ke layanan (Demo).", responsible="Pendamping",
            due_on=day + datetime.timedelta(days=rng.randint(7, 60)),
            status=m.ActionStatus.DONE if step >= 4 else m.ActionStatus.PLANNED))
        if plan_status != m.ReviewStatus.DRAFT:
            bag["approvals"].append(m.Approval(
                organisation=org, case=case, kind=m.Approval.Kind.CASE_PLAN, plan=plan, status=plan_status,
                requested_by=caseworker, requested_at=_at(day), decided_by=supervisor if step >= 3 else None,
                decided_at=_at(day) if step >= 3 else None))
        case.status_changed_on = day
    if step >= 3:  # services
        day = day + datetime.timedelta(days=rng.randint(1, 10))
        event("status_changed", supervisor, day, previous="case_plan", status="services")
        case.status_changed_on = day
        if providers:  # a suspect guardian's cases rest on a recorded vital interest, which allows referral
            provider = rng.choice(providers)
            sent = day + datetime.timedelta(days=rng.randint(0, 5))
            answered = rng.random() < 0.7
            bag["referrals"].append(m.Referral(
                organisation=org, case=case, service_type=provider.type, provider=provider,
                urgency=rng.choice(m.Urgency.values), status=m.ReferralStatus.ACCEPTED if answered else m.ReferralStatus.SENT,
                basis="consent" if not guardian_is_suspect else case.legal_basis, reason="Rujukan fiktif (Demo).",
                sent_on=sent, responded_on=sent + datetime.timedelta(days=2) if answered else None, created_by=caseworker))
            event("referral_sent", caseworker, sent, service_type=provider.type, urgency="normal")
        bag["services"].append(m.ServiceRecord(organisation=org, case=case, service_type=m.ServiceType.PSYCHOSOCIAL,
                                               provided_on=day, provided_by=caseworker, notes="Konseling fiktif (Demo)."))
    if step >= 4:  # follow-up
        day = day + datetime.timedelta(days=rng.randint(5, 30))
        event("status_changed", caseworker, day, previous="services", status="follow_up")
        case.status_changed_on = day
    if step >= 3:
        # Follow-ups: the latest promises a next date; some of those have passed (overdue tasks).
        last = day
        for _ in range(rng.randint(1, 3)):
            last = min(last + datetime.timedelta(days=rng.randint(3, 20)), timezone.localdate())
            bag["follow_ups"].append(m.FollowUp(organisation=org, case=case, date=last,
                                                type=rng.choice(m.FollowUpType.values), done_by=caseworker,
                                                notes="Catatan kunjungan fiktif (Demo)."))
            event("follow_up_recorded", caseworker, last, type=bag["follow_ups"][-1].type)
        next_date = last + datetime.timedelta(days=rng.randint(-20, 30))
        if next_date > last:
            bag["follow_ups"][-1].next_date = next_date
            case.next_follow_up_on = next_date
    if step >= 5:  # closed
        day = max(day, min(day + datetime.timedelta(days=rng.randint(10, 40)), timezone.localdate()))
        closure_assessment = m.Assessment(organisation=org, case=case, kind=m.Assessment.Kind.CLOSURE, assessed_on=day,
                                          scores={k: rng.randint(0, 1) for k in SCORES}, created_by=caseworker,
                                          status=m.ReviewStatus.APPROVED)
        bag["assessments"].append(closure_assessment)
        reason = rng.choice([m.ClosureReason.GOALS_MET, m.ClosureReason.GOALS_MET, m.ClosureReason.MOVED_AWAY,
                             m.ClosureReason.TURNED_18, m.ClosureReason.LOST_CONTACT])
        bag["approvals"].append(m.Approval(
            organisation=org, case=case, kind=m.Approval.Kind.CLOSURE, assessment=closure_assessment,
            closure_reason=reason, status=m.ReviewStatus.APPROVED, requested_by=caseworker, requested_at=_at(day),
            decided_by=supervisor, decided_at=_at(day)))
        case.closure_reason, case.closed_on, case.next_follow_up_on = reason, day, None
        case.status_changed_on = day
        event("status_changed", supervisor, day, previous="follow_up", status="closed", reason=reason)


def _at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10, 0)))


def _events(bag, org, case, now):
    def add(kind, actor, day, **data):
        bag["events"].append(m.CaseEvent(organisation=org, case=case, at=min(_at(day), now), actor=actor, kind=kind,
                                         data=data))
    return add
