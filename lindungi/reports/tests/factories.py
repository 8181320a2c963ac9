"""Synthetic children and cases for statistics tests (direct model writes: fast, and independent
of the cases app's service signatures). Names are obviously fictional."""

from __future__ import annotations

import datetime
import itertools

from lindungi.cases.models import Case, Child

_numbers = itertools.count(1)


def make_case(org, *, name: str | None = None, birth: datetime.date | None = datetime.date(2008, 5, 1),
              sex="female", age=14, province="31", regency="31.71", concerns=("online",),
              registered=datetime.date(2012, 3, 1), consent=True, child=None, worker=None, nik="") -> Case:
    n = next(_numbers)
    if child is None:
        child = Child.objects.create(organisation=org, full_name=name or f"Anak Fiktif {n}", birth_date=birth,
                                     sex=sex, nik=nik)
    case = Case.objects.create(
        organisation=org, number=f"{org.code}-T-{n:05d}", child=child, source="hotline",
        legal_basis="guardian_consent", concerns=list(concerns), registered_on=registered, sex=sex, age_years=age,
        province_id=province, regency_id=regency, assigned_caseworker=worker,
    )
    if consent:
        Case.objects.filter(pk=case.pk).update(statistics_consent=True)
        case.statistics_consent = True
    return case
