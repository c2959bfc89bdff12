"""Audit rows cannot be changed or deleted, not even by the application's own database role.

On PostgreSQL a trigger refuses UPDATE and DELETE on the append-only tables (TRUNCATE, used only
by test and drill tooling, is a table-level operation and not affected). Other databases (the
SQLite of `make run`) rely on common.models.AppendOnlyModel alone.
"""

FUNCTION = """
CREATE OR REPLACE FUNCTION portal_forbid_audit_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION USING
        MESSAGE = 'audit rows of ' || TG_TABLE_NAME || ' cannot be changed or deleted',
        ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""


def protect(table: str):
    """A RunPython pair that adds (and removes) the trigger on `table`, on PostgreSQL only."""

    def forward(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute(FUNCTION)
        schema_editor.execute(
            f"CREATE TRIGGER {table}_immutable BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION portal_forbid_audit_change()"
        )

    def backward(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_immutable ON {table}")

    return forward, backward
