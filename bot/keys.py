"""The data key at start-up and ``softlanding keys``: which key a run uses, making a new key,
and rotating the key of a database.

A run uses ``DATA_KEY``, or the key file ``DATA_KEY_FILE`` names, or without either the
default key file beside the data folder (``keys/softlanding.key`` for
``data/softlanding.db``); a key file that does not exist yet is written at the first start.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from pathlib import Path

from bot.settings import Settings
from scheduler.crypto import (
    DataKey,
    DataKeyError,
    key_from_file,
    read_key_file,
    replace_key_file,
    write_key_file,
)
from scheduler.store import Store, database_url_from_setting, default_key_file

PENDING_SUFFIX = ".new"
"""A rotation writes the new key beside the old one first; it takes its place once the
database holds the new key, so an interrupted rotation leaves both keys on disk."""


def key_file_of(settings: Settings, database_url: str) -> Path:
    """The key file a run on ``database_url`` uses when ``DATA_KEY`` is not set."""
    if settings.data_key_file is not None:
        return settings.data_key_file
    return default_key_file(database_url_from_setting(database_url))


def data_key_for(settings: Settings, database_url: str) -> DataKey:
    """The data key for a run: the one the settings read, or the key file's, written now if
    it does not exist (logged once, with where it is). DataKeyError says what is wrong."""
    if settings.data_key is not None:
        return settings.data_key
    return key_from_file(key_file_of(settings, database_url), "DATA_KEY_FILE")


def _from_environment(settings: Settings) -> bool:
    """Whether the key is ``DATA_KEY`` itself rather than a key file's (the settings read an
    existing ``DATA_KEY_FILE`` too, and refuse both at once)."""
    return settings.data_key is not None and settings.data_key_file is None


def pending_rotation(settings: Settings, database_url: str) -> Path | None:
    """The new key of a rotation that was interrupted after the database took it, if any."""
    if _from_environment(settings):
        return None
    pending = _pending(key_file_of(settings, database_url))
    return pending if pending.exists() else None


def _pending(path: Path) -> Path:
    return path.with_name(path.name + PENDING_SUFFIX)


@dataclass(frozen=True, slots=True)
class Rotated:
    people: int
    key_file: Path
    """Where the new key is now."""
    from_environment: bool
    """The old key came from DATA_KEY, which the operator must now change by hand."""


def rotate(settings: Settings, database_url: str, new_key_file: Path | None) -> Rotated:
    """Seal every chat id with a new key (read from ``new_key_file`` when it exists, else
    made now) and put the new key where the old one was kept.

    Safe against a stop at any point: the new key is on disk before the database commits
    to it, and the database commits all rows or none."""
    return asyncio.run(_rotate(settings, database_url, new_key_file))


async def _rotate(settings: Settings, database_url: str, new_key_file: Path | None) -> Rotated:
    from_environment = _from_environment(settings)
    old = settings.data_key or _existing_key(key_file_of(settings, database_url))
    if from_environment and new_key_file is None:
        raise DataKeyError(
            "DATA_KEY is set in the environment, so rotate cannot put the new key in its "
            "place: give --new-key-file FILE, and rotate writes the new key there"
        )
    new, new_text = _new_key(new_key_file)
    if from_environment:
        assert new_key_file is not None
        staged = target = new_key_file
    else:
        target = key_file_of(settings, database_url)
        staged = _pending(target)
        if staged.exists():
            raise DataKeyError(
                f"DATA_KEY_FILE: {staged} is left from a rotation that did not finish; if the "
                f"bot does not start with {target.name}, the database took the key in "
                f"{staged.name}: move it over {target.name}, then rotate again"
            )
        write_key_file(staged, new_text)
    store = await Store.open(database_url, old)
    try:
        people = await store.rotate_key(new)
    finally:
        await store.close()
    if staged != target:
        # One rename: the key file holds the old key or the new one, never neither.
        replace_key_file(staged, target)
    return Rotated(people, target, from_environment)


def _existing_key(path: Path) -> DataKey:
    if not path.exists():
        raise DataKeyError(
            f"DATA_KEY_FILE: there is no key file at {path}, so no key to rotate from; set "
            "DATA_KEY or DATA_KEY_FILE as the bot runs with"
        )
    return read_key_file(path, "DATA_KEY_FILE")


def _new_key(new_key_file: Path | None) -> tuple[DataKey, str]:
    """The key in ``new_key_file`` when it exists; else a new one, first written there when
    a file is named, so the new key is on disk before anything is sealed with it."""
    if new_key_file is not None and new_key_file.exists():
        key = read_key_file(new_key_file, "--new-key-file")
        return key, new_key_file.read_text(encoding="ascii").strip()
    key, text = DataKey.generate()
    if new_key_file is not None:
        write_key_file(new_key_file, text)
    return key, text


def rotated_report(rotated: Rotated) -> str:
    """What an operator must know and do after a rotation; never the key itself."""
    lines = [
        f"the chat ids and course answers of {rotated.people} people are now sealed with the "
        "new data key"
    ]
    if rotated.from_environment:
        lines.append(
            f"the new key is in {rotated.key_file}: set DATA_KEY to its contents (or unset "
            f"DATA_KEY and set DATA_KEY_FILE={rotated.key_file}) before the bot starts again; "
            "with the old DATA_KEY it will not start"
        )
    else:
        lines.append(f"the new key replaced the old one in {rotated.key_file}")
    lines.append(
        "back the new key up now, apart from the database; keep the old key only as long as "
        "you keep database backups made before this rotation"
    )
    return "\n".join(lines)
