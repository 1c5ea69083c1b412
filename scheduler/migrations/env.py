"""Alembic's entry point, driven from code: ``scheduler.store`` hands over an open connection.

At start-up the store runs ``upgrade head`` inside its own transaction and passes the
connection in ``config.attributes["connection"]``, so no ``alembic.ini`` is needed.

A new migration is a new file in ``versions/`` shaped like ``script.py.mako``; the store's
tests fail if the migrated schema and ``scheduler.tables`` disagree.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection

from scheduler.tables import metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        # SQLite can only change a table by copying it: batch mode does that for us.
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def _main() -> None:
    connection = context.config.attributes.get("connection")
    if not isinstance(connection, Connection):
        raise RuntimeError(
            "the migrations run from scheduler.store, which passes an open connection"
        )
    _run(connection)


_main()
