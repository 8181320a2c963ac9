"""PostgreSQL only: an index for legal-case-number prefix search within an organisation.

Serves `legal.selectors.legal_case_list`'s number search (`number__startswith`, i.e.
`number LIKE 'LC-2026-0042%'`). See `cases` 0003_case_number_prefix_idx, which does the same for
case numbers."""

from django.db import migrations

INDEX = "legal_org_number_prefix_idx"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{INDEX}" ON "legal_legalcase" ("organisation_id", "number" varchar_pattern_ops)')


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f'DROP INDEX IF EXISTS "{INDEX}"')


class Migration(migrations.Migration):
    dependencies = [("legal", "0003_foreign_key_indexes_only_where_read")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
