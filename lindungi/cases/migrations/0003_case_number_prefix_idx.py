"""PostgreSQL only: an index for case-number prefix search within an organisation.

Serves `cases.selectors.search_q` (`number__startswith`, i.e. `number LIKE 'SN02-2024%'`) on the
case list: the unique (organisation, number) index cannot serve LIKE under a non-C collation, so
PostgreSQL read every case of the organisation. `varchar_pattern_ops` compares byte-wise, which
LIKE prefixes need. SQLite has no operator classes (and its LIKE is not index-driven here): nothing
to do there."""

from django.db import migrations

INDEX = "case_org_number_prefix_idx"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{INDEX}" ON "cases_case" ("organisation_id", "number" varchar_pattern_ops)')


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f'DROP INDEX IF EXISTS "{INDEX}"')


class Migration(migrations.Migration):
    dependencies = [("cases", "0002_referral_waiting_sent_idx")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
