import datetime
from collections import Counter

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from lindungi.accounts.models import Organisation, User
from lindungi.audit import verify
from lindungi.audit.models import AuditEvent
from lindungi.cases import models as cm
from lindungi.cases.services.registration import refresh_consent_flags
from lindungi.incidents import models as im
from lindungi.incidents.services import refresh_contexts
from lindungi.legal import models as lm
from lindungi.programs.models import Activity, ParticipantCount, Program
from lindungi.synthetic import generator, names
from lindungi.synthetic import reference as ref
from lindungi.synthetic.cases import OrgBuilder, OrgSpec, Reference, fingerprint
from lindungi.synthetic.tests.conftest import AS_OF

pytestmark = pytest.mark.django_db


def test_it_builds_a_national_network_with_every_kind_of_record(generated):
    assert generated.counts["cases.case"] == 300 == cm.Case.objects.count() == cm.Child.objects.count()
    assert Organisation.objects.filter(kind="member", code__startswith="SN").count() == ref.ORGANISATIONS
    assert Organisation.objects.filter(kind="secretariat").count() == 1
    for model in (cm.Consent, cm.Assessment, cm.CasePlan, cm.Referral, cm.FollowUp, cm.CaseEvent, im.Incident,
                  im.IncidentType, im.Perpetrator, lm.LegalCase, lm.StageEntry, Program, Activity, ParticipantCount):
        assert model.objects.exists(), model.__name__
    # --validate all: the models' validators ran on every row of the case load (not on link rows).
    assert generated.validated >= sum(generated.counts[label] for label in ("cases.child", "cases.case", "cases.consent",
                                                                            "incidents.incident", "legal.legalcase"))
    # Every member organisation has caseworkers, a supervisor and a legal officer who can sign in (TOTP).
    for org in Organisation.objects.filter(kind="member", code__startswith="SN"):
        roles = set(User.objects.filter(organisation=org).values_list("memberships__role", flat=True))
        assert {"caseworker", "supervisor", "legal_officer", "program_officer"} <= roles


def test_distributions_are_plausible(generated):
    cases = list(cm.Case.objects.values("status", "sex", "age_years", "risk_level", "province_id", "concerns",
                                        "registered_on", "statistics_consent"))
    statuses = Counter(c["status"] for c in cases)
    assert 0.5 < statuses["closed"] / len(cases) < 0.97  # ten years of cases: most are closed
    assert len(statuses) >= 4
    sexes = Counter(c["sex"] for c in cases)
    assert 0.55 < sexes["female"] / len(cases) < 0.85
    assert all(0 <= c["age_years"] <= 17 for c in cases)
    assert {c["risk_level"] for c in cases} == {"high", "medium", "low"}
    assert len({c["province_id"] for c in cases}) >= 20
    assert all(c["concerns"] and set(c["concerns"]) <= set(cm.Concern.values) for c in cases)
    assert min(c["registered_on"] for c in cases) >= AS_OF - datetime.timedelta(days=ref.YEARS * 365)
    assert max(c["registered_on"] for c in cases) <= AS_OF
    # More cases in the last year than in the first (yearly growth).
    years = Counter(c["registered_on"].year for c in cases)
    assert years[AS_OF.year - 1] > years[AS_OF.year - ref.YEARS + 1]
    assert 0.8 < sum(c["statistics_consent"] for c in cases) / len(cases) < 0.99
    # Population weighting: Java's three big provinces hold far more cases than Papua's six.
    by_province = Counter(c["province_id"] for c in cases)
    assert by_province["32"] + by_province["35"] + by_province["33"] > 5 * sum(by_province[p] for p in
                                                                               ("91", "92", "93", "94", "95", "96"))
    stages = Counter(lm.LegalCase.objects.values_list("stage__code", flat=True))
    assert len(stages) >= 4


def test_names_and_niks_are_obviously_fictional(generated):
    for child in cm.Child.objects.all()[:50]:
        assert child.full_name.endswith(names.TAG)
        assert not child.nik or (child.nik.startswith("99") and len(child.nik) == 16)
    assert not User.objects.filter(organisation__code__startswith="SN").exclude(email__endswith=generator.EMAIL_DOMAIN).exists()


def test_raw_rows_hold_no_plaintext(generated):
    """Every generated name carries "(Sintetis)": no identifying table holds that text in clear."""
    child = next(c for c in cm.Child.objects.all() if c.nik)
    tables = [cm.Child, cm.Caregiver, cm.Consent, cm.Case, cm.FollowUp, cm.Referral, im.Incident, im.Perpetrator]
    with connection.cursor() as cursor:
        for model in tables:
            cursor.execute(f"SELECT * FROM {model._meta.db_table}")  # noqa: S608
            text = "\n".join(str(value) for row in cursor.fetchall() for value in row)
            assert "sintetis" not in text.lower(), model.__name__
            assert child.nik not in text, model.__name__
            assert child.full_name.split()[0] not in text, model.__name__


def test_the_audit_chain_verifies_and_names_every_record(generated):
    report = verify.verify()
    assert report.ok, report.problems[:3]
    named = set()
    for payload in AuditEvent.objects.filter(action="synthetic.records.created").values_list("payload", flat=True):
        named.update(payload["case_ids"])
    assert named == {str(pk) for pk in cm.Case.objects.values_list("pk", flat=True)}
    assert AuditEvent.objects.filter(action="synthetic.dataset.generated", payload__seed=3).exists()


def test_derived_columns_agree_with_the_services(generated):
    for case in cm.Case.objects.all():
        assert refresh_consent_flags(case) == [], case.number
    with transaction.atomic():
        for incident in im.Incident.objects.all():
            assert refresh_contexts(incident) == [], incident.number
        transaction.set_rollback(True)
    for legal_case in lm.LegalCase.objects.select_related("stage"):
        entries = {e.stage.code: e.entered_on for e in legal_case.stage_entries.select_related("stage")}
        assert legal_case.reported_on == entries["report"]
        assert legal_case.is_closed == (legal_case.stage.kind == "ending")
    # Counters continue after the numbers given: the next registration does not collide.
    for org_id, year, last in cm.CaseNumberCounter.objects.values_list("organisation_id", "year", "last_value"):
        numbers = cm.Case.objects.filter(organisation_id=org_id, registered_on__year=year).values_list("number", flat=True)
        assert max(int(n.rsplit("-", 1)[1]) for n in numbers) == last


def _spec():
    return OrgSpec(org_id=1, code="SN01", cases=120, provinces={"32": 80, "31": 40},
                   regencies={"32": ["32.01", "32.73"], "31": ["31.71"]}, caseworkers=[1, 2, 3], supervisors=[4],
                   legal_officers=[5], providers={"32": [(1, "uptd_ppa"), (2, "health")], "31": [(3, "legal_aid")]})


def test_the_same_seed_gives_the_same_content():
    reference = Reference.load()
    first = OrgBuilder(_spec(), seed=11, as_of=AS_OF, reference=reference).next_batch(120)
    again = OrgBuilder(_spec(), seed=11, as_of=AS_OF, reference=reference).next_batch(120)
    other = OrgBuilder(_spec(), seed=12, as_of=AS_OF, reference=reference).next_batch(120)
    assert fingerprint(first) == fingerprint(again)
    assert fingerprint(first) != fingerprint(other)
    # Only keys differ between runs (UUIDv7, and so the ciphertexts' associated data).
    assert {c.pk for c in first.rows[cm.Case]}.isdisjoint(c.pk for c in again.rows[cm.Case])


def test_batches_do_not_change_the_content():
    reference = Reference.load()
    whole = OrgBuilder(_spec(), seed=11, as_of=AS_OF, reference=reference)
    one = fingerprint(whole.next_batch(120))
    parts = OrgBuilder(_spec(), seed=11, as_of=AS_OF, reference=reference)
    cases = parts.next_batch(50).rows[cm.Case] + parts.next_batch(70).rows[cm.Case]
    assert [c.number for c in cases] == [row[1] for row in one if row[0] == "case"]


def test_the_models_validators_run_on_generated_rows(monkeypatch):
    monkeypatch.setattr(names, "nik", lambda rng: "99123")  # not 16 digits: the model's NIK validator refuses it
    with pytest.raises(ValidationError) as error:
        generator.generate(generator.Options(cases=40, seed=1, as_of=AS_OF, validate="all"))
    assert "nik" in error.value.message_dict
    assert not cm.Case.objects.exists()


def test_it_refuses_a_database_that_already_holds_a_synthetic_network(generated):
    with pytest.raises(generator.AlreadyGenerated):
        generator.generate(generator.Options(cases=10, seed=3, as_of=AS_OF))


def test_the_command_needs_confirmation_when_debug_is_off(settings, capsys):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="production"):
        call_command("generate_synthetic", "--cases", "20")
    call_command("generate_synthetic", "--cases", "30", "--seed", "5", "--as-of", "2026-01-31",
                 "--i-know-this-is-not-production")
    output = capsys.readouterr().out
    assert "cases/s overall" in output
    assert cm.Case.objects.count() == 30
    assert verify.verify().ok


def _orphans_per_foreign_key() -> dict:
    """For every foreign key of every model the generator writes: rows whose key points at no row."""
    from django.apps import apps

    quote = connection.ops.quote_name
    found = {}
    with connection.cursor() as cursor:
        for model in apps.get_models(include_auto_created=True):
            if model._meta.app_label not in {"cases", "incidents", "legal", "programs", "accounts", "audit"}:
                continue
            for field in model._meta.concrete_fields:
                if not field.is_relation:
                    continue
                table, target = model._meta.db_table, field.target_field
                cursor.execute(
                    f"SELECT count(*) FROM {quote(table)} t LEFT JOIN {quote(target.model._meta.db_table)} p "  # noqa: S608
                    f"ON p.{quote(target.column)} = t.{quote(field.column)} "
                    f"WHERE t.{quote(field.column)} IS NOT NULL AND p.{quote(target.column)} IS NULL")
                found[f"{table}.{field.column}"] = cursor.fetchone()[0]
    return found


def test_every_foreign_key_of_the_generated_rows_resolves(generated):
    """On PostgreSQL a fresh load writes without the per-row foreign-key checks: nothing may dangle."""
    orphans = _orphans_per_foreign_key()
    assert "cases_caseevent.case_id" in orphans and "legal_charge.article_id" in orphans
    assert {key: count for key, count in orphans.items() if count} == {}


def test_after_the_load_the_checks_are_back_and_cached_statistics_are_stale():
    from lindungi.reports import freshness

    before = freshness.current_version()
    report = generator.generate(generator.Options(cases=60, seed=4, as_of=AS_OF))
    assert report.counts["cases.case"] == 60
    payload = AuditEvent.objects.get(action="synthetic.dataset.generated").payload
    assert payload["row_checks_skipped"] is (connection.vendor == "postgresql")
    # The data version moved: statistics cached before the load are not served after it.
    assert freshness.current_version() > (before or 0)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW session_replication_role")
            assert cursor.fetchone()[0] == "origin"
    # A row that points nowhere is refused again (SQLite and PostgreSQL check at commit).
    case = cm.Case.objects.first()
    with pytest.raises(Exception, match="(?i)foreign key"), transaction.atomic():
        cm.CaseEvent.objects.create(case_id=case.pk, organisation_id=case.organisation_id, kind="note",
                                    actor_id=10**9)
        connection.check_constraints(table_names=["cases_caseevent"])


def test_row_checks_stay_on_when_the_database_already_holds_cases(generated):
    options = generator.Options(cases=10, seed=5, as_of=AS_OF)
    assert generator._may_skip_row_checks(connection, options) is False


def test_words_are_the_draws_of_random_choice():
    """`names.word` draws indexes itself (speed); it must give what `rng.choice` gives, so that a
    seed keeps giving the same names."""
    import random

    def by_choice(rng, syllables):
        parts = [rng.choice(names._ONSETS) + rng.choice(names._VOWELS) for _ in range(syllables)]
        parts[-1] += rng.choice(names._CODAS)
        return "".join(parts).capitalize()

    fast, slow = random.Random("words"), random.Random("words")
    made = [names.word(fast, 2 + n % 3) for n in range(5000)]
    assert made == [by_choice(slow, 2 + n % 3) for n in range(5000)]
    assert fast.random() == slow.random()  # and the stream goes on in step
    assert len(set(made)) > 4000


def test_the_statistics_cubes_are_derived_again_after_the_load(generated):
    """The cubes' triggers are off during the load; afterwards the cubes answer, and agree with the
    GROUP BY queries over the generated data."""
    from lindungi.reports import cube
    from lindungi.reports.dimensions import dimension
    from lindungi.reports.measures import Audience, Filters, measure
    from lindungi.reports.tests.cubes import counted_from_the_data, without_empty_cells

    network, everything = Audience(Audience.NETWORK), Filters()
    assert cube.available("children") and cube.available("incidents")
    for key, rows, cols in (("children", "province", "sex"), ("cases", "type", None), ("incidents", "type", None),
                            ("perpetrators", "sex", None), ("referrals", "service", None), ("legal", "outcome", None)):
        m, row_dim, col_dim = measure(key), dimension(rows), dimension(cols) if cols else None
        from_cube = cube.counts(m, row_dim, col_dim, network, everything, None)
        assert from_cube[3] > 0, key
        assert without_empty_cells(from_cube) == without_empty_cells(
            counted_from_the_data(m, row_dim, col_dim, network, everything)), key


def _case_load_indexes():
    """(name, definition) of every index of the tables the case load writes (PostgreSQL)."""
    from lindungi.synthetic.cases import ORDER

    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = ANY(%s) ORDER BY 1",
                       [[model._meta.db_table for model in ORDER]])
        return cursor.fetchall()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a fresh PostgreSQL load defers the indexes")
def test_a_fresh_load_writes_without_secondary_indexes_and_builds_them_again(monkeypatch):
    before = _case_load_indexes()
    during = []
    writing = generator.run_organisation

    def run_organisation(spec, options):
        during.append({name for name, _definition in _case_load_indexes()})
        return writing(spec, options)

    monkeypatch.setattr(generator, "run_organisation", run_organisation)
    generator.generate(generator.Options(cases=40, seed=6, as_of=AS_OF))
    assert during
    assert "child_org_name_idx" not in during[0] and "case_event_case_at_idx" not in during[0]
    assert {"cases_case_pkey", "case_team_unique_active"} <= during[0]  # primary keys and unique ones stay
    assert _case_load_indexes() == before


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the side-by-side finish is for PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_the_statistics_and_indexes_are_rebuilt_side_by_side_and_agree(monkeypatch):
    """A real load (committed, other sessions): the cube rebuilds and the index builds run over two
    sessions at the end. Afterwards the indexes are those of the migrations, every cube trigger is
    back, and the cubes agree with the data."""
    from lindungi.core import bulk
    from lindungi.reports import cube
    from lindungi.reports.dimensions import dimension
    from lindungi.reports.measures import Audience, Filters, measure
    from lindungi.reports.tests.cubes import counted_from_the_data, without_empty_cells

    before = _case_load_indexes()
    sessions = []
    running = bulk.in_sessions
    monkeypatch.setattr(bulk, "in_sessions", lambda jobs, **kw: sessions.append([n for n, _j in jobs]) or running(
        jobs, **kw))
    generator.generate(generator.Options(cases=80, seed=7, as_of=AS_OF))
    assert sessions and sessions[-1][:2] == ["record statistics", "case statistics"]
    assert "child_org_name_idx" in sessions[-1]
    assert _case_load_indexes() == before
    network, everything = Audience(Audience.NETWORK), Filters()
    assert cube.available("children") and cube.available("incidents")
    for key, rows in (("children", "province"), ("incidents", "type"), ("legal", "outcome")):
        m, row_dim = measure(key), dimension(rows)
        from_cube = cube.counts(m, row_dim, None, network, everything, None)
        assert from_cube[3] > 0, key
        assert without_empty_cells(from_cube) == without_empty_cells(
            counted_from_the_data(m, row_dim, None, network, everything)), key


def test_a_guardian_gives_every_consent_of_a_case_the_caregiver_when_there_is_one(generated):
    caregivers = {c.child_id: c.full_name for c in cm.Caregiver.objects.all()}
    givers = {}
    for consent in cm.Consent.objects.filter(given_by_kind="guardian").select_related("case"):
        givers.setdefault(consent.case_id, set()).add((consent.case.child_id, consent.given_by_name))
    assert len(givers) > 100
    assert all(len(names_) == 1 for names_ in givers.values())
    with_caregiver = [name for ((child_id, name),) in givers.values() if child_id in caregivers]
    assert len(with_caregiver) > 50
    assert all(caregivers[child_id] == name for ((child_id, name),) in givers.values() if child_id in caregivers)
    assert {name.split(" ")[0] for ((child_id, name),) in givers.values() if child_id not in caregivers} <= {"Wali"}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's planner statistics")
def test_every_table_the_load_writes_has_planner_statistics_after_it(generated):
    """Without them (autovacuum may be off, and is slow to come by) PostgreSQL guesses a few
    thousand rows in a table of a million and picks plans accordingly."""
    tables = generator.loaded_tables()
    assert {"cases_caseplan", "legal_hearing", "programs_participantcount"} <= set(tables)
    with connection.cursor() as cursor:
        cursor.execute("SELECT c.relname FROM pg_class c WHERE c.relname = ANY(%s) AND c.reltuples > 0 "
                       "AND NOT EXISTS (SELECT 1 FROM pg_statistic s WHERE s.starelid = c.oid)", [tables])
        assert cursor.fetchall() == []
        cursor.execute("SELECT count(*) FROM pg_class WHERE relname = ANY(%s) AND reltuples > 0", [tables])
        assert cursor.fetchone()[0] >= 20
