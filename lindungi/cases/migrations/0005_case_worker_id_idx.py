"""An index of a caseworker's case ids (issue 7: the caseworker's home page).

Serves the ASSIGNED scope's case ids, `SELECT id FROM cases_case WHERE assigned_caseworker_id = %s`,
as a subquery of
- the victims lookup of `LegalCase.policy_q` (the legal calendar and the home page's hearings and
  deadlines): `legal_case_id … WHERE case_id = ANY(ARRAY(SELECT id … WHERE assigned_caseworker_id = %s))`;
- the tasks engine's referrals without response (`cases.tasks.task_list`):
  `… FROM cases_referral WHERE case_id IN (SELECT id … WHERE assigned_caseworker_id = %s) AND status = 'sent' …`.

At 1,000,000 cases a caseworker has some 4,400 cases; the plain foreign-key index gives their rows,
and PostgreSQL read each of them from the table only for its id (3,400 pages). With the id in the
index these are index-only scans: on a copy of the benchmark's cases, the referral query went from
6 ms to 1.5 ms and the victims lookup from 13 ms to 6 ms."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0004_case_list_status_province_idx'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='case',
            index=models.Index(fields=['assigned_caseworker', 'id'], name='case_worker_id_idx'),
        ),
    ]
