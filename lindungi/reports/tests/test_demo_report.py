"""From the 2012 demo data the network's annual report covers everything the 2012 reference report
covers: the coalition's profile, each program with its activities and results, the two events,
case statistics, successes and lessons learned, and the challenges ahead — in both languages."""

import io

import pytest

pytestmark = pytest.mark.django_db


class _Rollback(Exception):
    pass

# (topic of the reference report, what the demo report must contain) per language.
COVERAGE = {
    "en": [
        ("profile", "Profile and introduction"),
        ("status upgrade", "upgraded to a national group"),
        ("four member organisations", "Lampung"),
        ("advocacy and youth participation (EU)", "Strengthening advocacy and youth participation"),
        ("prevention education (ministry)", "South Tangerang"),
        ("legal-services unit", "legal"),
        ("online conference", "Conference on online child sexual exploitation"),
        ("research on child trafficking", "Research on reducing child trafficking"),
        ("national dialogue after ratification", "National dialogue"),
        ("management strengthening", "Strengthening the network's management"),
        ("events", "Events"),
        ("case statistics", "Case and legal statistics"),
        ("successes", "Successes"),
        ("lessons learned", "Lessons learned"),
        ("challenges", "Challenges ahead"),
    ],
    "id": [
        ("profil", "Profil dan pengantar"),
        ("peningkatan status", "status koalisi ditingkatkan"),
        ("program advokasi", "Menguatkan Advokasi dan Partisipasi Orang Muda"),
        ("konferensi daring", "Konferensi kejahatan seksual terhadap anak secara online"),
        ("penelitian", "Penelitian tentang Pengurangan Perdagangan Anak"),
        ("dialog nasional", "Dialog Nasional Harmonisasi Peraturan"),
        ("keberhasilan", "Keberhasilan"),
        ("pembelajaran", "Pembelajaran"),
        ("tantangan", "Tantangan ke depan"),
    ],
}


@pytest.fixture(scope="module")
def demo_network(django_db_setup, django_db_blocker):
    """The demo network, loaded once for this module (it takes a while) and rolled back after."""
    from django.db import connection, transaction

    from lindungi.core import demo

    with django_db_blocker.unblock():
        # Only ever on the test database (pytest-django sets it up because the tests below are
        # marked django_db), never on a developer's database.
        name = str(connection.settings_dict["NAME"])
        assert "memory" in name or name.startswith("test"), name
        try:
            with transaction.atomic():
                yield demo.load(log=lambda *_: None)
                raise _Rollback
        except _Rollback:
            pass


@pytest.fixture
def demo(demo_network):
    return demo_network


@pytest.mark.parametrize("language", ["en", "id"])
def test_the_2012_network_report_covers_the_reference_report(demo, language, tmp_path):
    from docx import Document

    from lindungi.reports import annual
    from lindungi.reports.tests.test_documents import pdf_text

    user = demo.user("SEK", "me_officer")
    report = annual.build_report(user=user, year=2012, organisation=None, language=language)
    document = Document(io.BytesIO(annual.report_docx(report)))
    docx_text = "\n".join([p.text for p in document.paragraphs]
                          + [c.text for t in document.tables for r in t.rows for c in r.cells])
    pdf = " ".join(pdf_text(annual.report_pdf(report), tmp_path).split())
    for topic, expected in COVERAGE[language]:
        assert expected in docx_text, (topic, "docx")
        assert expected in pdf, (topic, "pdf")
    assert len(report.programs) >= 6
    assert report.events
    assert not report.sections["successes"].generated  # the demo narrative is used


def test_the_2012_report_counts_the_legal_services_units_first_cases(demo):
    """The 2012 demo has the unit's first cases (closed since): the report's statistics are real
    counts of them, protected like any other figures."""
    from lindungi.cases.models import Case
    from lindungi.legal.models import LegalCase
    from lindungi.reports import annual

    user = demo.user("SEK", "me_officer")
    report = annual.build_report(user=user, year=2012, organisation=None, language="en")
    blocks = {block.table.key: block.table for block in report.statistics}

    cases = blocks["cases-by-type"].result
    consenting_2012 = Case.objects.filter(registered_on__year=2012, statistics_consent=True).count()
    assert consenting_2012 >= 5
    assert cases.total.value == consenting_2012 and not cases.total.suppressed
    assert all(cell.value == 0 or cell.value >= 5 or cell.suppressed for cell in cases.cells)

    legal = blocks["legal-by-outcome"].result
    reported = LegalCase.objects.filter(reported_on__year=2012).count()
    assert reported >= 5
    assert legal.cells[0].value == reported and legal.cells[0].public() == reported
