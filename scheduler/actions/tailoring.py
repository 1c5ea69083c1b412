"""A course that fits the person: the three questions, "helpful / not for me" under a
lesson, forgetting the answers, and the standard order on request.

Only option ids are stored (``scheduler.profile``). Every change that reorders the course
first keeps the lessons already sent as its start (``course_plan.keep_what_was_sent``), so
it takes effect from the next lesson. Nobody is stored by any of these: a tap from before
``/delete`` is refused with ``Refusal.NOT_STORED``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum

from lessons.model import Catalog, Lesson, Purpose
from lessons.planner import (
    Answers,
    ComesWith,
    Planned,
    Relationship,
    Verdict,
    Whose,
    review_lessons,
)
from scheduler.actions.refusals import Refusal
from scheduler.course_plan import keep_what_was_sent, planned_at
from scheduler.model import Course
from scheduler.profile import Profile
from scheduler.store import Store, Transaction


class Question(StrEnum):
    WHOSE = "whose"
    RELATIONSHIP = "relationship"
    COMES_WITH = "comes_with"


QUESTIONS = tuple(Question)


@dataclass(frozen=True, slots=True)
class Tailoring:
    """The person's answers and taps, and the next lesson of their course with the reason
    for it (None past the end)."""

    profile: Profile
    course: Course
    next: Planned | None


@dataclass(frozen=True, slots=True)
class FeedbackTaken:
    verdict: Verdict
    counted: bool
    """False for a second tap giving the same verdict: it counts once."""
    care: bool
    """The lesson is a care lesson, which "not for me" never moves."""


async def first_time_asked(tx: Transaction, subscriber_id: int) -> bool:
    """Whether the questions are to be offered now: once, at the first opt-in."""
    profile = await tx.profile(subscriber_id)
    if profile.asked:
        return False
    await tx.save_profile(replace(profile, asked=True))
    return True


async def answer(
    store: Store, catalog: Catalog, chat_id: int, question: Question, option: str | None
) -> Profile | Refusal:
    """Keep one answer (None: skipped). The lessons already sent stay where they are."""
    async with store.transaction() as tx:
        found = await _person(tx, catalog, chat_id)
        if found is None:
            return Refusal.NOT_STORED
        course, profile = found
        answers = _with_answer(profile.answers, question, option)
        if answers != profile.answers:
            profile = await keep_what_was_sent(tx, catalog, course, profile)
            profile = replace(profile, answers=answers, asked=True)
            await tx.save_profile(profile)
        return profile


async def give_feedback(
    store: Store, catalog: Catalog, chat_id: int, lesson: Lesson, verdict: Verdict
) -> FeedbackTaken | Refusal:
    """ "Helpful" or "not for me" under ``lesson``; the last tap per lesson is kept."""
    async with store.transaction() as tx:
        found = await _person(tx, catalog, chat_id)
        if found is None:
            return Refusal.NOT_STORED
        course, profile = found
        care = Purpose.CARE in lesson.purpose
        if profile.feedback.get(lesson.id) is verdict:
            return FeedbackTaken(verdict, counted=False, care=care)
        await keep_what_was_sent(tx, catalog, course, profile)
        await tx.set_feedback(course.subscriber_id, lesson.id, verdict)
        return FeedbackTaken(verdict, counted=True, care=care)


async def forget_answers(store: Store, catalog: Catalog, chat_id: int) -> Tailoring | Refusal:
    """Clear the answers and the taps; the course goes on in the standard order from the
    next lesson."""
    async with store.transaction() as tx:
        found = await _person(tx, catalog, chat_id)
        if found is None:
            return Refusal.NOT_STORED
        course, profile = found
        await keep_what_was_sent(tx, catalog, course, profile)
        await tx.forget_answers(course.subscriber_id)
        return await _tailoring(tx, catalog, course)


async def use_standard_order(
    store: Store, catalog: Catalog, chat_id: int, *, standard: bool
) -> Tailoring | Refusal:
    """The standard order (answers kept but unused), or the order from the answers again.
    A second tap asks for what is already so and changes nothing."""
    async with store.transaction() as tx:
        found = await _person(tx, catalog, chat_id)
        if found is None:
            return Refusal.NOT_STORED
        course, profile = found
        if profile.standard != standard:
            profile = await keep_what_was_sent(tx, catalog, course, profile)
            await tx.save_profile(replace(profile, standard=standard))
        return await _tailoring(tx, catalog, course)


async def tailoring(store: Store, catalog: Catalog, chat_id: int) -> Tailoring | None:
    """What is stored and what comes next; None for someone not stored. Stores nobody."""
    async with store.transaction() as tx:
        found = await _person(tx, catalog, chat_id)
        return None if found is None else await _tailoring(tx, catalog, found[0])


async def lessons_to_review(store: Store, catalog: Catalog, chat_id: int) -> tuple[Lesson, ...]:
    """The lessons a finished course offers to come back to, the helpful ones first."""
    async with store.transaction() as tx:
        subscriber = await tx.find_subscriber(chat_id)
        if subscriber is None:
            return review_lessons(catalog)
        return review_lessons(catalog, (await tx.profile(subscriber.id)).feedback)


async def _person(tx: Transaction, catalog: Catalog, chat_id: int) -> tuple[Course, Profile] | None:
    subscriber = await tx.find_subscriber(chat_id)
    if subscriber is None:
        return None
    return await tx.course(subscriber.id), await tx.profile(subscriber.id)


async def _tailoring(tx: Transaction, catalog: Catalog, course: Course) -> Tailoring:
    profile = await tx.profile(course.subscriber_id)
    return Tailoring(profile, course, planned_at(catalog, course, profile))


def _with_answer(answers: Answers, question: Question, option: str | None) -> Answers:
    """``answers`` with one question answered by an option id (None: skipped)."""
    if question is Question.WHOSE:
        return replace(answers, whose=None if option is None else Whose(option))
    if question is Question.RELATIONSHIP:
        return replace(answers, relationship=None if option is None else Relationship(option))
    return replace(answers, comes_with=None if option is None else ComesWith(option))
