"""The same as `cases` 0007_foreign_key_indexes_only_where_read, for this app's tables."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from lindungi.core.migration_operations import DropForeignKeyIndex


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0001_initial'),
        ('cases', '0007_foreign_key_indexes_only_where_read'),
        ('incidents', '0003_foreign_key_indexes_only_where_read'),
        ('legal', '0002_reference_lists'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        DropForeignKeyIndex(
            model_name='accompaniment',
            name='done_by',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='accompanied by'),
        ),
        DropForeignKeyIndex(
            model_name='accompaniment',
            name='organisation',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='accounts.organisation'),
        ),
        DropForeignKeyIndex(
            model_name='accompaniment',
            name='victim',
            field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='cases.case', verbose_name='child (case)'),
        ),
        DropForeignKeyIndex(
            model_name='appeal',
            name='defendant',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='appeals', to='legal.defendant'),
        ),
        DropForeignKeyIndex(
            model_name='appeal',
            name='organisation',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='accounts.organisation'),
        ),
        DropForeignKeyIndex(
            model_name='calendarfeed',
            name='user',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        DropForeignKeyIndex(
            model_name='charge',
            name='article',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='legal.lawarticle', verbose_name='article'),
        ),
        DropForeignKeyIndex(
            model_name='charge',
            name='legal_case',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='charges', to='legal.legalcase'),
        ),
        DropForeignKeyIndex(
            model_name='defendant',
            name='legal_case',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='defendants', to='legal.legalcase'),
        ),
        DropForeignKeyIndex(
            model_name='defendant',
            name='organisation',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='accounts.organisation'),
        ),
        DropForeignKeyIndex(
            model_name='hearing',
            name='accompanied_by',
            field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='accompanied by'),
        ),
        DropForeignKeyIndex(
            model_name='hearing',
            name='created_by',
            field=models.ForeignKey(db_index=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        DropForeignKeyIndex(
            model_name='hearing',
            name='legal_case',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='hearings', to='legal.legalcase'),
        ),
        DropForeignKeyIndex(
            model_name='hearing',
            name='organisation',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='accounts.organisation'),
        ),
        DropForeignKeyIndex(
            model_name='lawarticle',
            name='law',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='articles', to='legal.law', verbose_name='law'),
        ),
        DropForeignKeyIndex(
            model_name='legalcase',
            name='assigned_officer',
            field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='legal officer'),
        ),
        DropForeignKeyIndex(
            model_name='legalcase',
            name='created_by',
            field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        DropForeignKeyIndex(
            model_name='legalcase',
            name='organisation',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='accounts.organisation', verbose_name='organisation'),
        ),
        DropForeignKeyIndex(
            model_name='legalcase',
            name='police_unit_level',
            field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='legal.policeunitlevel', verbose_name='police unit level'),
        ),
        DropForeignKeyIndex(
            model_name='legalcase',
            name='stage',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='legal.stage', verbose_name='stage'),
        ),
        DropForeignKeyIndex(
            model_name='legalcaseincident',
            name='incident',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='legal_case_links', to='incidents.incident'),
        ),
        DropForeignKeyIndex(
            model_name='legalcaseincident',
            name='legal_case',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='incident_links', to='legal.legalcase'),
        ),
        DropForeignKeyIndex(
            model_name='legalcasenumbercounter',
            name='organisation',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='accounts.organisation'),
        ),
        DropForeignKeyIndex(
            model_name='legalcasevictim',
            name='case',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='legal_case_links', to='cases.case'),
        ),
        DropForeignKeyIndex(
            model_name='legalcasevictim',
            name='legal_case',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='victim_links', to='legal.legalcase'),
        ),
        DropForeignKeyIndex(
            model_name='protectionrequest',
            name='organisation',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='accounts.organisation'),
        ),
        DropForeignKeyIndex(
            model_name='protectionrequest',
            name='victim',
            field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='cases.case', verbose_name='child (case)'),
        ),
        DropForeignKeyIndex(
            model_name='restitution',
            name='defendant',
            field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='legal.defendant', verbose_name='against defendant'),
        ),
        DropForeignKeyIndex(
            model_name='restitution',
            name='organisation',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='accounts.organisation'),
        ),
        DropForeignKeyIndex(
            model_name='stageentry',
            name='legal_case',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='stage_entries', to='legal.legalcase'),
        ),
        DropForeignKeyIndex(
            model_name='stageentry',
            name='organisation',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='accounts.organisation'),
        ),
        DropForeignKeyIndex(
            model_name='stageentry',
            name='recorded_by',
            field=models.ForeignKey(db_index=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        DropForeignKeyIndex(
            model_name='stageentry',
            name='stage',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='legal.stage', verbose_name='stage'),
        ),
        DropForeignKeyIndex(
            model_name='verdict',
            name='defendant',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='verdicts', to='legal.defendant'),
        ),
        DropForeignKeyIndex(
            model_name='verdict',
            name='organisation',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='accounts.organisation'),
        ),
        migrations.RemoveIndex(
            model_name='accompaniment',
            name='legal_accomp_org_date_idx',
        ),
        migrations.RemoveIndex(
            model_name='defendant',
            name='legal_def_org_outcome_idx',
        ),
        migrations.RemoveIndex(
            model_name='hearing',
            name='legal_hearing_org_date_idx',
        ),
        migrations.RemoveIndex(
            model_name='legalcase',
            name='legal_org_trial_idx',
        ),
    ]
