"""Alembic environment: evkg passes an open connection in ``config.attributes``."""

from __future__ import annotations

from alembic import context

from evkg.store.schema import metadata

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - evkg always supplies one
    raise RuntimeError("run migrations through evkg.store.migrate.upgrade()")
context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
