"""The data key: sealed chat ids open only with their key, the keyed hash finds them, and a
key file is written once, for this user only, and never shown in a log."""

from __future__ import annotations

import logging
import stat
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from scheduler.crypto import DataKey, DataKeyError, key_from_file, key_text, read_key_file

KEY = DataKey(bytes(range(32)))
OTHER = DataKey(bytes(range(1, 33)))
# Telegram's chat ids: up to 52 bits, negative for groups.
chat_ids = st.integers(min_value=-(2**52), max_value=2**52)


@given(chat_ids)
@example(0)
@example(-1_001_234_567_890)
def test_a_sealed_chat_id_opens_to_itself_and_shows_none_of_its_bytes(chat_id: int) -> None:
    sealed = KEY.seal(chat_id)
    assert KEY.open(sealed) == chat_id
    for form in (
        chat_id.to_bytes(8, "big", signed=True),
        chat_id.to_bytes(8, "little", signed=True),
    ):
        assert form not in sealed
    # A fresh nonce each time: two people's sealed ids cannot be compared for equality.
    assert KEY.seal(chat_id) != sealed


@given(chat_ids, chat_ids)
def test_the_keyed_hash_is_the_same_for_one_id_and_differs_between_ids_and_keys(
    one: int, other: int
) -> None:
    assert KEY.lookup(one) == KEY.lookup(one)
    assert (KEY.lookup(one) == KEY.lookup(other)) == (one == other)
    assert KEY.lookup(one) != OTHER.lookup(one)


def test_another_key_or_a_changed_byte_is_refused_not_read_as_another_number() -> None:
    sealed = KEY.seal(4242)
    with pytest.raises(DataKeyError, match="another"):
        OTHER.open(sealed)
    changed = bytearray(sealed)
    changed[-1] ^= 1
    with pytest.raises(DataKeyError):
        KEY.open(bytes(changed))
    with pytest.raises(DataKeyError):
        KEY.open(b"short")


def test_the_check_value_tells_keys_apart_and_reveals_no_subkey() -> None:
    assert KEY.check != OTHER.check
    assert KEY.check == DataKey(bytes(range(32))).check
    assert KEY.check not in KEY.lookup(1)


@pytest.mark.parametrize(
    "text",
    ["", "not a key", key_text(bytes(16)), key_text(bytes(33)), "é" * 44, key_text(bytes(32))[:-1]],
)
def test_text_that_is_not_a_key_is_refused_saying_what_a_key_is(text: str) -> None:
    with pytest.raises(DataKeyError, match="URL-safe base64"):
        DataKey.from_text(text)


def test_a_key_round_trips_through_its_text_and_hides_itself_in_repr() -> None:
    key, text = DataKey.generate()
    assert DataKey.from_text(f"  {text}\n").check == key.check
    assert text not in repr(key)


def test_the_first_use_writes_a_private_key_file_and_logs_where_once(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "keys" / "bot.key"
    with caplog.at_level(logging.INFO):
        first = key_from_file(path, "DATA_KEY_FILE")
        again = key_from_file(path, "DATA_KEY_FILE")
    assert first.check == again.check
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    [line] = [record.getMessage() for record in caplog.records]
    assert str(path) in line and "back it up" in line
    assert path.read_text().strip() not in caplog.text
    assert list(path.parent.iterdir()) == [path], "no temporary file is left behind"


def test_a_key_file_that_holds_no_key_is_named_in_the_error(tmp_path: Path) -> None:
    path = tmp_path / "bot.key"
    path.write_text("hello\n")
    with pytest.raises(DataKeyError, match=rf"DATA_KEY_FILE: {path} does not hold a data key"):
        read_key_file(path, "DATA_KEY_FILE")
    with pytest.raises(DataKeyError, match="cannot be read"):
        read_key_file(tmp_path / "missing.key", "DATA_KEY_FILE")
