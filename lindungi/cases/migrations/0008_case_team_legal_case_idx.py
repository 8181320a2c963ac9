"""An index of the team members a legal case put on its victims' cases (`legal.services._common.
legal_team_rows`, read on every change of a legal case's officer or victims), which were found by a
scan of the whole team table. Partial: only active rows added through a legal case."""
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0007_foreign_key_indexes_only_where_read'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name='caseteammember',
            index=models.Index(condition=models.Q(('removed_at__isnull', True), ('source', 'legal')), fields=['legal_case_id'], name='case_team_legal_case_idx'),
        ),
    ]
