"""What an operator's logs hold after a whole conversation: events, and nothing about the
person but their internal id. Not what they typed, not their name, and never the token."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from bot import logs
from bot.app import OFFLINE_TOKEN
from tests.e2e.conftest import Harness

TYPED = "I cried again last night and felt so embarrassed"
NAME = "Marisol"
BERLIN_20H = datetime(2026, 3, 23, 19, 0, tzinfo=UTC)


class Keep(logging.Handler):
    """Every record that reaches the root logger, as it arrived."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture
def captured() -> Iterator[tuple[io.StringIO, Keep]]:
    """Logging as a real run sets it up, at DEBUG, with every record also kept raw."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    levels = {name: logging.getLogger(name).level for name in logs.CHATTY_LOGGERS}
    out, keep = io.StringIO(), Keep()
    logs.configure("DEBUG", "json", OFFLINE_TOKEN, stream=out)
    root.addHandler(keep)
    yield out, keep
    root.handlers[:] = handlers
    root.setLevel(level)
    for name, old in levels.items():
        logging.getLogger(name).setLevel(old)


def _everything(record: logging.LogRecord) -> str:
    args = record.args if isinstance(record.args, tuple) else (record.args,)
    return " ".join([str(record.msg), *map(str, args), record.exc_text or ""])


async def test_a_whole_conversation_leaves_no_text_name_or_token_in_the_logs(
    harness: Harness, captured: tuple[io.StringIO, Keep]
) -> None:
    out, keep = captured
    person = harness.person(chat_id=4242, first_name=NAME)
    await person.send("/start")
    await person.send(TYPED)
    await person.send("/daily")
    for label in ("For me", "Every day", "20:00", "Europe/Berlin"):
        await person.tap(label)
    await person.send("/lesson")
    harness.clock.set(BERLIN_20H)
    assert (await harness.tick()).sent == 1
    await person.send("/delete")
    logging.getLogger("telegram.ext").debug("Processing update with text %s", TYPED)

    assert keep.records, "nothing was logged at DEBUG: the scan would prove nothing"
    for record in keep.records:
        text = _everything(record)
        assert TYPED not in text
        assert NAME not in text
        assert OFFLINE_TOKEN not in text
    lines = out.getvalue().splitlines()
    assert lines and all(json.loads(line)["message"] for line in lines)
    assert not any(TYPED in line or NAME in line for line in lines)


def test_the_token_is_blanked_wherever_a_library_logs_it(
    captured: tuple[io.StringIO, Keep],
) -> None:
    out, _ = captured
    token = "123456789:AAEsecretsecretsecretsecretsecret"
    url = f"https://api.telegram.org/bot{token}/getUpdates"
    logging.getLogger("bot.test").warning("request to %s failed", url)
    try:
        raise ConnectionError(url)
    except ConnectionError:
        logging.getLogger("bot.test").exception("again")
    written = out.getvalue()
    assert token not in written and "secretsecret" not in written
    assert written.count(logs.REDACTED) == 2
    # One event, one line, even with a traceback.
    assert len(written.splitlines()) == 2


def test_text_lines_are_one_line_per_event() -> None:
    out = io.StringIO()
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    try:
        logs.configure("INFO", "text", None, stream=out)
        logging.getLogger("bot.test").info("subscriber %s opted in", 7)
        logging.getLogger("bot.test").debug("not at INFO")
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)
    [line] = out.getvalue().splitlines()
    assert line.endswith("INFO bot.test: subscriber 7 opted in")
