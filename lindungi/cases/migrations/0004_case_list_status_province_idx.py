"""An index for the supervisor's case list filtered by status and province, and planner statistics
for the organisation/province/status columns.

Serves `cases.selectors.case_list` with `status` and `province` (the `/cases/?status=…&province=…`
page): its count (`COUNT(*) … WHERE organisation_id = %s AND status = %s AND province_id = %s`)
reads only the index (an index-only scan once the table is vacuumed) instead of every case of the
organisation, and its first page (`ORDER BY registered_on DESC, number DESC LIMIT 25`) is the first
25 entries of the same index range instead of a sort of every matching row. At 1,000,000 cases an
organisation holds ~150,000 cases, ~80 % of them closed: without it PostgreSQL fetched and
filtered all of them for the count.

The statistics object (PostgreSQL only) tells the planner that an organisation's cases lie in the
few provinces it works in: without it the planner multiplies the selectivities as if independent,
underestimates the rows by the number of provinces, and prefers the plain organisation index.

Written as SQL rather than in `Case.Meta.indexes` so that the model module stays untouched here;
the index and the statistics are created idempotently and dropped on reverse."""

from django.db import migrations

INDEX = "case_org_status_prov_reg_idx"
STATISTICS = "case_org_province_status_stats"


def create(apps, schema_editor):
    schema_editor.execute(
        f'CREATE INDEX IF NOT EXISTS "{INDEX}" ON "cases_case" '
        '("organisation_id", "status", "province_id", "registered_on" DESC, "number" DESC)')
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f'CREATE STATISTICS IF NOT EXISTS "{STATISTICS}" (dependencies, ndistinct) '
            'ON "organisation_id", "province_id", "status" FROM "cases_case"')


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f'DROP STATISTICS IF EXISTS "{STATISTICS}"')
    schema_editor.execute(f'DROP INDEX IF EXISTS "{INDEX}"')


class Migration(migrations.Migration):
    dependencies = [("cases", "0003_case_number_prefix_idx")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
