"""A copied database tells nobody what a person answered: the course answers and the taps
under lessons are kept only sealed with the data key, and still read back, after a key
rotation too, in the course, in /privacy and in /export."""

from __future__ import annotations

import json
from pathlib import Path

import sqlalchemy as sa

from bot.standin import ChatDriver
from lessons.model import Track
from lessons.planner import ComesWith, Relationship, Verdict, Whose
from scheduler.crypto import DataKey
from scheduler.tables import course_answers, lesson_feedback
from tests.e2e.conftest import Harness
from tests.e2e.test_tailor import _answer, _opt_in, _profile

NEW_KEY = DataKey(bytes(range(60, 92)))
# Kept plainly, and no secret: who the row is, lesson ids and the track (both also in the
# delivery log and the course).
_PLAIN = {"subscriber_id", "lesson_id", "kept", "kept_track"}
# Every option id and verdict the bot can store: none may be readable in a stored row.
WORDS = [
    member.value.encode() for kind in (Whose, Relationship, ComesWith, Verdict) for member in kind
]


async def _stored(harness: Harness) -> list[bytes]:
    """Each answer and tap value as stored, as bytes; the lesson ids (not secret, and named
    in the delivery log anyway) are left out, as some contain an option word."""
    async with harness.services.store.transaction() as tx:
        values: list[bytes] = []
        for table in (course_answers, lesson_feedback):
            for row in (await tx._connection.execute(sa.select(table))).mappings():
                values.extend(
                    str(value).encode()
                    for column, value in row.items()
                    if column not in _PLAIN and value is not None
                )
        return values


def _readable(values: list[bytes]) -> list[bytes]:
    return [word for word in WORDS if any(word in value for value in values)]


def _files(harness: Harness) -> bytes:
    database = Path(str(harness.services.store._engine.url.database))
    parts = [database, Path(f"{database}-wal"), Path(f"{database}-shm")]
    return b"".join(part.read_bytes() for part in parts if part.exists())


async def _answer_and_tap(person: ChatDriver) -> int:
    """Answer the three questions and tap "not for me" under a lesson: that lesson's id."""
    await _opt_in(person)
    await _answer(person, "Mine", "Single", "Pain or discomfort")
    [lesson] = await person.send("/lesson")
    await person.tap_on(lesson.message_id, "Not for me")
    return lesson.message_id


async def _exported(person: ChatDriver) -> tuple[tuple[str, str, str], list[str]]:
    *_, document = await person.send("/export")
    data = json.loads(document.document_bytes or b"")
    [answers] = data["course_answers"]
    taps = [tap["verdict"] for tap in data["lesson_feedback"]]
    return (answers["whose"], answers["relationship"], answers["comes_with"]), taps


async def test_answers_and_taps_are_stored_only_sealed(
    harness: Harness, person: ChatDriver
) -> None:
    await _answer_and_tap(person)
    profile = await _profile(harness, person)
    assert (profile.answers.whose, profile.answers.relationship, profile.answers.comes_with) == (
        Whose.MINE,
        Relationship.SINGLE,
        ComesWith.PAIN,
    )
    assert list(profile.feedback.values()) == [Verdict.NOT_FOR_ME]
    stored = await _stored(harness)
    assert len(stored) >= 4  # three answers and one tap, all present
    assert _readable(stored) == []
    # The sealed answers are all one length: it cannot tell "pain" from "memories" either.
    assert len({len(value) for value in stored if value not in {b"True", b"False"}}) == 1
    if harness.services.store._engine.dialect.name == "sqlite":
        raw = _files(harness)
        catalog = harness.catalog
        lessons = [*catalog.tracks.values(), *catalog.collections.values()]
        names = [lesson.id for group in lessons for lesson in group] + [t.value for t in Track]
        ids = " ".join(names).encode()
        # Words no lesson id or track contains (those are stored plainly, and are no secret)
        # must be nowhere in the files, freed space included.
        absent = [word for word in WORDS if word not in ids]
        assert b"single" in absent and b"not-for-me" in absent
        assert [word for word in absent if word in raw] == []
    [shown] = await person.send("/privacy")
    assert "Whose tears: Mine" in shown.text and "Relationship: Single" in shown.text
    assert await _exported(person) == (("mine", "single", "pain"), ["not-for-me"])


async def test_a_key_rotation_keeps_the_answers_readable(
    harness: Harness, person: ChatDriver
) -> None:
    message_id = await _answer_and_tap(person)
    before = await _stored(harness)
    assert await harness.services.store.rotate_key(NEW_KEY) == 1
    after = await _stored(harness)
    assert _readable(after) == []
    # Every sealed value was sealed again (the flags and the empty order stay as they were).
    assert set(before) & set(after) <= {b"True", b"False"}
    profile = await _profile(harness, person)
    assert profile.answers.comes_with is ComesWith.PAIN
    assert list(profile.feedback.values()) == [Verdict.NOT_FOR_ME]
    assert await _exported(person) == (("mine", "single", "pain"), ["not-for-me"])
    # A tap again after the rotation is still the same tap: counted once.
    await person.tap_on(message_id, "Not for me")
    assert person.last_callback_answer is not None
    assert "Already noted" in (person.last_callback_answer.text or "")
