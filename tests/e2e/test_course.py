"""A course that feels like one: every lesson says where it stands, reading ahead is a
choice, the end is an end with three ways on, and a returning person is welcomed back with
their schedule, through the real Application on a moving clock."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.standin import BotMessage, ChatDriver
from lessons.model import Collection, Track
from lessons.planner import course_lessons
from lessons.telegram_html import plain_text
from scheduler.model import Course, Stage
from tests.e2e.conftest import Harness, choose_lessons

BERLIN = ZoneInfo("Europe/Berlin")
FIRST_DAY = date(2026, 3, 23)  # the harness clock's Monday
WEEKLY = "A lesson a week to look back on"


def berlin(day: date, at: time = time(20, 0)) -> datetime:
    return datetime.combine(day, at, tzinfo=BERLIN).astimezone(UTC)


def day(number: int) -> date:
    """The local date of the ``number``th lesson, every day from the harness's Monday."""
    return FIRST_DAY + timedelta(days=number - 1)


async def tick_at(harness: Harness, instant: datetime) -> list[BotMessage]:
    """What the person received from one tick at ``instant``."""
    before = len(harness.api.outgoing)
    harness.clock.set(instant)
    await harness.tick()
    return [m for m in harness.api.outgoing[before:] if not m.edited]


async def course_of(harness: Harness, person: ChatDriver) -> Course:
    store = harness.services.store
    subscriber = await store.find_subscriber(person.chat_id)
    assert subscriber is not None
    return await store.course(subscriber.id)


def ui(harness: Harness, key: str, **values: object) -> str:
    return plain_text(harness.catalog.text(key, **values))


async def finish_by_schedule(harness: Harness, person: ChatDriver) -> int:
    """Opt in, then let the whole self course arrive day by day; the number of lessons."""
    await choose_lessons(person)
    total = len(course_lessons(harness.catalog, Track.SELF))
    for number in range(1, total + 2):
        await tick_at(harness, berlin(day(number)))
    return total


async def test_every_scheduled_lesson_says_where_it_stands_and_the_end_comes_once(
    harness: Harness, person: ChatDriver
) -> None:
    await choose_lessons(person)
    catalog = harness.catalog
    lessons = course_lessons(catalog, Track.SELF)
    for number, lesson in enumerate(lessons, start=1):
        [sent] = await tick_at(harness, berlin(day(number)))
        header, place, *_ = sent.text.splitlines()
        assert header == ui(harness, "delivery.lesson.header")
        assert place == f"Lesson {number} of {len(lessons)}"
        assert plain_text(lesson.title) in sent.text
        if number in (1, 15):
            # /daily tells the truth about the next one: its place, local day, time, zone.
            [summary] = await person.send("/daily")
            tomorrow = day(number + 1)
            when = f"{tomorrow:%A} {tomorrow.day} {tomorrow:%B}, 20:00 (Europe/Berlin)"
            assert f"Next: lesson {number + 1} of {len(lessons)}, {when}." in summary.text
    [note] = await tick_at(harness, berlin(day(len(lessons) + 1)))
    assert note.text.splitlines()[2] == ui(harness, "course.complete.self").splitlines()[0]
    assert note.labels == ["The partner course", WEEKLY, "Rest for now"]
    assert (await course_of(harness, person)).stage is Stage.FINISHED
    # Nothing more arrives on its own, however long the wait.
    for extra in range(2, 10):
        assert await tick_at(harness, berlin(day(len(lessons) + extra))) == []


async def test_the_place_sits_under_the_title_in_plain_mode_and_on_demand(
    harness: Harness, person: ChatDriver
) -> None:
    await choose_lessons(person)
    await person.send("/settings")
    await person.tap("Discreet previews: on")
    [sent] = await tick_at(harness, berlin(day(1)))
    first = course_lessons(harness.catalog, Track.SELF)[0]
    assert sent.text.splitlines()[:2] == [plain_text(first.title), "Lesson 1 of 32"]

    [on_demand] = await person.send("/lesson")
    assert on_demand.text.splitlines()[1] == "Lesson 2 of 32"


async def test_next_asks_first_and_waiting_keeps_the_schedule(
    harness: Harness, person: ChatDriver
) -> None:
    await choose_lessons(person)
    [first] = await tick_at(harness, berlin(day(1)))

    [question] = await person.tap_on(first.message_id, "Next lesson")
    assert question.text.startswith("Read lesson 2 of 32 now?")
    assert "Tuesday 24 March, 20:00 (Europe/Berlin)" in question.text
    assert question.labels == [
        "Yes, read it now",
        "Yes, and don't ask again this course",
        "No, I'll wait",
    ]
    assert (await course_of(harness, person)).position == 2  # nothing moved by asking

    [waited] = await person.tap_on(question.message_id, "No, I'll wait")
    assert waited.message_id == question.message_id
    assert waited.text == "Good. Lesson 2 of 32 arrives Tuesday 24 March, 20:00 (Europe/Berlin)."
    [second] = await tick_at(harness, berlin(day(2)))
    assert second.text.splitlines()[1] == "Lesson 2 of 32"


async def test_reading_ahead_once_then_for_the_course_and_the_schedule_sends_the_next_unread(
    harness: Harness, person: ChatDriver
) -> None:
    await choose_lessons(person)
    [first] = await tick_at(harness, berlin(day(1)))
    [question] = await person.tap_on(first.message_id, "Next lesson")
    [second] = await person.tap_on(question.message_id, "Yes, read it now")
    assert second.text.splitlines()[1] == "Lesson 2 of 32"

    # Asked again next time: "once" was only once.
    [again] = await person.tap_on(second.message_id, "Next lesson")
    assert again.text.startswith("Read lesson 3 of 32 now?")
    [third] = await person.tap_on(again.message_id, "Yes, and don't ask again this course")
    assert third.text.splitlines()[1] == "Lesson 3 of 32"
    # Remembered for this course: the next tap reads on without a question.
    [fourth] = await person.tap_on(third.message_id, "Next lesson")
    assert fourth.text.splitlines()[1] == "Lesson 4 of 32"

    # The schedule is not thrown off: the next unread lesson arrives at the usual time.
    [scheduled] = await tick_at(harness, berlin(day(2)))
    assert scheduled.text.splitlines()[1] == "Lesson 5 of 32"


async def test_without_a_schedule_next_reads_on_straight_away(
    harness: Harness, person: ChatDriver
) -> None:
    [first] = await person.send("/lesson")
    [second] = await person.tap_on(first.message_id, "Next lesson")
    assert second.text.splitlines()[1] == "Lesson 2 of 32"


async def test_a_finished_course_is_shown_as_finished_everywhere(
    harness: Harness, person: ChatDriver
) -> None:
    total = await finish_by_schedule(harness, person)

    [daily] = await person.send("/daily")
    assert daily.text.startswith(f"You have finished the course: all {total} lessons.")
    assert "No more lessons arrive on their own until you choose" in daily.text
    assert "paused" not in daily.text.lower()
    assert daily.labels == ["The partner course", WEEKLY, "Rest for now"]

    [settings] = await person.send("/settings")
    assert "You have finished the course" in settings.text
    assert "paused" not in settings.text.lower()
    assert "Resume lessons" not in settings.labels and "Pause lessons" not in settings.labels

    [welcome] = await person.send("/start")
    assert welcome.text.startswith("Welcome back.")
    assert "You have finished the course" in welcome.text
    assert "Nothing arrives on its own until you ask" not in welcome.text
    assert welcome.labels == ["The partner course", WEEKLY, "Rest for now", "Something to try now"]


async def test_after_a_stop_resuming_a_finished_course_never_repeats_its_note(
    harness: Harness, person: ChatDriver
) -> None:
    total = await finish_by_schedule(harness, person)
    await person.send("/stop")
    [daily] = await person.send("/daily")
    assert daily.text.startswith("You have finished the course")
    assert "Resume as before" not in daily.labels
    for extra in range(2, 6):
        assert await tick_at(harness, berlin(day(total + extra))) == []


async def test_the_weekly_review_arrives_once_a_week_at_the_same_day_and_time(
    harness: Harness, person: ChatDriver
) -> None:
    total = await finish_by_schedule(harness, person)
    [started] = await person.tap(WEEKLY)
    # The course ran Monday 23 March to Tuesday 21 April; the review keeps Monday 20:00.
    assert "Every Monday at 20:00 (Europe/Berlin)" in started.text
    assert "The first arrives Monday 27 April, 20:00 (Europe/Berlin)." in started.text

    catalog = harness.catalog
    kept, own = catalog.collection(Collection.MAINTENANCE), course_lessons(catalog, Track.SELF)
    received: list[BotMessage] = []
    for offset in range(1, 22):  # three weeks, one tick an evening
        sent = await tick_at(harness, berlin(day(total + 1) + timedelta(days=offset)))
        received += sent
        when = day(total + 1) + timedelta(days=offset)
        assert len(sent) == (1 if when.weekday() == 0 else 0)
    assert [m.text.splitlines()[1] for m in received] == [ui(harness, "progress.review")] * 3
    assert [m.text.splitlines()[0] for m in received] == [ui(harness, "delivery.review.header")] * 3
    # The course's welcome is for a newcomer: the review starts from its second lesson.
    titles = [kept[0].title, own[1].title, kept[1].title]
    assert not any(plain_text(own[0].title) in m.text for m in received)
    assert all(plain_text(t) in m.text for t, m in zip(titles, received, strict=True))
    assert "Next lesson" not in received[0].labels
    assert not any(ui(harness, "course.complete.self").splitlines()[0] in m.text for m in received)

    [daily] = await person.send("/daily")
    assert "A lesson a week to look back on, every Monday at 20:00 (Europe/Berlin)" in daily.text
    [settings] = await person.send("/settings")
    assert "A lesson a week to look back on, every Monday" in settings.text
    assert "Daily lessons are on" not in settings.text

    [ended] = await person.tap_on(received[-1].message_id, "End the weekly lessons")
    assert ended.text.startswith("The weekly lessons have ended, and no lesson arrives")
    assert await tick_at(harness, berlin(date(2026, 5, 18))) == []  # a Monday
    [after] = await person.send("/daily")
    assert after.text.startswith("You have finished the course")


async def test_the_partner_course_follows_on_the_same_schedule(
    harness: Harness, person: ChatDriver
) -> None:
    total = await finish_by_schedule(harness, person)
    [first] = await person.tap("The partner course")
    partner = course_lessons(harness.catalog, Track.PARTNER)
    assert first.text.splitlines()[1] == f"Lesson 1 of {len(partner)}"
    [second] = await tick_at(harness, berlin(day(total + 2)))
    assert second.text.splitlines()[1] == f"Lesson 2 of {len(partner)}"


async def test_rest_keeps_the_course_finished_and_offers_the_lessons_for_later(
    harness: Harness, person: ChatDriver
) -> None:
    total = await finish_by_schedule(harness, person)
    [rested] = await person.tap("Rest for now")
    assert rested.text.startswith("Resting, then.")
    # Reminders, if on, still come: the promise is about lessons only.
    assert "No more lessons arrive on their own" in rested.text
    assert "Nothing more arrives" not in rested.text
    assert rested.labels == ["Lessons for later"]
    assert await tick_at(harness, berlin(day(total + 3))) == []


async def test_start_for_someone_subscribed_welcomes_them_back_with_the_next_lesson(
    harness: Harness, person: ChatDriver
) -> None:
    await choose_lessons(person)
    [welcome] = await person.send("/start")
    assert welcome.text.startswith("Welcome back. Your daily lessons are set up.")
    assert "Next: lesson 1 of 32, Monday 23 March, 20:00 (Europe/Berlin)." in welcome.text
    assert "Nothing arrives on its own" not in welcome.text
    assert welcome.labels == ["Your lesson schedule", "Something to try now"]
    [summary] = await person.tap("Your lesson schedule")
    assert summary.labels == ["Change", "Stop daily lessons"]


async def test_stop_then_daily_offers_to_resume_as_before(
    harness: Harness, person: ChatDriver
) -> None:
    await choose_lessons(person, at="7:30")
    await tick_at(harness, berlin(day(2), time(7, 30)))
    await person.send("/stop")

    [welcome] = await person.send("/start")
    assert "Your place is kept, with lesson 2 of 32 next" in welcome.text
    assert welcome.labels == ["Resume as before", "Something to try now"]

    [offer] = await person.send("/daily")
    assert "Days: Every day\nTime: 07:30 (Europe/Berlin)\nNext: lesson 2 of 32." in offer.text
    assert offer.labels == ["Resume as before", "Change course, days or time"]
    [resumed] = await person.tap_on(offer.message_id, "Resume as before")
    assert "Lesson 2 of 32 arrives Wednesday 25 March, 07:30 (Europe/Berlin)." in resumed.text
    assert await person.tap_on(offer.message_id, "Resume as before") == []
    assert person.last_callback_answer is not None
    assert person.last_callback_answer.text == ui(harness, "progress.resume.already")
    [sent] = await tick_at(harness, berlin(day(3), time(7, 30)))
    assert sent.text.splitlines()[1] == "Lesson 2 of 32"


async def test_changing_the_schedule_mid_course_names_the_next_lesson_not_the_first(
    harness: Harness, person: ChatDriver
) -> None:
    await choose_lessons(person)
    for number in range(1, 6):
        await tick_at(harness, berlin(day(number)))
    await person.send("/daily")
    for label in ("Change", "For me", "Every day", "20:00", "Keep Europe/Berlin"):
        await person.tap(label)
    confirmation = person.last
    assert "first lesson" not in confirmation.text.lower()
    assert "Lesson 6 of 32 arrives Saturday 28 March, 20:00 (Europe/Berlin)." in confirmation.text


async def test_a_stopped_weekly_review_resumes_as_a_weekly_review(
    harness: Harness, person: ChatDriver
) -> None:
    await finish_by_schedule(harness, person)
    await person.tap(WEEKLY)
    await person.send("/stop")
    [offer] = await person.send("/daily")
    assert "a lesson a week to look back on, every Monday at 20:00 (Europe/Berlin)" in offer.text
    assert "lesson 31" not in offer.text.lower()
    [resumed] = await person.tap("Resume as before")
    assert "every Monday at 20:00 (Europe/Berlin). The next arrives Monday 27 April" in (
        resumed.text
    )
    [sent] = await tick_at(harness, berlin(date(2026, 4, 27)))
    assert sent.text.splitlines()[1] == ui(harness, "progress.review")


async def test_a_new_course_asks_again_before_reading_ahead(
    harness: Harness, person: ChatDriver
) -> None:
    await finish_by_schedule(harness, person)
    store = harness.services.store
    course = await course_of(harness, person)
    await store.save_course(replace(course, read_ahead=True))  # said "don't ask" last course
    [first] = await person.tap("The partner course")
    [question] = await person.tap_on(first.message_id, "Next lesson")
    assert question.text.startswith("Read lesson 2 of ")
