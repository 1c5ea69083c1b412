"""The data key at the edge: DATA_KEY and DATA_KEY_FILE read once into the settings, a wrong
key stopping ``softlanding run`` with one clear line, and ``softlanding keys``."""

from __future__ import annotations

import asyncio
import logging
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot import cli
from bot.keys import data_key_for, key_file_of
from bot.settings import Settings, SettingsError
from scheduler.crypto import DataKey, read_key_file
from scheduler.store import Store
from tests.bot.test_startup import SETTINGS, TOKEN

PEOPLE = (0x0ABC_DEF0_1234, -0x0FED_CBA9_8765)


@pytest.fixture
def environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> pytest.MonkeyPatch:
    monkeypatch.chdir(tmp_path)
    for name in SETTINGS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", TOKEN)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'data' / 'bot.db'}")
    return monkeypatch


@pytest.fixture(autouse=True)
def restore_logging() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


def _settings(**environ: str) -> Settings:
    return Settings.from_environment(environ, dotenv=None)


def test_data_key_is_read_once_into_the_settings_and_never_shown() -> None:
    key, text = DataKey.generate()
    settings = _settings(DATA_KEY=text)
    assert settings.data_key is not None and settings.data_key.check == key.check
    assert text not in repr(settings)


@pytest.mark.parametrize("value", ["secret-looking-but-wrong", "c2hvcnQ="])
def test_a_malformed_data_key_is_refused_naming_the_setting_not_the_value(value: str) -> None:
    with pytest.raises(SettingsError, match="DATA_KEY is not a data key; expected 32") as error:
        _settings(DATA_KEY=value)
    assert value not in str(error.value)


def test_a_key_file_is_read_when_it_exists_and_named_when_it_holds_no_key(tmp_path: Path) -> None:
    path = tmp_path / "bot.key"
    assert _settings(DATA_KEY_FILE=str(path)).data_key is None  # written at the first start
    key, text = DataKey.generate()
    path.write_text(text + "\n")
    read = _settings(DATA_KEY_FILE=str(path)).data_key
    assert read is not None and read.check == key.check
    path.write_text("not a key\n")
    with pytest.raises(SettingsError, match=rf"DATA_KEY_FILE: {path} does not hold a data key"):
        _settings(DATA_KEY_FILE=str(path))
    with pytest.raises(SettingsError, match="both set"):
        _settings(DATA_KEY=text, DATA_KEY_FILE=str(path))


def test_without_a_key_the_first_start_writes_one_beside_the_data_folder(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'data' / 'bot.db'}"
    settings = _settings(DATABASE_URL=url)
    path = key_file_of(settings, url)
    assert path == tmp_path / "keys" / "bot.key"
    key = data_key_for(settings, url)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert data_key_for(settings, url).check == key.check


async def _stored(url: str, key: DataKey) -> None:
    store = await Store.open(url, key)
    try:
        for chat_id in PEOPLE:
            await store.ensure_subscriber(chat_id)
    finally:
        await store.close()


async def _found_with(url: str, key: DataKey) -> list[bool]:
    store = await Store.open(url, key)
    try:
        return [await store.find_subscriber(chat_id) is not None for chat_id in PEOPLE]
    finally:
        await store.close()


def test_a_wrong_key_stops_start_up_with_one_clear_line(
    environment: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'data' / 'bot.db'}"
    asyncio.run(_stored(url, DataKey.generate()[0]))
    _, other = DataKey.generate()
    environment.setenv("DATA_KEY", other)
    status = cli.main(["run"])
    err = capsys.readouterr().err
    assert status == 1
    last = err.strip().splitlines()[-1]
    assert last.startswith("DATA_KEY, DATA_KEY_FILE: this is not the data key")
    assert other not in err


def test_keys_rotate_replaces_the_key_file_and_everyone_is_found_with_the_new_key(
    environment: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'data' / 'bot.db'}"
    path = tmp_path / "keys" / "bot.key"
    old = data_key_for(_settings(DATABASE_URL=url), url)
    asyncio.run(_stored(url, old))

    assert cli.main(["keys", "rotate"]) == 0
    out = capsys.readouterr().out
    assert "2 people" in out and str(path) in out and "back the new key up" in out
    new = read_key_file(path, "DATA_KEY_FILE")
    assert new.check != old.check
    assert path.read_text().strip() not in out
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert sorted(p.name for p in path.parent.iterdir()) == ["bot.key"]
    assert asyncio.run(_found_with(url, new)) == [True, True]


def test_keys_rotate_with_data_key_in_the_environment_writes_the_new_key_and_says_what_to_do(
    environment: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'data' / 'bot.db'}"
    old, old_text = DataKey.generate()
    asyncio.run(_stored(url, old))
    environment.setenv("DATA_KEY", old_text)
    assert cli.main(["keys", "rotate"]) == 1
    assert "give --new-key-file" in capsys.readouterr().err

    new_file = tmp_path / "new.key"
    assert cli.main(["keys", "rotate", "--new-key-file", str(new_file)]) == 0
    out = capsys.readouterr().out
    assert (
        f"set DATA_KEY to its contents (or unset DATA_KEY and set DATA_KEY_FILE={new_file})" in out
    )
    new = read_key_file(new_file, "--new-key-file")
    assert asyncio.run(_found_with(url, new)) == [True, True]


def test_keys_new_prints_a_fresh_key_each_time(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["keys", "new"]) == 0
    assert cli.main(["keys", "new"]) == 0
    first, second = capsys.readouterr().out.split()
    assert DataKey.from_text(first).check != DataKey.from_text(second).check


def test_keys_rotate_with_a_key_file_setting_rotates_that_file(
    environment: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'data' / 'bot.db'}"
    path = tmp_path / "secrets" / "data.key"
    environment.setenv("DATA_KEY_FILE", str(path))
    old = data_key_for(Settings.from_environment(dotenv=None), url)
    asyncio.run(_stored(url, old))
    assert cli.main(["keys", "rotate"]) == 0
    assert f"replaced the old one in {path}" in capsys.readouterr().out
    assert asyncio.run(_found_with(url, read_key_file(path, "DATA_KEY_FILE"))) == [True, True]


def test_a_rotation_cut_off_before_the_rename_is_named_at_start_up(
    environment: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """The database took the new key but the key file still holds the old one."""
    url = f"sqlite:///{tmp_path / 'data' / 'bot.db'}"
    path = tmp_path / "keys" / "bot.key"
    old = data_key_for(_settings(DATABASE_URL=url), url)
    asyncio.run(_stored(url, old))
    new, text = DataKey.generate()
    (tmp_path / "keys" / "bot.key.new").write_text(text + "\n")

    async def rotate_database_only() -> None:
        store = await Store.open(url, old)
        try:
            await store.rotate_key(new)
        finally:
            await store.close()

    asyncio.run(rotate_database_only())
    assert cli.main(["run"]) == 1
    last = capsys.readouterr().err.strip().splitlines()[-1]
    assert f"({path}.new holds the key of a rotation that did not finish)" in last
