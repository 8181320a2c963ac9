"""The caseworker foreign key's own single-column index is dropped (issue 7): the indexes
case_worker_status_idx (assigned_caseworker, status) and case_worker_id_idx (assigned_caseworker,
id) begin with the same column and serve every lookup by it, so this one only cost writes and
space. (Django drops and re-adds the foreign-key constraint around it: a scan of the cases.)"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0005_case_worker_id_idx'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name='case',
            name='assigned_caseworker',
            field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='assigned caseworker'),
        ),
    ]
