"""The backends a store tick is measured on: SQLite files, a loopback PostgreSQL."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import sqlalchemy as sa
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from benchmarks.delivery_bench.common import sqlite_url
from benchmarks.delivery_bench.population import Person, Rows, populate_postgres, populate_sqlite
from scheduler.store import database_url_from_setting

LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})


class Backend(Protocol):
    name: str

    def create(self, size: int) -> str: ...

    def populate(self, url: str, persons: Iterable[Person], rows: Rows) -> None: ...

    def drop(self, url: str) -> None: ...


@dataclass
class SqliteBackend:
    folder: Path
    name: str = "sqlite"

    def create(self, size: int) -> str:
        return sqlite_url(self.folder / f"store-{size}.db")

    def populate(self, url: str, persons: Iterable[Person], rows: Rows) -> None:
        populate_sqlite(Path(make_url(url).database or ""), persons, rows)

    def drop(self, url: str) -> None:
        # The WAL and shared-memory files go with the database.
        for suffix in ("", "-wal", "-shm"):
            Path(f"{make_url(url).database}{suffix}").unlink(missing_ok=True)


@dataclass
class PostgresBackend:
    """A fresh database per size on the given server, dropped afterwards: the run never
    touches the data of the database named in the URL."""

    admin_url: str
    name: str = "postgresql"

    def _admin(self, statement: str) -> None:
        async def run() -> None:
            engine = create_async_engine(
                database_url_from_setting(self.admin_url), isolation_level="AUTOCOMMIT"
            )
            try:
                async with engine.connect() as connection:
                    await connection.execute(sa.text(statement))
            finally:
                await engine.dispose()

        asyncio.run(run())

    def create(self, size: int) -> str:
        database = f"softlanding_bench_{os.getpid()}_{size}"
        self._admin(f'DROP DATABASE IF EXISTS "{database}"')
        self._admin(f'CREATE DATABASE "{database}"')
        url = make_url(self.admin_url).set(drivername="postgresql", database=database)
        return url.render_as_string(hide_password=False)

    def populate(self, url: str, persons: Iterable[Person], rows: Rows) -> None:
        asyncio.run(populate_postgres(url, persons, rows))

    def drop(self, url: str) -> None:
        self._admin(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)')


def loopback_postgres(url: str) -> str:
    """Refuse any server that is not on this machine: the run must not touch a network."""
    parsed = make_url(url)
    if parsed.get_backend_name() not in {"postgresql", "postgres"}:
        raise SystemExit("--postgres expects a postgresql:// URL")
    if parsed.host not in LOOPBACK:
        raise SystemExit("--postgres must name a server on 127.0.0.1, localhost or ::1")
    return url


def server_version(url: str) -> str:
    async def ask() -> str:
        engine = create_async_engine(database_url_from_setting(url))
        try:
            async with engine.connect() as connection:
                return str(await connection.scalar(sa.text("SHOW server_version")))
        finally:
            await engine.dispose()

    return f"{asyncio.run(ask())} (default settings), on 127.0.0.1"
