"""Database triggers that make the audit tables append-only, on SQLite and PostgreSQL.

They stop the application (a bug, an injected query) from rewriting history; someone with the
database owner's rights can still drop them, which is what the hash chain and the signed
checkpoints are for.
"""

APPEND_ONLY_TABLES = ("audit_auditevent", "audit_auditcheckpoint")


def _sqlite_statements(table):
    return [
        f"CREATE TRIGGER IF NOT EXISTS {table}_no_update BEFORE UPDATE ON {table} "
        f"BEGIN SELECT RAISE(ABORT, 'audit trail is append-only'); END;",
        f"CREATE TRIGGER IF NOT EXISTS {table}_no_delete BEFORE DELETE ON {table} "
        f"BEGIN SELECT RAISE(ABORT, 'audit trail is append-only'); END;",
    ]


_PG_FUNCTION = """
CREATE OR REPLACE FUNCTION lindungi_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit trail is append-only';
END;
$$ LANGUAGE plpgsql;
"""


def _pg_statements(table):
    return [
        f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};",
        f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
        f"FOR EACH ROW EXECUTE FUNCTION lindungi_audit_append_only();",
        f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table};",
        f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
        f"FOR EACH STATEMENT EXECUTE FUNCTION lindungi_audit_append_only();",
    ]


def install(connection) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(_PG_FUNCTION)
            for table in APPEND_ONLY_TABLES:
                for statement in _pg_statements(table):
                    cursor.execute(statement)
        elif connection.vendor == "sqlite":
            for table in APPEND_ONLY_TABLES:
                for statement in _sqlite_statements(table):
                    cursor.execute(statement)
        else:  # pragma: no cover
            raise NotImplementedError(f"No append-only triggers for {connection.vendor}")


def uninstall(connection) -> None:
    """Only for `flush` in development/tests and for tamper tests that play the attacker."""
    with connection.cursor() as cursor:
        for table in APPEND_ONLY_TABLES:
            if connection.vendor == "postgresql":
                cursor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};")
                cursor.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table};")
            else:
                cursor.execute(f"DROP TRIGGER IF EXISTS {table}_no_update;")
                cursor.execute(f"DROP TRIGGER IF EXISTS {table}_no_delete;")
