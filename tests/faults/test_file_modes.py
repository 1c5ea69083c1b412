"""The SQLite database holds people's settings and progress: its folder, file and the
-wal and -shm files beside it are created for the bot's user only, whatever the umask."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from scheduler.store import Store


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def open_umask() -> Iterator[None]:
    """A umask that takes nothing away, so only the store's own choice of modes counts."""
    previous = os.umask(0)
    try:
        yield
    finally:
        os.umask(previous)


@pytest.mark.usefixtures("open_umask")
async def test_the_data_folder_and_database_files_are_private(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    database = folder / "softlanding.db"
    store = await Store.open(f"sqlite:///{database}")
    try:
        await store.ensure_subscriber(1001)  # a write, so the -wal and -shm files exist
        files = [database, Path(f"{database}-wal"), Path(f"{database}-shm")]
        assert all(file.is_file() for file in files)
        assert {file.name: _mode(file) for file in files} == {file.name: 0o600 for file in files}
        assert _mode(folder) == 0o700
    finally:
        await store.close()


@pytest.mark.usefixtures("open_umask")
async def test_an_existing_folder_is_left_as_it_is(tmp_path: Path) -> None:
    """DATABASE_URL may point into a shared folder: only what the store creates is its own."""
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o755)
    shared.chmod(0o755)
    store = await Store.open(f"sqlite:///{shared / 'bot.db'}")
    await store.close()
    assert _mode(shared) == 0o755
    assert _mode(shared / "bot.db") == 0o600
