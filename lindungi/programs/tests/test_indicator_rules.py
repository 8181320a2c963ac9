"""Indicator rules are data evaluated at read time: the computed actual follows the activities."""

import datetime
from decimal import Decimal

import pytest

from lindungi.core.errors import Conflict, DomainError
from lindungi.programs import services
from lindungi.programs.models import ActivityOutput, ActivityType, AgeGroup, StakeholderGroup
from lindungi.programs.selectors import indicator_progress, rule_value

D = datetime.date
pytestmark = pytest.mark.django_db


FEB_10 = D(2026, 2, 10)


def _activity(w, type_code="pelatihan", day=FEB_10, results=(), **extra):
    return services.activity_create(actor=w.program_a, data={
        "program": w.program_a_obj, "type": ActivityType.objects.get(code=type_code), "title": f"{type_code} {day}",
        "start_date": day, "end_date": day, "results": list(results), **extra})


def _people(w, activity, *rows):
    services.participants_set(actor=w.program_a, activity=activity, rows=[
        {"sex": sex, "age_group": AgeGroup.objects.get(code=age) if age else None,
         "stakeholder_group": StakeholderGroup.objects.get(code=group) if group else None, "count": n}
        for sex, age, group, n in rows])


def _youth_rule(w, **extra):
    return services.indicator_save(actor=w.program_a, result=w.result_a, data={
        "title_id": "Orang muda dalam pelatihan program ini", "measure": "count", "computation": "rule",
        "rule_metric": "participants", "rule_activity_types": [ActivityType.objects.get(code="pelatihan")],
        "rule_age_groups": [AgeGroup.objects.get(code="youth")], "by_sex": True, **extra})


def test_youth_participants_in_trainings_count_only_matching_cells(pw):
    indicator = _youth_rule(pw)
    training = _activity(pw)
    _people(pw, training, ("female", "youth", "youth", 7), ("male", "youth", "school", 5), ("female", "adult", "ngo", 9))
    workshop = _activity(pw, "workshop")
    _people(pw, workshop, ("female", "youth", "youth", 100))
    assert rule_value(indicator) == Decimal(12)
    assert rule_value(indicator, dimension="sex") == {"female": Decimal(7), "male": Decimal(5)}


def test_editing_and_deleting_an_activity_changes_the_computed_actual(pw):
    indicator = _youth_rule(pw)
    services.target_set(actor=pw.program_a, indicator=indicator, period_start=D(2026, 1, 1),
                        period_end=D(2026, 12, 31), value=Decimal(40))
    training = _activity(pw)
    _people(pw, training, ("female", "youth", "youth", 10))
    assert indicator_progress(indicator).periods[0].actual == Decimal(10)

    _people(pw, training, ("female", "youth", "youth", 10), ("male", "youth", "youth", 6))
    assert indicator_progress(indicator).periods[0].actual == Decimal(16)

    services.activity_update(actor=pw.program_a, activity=training, data={"start_date": D(2025, 6, 1),
                                                                           "end_date": D(2025, 6, 1)})
    progress = indicator_progress(indicator)
    assert progress.periods[0].actual == Decimal(0)  # moved out of the 2026 period
    assert not progress.periods[0].is_total
    assert progress.total.actual == Decimal(16)  # the whole program still counts it

    services.activity_update(actor=pw.program_a, activity=training, data={"type": ActivityType.objects.get(code="seminar")})
    assert rule_value(indicator) == Decimal(0)  # no longer a training

    services.activity_update(actor=pw.program_a, activity=training, data={"type": ActivityType.objects.get(code="pelatihan"),
                                                                           "start_date": D(2026, 3, 1),
                                                                           "end_date": D(2026, 3, 1)})
    assert rule_value(indicator, D(2026, 1, 1), D(2026, 12, 31)) == Decimal(16)
    services.activity_delete(actor=pw.program_a, activity=training)
    assert rule_value(indicator) == Decimal(0)


def test_cancelled_and_planned_activities_do_not_count(pw):
    indicator = _youth_rule(pw)
    training = _activity(pw)
    _people(pw, training, ("female", "youth", "youth", 8))
    services.activity_update(actor=pw.program_a, activity=training, data={"status": "cancelled"})
    assert rule_value(indicator) == Decimal(0)
    services.activity_update(actor=pw.program_a, activity=training, data={"status": "completed"})
    assert rule_value(indicator) == Decimal(8)


def test_result_scope_counts_activities_contributing_to_the_result_or_below_it(pw):
    child = services.result_save(actor=pw.program_a, program=pw.program_a_obj, data={
        "level": "output", "code": "1.1", "title_id": "Keluaran", "parent": pw.result_a})
    other = services.result_save(actor=pw.program_a, program=pw.program_a_obj, data={
        "level": "outcome", "code": "2", "title_id": "Hasil lain"})
    indicator = services.indicator_save(actor=pw.program_a, result=pw.result_a, data={
        "title_id": "Kegiatan", "measure": "count", "computation": "rule", "rule_metric": "activities",
        "rule_scope": "result"})
    before = rule_value(indicator)  # the world's training contributes to result_a
    _activity(pw, "audiensi", results=[child])
    _activity(pw, "audiensi", results=[other])
    _activity(pw, "audiensi", results=[pw.result_a, child])  # counted once
    assert rule_value(indicator) == before + 2


def test_reach_and_knowledge_gain_metrics(pw):
    reach = services.indicator_save(actor=pw.program_a, result=pw.result_a, data={
        "title_id": "Jangkauan radio", "measure": "count", "computation": "rule", "rule_metric": "reach",
        "rule_activity_types": [ActivityType.objects.get(code="talkshow-radio")]})
    show = _activity(pw, "talkshow-radio")
    services.part_add(actor=pw.program_a, activity=show, model=ActivityOutput,
                      data={"kind": "radio", "title": "Siaran", "reach": 5000})
    services.part_add(actor=pw.program_a, activity=show, model=ActivityOutput,
                      data={"kind": "online", "title": "Unggahan", "reach": 1200})
    assert rule_value(reach) == Decimal(6200)

    gain = services.indicator_save(actor=pw.program_a, result=pw.result_a, data={
        "title_id": "Peningkatan pengetahuan", "measure": "percentage", "computation": "rule",
        "rule_metric": "knowledge_gain", "rule_activity_types": [ActivityType.objects.get(code="pelatihan")]})
    _activity(pw, pretest_average=Decimal(40), posttest_average=Decimal(70), tested_count=10)  # +30
    _activity(pw, pretest_average=Decimal(50), posttest_average=Decimal(60), tested_count=30)  # +10
    assert rule_value(gain) == Decimal("15.0")  # (30*10 + 10*30) / 40


def test_knowledge_gain_is_computed_against_the_maximum_score(pw):
    activity = _activity(pw, test_max_score=Decimal(20), pretest_average=Decimal(8), posttest_average=Decimal(14))
    assert activity.knowledge_gain == Decimal("30.0")


def test_rule_validation(pw):
    with pytest.raises(DomainError) as error:
        services.indicator_save(actor=pw.program_a, result=pw.result_a, data={
            "title_id": "X", "measure": "qualitative", "computation": "rule", "rule_metric": "participants"})
    assert "computation" in error.value.fields
    with pytest.raises(DomainError):
        services.indicator_save(actor=pw.program_a, result=pw.result_a, data={
            "title_id": "X", "measure": "count", "computation": "rule", "rule_metric": ""})
    with pytest.raises(DomainError):  # knowledge gain is a percentage
        services.indicator_save(actor=pw.program_a, result=pw.result_a, data={
            "title_id": "X", "measure": "count", "computation": "rule", "rule_metric": "knowledge_gain"})


def test_actuals_cannot_be_entered_for_a_computed_indicator(pw):
    with pytest.raises(Conflict):
        services.actual_record(actor=pw.me_a, indicator=pw.rule_indicator_a, period_start=D(2026, 1, 1),
                               period_end=D(2026, 12, 31), value=Decimal(3), source="x")


def test_manual_progress_and_behind_target(pw):
    today = datetime.date.today()
    start, end = today - datetime.timedelta(days=300), today + datetime.timedelta(days=65)
    indicator = services.indicator_save(actor=pw.program_a, result=pw.result_a, data={
        "title_id": "Sekolah", "measure": "count"})
    services.target_set(actor=pw.program_a, indicator=indicator, period_start=start, period_end=end, value=Decimal(20))
    services.actual_record(actor=pw.me_a, indicator=indicator, period_start=start, period_end=end, value=Decimal(4),
                           source="Laporan")
    progress = indicator_progress(indicator)
    assert progress.current.actual == Decimal(4) and progress.current.progress == pytest.approx(0.2)
    assert progress.behind  # 20% achieved with ~82% of the period gone
    services.actual_record(actor=pw.me_a, indicator=indicator, period_start=start, period_end=end, value=Decimal(19),
                           source="Laporan")
    assert not indicator_progress(indicator).behind


def test_disaggregated_values_need_a_declared_dimension(pw):
    with pytest.raises(DomainError):
        services.target_set(actor=pw.program_a, indicator=pw.indicator_a, period_start=D(2026, 1, 1),
                            period_end=D(2026, 12, 31), value=Decimal(3), dimension="sex", category="female")
    services.indicator_save(actor=pw.program_a, result=pw.result_a, indicator=pw.indicator_a, data={"by_sex": True})
    services.target_set(actor=pw.program_a, indicator=pw.indicator_a, period_start=D(2026, 1, 1),
                        period_end=D(2026, 12, 31), value=Decimal(3), dimension="sex", category="female")
    services.actual_record(actor=pw.me_a, indicator=pw.indicator_a, period_start=D(2026, 1, 1),
                           period_end=D(2026, 12, 31), value=Decimal(2), source="x", dimension="sex", category="female")
    period = indicator_progress(pw.indicator_a).periods[0]
    rows = period.breakdown[0]["rows"]
    assert [(r["key"], r["target"], r["actual"]) for r in rows] == [("female", Decimal(3), Decimal(2))]
