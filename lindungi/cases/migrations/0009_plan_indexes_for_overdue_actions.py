"""The caseworker's home reads the overdue actions of a caseworker's cases through case plan, goal and
action (cases.tasks): hundreds of index probes, each followed by a heap visit that is a random read
when cold. Indexes that also hold the columns the query needs let it read from the indexes alone;
each starts with its foreign key, whose own index it replaces (created first, then the old one
dropped with DropForeignKeyIndex, which leaves the constraints alone; see cases 0007)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from lindungi.core.migration_operations import DropForeignKeyIndex


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0002_organisation_deactivation'),
        ('cases', '0008_case_team_legal_case_idx'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name='caseplan',
            index=models.Index(fields=['case', 'status', 'id'], name='plan_case_status_idx'),
        ),
        migrations.AddIndex(
            model_name='caseplanaction',
            index=models.Index(fields=['goal', 'status', 'due_on'], name='plan_action_goal_idx'),
        ),
        migrations.AddIndex(
            model_name='caseplangoal',
            index=models.Index(fields=['plan', 'id'], name='plan_goal_plan_idx'),
        ),
        DropForeignKeyIndex(
            model_name='caseplan',
            name='case',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='plans', to='cases.case'),
        ),
        DropForeignKeyIndex(
            model_name='caseplanaction',
            name='goal',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='actions', to='cases.caseplangoal'),
        ),
        DropForeignKeyIndex(
            model_name='caseplangoal',
            name='plan',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='goals', to='cases.caseplan'),
        ),
    ]
