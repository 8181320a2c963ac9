"""Database expressions the statistics need that Django does not ship."""

from __future__ import annotations

import json

from django.db.models import BooleanField, F, Func


class JSONArrayHas(Func):
    """`<json array column> contains <value>` as a boolean, on SQLite and PostgreSQL, so that a
    multi-valued code list (a case's concerns) can be counted per code with conditional
    aggregation in one GROUP BY query: `Count("pk", filter=Q(JSONArrayHas("concerns", "online")))`."""

    output_field = BooleanField()
    conditional = True

    def __init__(self, field: str, value: str):
        super().__init__(F(field))
        self.value = value

    def as_sql(self, compiler, connection, **extra):  # SQLite (and any engine with json_each)
        lhs, params = compiler.compile(self.source_expressions[0])
        # lhs is the compiled column reference; the value is a bound parameter.
        return f"EXISTS (SELECT 1 FROM json_each({lhs}) WHERE json_each.value = %s)", [*params, self.value]  # noqa: S608

    def as_postgresql(self, compiler, connection, **extra):
        lhs, params = compiler.compile(self.source_expressions[0])
        return f"({lhs} @> %s::jsonb)", [*params, json.dumps([self.value])]
