"""The caseworker foreign key's own single-column index is dropped (issue 7): the indexes
case_worker_status_idx (assigned_caseworker, status) and case_worker_id_idx (assigned_caseworker,
id) begin with the same column and serve every lookup by it, so this one only cost writes and
space. (Django drops and re-adds the foreign-key constraint around it: a scan of the cases.)

The index of migration 0004 (case_org_status_prov_reg_idx), which that migration created in SQL,
enters the model's state here first, unchanged in the database: SQLite alters a column by building
the table again from the model's state, and would otherwise lose it."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0005_case_worker_id_idx'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[
            migrations.AddIndex(
                model_name='case',
                index=models.Index(fields=['organisation', 'status', 'province', '-registered_on', '-number'],
                                   name='case_org_status_prov_reg_idx'),
            ),
        ]),
        migrations.AlterField(
            model_name='case',
            name='assigned_caseworker',
            field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='assigned caseworker'),
        ),
    ]
