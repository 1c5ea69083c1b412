"""/export, /delete and /stop as actions."""

from __future__ import annotations

from lessons.model import Track
from lessons.planner import course_lessons
from scheduler.actions import privacy
from scheduler.store import Store
from tests.scheduler.actions_helpers import ALEX, NOW, catalog, nobody_stored, opted_in


async def test_export_for_nobody_is_none_and_stores_nothing(store: Store) -> None:
    assert await privacy.export(store, catalog(), ALEX) is None
    assert await nobody_stored(store)


async def test_export_holds_the_person_and_erase_removes_every_row(store: Store) -> None:
    chosen = await opted_in(store)
    exported = await privacy.export(store, catalog(), ALEX)
    assert exported is not None
    assert exported.tables["subscribers"] and exported.tables["courses"]
    assert exported.course == chosen.course and exported.subscriber == chosen.subscriber
    assert (exported.lessons_had, exported.lessons_total) == (
        0,
        len(course_lessons(catalog(), Track.SELF)),
    )
    assert exported.partner is privacy.PartnerLink.NONE and exported.deliveries == 0

    assert await privacy.erase(store, NOW, ALEX) == privacy.Erased(partner_chat=None)
    assert await nobody_stored(store)
    assert await privacy.erase(store, NOW, ALEX) == privacy.Erased(partner_chat=None)


async def test_stop_silences_both_schedules_and_stores_nobody_new(store: Store) -> None:
    assert await privacy.stop_everything(store, 3003) == privacy.Stopped(reminders_kept=False)
    assert await nobody_stored(store, 3003)
    chosen = await opted_in(store)

    stopped = await privacy.stop_everything(store, ALEX)

    course = await store.course(chosen.subscriber.id)
    assert not course.active and course.next_due is None
    assert stopped == privacy.Stopped(reminders_kept=False)
