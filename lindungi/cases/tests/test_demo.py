import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lindungi.cases import demo
from lindungi.cases.models import Case, Child, Status
from lindungi.cases.tasks import task_list
from lindungi.core.demo import DemoContext

pytestmark = pytest.mark.django_db


def test_the_demo_has_about_200_fictional_cases_in_every_state():
    from lindungi.accounts import demo as accounts_demo

    ctx = DemoContext()
    accounts_demo.load(ctx)
    with CaptureQueriesContext(connection) as captured:
        demo.load(ctx)
    # Bulk inserts: a few hundred statements at most (not counting the crypto app's key loads,
    # which it does not cache for keys created in a transaction that has not committed yet).
    ours = [q for q in captured.captured_queries if "crypto_datakey" not in q["sql"]]
    assert len(ours) < 150, len(ours)
    assert Case.objects.count() == 200 + 4 * demo.HISTORY_CASES_PER_ORGANISATION
    # The 2012 cohort (the legal-services unit's first year) is closed and numbered in that year.
    history = Case.objects.filter(registered_on__year=demo.HISTORY_YEAR)
    assert history.count() == 4 * demo.HISTORY_CASES_PER_ORGANISATION
    assert set(history.values_list("status", flat=True)) == {Status.CLOSED}
    assert all(number.split("-")[1] == "2012" for number in history.values_list("number", flat=True))
    for code in demo.MEMBERS:
        statuses = set(Case.objects.filter(organisation__code=code).values_list("status", flat=True))
        assert statuses == set(Status.values), code
    case = Case.objects.filter(statistics_consent=True, referral_consent=True).first()
    assert case.consents.filter(purpose="referral").exists()
    for child in Child.objects.all():
        assert child.full_name.endswith("(Demo)")
        assert not child.nik or child.nik.startswith("99") and len(child.nik) == 16
    numbers = list(Case.objects.values_list("number", flat=True))
    assert len(numbers) == len(set(numbers))
    from lindungi.core import policy

    shared = Case.objects.filter(shares__status="accepted").first()
    assert policy.in_scope(ctx.user("LPA", "supervisor"), "cases.case.view", shared)
    # The demo gives the caseworker something to do, and a new registration continues the numbering.
    caseworker = ctx.user("YKB", "caseworker")
    assert task_list(caseworker)
    from lindungi.cases.testing import register

    case = register(caseworker, full_name="Baru (Demo)", confirm_duplicate=True)
    assert case.number not in numbers
