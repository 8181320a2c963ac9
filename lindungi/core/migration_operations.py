"""Migration operations for large tables.

`DropForeignKeyIndex` is Django's `AlterField` from `db_index=True` to `db_index=False` on a foreign
key, doing in the database only what that change needs: dropping the column's own indexes. Django's
`AlterField` also drops the foreign-key constraint and adds it again, which on PostgreSQL checks
every row of the table under a lock (a scan of millions of rows per field at national scale), and on
SQLite builds the whole table again. The model state changes exactly as with `AlterField`, so
`makemigrations` sees nothing left to do. Going backwards is Django's own `AlterField` (slow, rare).
"""

from __future__ import annotations

from django.db import migrations
from django.db.models import Index


class DropForeignKeyIndex(migrations.AlterField):
    def describe(self):
        return f"Drop the own index of foreign key {self.model_name}.{self.name}"

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        model = from_state.apps.get_model(app_label, self.model_name)
        if not self.allow_migrate_model(schema_editor.connection.alias, model):
            return
        old_field = model._meta.get_field(self.name)
        if not (old_field.is_relation and old_field.db_index) or self.field.db_index:
            raise ValueError(f"{self.model_name}.{self.name}: only a foreign key's own index is dropped here.")
        # The indexes `db_index=True` made: b-tree indexes on exactly this column (on PostgreSQL a
        # text key also has its `_like` pattern index), not those of the model's Meta.indexes. The
        # same selection as Django's `BaseDatabaseSchemaEditor._alter_field`.
        declared = {index.name for index in model._meta.indexes}
        for name in schema_editor._constraint_names(model, [old_field.column], index=True, unique=False,
                                                    primary_key=False, type_=Index.suffix, exclude=declared):
            schema_editor.execute(schema_editor._delete_index_sql(model, name))
