"""Fixtures shared by every room: a fresh, migrated store on each supported backend.

``store`` runs each test that uses it twice: on a SQLite file and on PostgreSQL. PostgreSQL
comes from ``SOFTLANDING_TEST_POSTGRES_URL`` (``.ci/run`` starts a throwaway server and sets
it). Without it the PostgreSQL runs are skipped locally, but fail when ``CI`` is set: CI
must prove both backends.

It also registers the Hypothesis profiles every property test runs under. ``ci`` (chosen
when ``CI`` is set) draws its examples from a seed fixed per test, so a CI run cannot turn
red by chance, and draws many of them, so it still means something. ``dev`` (otherwise)
draws fresh examples each run, fewer of them, to keep looking for cases nobody pinned; a
failure it finds prints how to reproduce it, and belongs in an ``@example``.
``--hypothesis-profile`` and ``--hypothesis-seed`` choose otherwise for one run.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from hypothesis import settings
from sqlalchemy.ext.asyncio import create_async_engine

from scheduler.store import Store, database_url_from_setting

POSTGRES_URL_VARIABLE = "SOFTLANDING_TEST_POSTGRES_URL"

# No deadline: the machine is shared, so a slow example says nothing about the code.
settings.register_profile(
    "ci", derandomize=True, max_examples=1000, deadline=None, database=None, print_blob=True
)
settings.register_profile("dev", max_examples=200, deadline=None, print_blob=True)
settings.load_profile("ci" if os.environ.get("CI") else "dev")


async def _empty_postgres(url: str) -> None:
    """Drop everything a previous test (or an aborted run) left behind, migrations included,
    so the store's own migration builds the schema from nothing."""
    engine = create_async_engine(url)
    try:
        async with engine.begin() as connection:
            await connection.execute(sa.text("DROP SCHEMA IF EXISTS public CASCADE"))
            await connection.execute(sa.text("CREATE SCHEMA public"))
    finally:
        await engine.dispose()


def _postgres_setting() -> str:
    setting = os.environ.get(POSTGRES_URL_VARIABLE)
    if setting:
        return setting
    reason = f"{POSTGRES_URL_VARIABLE} is not set, so PostgreSQL is not tested here"
    if os.environ.get("CI"):
        pytest.fail(f"{reason}; CI must test both backends (see .ci/run)", pytrace=False)
    pytest.skip(f"{reason}: start a server and set it (see .ci/run)")


_made: set[str] = set()


async def _own_database(setting: str) -> str:
    """The database this test process may empty at will. The suite runs in several worker
    processes (pytest-xdist), and each test drops the whole schema: workers sharing one
    database would erase each other's tables mid-test, so each worker gets its own, made on
    first use on the server the setting names."""
    url = sa.make_url(database_url_from_setting(setting))
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker:
        return url.render_as_string(hide_password=False)
    own = url.set(database=f"{url.database}_{worker}")
    if own.database not in _made:
        engine = create_async_engine(url, isolation_level="AUTOCOMMIT")
        try:
            async with engine.connect() as connection:
                exists = await connection.scalar(
                    sa.text("SELECT 1 FROM pg_database WHERE datname = :name"),
                    {"name": own.database},
                )
                if not exists:
                    await connection.execute(sa.text(f'CREATE DATABASE "{own.database}"'))
        finally:
            await engine.dispose()
        _made.add(str(own.database))
    return own.render_as_string(hide_password=False)


@pytest.fixture(params=["sqlite", "postgresql"])
async def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The URL of an empty database on one backend, ready for ``Store.open``."""
    if request.param == "sqlite":
        return database_url_from_setting(f"sqlite:///{tmp_path / 'store.db'}")
    url = await _own_database(_postgres_setting())
    await _empty_postgres(url)
    return url


@pytest.fixture
async def store(database_url: str) -> AsyncIterator[Store]:
    """A migrated, empty store; closed after the test."""
    opened = await Store.open(database_url)
    try:
        yield opened
    finally:
        await opened.close()
