"""Foreign keys keep an index of their own only where a query reads rows by that column alone
(issue 7; the rule and the reasons are in `cases/models/common.py` and beside each field). The others
were redundant with a declared index that starts with the same column, or served no query.
Declared indexes that no query uses are dropped too (the hearings', accompaniments' and defendants'
by organisation, approvals by organisation and status, perpetrators by role, legal cases by trial
date): every read of those rows goes through their case or legal case.

`DropForeignKeyIndex` drops only the indexes (on PostgreSQL with their `_like` pattern twins for
region codes): Django's `AlterField` would also drop and re-validate each foreign-key constraint,
a scan of every row under lock, for each of these fields."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from lindungi.core.migration_operations import DropForeignKeyIndex


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0001_initial'),
        ('cases', '0006_case_worker_fk_index_redundant'),
        ('geo', '0002_load_regions'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        DropForeignKeyIndex(
            model_name='approval',
            name='assessment',
            field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='cases.assessment'),
        ),
        DropForeignKeyIndex(
            model_name='approval',
            name='decided_by',
            field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        DropForeignKeyIndex(
            model_name='approval',
            name='organisation',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='accounts.organisation'),
        ),
        DropForeignKeyIndex(
            model_name='approval',
            name='plan',
            field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='cases.caseplan'),
        ),
        DropForeignKeyIndex(
            model_name='approval',
            name='requested_by',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        DropForeignKeyIndex(
            model_name='assessment',
            name='created_by',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        DropForeignKeyIndex(
            model_name='assessment',
            name='organisation',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='accounts.organisation'),
        ),
        DropForeignKeyIndex(
            model_name='attachment',
            name='organisation',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='accounts.organisation'),
        ),
        DropForeignKeyIndex(
            model_name='attachment',
            name='uploaded_by',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        DropForeignKeyIndex(
            model_name='caregiver',
            name='organisation',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='accounts.organisation'),
        ),
        DropForeignKeyIndex(
            model_name='case',
            name='created_by',
            field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        DropForeignKeyIndex(
            model_name='case',
            name='organisation',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='accounts.organisation', verbose_name='organisation'),
        ),
        DropForeignKeyIndex(
            model_name='case',
            name='supervisor',
            field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='supervisor'),
        ),
        DropForeignKeyIndex(
            model_name='case',
            name='transferred_to',
            field=models.ForeignKey(blank=True, db_index=False, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='cases.case'),
        ),
        DropForeignKeyIndex(
            model_name='caseevent',
            name='actor',
            field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        DropForeignKeyIndex(
            model_name='caseevent',
            name='case',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='events', to='cases.case'),
        ),
        DropForeignKeyIndex(
            model_name='caseevent',
            name='organisation',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='accounts.organisation'),
        ),
        DropForeignKeyIndex(
            model_name='casenumbercounter',
            name='organisation',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='accounts.organisation'),
        ),
        DropForeignKeyIndex(
            model_name='caseplan',
            name='created_by',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        DropForeignKeyIndex(
            model_name='caseplan',
            name='organisation',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='accounts.organisation'),
        ),
        DropForeignKeyIndex(
            model_name='caseplanaction',
            name='organisation',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='accounts.organisation'),
        ),
        DropForeignKeyIndex(
            model_name='caseplangoal',
            name='organisation',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='accounts.organisation'),
        ),
        DropForeignKeyIndex(
            model_name='caseshare',
            name='answered_by',
            field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        DropForeignKeyIndex(
            model_name='caseshare',
            name='approved_by',
            field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        DropForeignKeyIndex(
            model_name='caseshare',
            name='case',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='shares', to='cases.case'),
        ),
        DropForeignKeyIndex(
            model_name='caseshare',
            name='organisation',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='accounts.organisation'),
        ),
        DropForeignKeyIndex(
            model_name='caseshare',
            name='requested_by',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        DropForeignKeyIndex(
            model_name='caseshare',
            name='revoked_by',
            field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        DropForeignKeyIndex(
            model_name='caseshare',
            name='to_organisation',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='accounts.organisation', verbose_name='to organisation'),
        ),
        DropForeignKeyIndex(
            model_name='caseteammember',
            name='case',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='team', to='cases.case'),
        ),
        DropForeignKeyIndex(
            model_name='caseteammember',
            name='user',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        DropForeignKeyIndex(
            model_name='child',
            name='district',
            field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='geo.region', verbose_name='district'),
        ),
        DropForeignKeyIndex(
            model_name='child',
            name='organisation',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='accounts.organisation'),
        ),
        DropForeignKeyIndex(
            model_name='child',
            name='photo',
            field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='cases.attachment', verbose_name='photo'),
        ),
        DropForeignKeyIndex(
            model_name='child',
            name='province',
            field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='geo.region', verbose_name='province'),
        ),
        DropForeignKeyIndex(
            model_name='child',
            name='regency',
            field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='geo.region', verbose_name='regency/city'),
        ),
        DropForeignKeyIndex(
            model_name='consent',
            name='case',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='consents', to='cases.case'),
        ),
        DropForeignKeyIndex(
            model_name='consent',
            name='organisation',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='accounts.organisation'),
        ),
        DropForeignKeyIndex(
            model_name='consent',
            name='recorded_by',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        DropForeignKeyIndex(
            model_name='consent',
            name='withdrawn_recorded_by',
            field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        DropForeignKeyIndex(
            model_name='followup',
            name='done_by',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='done by'),
        ),
        DropForeignKeyIndex(
            model_name='followup',
            name='organisation',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='accounts.organisation'),
        ),
        DropForeignKeyIndex(
            model_name='referral',
            name='created_by',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        DropForeignKeyIndex(
            model_name='referral',
            name='organisation',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='accounts.organisation'),
        ),
        DropForeignKeyIndex(
            model_name='referral',
            name='provider',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='referrals', to='cases.serviceprovider', verbose_name='provider'),
        ),
        DropForeignKeyIndex(
            model_name='serviceprovider',
            name='organisation',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='accounts.organisation', verbose_name='maintained by'),
        ),
        DropForeignKeyIndex(
            model_name='serviceprovider',
            name='province',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='geo.region', verbose_name='province'),
        ),
        DropForeignKeyIndex(
            model_name='serviceprovider',
            name='regency',
            field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='geo.region', verbose_name='regency/city'),
        ),
        DropForeignKeyIndex(
            model_name='servicerecord',
            name='organisation',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='accounts.organisation'),
        ),
        DropForeignKeyIndex(
            model_name='servicerecord',
            name='provided_by',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='provided by'),
        ),
        migrations.RemoveIndex(
            model_name='approval',
            name='approval_org_status_idx',
        ),
    ]
