"""A course that fits: the three questions at the first opt-in, the first week they give,
"helpful / not for me" under scheduled and on-demand lessons, the /settings page that
changes or forgets the answers, /daily's "why next", and the answers in /privacy, /export
and /delete."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import timedelta

import pytest

from bot.standin import ChatDriver
from lessons.model import Catalog, Lesson, Track
from lessons.planner import Answers, ComesWith, Relationship, Verdict, Whose, course_lessons
from lessons.telegram_html import plain_text
from scheduler.profile import Profile
from tests.e2e.conftest import Harness

WHOSE = {Whose.MINE: "Mine", Whose.PARTNER: "My partner's", Whose.BOTH: "Both of ours"}
RELATIONSHIP = {
    Relationship.PARTNERED: "Partnered",
    Relationship.DATING: "Dating",
    Relationship.SINGLE: "Single",
}
COMES_WITH = {
    ComesWith.EMOTION: "A wave of strong emotion",
    ComesWith.PAIN: "Pain or discomfort",
    ComesWith.MEMORIES: "Memories",
}
SKIP = "Skip this one"
NOT_SURE = "Not sure"


async def _opt_in(person: ChatDriver, course: str = "For me") -> None:
    await person.send("/daily")
    for label in (course, "Every day", "20:00", "Europe/Berlin"):
        await person.tap(label)


async def _answer(person: ChatDriver, *labels: str) -> list[str]:
    """Tap one label per question; what the bot said after each tap."""
    said = []
    for label in labels:
        [shown] = await person.tap(label)
        said.append(shown.text)
    return said


async def _profile(harness: Harness, person: ChatDriver) -> Profile:
    subscriber = await harness.services.store.find_subscriber(person.chat_id)
    assert subscriber is not None
    return await harness.services.store.profile(subscriber.id)


async def _read(person: ChatDriver, count: int) -> list[str]:
    """The titles of the next ``count`` lessons, read with /lesson."""
    titles = []
    for _ in range(count):
        [shown] = await person.send("/lesson")
        titles.append(shown.text.split("\n", 1)[0])
    return titles


def _answered(person: ChatDriver) -> str:
    """What the last tap's answer said (a pop-up notice on the phone)."""
    answer = person.last_callback_answer
    return "" if answer is None else answer.text or ""


def _titles(lessons: tuple[Lesson, ...]) -> list[str]:
    return [plain_text(lesson.title) for lesson in lessons]


def _catalog(harness: Harness) -> Catalog:
    return harness.catalog


# --- onboarding -----------------------------------------------------------------------------


async def test_the_first_opt_in_asks_three_skippable_questions_once(
    harness: Harness, person: ChatDriver
) -> None:
    await _opt_in(person)
    first = person.last
    assert "only change the order" in first.text and "can be skipped" in first.text
    assert first.labels == ["Mine", "My partner's", "Both of ours", NOT_SURE, SKIP]
    second, third, done = await _answer(person, "Mine", "Single", "Pain or discomfort")
    assert "partnered, dating or single" in second
    assert "what tends to come with them" in third
    assert "Whose tears: Mine" in done and "What comes with them: Pain or discomfort" in done
    profile = await _profile(harness, person)
    assert profile.answers == Answers(Whose.MINE, Relationship.SINGLE, ComesWith.PAIN)

    # Changing the schedule later asks nothing again.
    await person.send("/daily")
    await person.tap("Change")
    for label in ("For me", "Weekdays", "07:30", "Europe/Berlin"):
        replies = await person.tap(label)
    assert len(replies) == 1 and "All set" in replies[0].text


@pytest.mark.parametrize("question", ["whose", "relationship", "comes_with"])
async def test_each_option_of_each_question_is_stored_as_its_id(
    harness: Harness, question: str
) -> None:
    options = {"whose": WHOSE, "relationship": RELATIONSHIP, "comes_with": COMES_WITH}[question]
    for number, (option, label) in enumerate([*options.items(), (None, SKIP)], start=1):
        person = harness.person(2000 + number)
        await _opt_in(person)
        taps = {"whose": SKIP, "relationship": SKIP, "comes_with": SKIP} | {question: label}
        await _answer(person, taps["whose"], taps["relationship"], taps["comes_with"])
        answers = (await _profile(harness, person)).answers
        assert getattr(answers, question) == option


async def test_not_sure_is_kept_and_skipping_everything_keeps_the_usual_order(
    harness: Harness, person: ChatDriver
) -> None:
    await _opt_in(person)
    *_, done = await _answer(person, SKIP, SKIP, SKIP)
    assert "usual order" in done
    assert not (await _profile(harness, person)).answered
    standard = course_lessons(_catalog(harness), Track.SELF)
    assert await _read(person, 7) == _titles(standard[:7])

    other = harness.person(1002)
    await _opt_in(other)
    await _answer(other, NOT_SURE, NOT_SURE, NOT_SURE)
    answers = (await _profile(harness, other)).answers
    assert answers == Answers(Whose.NOT_SURE, Relationship.NOT_SURE, ComesWith.NOT_SURE)


async def test_an_answer_tapped_after_delete_stores_nobody(
    harness: Harness, person: ChatDriver
) -> None:
    await _opt_in(person)
    questions = person.last
    await person.send("/delete")
    await person.tap("Yes, erase it all")
    await person.tap_on(questions.message_id, "Mine")
    assert await harness.services.store.find_subscriber(person.chat_id) is None


# --- the first week -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("course", "taps"),
    [
        ("For me", ("Mine", "Partnered", "Pain or discomfort")),
        ("For me", ("Mine", SKIP, "Memories")),
        ("For me", ("Mine", "Single", SKIP)),
        ("For supporting my partner", ("My partner's", "Partnered", "Pain or discomfort")),
    ],
    ids=["pain", "memories", "single", "partner"],
)
async def test_the_first_week_follows_the_answers(
    harness: Harness, person: ChatDriver, course: str, taps: tuple[str, ...]
) -> None:
    catalog = _catalog(harness)
    await _opt_in(person, course)
    await _answer(person, *taps)
    profile = await _profile(harness, person)
    track = Track.PARTNER if course != "For me" else Track.SELF
    planned = course_lessons(catalog, track, profile.answers)
    week = await _read(person, 7)
    assert week == _titles(planned[:7])
    assert week != _titles(course_lessons(catalog, track)[:7])


async def test_pain_brings_comfort_and_help_into_the_first_days(
    harness: Harness, person: ChatDriver
) -> None:
    await _opt_in(person)
    await _answer(person, "Mine", "Partnered", "Pain or discomfort")
    week = await _read(person, 3)
    catalog = _catalog(harness)
    assert week[1:] == [
        plain_text(catalog.lesson("self-23-comfort-first").title),
        plain_text(catalog.lesson("self-28-who-can-help").title),
    ]


async def test_memories_bring_grounding_and_support_before_technique(
    harness: Harness, person: ChatDriver
) -> None:
    await _opt_in(person)
    await _answer(person, SKIP, SKIP, "Memories")
    catalog = _catalog(harness)
    week = await _read(person, 7)
    assert week[1] == plain_text(catalog.lesson("self-09-when-memories-stir").title)
    assert plain_text(catalog.lesson("self-12-pause-and-ground").title) in week
    assert plain_text(catalog.lesson("self-11-you-have-choices").title) not in week


async def test_a_single_person_starts_with_the_lesson_for_being_on_your_own(
    harness: Harness, person: ChatDriver
) -> None:
    await _opt_in(person)
    await _answer(person, "Mine", "Single", SKIP)
    week = await _read(person, 2)
    assert week[1] == plain_text(_catalog(harness).lesson("self-10-on-your-own-too").title)


async def test_a_partners_tears_bring_the_partner_lessons_first(
    harness: Harness, person: ChatDriver
) -> None:
    await _opt_in(person)
    await _answer(person, "My partner's", SKIP, SKIP)
    week = await _read(person, 3)
    catalog = _catalog(harness)
    assert week[1:] == [
        plain_text(catalog.lesson("partner-care-not-fix").title),
        plain_text(catalog.lesson("partner-comforting-words").title),
    ]


async def test_the_scheduled_lesson_follows_the_answers_too(
    harness: Harness, person: ChatDriver
) -> None:
    await _opt_in(person)
    await _answer(person, "Mine", "Partnered", "Pain or discomfort")
    await _read(person, 1)  # day one, on demand
    harness.clock.advance(timedelta(hours=10))  # past 20:00 in Berlin
    await harness.tick()
    comfort = _catalog(harness).lesson("self-23-comfort-first")
    assert plain_text(comfort.title) in person.last.text


# --- a change mid-course ----------------------------------------------------------------------


async def test_a_changed_answer_takes_effect_from_the_next_lesson_and_loses_none(
    harness: Harness, person: ChatDriver
) -> None:
    catalog = _catalog(harness)
    await _opt_in(person)
    await _answer(person, SKIP, SKIP, SKIP)
    first = await _read(person, 4)
    await person.send("/settings")
    await person.tap("Course questions")
    await person.tap("Change my answers")
    await _answer(person, "Mine", "Partnered", "Memories")
    standard = course_lessons(catalog, Track.SELF)
    rest = await _read(person, len(standard) - 4)
    assert first == _titles(standard[:4])
    assert rest[0] == plain_text(catalog.lesson("self-09-when-memories-stir").title)
    assert sorted(first + rest) == sorted(_titles(standard))  # nothing twice, nothing lost
    [finished] = await person.send("/lesson")
    assert "finished the course" in finished.text


async def test_forget_my_answers_clears_them_and_keeps_the_course(
    harness: Harness, person: ChatDriver
) -> None:
    await _opt_in(person)
    await _answer(person, "Mine", "Single", "Pain or discomfort")
    [lesson] = await person.send("/lesson")
    await person.tap_on(lesson.message_id, "Helpful")
    await person.send("/settings")
    [page] = await person.tap("Course questions")
    assert "Whose tears: Mine" in page.text
    [page] = await person.tap("Forget my answers")
    assert "forgotten" in page.text and "Whose tears: skipped" in page.text
    assert "usual order" in page.text
    assert page.labels == ["Change my answers"]  # nothing left to forget or to switch off
    profile = await _profile(harness, person)
    assert not profile.answered and not profile.feedback
    subscriber = await harness.services.store.find_subscriber(person.chat_id)
    assert subscriber is not None
    course = await harness.services.store.course(subscriber.id)
    assert course.active and course.position == 2
    standard = course_lessons(_catalog(harness), Track.SELF)
    assert await _read(person, 1) == _titles(standard[1:2])


# --- helpful / not for me ---------------------------------------------------------------------


async def test_helpful_and_not_for_me_under_an_on_demand_lesson(
    harness: Harness, person: ChatDriver
) -> None:
    await _opt_in(person)
    await _answer(person, SKIP, SKIP, SKIP)
    [lesson] = await person.send("/lesson")
    assert lesson.labels[1:3] == ["Helpful", "Not for me"]

    await person.tap_on(lesson.message_id, "Helpful")
    assert person.last_callback_answer is not None
    assert "Glad it helped" in (person.last_callback_answer.text or "")
    await person.tap_on(lesson.message_id, "Helpful")
    assert "Already noted" in (person.last_callback_answer.text or "")
    first = _catalog(harness).track(Track.SELF)[0]
    assert dict((await _profile(harness, person)).feedback) == {first.id: Verdict.HELPFUL}
    assert person.api.message(person.chat_id, lesson.message_id) == lesson  # left as it was


async def test_not_for_me_moves_similar_lessons_later_from_the_next_one(
    harness: Harness, person: ChatDriver
) -> None:
    catalog = _catalog(harness)
    await _opt_in(person)
    await _answer(person, SKIP, SKIP, SKIP)
    await _read(person, 1)
    [second] = await person.send("/lesson")  # day 2: tags normal, meaning
    await person.tap_on(second.message_id, "Not for me")
    assert "will come later" in (
        person.last_callback_answer.text if person.last_callback_answer else ""
    )
    [third] = await person.send("/lesson")
    standard = course_lessons(catalog, Track.SELF)
    assert plain_text(standard[2].title) not in third.text  # day 3 shares the tag "normal"
    assert plain_text(standard[3].title) in third.text


async def test_not_for_me_on_a_care_lesson_says_it_stays(
    harness: Harness, person: ChatDriver
) -> None:
    await _opt_in(person)
    await _answer(person, SKIP, SKIP, "Pain or discomfort")
    await _read(person, 1)
    [comfort] = await person.send("/lesson")
    await person.tap_on(comfort.message_id, "Not for me")
    answer = person.last_callback_answer
    assert answer is not None and "stay where they are" in (answer.text or "")
    [help_lesson] = await person.send("/lesson")
    assert plain_text(_catalog(harness).lesson("self-28-who-can-help").title) in help_lesson.text


async def test_helpful_under_a_scheduled_lesson_leads_the_review(
    harness: Harness, person: ChatDriver
) -> None:
    catalog = _catalog(harness)
    await _opt_in(person)
    await _answer(person, SKIP, SKIP, SKIP)
    harness.clock.advance(timedelta(hours=10))
    await harness.tick()
    scheduled = person.last
    first = catalog.track(Track.SELF)[0]
    assert plain_text(first.title) in scheduled.text
    await person.tap_on(scheduled.message_id, "Helpful")
    assert "Glad it helped" in (
        person.last_callback_answer.text if person.last_callback_answer else ""
    )

    # At the end of the course the lessons for later start with it.
    store = harness.services.store
    subscriber = await store.find_subscriber(person.chat_id)
    assert subscriber is not None
    last = len(course_lessons(catalog, Track.SELF))
    await store.save_course(replace(await store.course(subscriber.id), position=last + 1))
    await person.send("/lesson")
    await person.tap("Rest for now")
    [listing] = await person.tap("Lessons for later")
    assert listing.labels[0] == plain_text(first.title)
    assert "marked helpful come first" in listing.text
    [shown] = await person.tap(plain_text(first.title))
    assert shown.labels[:2] == ["Helpful", "Not for me"]  # on-demand, without "Next"
    await person.tap_on(shown.message_id, "Not for me")
    assert dict((await store.profile(subscriber.id)).feedback) == {first.id: Verdict.NOT_FOR_ME}


# --- honest about it --------------------------------------------------------------------------


async def test_daily_says_why_the_next_lesson_comes_next_and_one_tap_undoes_it(
    harness: Harness, person: ChatDriver
) -> None:
    catalog = _catalog(harness)
    await _opt_in(person)
    await _answer(person, "Mine", "Partnered", "Pain or discomfort")
    await _read(person, 1)
    [summary] = await person.send("/daily")
    comfort = catalog.lesson("self-23-comfort-first")
    assert f"Coming next: {plain_text(comfort.title)}" in summary.text
    assert "because you said pain or discomfort comes with the tears" in summary.text
    [page] = await person.tap("Use the usual order")
    assert "usual order" in page.text
    assert (await _profile(harness, person)).standard
    [summary] = await person.send("/daily")
    assert "Coming next" not in summary.text and "Use the usual order" not in summary.labels
    standard = course_lessons(catalog, Track.SELF)
    assert await _read(person, 1) == _titles(standard[1:2])
    await person.send("/settings")
    await person.tap("Course questions")
    await person.tap("Use the order from my answers")
    assert not (await _profile(harness, person)).standard


# --- privacy ----------------------------------------------------------------------------------


async def test_privacy_export_and_delete_cover_the_answers(
    harness: Harness, person: ChatDriver
) -> None:
    [before] = await person.send("/privacy")
    assert "none are kept" not in before.text  # nobody stored: nothing about them at all
    await _opt_in(person)
    await _answer(person, "Both of ours", "Dating", "Memories")
    [lesson] = await person.send("/lesson")
    await person.tap_on(lesson.message_id, "Not for me")

    [shown] = await person.send("/privacy")
    assert "Whose tears: Both of ours" in shown.text and "Relationship: Dating" in shown.text
    assert "not for me: 1" in shown.text

    *_, document = await person.send("/export")  # the file comes last
    data = json.loads(document.document_bytes or b"")
    [answers] = data["course_answers"]
    assert (answers["whose"], answers["relationship"], answers["comes_with"]) == (
        "both",
        "dating",
        "memories",
    )
    [tap] = data["lesson_feedback"]
    assert tap["verdict"] == "not-for-me"

    await person.send("/delete")
    await person.tap("Yes, erase it all")
    counts = await harness.services.store.rows_about(person.chat_id)
    assert counts["course_answers"] == 0 and counts["lesson_feedback"] == 0
    assert all(count == 0 for count in counts.values())


async def test_a_single_person_is_offered_the_version_for_one(
    harness: Harness, person: ChatDriver
) -> None:
    catalog = _catalog(harness)
    await _opt_in(person)
    await _answer(person, "Mine", "Single", SKIP)
    profile = await _profile(harness, person)
    planned = course_lessons(catalog, Track.SELF, profile.answers)
    with_solo = [index for index, lesson in enumerate(planned) if lesson.try_solo is not None]
    store = harness.services.store
    subscriber = await store.find_subscriber(person.chat_id)
    assert subscriber is not None
    course = await store.course(subscriber.id)
    await store.save_course(replace(course, position=with_solo[0] + 1))

    [on_demand] = await person.send("/lesson")
    lesson = planned[with_solo[0]]
    assert lesson.try_solo is not None
    assert f"Try this: {plain_text(lesson.try_solo)}" in on_demand.text
    assert plain_text(lesson.try_) not in on_demand.text

    await store.save_course(replace(await store.course(subscriber.id), position=with_solo[1] + 1))
    harness.clock.advance(timedelta(hours=10))
    await harness.tick()
    scheduled, later = person.last, planned[with_solo[1]]
    assert later.try_solo is not None and plain_text(later.try_solo) in scheduled.text
    assert plain_text(later.try_) not in scheduled.text
