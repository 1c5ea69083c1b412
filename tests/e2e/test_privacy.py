"""/privacy, /export, /delete and /stop."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import sqlalchemy as sa

from bot.context import BotContext
from bot.handlers.privacy import finish_owed_erases
from bot.standin import ChatDriver
from scheduler.erasures import FIRST_WAIT, LONGEST_WAIT
from tests.e2e.conftest import Harness
from tests.scheduler.test_erase_bytes import (
    cap_at_current_size,
    chat_id_forms,
    fill_the_disk_on_erase,
)


async def _subscribe(person: ChatDriver) -> None:
    await person.send("/daily")
    for label in ("For me", "Every day", "20:00", "Europe/Berlin"):
        await person.tap(label)


async def test_privacy_explains_what_is_kept(person: ChatDriver) -> None:
    [reply] = await person.send("/privacy")
    assert "never keeps what you type" in reply.text
    assert reply.labels == ["Send me my data", "Erase everything"]


async def test_export_sends_everything_as_json(harness: Harness, person: ChatDriver) -> None:
    [empty] = await person.send("/export")
    assert "Nothing is stored" in empty.text
    await _subscribe(person)
    [readable, document] = await person.send("/export")
    assert "Time zone: Europe/Berlin" in readable.text
    assert document.document_name == "soft-landing-my-data.json"
    data = json.loads(document.document_bytes or b"")
    assert data == json.loads(json.dumps(await harness.services.store.export(person.chat_id)))
    assert data["subscribers"][0]["timezone"] == "Europe/Berlin"


async def test_delete_asks_once_then_erases_every_row(harness: Harness, person: ChatDriver) -> None:
    await _subscribe(person)
    store = harness.services.store
    assert sum((await store.rows_about(person.chat_id)).values()) > 0
    [question] = await person.send("/delete")
    assert question.labels == ["Yes, erase it all", "No, keep it"]
    [done] = await person.tap("Yes, erase it all")
    assert "erased" in done.text and "48 hours" in done.text
    rows = await store.rows_about(person.chat_id)
    assert rows and all(count == 0 for count in rows.values()), rows


async def test_delete_can_be_declined(harness: Harness, person: ChatDriver) -> None:
    await _subscribe(person)
    await person.send("/delete")
    [kept] = await person.tap("No, keep it")
    assert "Nothing was erased" in kept.text
    assert await harness.services.store.find_subscriber(person.chat_id) is not None


async def test_delete_can_also_remove_recent_messages(harness: Harness, person: ChatDriver) -> None:
    await _subscribe(person)
    await person.send("/delete")
    await person.tap("Yes, erase it all")
    await person.tap("Remove recent messages")
    assert harness.api.messages(person.chat_id) == []
    answer = person.last_callback_answer
    assert answer is not None and "48 hours" in (answer.text or "")


async def test_a_stale_button_after_delete_is_answered_politely(
    harness: Harness, person: ChatDriver
) -> None:
    await person.send("/daily")
    [track_question] = await person.tap("For me")
    await person.send("/delete")
    await person.tap("Yes, erase it all")
    await person.tap_on(track_question.message_id, "Every day")
    answer = person.last_callback_answer
    assert answer is not None and "expired" in (answer.text or "")
    assert await harness.services.store.find_subscriber(person.chat_id) is None


async def test_stop_silences_everything_but_keeps_progress(
    harness: Harness, person: ChatDriver
) -> None:
    await _subscribe(person)
    store = harness.services.store
    subscriber = await store.find_subscriber(person.chat_id)
    assert subscriber is not None
    await person.send("/lesson")
    [reply] = await person.send("/stop")
    assert "stopped" in reply.text and "/delete" in reply.text
    assert "/daily picks your lessons up" in reply.text
    # No reminders were ever chosen, so there are none for /reminders to bring back.
    assert "/reminders" not in reply.text
    course = await store.course(subscriber.id)
    assert not course.active and course.next_due is None
    assert course.position == 2


async def test_delete_on_a_full_disk_says_it_did_not_happen_then_finishes_on_retry(
    harness: Harness, person: ChatDriver
) -> None:
    store = harness.services.store
    engine = store._engine
    if engine.dialect.name != "sqlite":
        pytest.skip("the full disk is simulated with SQLite's page cap")
    await _subscribe(person)
    before = await store.rows_about(person.chat_id)
    database_file = Path(str(engine.url.database))
    fill_the_disk_on_erase(database_file)
    sa.event.listen(engine.sync_engine, "connect", cap_at_current_size)
    await engine.dispose()  # the pooled connections had no cap

    await person.send("/delete")
    [unfinished] = await person.tap("Yes, erase it all")
    assert "Not erased yet" in unfinished.text
    assert "Done" not in unfinished.text
    assert unfinished.labels == ["Yes, erase it all", "No, keep it"]
    assert await store.rows_about(person.chat_id) == before

    # Room again on the disk: the same button finishes the job.
    sa.event.remove(engine.sync_engine, "connect", cap_at_current_size)
    await engine.dispose()
    [done] = await person.tap("Yes, erase it all")
    assert "Everything about you is erased" in done.text
    assert sum((await store.rows_about(person.chat_id)).values()) == 0


async def test_a_delete_that_failed_is_retried_by_itself_until_it_is_done(
    harness: Harness, person: ChatDriver
) -> None:
    """A full disk: the person is told it did not happen; the bot tries again with longer
    waits, says nothing while it keeps failing, and once there is room erases and says so
    in one message."""
    store = harness.services.store
    engine = store._engine
    if engine.dialect.name != "sqlite":
        pytest.skip("the full disk is simulated with SQLite's page cap")
    await _subscribe(person)
    before = await store.rows_about(person.chat_id)
    database_file = Path(str(engine.url.database))
    fill_the_disk_on_erase(database_file)
    sa.event.listen(engine.sync_engine, "connect", cap_at_current_size)
    await engine.dispose()

    await person.send("/delete")
    [unfinished] = await person.tap("Yes, erase it all")
    assert "Not erased yet" in unfinished.text and "keep trying" in unfinished.text
    said = len(harness.api.messages(person.chat_id))
    context = BotContext(harness.app)
    erases = context.erases
    assert person.chat_id in erases

    # Not due yet, then due while the disk is still full: tried, failed, nothing said.
    await finish_owed_erases(context)
    harness.clock.advance(FIRST_WAIT)
    await finish_owed_erases(context)
    assert await store.rows_about(person.chat_id) == before
    assert len(harness.api.messages(person.chat_id)) == said
    # It waits longer after each failure.
    assert erases.next_try(person.chat_id) == harness.clock.now() + 2 * FIRST_WAIT

    sa.event.remove(engine.sync_engine, "connect", cap_at_current_size)
    await engine.dispose()
    harness.clock.advance(2 * FIRST_WAIT)
    await finish_owed_erases(context)
    assert sum((await store.rows_about(person.chat_id)).values()) == 0
    assert person.chat_id not in erases
    messages = harness.api.messages(person.chat_id)
    [done] = messages[said:]
    assert "the erase you asked for has gone through" in done.text
    assert done.labels == ["Remove recent messages", "Leave them"]
    # The "not erased yet" buttons went: neither of them applies any more.
    old = harness.api.message(person.chat_id, unfinished.message_id)
    assert old is not None and old.labels == []
    # No byte of the person is left in the files, and nothing more is said.
    assert _chat_id_in_files(database_file, person.chat_id) == []
    harness.clock.advance(LONGEST_WAIT)
    await finish_owed_erases(context)
    assert len(harness.api.messages(person.chat_id)) == len(messages)


async def test_no_keep_it_after_a_failed_delete_calls_the_retry_off(
    harness: Harness, person: ChatDriver
) -> None:
    store = harness.services.store
    engine = store._engine
    if engine.dialect.name != "sqlite":
        pytest.skip("the full disk is simulated with SQLite's page cap")
    await _subscribe(person)
    fill_the_disk_on_erase(Path(str(engine.url.database)))
    sa.event.listen(engine.sync_engine, "connect", cap_at_current_size)
    await engine.dispose()
    await person.send("/delete")
    await person.tap("Yes, erase it all")
    [kept] = await person.tap("No, keep it")
    assert "Nothing was erased" in kept.text
    sa.event.remove(engine.sync_engine, "connect", cap_at_current_size)
    await engine.dispose()
    harness.clock.advance(LONGEST_WAIT)
    await finish_owed_erases(BotContext(harness.app))
    assert await store.find_subscriber(person.chat_id) is not None


def _chat_id_in_files(database_file: Path, chat_id: int) -> list[str]:
    parts = [database_file, Path(f"{database_file}-wal"), Path(f"{database_file}-shm")]
    raw = b"".join(part.read_bytes() for part in parts if part.exists())
    return [name for name, form in chat_id_forms(chat_id).items() if form in raw]
