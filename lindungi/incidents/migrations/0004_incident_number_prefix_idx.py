"""PostgreSQL only: an index for incident-number prefix search within an organisation.

Serves `incidents.selectors.search_q` (`number__startswith`, i.e. `number LIKE 'IN-2026-0042%'`)
on the incident list, and the legal case list's search by incident number. The unique
(organisation, number) index cannot serve LIKE under a non-C collation; see `cases`
0003_case_number_prefix_idx, which does the same for case numbers."""

from django.db import migrations

INDEX = "incident_org_number_prefix_idx"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{INDEX}" ON "incidents_incident" ("organisation_id", "number" varchar_pattern_ops)')


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f'DROP INDEX IF EXISTS "{INDEX}"')


class Migration(migrations.Migration):
    dependencies = [("incidents", "0003_foreign_key_indexes_only_where_read")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
