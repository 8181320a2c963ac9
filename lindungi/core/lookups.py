"""`field__any_of=[...]`: `__in` with the values sent as one array on PostgreSQL.

Scopes read a few hundred ids first (a caseworker's victims' legal cases, the incidents of their
cases) and then filter by them. As `IN (%s, %s, ...)` every id is a parameter of its own: Django
prepares and quotes each, the SQL grows by tens of kilobytes and PostgreSQL parses and plans each
element. `= ANY(%s)` sends the ids as one array parameter; the plan is the same (an index scan of
the array's elements). Elsewhere it is `__in`.
"""

from __future__ import annotations

from django.core.exceptions import EmptyResultSet
from django.db import models
from django.db.models.lookups import In


@models.UUIDField.register_lookup
class AnyOf(In):
    lookup_name = "any_of"

    def as_sql(self, compiler, connection):
        if connection.vendor != "postgresql" or not self.rhs_is_direct_value():
            return super().as_sql(compiler, connection)
        lhs_sql, lhs_params = self.process_lhs(compiler, connection)
        values = {value for value in self.rhs if value is not None}  # NULL is never equal to anything
        if not values:
            raise EmptyResultSet
        prepare = self.lhs.output_field.get_db_prep_value
        array = [prepare(value, connection, prepared=True) for value in values]
        return f"{lhs_sql} = ANY(%s)", (*lhs_params, sorted(array))
