"""Alembic environment: runs the revisions on the connection that `upgrade_to_head` passes in."""

from __future__ import annotations

from alembic import context

from labourlens.store.tables import metadata

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError(
        "labourlens migrations run from code: labourlens.store.migrations.upgrade_to_head(engine), "
        "or `labourlens db upgrade`."
    )

context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    transaction_per_migration=False,
)
with context.begin_transaction():
    context.run_migrations()
