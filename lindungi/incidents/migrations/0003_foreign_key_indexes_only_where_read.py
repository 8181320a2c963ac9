"""The same as `cases` 0007_foreign_key_indexes_only_where_read, for this app's tables."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from lindungi.core.migration_operations import DropForeignKeyIndex


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0001_initial'),
        ('cases', '0007_foreign_key_indexes_only_where_read'),
        ('geo', '0002_load_regions'),
        ('incidents', '0002_reference_lists'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        DropForeignKeyIndex(
            model_name='incident',
            name='created_by',
            field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        DropForeignKeyIndex(
            model_name='incident',
            name='district',
            field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='geo.region', verbose_name='district'),
        ),
        DropForeignKeyIndex(
            model_name='incident',
            name='organisation',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='accounts.organisation', verbose_name='organisation'),
        ),
        DropForeignKeyIndex(
            model_name='incident',
            name='regency',
            field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='geo.region', verbose_name='regency/city'),
        ),
        DropForeignKeyIndex(
            model_name='incidentcase',
            name='case',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='incident_links', to='cases.case'),
        ),
        DropForeignKeyIndex(
            model_name='incidentcase',
            name='incident',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='case_links', to='incidents.incident'),
        ),
        DropForeignKeyIndex(
            model_name='incidentnumbercounter',
            name='organisation',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='accounts.organisation'),
        ),
        DropForeignKeyIndex(
            model_name='incidenttype',
            name='incident',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='types', to='incidents.incident'),
        ),
        DropForeignKeyIndex(
            model_name='perpetrator',
            name='organisation',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='accounts.organisation'),
        ),
        migrations.RemoveIndex(
            model_name='perpetrator',
            name='perp_org_role_idx',
        ),
    ]
