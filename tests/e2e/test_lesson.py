"""``/lesson``: the next lesson right now, its buttons, the end of a course, and sharing."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from bot.standin import Button, ChatDriver
from lessons import Catalog, Lesson, Track
from lessons.model import Collection
from lessons.planner import course_lessons
from lessons.telegram_html import plain_text
from scheduler.model import Course

if TYPE_CHECKING:
    from tests.e2e.conftest import Harness

WEEKLY = "A lesson a week to look back on"


def lesson(harness: Harness, track: Track, day: int) -> Lesson:
    """The lesson at position ``day`` of the standard course on ``track``."""
    return course_lessons(harness.catalog, track)[day - 1]


def text(harness: Harness, key: str) -> str:
    return plain_text(harness.catalog.text(key))


async def course_of(harness: Harness, person: ChatDriver) -> Course:
    store = harness.services.store
    subscriber = await store.ensure_subscriber(person.chat_id)
    return await store.course(subscriber.id)


async def move_to(harness: Harness, person: ChatDriver, track: Track, day: int) -> None:
    """Set the course position directly, rather than tapping through a whole track."""
    course = await course_of(harness, person)
    await harness.services.store.save_course(replace(course, track=track, position=day))


def expected_buttons(catalog: Catalog, shown: Lesson) -> tuple[tuple[Button, ...], ...]:
    rows = [(Button(catalog.text("course.button.next"), f"les:next:{shown.id}"),)]
    rows.append(
        (
            Button(catalog.text("tailor.button.helpful"), f"fit:fb:{shown.id}:helpful"),
            Button(catalog.text("tailor.button.not_for_me"), f"fit:fb:{shown.id}:not-for-me"),
        )
    )
    if shown.technique is not None:
        related = catalog.text("course.button.technique")
        rows.append((Button(related, f"tech:open:{shown.technique}"),))
    # With inline mode on, sharing opens Telegram's chat picker with the lesson's id as query.
    rows.append((Button(catalog.text("course.button.share"), shown.id),))
    return tuple(rows)


async def test_lesson_sends_day_one_then_day_two(harness: Harness, person: ChatDriver) -> None:
    first, second = lesson(harness, Track.SELF, 1), lesson(harness, Track.SELF, 2)

    replies = await person.send("/lesson")
    assert len(replies) == 1
    assert replies[0].text.startswith(plain_text(first.title))

    await person.send("/lesson")
    assert person.last.text.startswith(plain_text(second.title))

    course = await course_of(harness, person)
    assert (course.position, course.last_lesson_id) == (3, second.id)


async def test_buttons_offer_a_related_technique_only_when_the_lesson_names_one(
    harness: Harness, person: ChatDriver
) -> None:
    catalog = harness.catalog
    track = catalog.track(Track.SELF)
    with_technique = next(item for item in track if item.technique is not None)
    without_technique = next(item for item in track if item.technique is None)

    for shown in (with_technique, without_technique):
        await move_to(harness, person, Track.SELF, shown.day)
        await person.send("/lesson")
        assert person.last.buttons == expected_buttons(catalog, shown)


async def test_next_lesson_button_sends_a_new_message(harness: Harness, person: ChatDriver) -> None:
    await person.send("/lesson")
    first_message = person.last

    replies = await person.tap("Next lesson")

    assert len(replies) == 1 and not replies[0].edited
    assert replies[0].text.startswith(plain_text(lesson(harness, Track.SELF, 2).title))
    # The lesson read before stays as it was, buttons and all.
    assert person.messages[-2] == first_message


async def test_related_technique_opens_beside_the_lesson(
    harness: Harness, person: ChatDriver
) -> None:
    catalog = harness.catalog
    shown = next(item for item in catalog.track(Track.SELF) if item.technique is not None)
    assert shown.technique is not None
    await move_to(harness, person, Track.SELF, shown.day)
    await person.send("/lesson")
    lesson_message = person.last

    await person.tap("Related technique")

    assert person.last.text.startswith(plain_text(catalog.technique(shown.technique).name))
    assert person.api.message(person.chat_id, lesson_message.message_id) == lesson_message


async def test_after_the_last_self_lesson_the_partner_course_is_offered(
    harness: Harness, person: ChatDriver
) -> None:
    last_day = len(course_lessons(harness.catalog, Track.SELF))
    await move_to(harness, person, Track.SELF, last_day)

    await person.send("/lesson")
    assert person.last.text.startswith(plain_text(lesson(harness, Track.SELF, last_day).title))

    await person.send("/lesson")
    assert person.last.text.startswith(text(harness, "course.complete.self").splitlines()[0])
    assert person.last.labels == ["The partner course", WEEKLY, "Rest for now"]

    await person.tap("The partner course")
    assert person.last.text.startswith(plain_text(lesson(harness, Track.PARTNER, 1).title))
    course = await course_of(harness, person)
    assert (course.track, course.position) == (Track.PARTNER, 2)


async def test_after_the_partner_course_the_self_course_or_a_review(
    harness: Harness, person: ChatDriver
) -> None:
    past_the_end = len(course_lessons(harness.catalog, Track.PARTNER)) + 1
    await move_to(harness, person, Track.PARTNER, past_the_end)

    await person.send("/lesson")
    assert person.last.text.startswith(text(harness, "course.complete.partner").splitlines()[0])
    assert person.last.labels == ["The course for me", WEEKLY, "Rest for now"]

    # A weekly lesson needs a day and a time, and this person never chose any.
    before = await course_of(harness, person)
    await person.tap(WEEKLY)
    assert person.last.text == text(harness, "progress.review.needs_time")
    assert await course_of(harness, person) == before

    await move_to(harness, person, Track.PARTNER, past_the_end)
    await person.send("/lesson")
    await person.tap("The course for me")
    assert person.last.text.startswith(plain_text(lesson(harness, Track.SELF, 1).title))
    assert (await course_of(harness, person)).track == Track.SELF


async def test_a_finished_course_offers_the_lessons_for_later_without_moving_anything(
    harness: Harness, person: ChatDriver
) -> None:
    catalog = harness.catalog
    past_the_end = len(course_lessons(catalog, Track.SELF)) + 1
    await move_to(harness, person, Track.SELF, past_the_end)
    await person.send("/lesson")
    before = await course_of(harness, person)

    [rested] = await person.tap("Rest for now")
    assert rested.text == text(harness, "progress.rested")
    [listing] = await person.tap("Lessons for later")
    kept = catalog.collection(Collection.MAINTENANCE)
    assert listing.text == plain_text(text(harness, "course.for_later.intro"))
    assert listing.labels == [plain_text(lesson.title) for lesson in kept]

    [shown] = await person.tap(plain_text(kept[0].title))
    assert shown.text.startswith(plain_text(kept[0].title))
    assert "Next lesson" not in shown.labels
    # Reading one is not the end of the way: the set is one tap off again.
    [again] = await person.tap("Lessons for later")
    assert again.labels == [plain_text(lesson.title) for lesson in kept]
    assert await course_of(harness, person) == before


async def test_a_fresh_start_resumes_daily_lessons_only_for_those_who_have_them(
    harness: Harness, person: ChatDriver
) -> None:
    past_the_end = len(course_lessons(harness.catalog, Track.SELF)) + 1
    await move_to(harness, person, Track.SELF, past_the_end)
    await person.send("/lesson")
    await person.tap("The partner course")
    assert (await course_of(harness, person)).next_due is None

    # Someone with daily lessons on, whose schedule stopped at the end of the course.
    course = await course_of(harness, person)
    store = harness.services.store
    await store.save_course(replace(course, active=True, position=past_the_end, next_due=None))
    await person.send("/lesson")
    await person.tap("The course for me")
    course = await course_of(harness, person)
    assert course.track == Track.SELF
    assert course.next_due is not None and course.next_due > harness.clock.now()


async def test_without_inline_mode_share_sends_a_clean_card_to_forward(
    harness_without_inline: Harness,
) -> None:
    harness = harness_without_inline
    person = harness.person()
    first = lesson(harness, Track.SELF, 1)
    await person.send("/lesson")

    replies = await person.tap("Share with partner")

    note, card = replies
    assert note.text == text(harness, "course.share.note")
    assert card.text.startswith(text(harness, "share.card.intro"))
    assert plain_text(first.title) in card.text
    assert plain_text(first.body.split("\n")[0]) in card.text
    link = f"https://t.me/SoftLandingBot?start=l-{first.id}"
    assert card.buttons == ((Button(text(harness, "share.button.open"), link),),)
    assert "Alex" not in card.text
    # Sharing does not move the course on.
    assert (await course_of(harness, person)).position == 2


async def test_sharing_a_lesson_that_no_longer_exists_gets_a_polite_answer(
    harness: Harness, person: ChatDriver
) -> None:
    await person.send("/lesson")

    replies = await person.tap_data("les:share:no-such-lesson")

    assert replies == []
    answer = person.last_callback_answer
    assert answer is not None
    assert answer.text == harness.catalog.text("button.stale")


async def test_a_malformed_course_button_gets_a_polite_answer(
    harness: Harness, person: ChatDriver
) -> None:
    await person.send("/lesson")

    for data in ("les:track:nobody", "les:jump", "les:share"):
        assert await person.tap_data(data) == []
        answer = person.last_callback_answer
        assert answer is not None and answer.text == harness.catalog.text("button.stale")
