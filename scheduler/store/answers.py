"""The course questions' answers and the taps under lessons (``scheduler.profile``).

Each answer and each tap is sealed with the data key (``DataKey.seal_text``), bound to its
column and its person, so a copied database tells nobody who said pain or memories, and an
answer moved to another row does not open there. ``answer_context`` and ``tap_context``
name those places for the key rotation and migration 0011."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from types import MappingProxyType
from typing import Any, TypeVar

import sqlalchemy as sa

from lessons.model import Track
from lessons.planner import Answers, ComesWith, Relationship, Verdict, Whose
from scheduler.crypto import DataKey
from scheduler.profile import Profile
from scheduler.store.connection import Connected
from scheduler.tables import course_answers, lesson_feedback

E = TypeVar("E", Whose, Relationship, ComesWith)
ANSWER_COLUMNS = ("whose", "relationship", "comes_with")


def answer_context(column: str, subscriber_id: int) -> str:
    return f"course_answers.{column}:{subscriber_id}"


def tap_context(subscriber_id: int, lesson_id: str) -> str:
    return f"lesson_feedback.verdict:{subscriber_id}:{lesson_id}"


class AnswerOperations(Connected):
    async def profile(self, subscriber_id: int) -> Profile:
        """The stored answers and taps, or an empty profile for someone never asked."""
        return (await self.profiles([subscriber_id]))[subscriber_id]

    async def profiles(self, subscriber_ids: Sequence[int]) -> dict[int, Profile]:
        """The profiles of many people in two statements, for a tick's batch of lessons."""
        found = {subscriber_id: Profile(subscriber_id) for subscriber_id in subscriber_ids}
        if not found:
            return found
        rows = await self._connection.execute(
            sa.select(course_answers).where(course_answers.c.subscriber_id.in_(found))
        )
        for row in rows.mappings():
            found[row["subscriber_id"]] = _profile_of(self._key, row)
        taps: dict[int, dict[str, Verdict]] = {}
        statement = sa.select(lesson_feedback).where(lesson_feedback.c.subscriber_id.in_(found))
        for row in (await self._connection.execute(statement)).mappings():
            person, lesson_id = row["subscriber_id"], row["lesson_id"]
            verdict = self._key.open_text(row["verdict"], tap_context(person, lesson_id))
            taps.setdefault(person, {})[lesson_id] = Verdict(verdict)
        for subscriber_id, feedback in taps.items():
            profile = found[subscriber_id]
            found[subscriber_id] = _with_feedback(profile, feedback)
        return found

    async def save_profile(self, profile: Profile) -> None:
        """Store the answers and the order's state; the taps are kept by ``set_feedback``."""
        values = _profile_values(self._key, profile)
        insert = self._insert(course_answers).values(values)
        changes = {key: insert.excluded[key] for key in values if key != "subscriber_id"}
        await self._connection.execute(
            insert.on_conflict_do_update(index_elements=["subscriber_id"], set_=changes)
        )

    async def set_feedback(self, subscriber_id: int, lesson_id: str, verdict: Verdict) -> bool:
        """Keep ``verdict`` as the tap under ``lesson_id``; False when it was already so, so
        a second tap on the same button counts once."""
        table = lesson_feedback
        current = await self._connection.execute(
            sa.select(table.c.verdict).where(
                table.c.subscriber_id == subscriber_id, table.c.lesson_id == lesson_id
            )
        )
        context = tap_context(subscriber_id, lesson_id)
        stored = current.scalar_one_or_none()
        if stored is not None and self._key.open_text(stored, context) == verdict.value:
            return False
        sealed = self._key.seal_text(verdict.value, context)
        values = {"subscriber_id": subscriber_id, "lesson_id": lesson_id, "verdict": sealed}
        insert = self._insert(table).values(values)
        await self._connection.execute(
            insert.on_conflict_do_update(
                index_elements=["subscriber_id", "lesson_id"], set_={"verdict": sealed}
            )
        )
        return True

    async def forget_answers(self, subscriber_id: int) -> None:
        """Clear the answers and every tap; the course and the lessons already sent stay."""
        await self._connection.execute(
            sa.update(course_answers)
            .where(course_answers.c.subscriber_id == subscriber_id)
            .values(whose=None, relationship=None, comes_with=None)
        )
        await self._connection.execute(
            sa.delete(lesson_feedback).where(lesson_feedback.c.subscriber_id == subscriber_id)
        )


def _profile_values(key: DataKey, profile: Profile) -> dict[str, object]:
    answers = profile.answers
    if any("," in lesson_id for lesson_id in profile.kept):
        raise ValueError("lesson ids are free of commas")
    chosen = {
        "whose": answers.whose,
        "relationship": answers.relationship,
        "comes_with": answers.comes_with,
    }
    person = profile.subscriber_id
    return {
        "subscriber_id": person,
        **{
            column: None
            if option is None
            else key.seal_text(option.value, answer_context(column, person))
            for column, option in chosen.items()
        },
        "asked": profile.asked,
        "standard": profile.standard,
        "kept": ",".join(profile.kept),
        "kept_track": None if profile.kept_track is None else profile.kept_track.value,
    }


def _profile_of(key: DataKey, row: Mapping[Any, Any]) -> Profile:
    kept: str = row["kept"]
    person: int = row["subscriber_id"]
    opened = {
        column: None
        if row[column] is None
        else key.open_text(row[column], answer_context(column, person))
        for column in ANSWER_COLUMNS
    }
    answers = Answers(
        whose=_option(Whose, opened["whose"]),
        relationship=_option(Relationship, opened["relationship"]),
        comes_with=_option(ComesWith, opened["comes_with"]),
    )
    return Profile(
        subscriber_id=row["subscriber_id"],
        answers=answers,
        asked=row["asked"],
        standard=row["standard"],
        kept=tuple(kept.split(",")) if kept else (),
        kept_track=None if row["kept_track"] is None else Track(row["kept_track"]),
    )


def _option(kind: type[E], value: str | None) -> E | None:
    # An option no longer offered reads as skipped, rather than failing the course.
    return kind(value) if value in {member.value for member in kind} else None


def _with_feedback(profile: Profile, feedback: dict[str, Verdict]) -> Profile:
    return replace(profile, feedback=MappingProxyType(feedback))
