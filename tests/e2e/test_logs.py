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
from bot.standin import ChatDriver
from tests.e2e.capture import Keep, logging_as_in_a_run
from tests.e2e.conftest import Harness, choose_lessons, choose_reminders

TYPED = "I cried again last night and felt so embarrassed"
CRISIS = "It hurts every time and I feel unsafe"
PARTNER_QUESTION = "what do I say to her when she cries?"
SEARCHED = "after crying with my girlfriend"
NAME = "Marisol"
# Telegram-sized ids no log line could contain by chance.
PERSON = 731_948_206_555
GROUP = -1_009_876_543_210
GROUP_MEMBER = 618_273_645_501
BERLIN_20H = datetime(2026, 3, 23, 19, 0, tzinfo=UTC)


@pytest.fixture
def captured() -> Iterator[tuple[io.StringIO, Keep]]:
    """Logging as a real run sets it up, at DEBUG, with every record also kept raw."""
    with logging_as_in_a_run("DEBUG") as running:
        yield running


async def test_a_whole_conversation_leaves_no_text_name_id_or_token_in_the_logs(
    harness: Harness, captured: tuple[io.StringIO, Keep]
) -> None:
    out, keep = captured
    person = harness.person(chat_id=PERSON, first_name=NAME)
    await person.send("/start")
    await person.send(TYPED)
    await person.send(CRISIS)
    await person.send(PARTNER_QUESTION)
    await person.tap("Why this happens")
    await person.tap(person.last.labels[0])
    await choose_lessons(person)
    await choose_reminders(person, "07:45", harness.catalog.routines[0].name, zone="Europe/Berlin")
    await person.send("/lesson")
    await person.send("/techniques")
    await person.tap(person.last.labels[0])
    await person.inline_query(SEARCHED)
    await person.send("/export")
    await person.block()
    await person.unblock()
    group = ChatDriver(
        harness.app, harness.api, GROUP, chat_type="group", user_id=GROUP_MEMBER, first_name=NAME
    )
    await group.send("/start")
    harness.clock.set(BERLIN_20H)
    assert (await harness.tick()).sent == 1
    await person.send("/delete")
    await person.tap("Yes, erase it all")
    await person.tap("Remove recent messages")
    logging.getLogger("telegram.ext").debug("Processing update with text %s", TYPED)

    debug_lines = [r for r in keep.records if r.levelno == logging.DEBUG]
    project = ("bot.", "scheduler.", "lessons.")
    assert any(r.name.startswith(project) for r in debug_lines), "not a DEBUG run: proves nothing"
    secrets = [
        TYPED,
        CRISIS,
        PARTNER_QUESTION,
        SEARCHED,
        NAME,
        OFFLINE_TOKEN,
        *map(str, (PERSON, GROUP, GROUP_MEMBER)),
    ]
    secrets.append(str(abs(GROUP)))
    assert not keep.leaks(*secrets)
    lines = out.getvalue().splitlines()
    assert lines and all(json.loads(line)["message"] for line in lines)
    assert not any(secret in line for line in lines for secret in secrets)


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
