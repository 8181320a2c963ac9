"""Foreign-key indexes: the database has exactly those the models ask for, and dropping one touches
nothing but its indexes."""

import pytest
from django.apps import apps
from django.db import connection, migrations, models
from django.db.migrations.loader import MigrationLoader
from django.test.utils import CaptureQueriesContext

from lindungi.core.migration_operations import DropForeignKeyIndex

LARGE_TABLE_APPS = ("cases", "incidents", "legal")


def _single_column_indexes(table: str) -> dict[str, list[str]]:
    """column -> names of the non-unique b-tree indexes on exactly that column."""
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
    found = {}
    for name, info in constraints.items():
        if (info["index"] and not info["unique"] and not info["primary_key"] and info.get("type") == models.Index.suffix
                and len(info["columns"]) == 1):
            found.setdefault(info["columns"][0], []).append(name)
    return found


@pytest.mark.django_db
def test_every_foreign_key_has_its_own_index_exactly_when_its_field_asks_for_one():
    wrong = []
    for app_label in LARGE_TABLE_APPS:
        for model in apps.get_app_config(app_label).get_models():
            declared = {index.name for index in model._meta.indexes}
            indexes = _single_column_indexes(model._meta.db_table)
            for field in model._meta.local_fields:
                if not field.is_relation:
                    continue
                own = [name for name in indexes.get(field.column, []) if name not in declared]
                if bool(own) != field.db_index:
                    wrong.append(f"{model._meta.label}.{field.name}: db_index={field.db_index}, indexes {own}")
    assert not wrong, "\n".join(wrong)


def _state_before(app_label: str, migration_name: str):
    loader = MigrationLoader(None, ignore_no_migrations=True)
    return loader.project_state((app_label, migration_name), at_end=False)


def _foreign_keys(table: str) -> set:
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
    return {(name, tuple(info["columns"]), info["foreign_key"]) for name, info in constraints.items()
            if info["foreign_key"]}


@pytest.mark.django_db(transaction=True)
def test_dropping_a_foreign_key_index_drops_only_the_index():
    """On a schema as it was before migration 0007 for this field (its index there), the operation
    runs DROP INDEX and nothing else: the foreign-key constraint stays as it was, unvalidated again."""
    state = _state_before("cases", "0007_foreign_key_indexes_only_where_read")
    old_model = state.apps.get_model("cases", "Consent")
    field = old_model._meta.get_field("recorded_by")
    assert field.db_index
    table = old_model._meta.db_table
    with connection.schema_editor() as editor:
        editor.execute(editor._create_index_sql(old_model, fields=[field]))  # as 0001 made it
    assert _single_column_indexes(table).get(field.column)
    constraints_before = _foreign_keys(table)

    new_field = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+", db_index=False)
    operation = DropForeignKeyIndex(model_name="consent", name="recorded_by", field=new_field)
    after = state.clone()
    operation.state_forwards("cases", after)
    try:
        with CaptureQueriesContext(connection) as queries, connection.schema_editor() as editor:
            operation.database_forwards("cases", editor, state, after)
    finally:
        indexes = _single_column_indexes(table).get(field.column, [])
        with connection.schema_editor() as editor:
            for name in indexes:  # whatever happened, leave the schema as the migrations made it
                editor.execute(editor._delete_index_sql(old_model, name))

    assert not indexes
    schema_changes = [q["sql"] for q in queries.captured_queries
                      if q["sql"].lstrip().upper().startswith(("ALTER", "CREATE", "DROP", "INSERT", "UPDATE"))]
    assert schema_changes and all(sql.upper().startswith("DROP INDEX") for sql in schema_changes), schema_changes
    assert _foreign_keys(table) == constraints_before
    assert after.apps.get_model("cases", "Consent")._meta.get_field("recorded_by").db_index is False


def test_the_operation_refuses_anything_but_a_foreign_key_losing_its_index():
    state = _state_before("cases", "0007_foreign_key_indexes_only_where_read")
    operation = DropForeignKeyIndex(model_name="consent", name="purpose", field=models.CharField(max_length=12))
    after = state.clone()
    operation.state_forwards("cases", after)
    with pytest.raises(ValueError, match="only a foreign key"):
        operation.database_forwards("cases", connection.schema_editor(collect_sql=True), state, after)


def test_it_describes_itself_for_sqlmigrate():
    operation = DropForeignKeyIndex(model_name="consent", name="case", field=models.IntegerField())
    assert operation.describe() == "Drop the own index of foreign key consent.case"
    assert isinstance(operation, migrations.AlterField)
