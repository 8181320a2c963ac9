import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lindungi.cases import selectors, services
from lindungi.cases.models import Case, Referral
from lindungi.cases.selectors import CaseFilters
from lindungi.cases.tasks import task_list
from lindungi.cases.testing import SCORES, make_provider, register

pytestmark = pytest.mark.django_db


def _list(user, **filters):
    return list(selectors.case_list(user=user, filters=CaseFilters(**filters)))


def test_caseworkers_see_their_cases_and_supervisors_their_organisations(w):
    mine = register(w.caseworker_a, full_name="Satu")
    theirs = register(w.supervisor_a, full_name="Dua", caseworker=w.caseworker2_a)
    other_org = register(w.caseworker_b, full_name="Tiga", province="18", regency=None)
    assert _list(w.caseworker_a) == [mine] or set(_list(w.caseworker_a)) == {mine}
    assert set(_list(w.caseworker2_a)) == {theirs}
    assert set(_list(w.supervisor_a)) == {mine, theirs}
    assert set(_list(w.supervisor_b)) == {other_org}
    assert _list(w.legal_a) == []
    for persona in ("program_a", "me_a", "viewer_a", "admin_a", "secretariat_admin", "secretariat_me"):
        assert _list(getattr(w, persona)) == []


def test_search_by_number_name_nik_and_birth_date(w, case_a):
    other = register(w.caseworker_a, full_name="Budi Santoso", birth_date=datetime.date(2011, 2, 3),
                     nik="9900000000000002")
    assert _list(w.supervisor_a, q=case_a.number) == [case_a]
    assert _list(w.supervisor_a, q="ANI  lestari") == [case_a]
    assert _list(w.supervisor_a, q="9912 3456 7890 1234") == [case_a]
    assert _list(w.supervisor_a, q="03-02-2011") == [other]
    assert _list(w.supervisor_a, q="2011-02-03") == [other]
    assert _list(w.supervisor_a, q="Ani") == []  # blind indexes match whole names only
    # Another organisation's search never finds A's children.
    assert _list(w.supervisor_b, q="Ani Lestari") == []
    assert _list(w.supervisor_b, q="9912345678901234") == []


def test_a_number_prefix_is_searched_as_a_number_and_a_full_name_only_by_its_blind_index(w, case_a):
    code = case_a.number.split("-")[0]
    year_prefix = case_a.number[:len(code) + 3]  # "ORGA-20"
    for text in (code, code.lower(), year_prefix):
        assert case_a in _list(w.supervisor_a, q=text), text
    # A text with a space cannot be a case number: only the name index is asked (no LIKE on the
    # number, which made PostgreSQL read every case of the organisation).
    sql = str(selectors.case_list(user=w.supervisor_a, filters=CaseFilters(q="Ani Lestari")).query)
    where = sql.split(" WHERE ", 1)[1].split(" ORDER BY ", 1)[0]
    assert '"number"' not in where and "LIKE" not in where.upper()
    assert "LIKE" in str(selectors.case_list(user=w.supervisor_a, filters=CaseFilters(q=code)).query).upper()


def test_filters_status_risk_region_dates_assignee(w, today):
    high = register(w.caseworker_a, full_name="Satu", risk_level="high", risk_reason="Ancaman")
    old = register(w.caseworker_a, full_name="Dua", registered_on=today - datetime.timedelta(days=40),
                   regency="31.72" if False else "31.71")
    lampung = register(w.supervisor_a, full_name="Tiga", province="18", regency=None, caseworker=w.caseworker2_a)
    services.case_transition(actor=w.caseworker_a, case=old, to="assessment")
    assert _list(w.supervisor_a, risk="high") == [high]
    assert _list(w.supervisor_a, status="assessment") == [old]
    assert _list(w.supervisor_a, province="18") == [lampung]
    assert set(_list(w.supervisor_a, regency="31.71")) == {high, old}
    assert _list(w.supervisor_a, registered_to=today - datetime.timedelta(days=1)) == [old]
    assert _list(w.supervisor_a, assigned_to=str(w.caseworker2_a.pk)) == [lampung]
    assert _list(w.caseworker_a, assigned_to="me", sort="registered")[0] == old
    assert _list(w.supervisor_a, overdue=True) == [old]  # assessment overdue (7 days by default)


def test_the_tasks_engine_finds_every_kind_of_overdue_work(w, today, settings):
    settings.LINDUNGI_CASES_ASSESSMENT_DUE_DAYS = 3
    long_ago = today - datetime.timedelta(days=30)
    assessment_late = register(w.caseworker_a, full_name="Satu", registered_on=long_ago)
    plan_late = register(w.caseworker_a, full_name="Dua", registered_on=long_ago)
    approval = services.assessment_submit(actor=w.caseworker_a, case=plan_late, assessment=services.assessment_save(
        actor=w.caseworker_a, case=plan_late, scores=SCORES, assessed_on=long_ago))
    services.approval_decide(actor=w.supervisor_a, approval=approval, approve=True)
    Case.objects.filter(pk=plan_late.pk).update(status_changed_on=long_ago)
    follow = register(w.caseworker_a, full_name="Tiga", registered_on=long_ago)
    services.follow_up_record(actor=w.caseworker_a, case=follow, type="call", date=long_ago,
                              next_date=today - datetime.timedelta(days=2))
    provider = make_provider(w.org_a)
    referral = services.referral_create(actor=w.caseworker_a, case=follow, provider=provider, service_type="uptd_ppa",
                                        sent_on=long_ago)
    fresh = register(w.caseworker_a, full_name="Empat")
    kinds = {(t.kind, t.case_id) for t in task_list(w.caseworker_a)}
    assert ("assessment_overdue", assessment_late.pk) in kinds
    assert ("case_plan_overdue", plan_late.pk) in kinds
    assert ("follow_up_overdue", follow.pk) in kinds
    assert ("referral_no_response", follow.pk) in kinds
    assert not any(case_id == fresh.pk for _kind, case_id in kinds)
    assert task_list(w.caseworker2_a) == []
    # A referral answered is no longer a task.
    services.referral_update(actor=w.caseworker_a, case=follow, referral=Referral.objects.get(pk=referral.pk),
                             status="accepted")
    assert ("referral_no_response", follow.pk) not in {(t.kind, t.case_id) for t in task_list(w.caseworker_a)}
    # The supervisor sees the organisation's tasks and what awaits their approval.
    pending = services.assessment_submit(actor=w.caseworker_a, case=assessment_late, assessment=services.assessment_save(
        actor=w.caseworker_a, case=assessment_late, scores=SCORES))
    supervisor_kinds = {(t.kind, t.case_id) for t in task_list(w.supervisor_a)}
    assert ("approval_pending", pending.case_id) in supervisor_kinds
    assert ("assessment_overdue", assessment_late.pk) in supervisor_kinds
    assert task_list(w.supervisor_b) == []


def test_tasks_due_the_same_day_at_the_same_risk_are_in_case_number_order(w, today):
    # Each kind is read by its own query, and cases registered the same day come in any order: the
    # tasks' order must not depend on either.
    long_ago = today - datetime.timedelta(days=10)
    first = register(w.caseworker_a, full_name="Satu", registered_on=long_ago)
    second = register(w.caseworker_a, full_name="Dua", registered_on=long_ago)
    services.referral_create(actor=w.caseworker_a, case=first, provider=make_provider(w.org_a),
                             service_type="uptd_ppa", sent_on=long_ago)
    tasks = [(t.kind, t.case_number, t.due_on) for t in task_list(w.caseworker_a)]
    due = today - datetime.timedelta(days=3)
    assert tasks == [("assessment_overdue", first.number, due), ("referral_no_response", first.number, due),
                     ("assessment_overdue", second.number, due)]


def test_the_tasks_engine_uses_a_fixed_number_of_queries(w, today, django_assert_max_num_queries):
    long_ago = today - datetime.timedelta(days=30)
    for index in range(12):
        register(w.caseworker_a, full_name=f"Anak {index}", registered_on=long_ago, nik="")
    with django_assert_max_num_queries(12):
        tasks = task_list(w.supervisor_a)
    assert len(tasks) == 12


def _queries(client, url) -> list[str]:
    """The page's queries, without the crypto app's key loads (keys created inside a test's
    transaction are not cached, by design; in production they are)."""
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return [q["sql"] for q in captured.captured_queries if "crypto_datakey" not in q["sql"]]


@pytest.mark.parametrize("api", [False, True])
def test_the_case_list_uses_a_fixed_number_of_queries(w, client_for, api):
    client = client_for(w.supervisor_a)
    url = reverse("cases-api:case-list") if api else reverse("cases:list")
    register(w.caseworker_a, full_name="Anak Pertama", nik="")
    client.get(url)  # the first request of a session writes its session records
    one = _queries(client, url)
    for index in range(20):
        register(w.caseworker_a, full_name=f"Anak {index}", nik="")
    many = _queries(client, url)
    assert len(many) == len(one), "\n".join(many)
    assert len(many) < 25


def _accepted_share(w, case, today):
    share = services.share_request(actor=w.caseworker_a, case=case, to_organisation=w.org_b, kind="share",
                                   reason="Anak pindah ke Lampung", expires_on=today + datetime.timedelta(days=30))
    services.share_approve(actor=w.supervisor_a, share=share)
    services.share_accept(actor=w.supervisor_b, share=share)
    return share


def _share_reads(sqls) -> int:
    return sum(1 for sql in sqls if 'FROM "cases_caseshare"' in sql)


def test_the_list_and_search_show_shared_cases_and_never_unshared_ones_of_another_organisation(w, case_a, today):
    kept = register(w.caseworker_a, full_name="Budi Santoso", nik="9900000000000002")
    share = _accepted_share(w, case_a, today)
    own_b = register(w.caseworker_b, full_name="Citra Dewi", province="18", regency=None)
    assert set(_list(w.supervisor_b)) == {case_a, own_b}
    assert _list(w.supervisor_b, q="Ani Lestari") == [case_a]
    assert _list(w.supervisor_b, q="9912345678901234") == [case_a]
    assert _list(w.supervisor_b, q="Budi Santoso") == []  # A's child, but no share opens that case
    assert _list(w.supervisor_b, q=kept.number) == []
    assert _list(w.caseworker_b, q="Ani Lestari") == [case_a]  # SHARED scope of B's caseworkers too
    # Each call reads the shares afresh: a revoked share closes the list and the search at once.
    services.share_revoke(actor=w.supervisor_a, share=share)
    assert _list(w.supervisor_b) == [own_b]
    assert _list(w.supervisor_b, q="Ani Lestari") == []


def test_a_search_reads_the_active_shares_once(w, case_a, today):
    _accepted_share(w, case_a, today)
    with CaptureQueriesContext(connection) as captured:
        assert _list(w.supervisor_b, q="Ani Lestari") == [case_a]
    assert _share_reads(q["sql"] for q in captured.captured_queries) == 1
    # Outside a selector call nothing is remembered: the next call reads them again.
    with CaptureQueriesContext(connection) as captured:
        assert _list(w.supervisor_b, q="Ani Lestari") == [case_a]
    assert _share_reads(q["sql"] for q in captured.captured_queries) == 1


def test_list_rows_read_only_the_listed_columns_and_exports_whole_rows(w, case_a):
    listed = str(selectors.case_list(user=w.supervisor_a).query)
    for column in ('"cases_case"."narrative"', '"cases_case"."source_details"', '"cases_child"."nik"',
                   '"cases_child"."birth_date"', '"accounts_user"."password"'):
        assert column not in listed, column
    for column in ('"cases_case"."number"', '"cases_child"."full_name"', '"accounts_user"."full_name"'):
        assert column in listed, column
    row = selectors.case_list(user=w.supervisor_a).get()
    assert (row.child.full_name, row.number, row.province.name) == ("Ani Lestari", case_a.number, case_a.province.name)
    exported = str(selectors.case_list(user=w.supervisor_a, action="cases.case.export").query)
    assert '"cases_case"."narrative"' in exported and '"cases_case"."source"' in exported


def test_the_list_filtered_by_status_and_province_has_an_index_for_its_count_and_page(w):
    with connection.cursor() as cursor:
        indexes = connection.introspection.get_constraints(cursor, Case._meta.db_table)
    columns = [spec["columns"] for spec in indexes.values() if spec["index"]]
    assert ["organisation_id", "status", "province_id", "registered_on", "number"] in columns


def test_the_list_with_shared_cases_uses_a_fixed_number_of_queries(w, client_for, today):
    client = client_for(w.supervisor_b)
    url = reverse("cases:list")
    register(w.caseworker_b, full_name="Citra Dewi", province="18", regency=None, nik="")
    _accepted_share(w, register(w.caseworker_a, full_name="Anak Bersama", supervisor=w.supervisor_a), today)
    client.get(url)  # the first request of a session writes its session records
    one = _queries(client, url)
    for index in range(5):
        register(w.caseworker_b, full_name=f"Anak B {index}", province="18", regency=None, nik="")
        _accepted_share(w, register(w.caseworker_a, full_name=f"Anak A {index}", supervisor=w.supervisor_a, nik=""),
                        today)
    many = _queries(client, url)
    assert 'class="badge">' in client.get(url).content.decode()  # shared rows are marked
    assert len(many) == len(one), "\n".join(many)


def test_task_links_are_the_case_pages_under_any_script_prefix(w, today):
    from django.urls import reverse, set_script_prefix

    case = register(w.caseworker_a, full_name="Lima", registered_on=today - datetime.timedelta(days=30))
    try:
        for prefix in ("/", "/lindungi/"):
            set_script_prefix(prefix)
            links = {t.url for t in task_list(w.caseworker_a) if t.case_id == case.pk}
            assert links == {reverse("cases:detail", args=[case.pk])}
            assert next(iter(links)).startswith(prefix)
    finally:
        set_script_prefix("/")


def _row_as_shown_by_the_case(case) -> dict:
    """What a list row shows, read from the Case instance (the way the page used to read it)."""
    region = case.regency.name if case.regency_id else (case.province.name if case.province_id else "")
    return {"pk": case.pk, "number": case.number, "organisation_id": case.organisation_id,
            "registered_on": case.registered_on, "status": case.status, "status_label": case.get_status_display(),
            "risk_level": case.risk_level, "child_name": case.child.full_name if case.child_id else None,
            "region_name": region, "caseworker_name": case.assigned_caseworker.full_name if case.assigned_caseworker_id
            else "", "url": reverse("cases:detail", args=[case.pk])}


def _row(row: selectors.CaseRow) -> dict:
    return {"pk": row.pk, "number": row.number, "organisation_id": row.organisation_id,
            "registered_on": row.registered_on, "status": row.status, "status_label": row.get_status_display(),
            "risk_level": row.risk_level, "child_name": row.child_name, "region_name": row.region_name,
            "caseworker_name": row.caseworker_name, "url": row.url}


def test_list_rows_show_what_the_cases_hold_in_the_same_order(w, case_a, today):
    # A shared case, a transferred case's stub (no child), an unassigned case without a regency.
    shared = register(w.caseworker_a, full_name="Budi Santoso", risk_level="high", risk_reason="Pelaku serumah (test)")
    share = services.share_request(actor=w.caseworker_a, case=shared, to_organisation=w.org_b, kind="share",
                                   reason="Anak pindah (test)", expires_on=today + datetime.timedelta(days=30))
    services.share_approve(actor=w.supervisor_a, share=share)
    services.share_accept(actor=w.supervisor_b, share=share)
    register(w.supervisor_a, full_name="Citra Dewi", regency=None, caseworker=None)
    transfer = services.share_request(actor=w.caseworker_a, case=case_a, to_organisation=w.org_b, kind="transfer",
                                      reason="Anak pindah (test)", expires_on=today + datetime.timedelta(days=30))
    services.share_approve(actor=w.supervisor_a, share=transfer)
    services.share_accept(actor=w.supervisor_b, share=transfer)
    register(w.caseworker_b, full_name="Dian Pratiwi", province="18", regency=None)

    seen = set()
    for user in (w.supervisor_a, w.supervisor_b, w.caseworker_a):
        for sort in ("-registered", "number", "risk"):
            listed = selectors.case_list(user=user, filters=CaseFilters(sort=sort))
            cases = list(Case.objects.filter(pk__in=[c.pk for c in listed]).select_related(
                "child", "assigned_caseworker", "province", "regency"))
            by_pk = {c.pk: c for c in cases}
            page = selectors.case_list(user=user, filters=CaseFilters(sort=sort))[:25]
            with CaptureQueriesContext(connection) as captured:
                rows = selectors.case_list_rows(page)
            # The page's rows in one query, whatever they show (data keys are read once and kept).
            assert len([q for q in captured.captured_queries if "crypto_datakey" not in q["sql"]]) == 1
            assert [r.pk for r in rows] == [c.pk for c in listed[:25]]
            assert [_row(r) for r in rows] == [_row_as_shown_by_the_case(by_pk[r.pk]) for r in rows]
            seen.update((r.child_name is None, r.caseworker_name == "", r.organisation_id != user.organisation_id)
                        for r in rows)
    # Every kind of row above was listed at least once.
    assert any(stub for stub, _, _ in seen) and any(nobody for _, nobody, _ in seen)
    assert any(shared_row for _, _, shared_row in seen)


def test_the_list_page_shows_the_rows(client, w, case_a):
    register(w.supervisor_a, full_name="Citra <Dewi>", regency=None, caseworker=None)
    client.force_login(w.supervisor_a)
    page = client.get(reverse("cases:list")).content.decode()
    assert "Ani Lestari" in page and "Citra &lt;Dewi&gt;" in page and "Citra <Dewi>" not in page
    assert f'href="{reverse("cases:detail", args=[case_a.pk])}"' in page
    assert case_a.province.name in page or case_a.regency.name in page


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's plans")
def test_the_overdue_plan_actions_are_read_through_the_plan_indexes(w, case_a, today):
    """The caseworker's home follows case -> plan -> goal -> action for each of hundreds of cases;
    the indexes that begin with each foreign key also hold what the query needs."""
    from lindungi.cases.models import CasePlanAction
    from lindungi.cases.testing import to_services

    case = to_services(case_a, w.caseworker_a, w.supervisor_a)
    CasePlanAction.objects.filter(goal__plan__case=case).update(due_on=today - datetime.timedelta(days=3))
    with CaptureQueriesContext(connection) as captured:
        kinds = {(t.kind, t.case_id) for t in task_list(w.caseworker_a)}
    assert ("action_overdue", case.pk) in kinds
    [sql] = [q["sql"] for q in captured.captured_queries if 'FROM "cases_caseplanaction"' in q["sql"]]
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a test table is too small to prefer an index
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        cursor.execute("EXPLAIN " + sql)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    for index in ("plan_case_status_idx", "plan_goal_plan_idx", "plan_action_goal_idx"):
        assert index in plan, plan
