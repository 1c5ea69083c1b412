"""What is stored about a person: a copy of it, erasing it, and silencing every schedule."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from lessons.model import Catalog
from scheduler.actions.partner import end_link
from scheduler.actions.refusals import Refusal
from scheduler.erasures import PendingErases
from scheduler.model import Course, Recipient, Reminders, Subscriber
from scheduler.progress import course_lessons
from scheduler.store import EraseFailedError, Reads, Store


@dataclass(frozen=True, slots=True)
class Erased:
    partner_chat: Recipient | None
    """A linked partner, to be told only that sharing has ended."""


class PartnerLink(StrEnum):
    NONE = "none"
    INVITED = "invited"
    """An invite made and not yet used."""
    LINKED = "linked"


@dataclass(frozen=True, slots=True)
class Export:
    """What ``/export`` shows: the person's choices, to read, and every stored row, to keep."""

    subscriber: Subscriber
    course: Course
    lessons_had: int
    """How many lessons of the course's track the person has had, sent or read."""
    lessons_total: int
    reminders: Reminders
    partner: PartnerLink
    deliveries: int
    """Entries in the delivery log."""
    tables: dict[str, object]
    """Every row about the person, by table, ready for ``json.dumps``."""


async def export(store: Store, catalog: Catalog, chat_id: int) -> Export | None:
    """Everything stored about the person, read in one transaction; None for someone not
    stored. Asking stores nobody."""
    async with store.reading() as tx:
        subscriber = await tx.find_subscriber(chat_id)
        if subscriber is None:
            return None
        course = await tx.course(subscriber.id)
        total = len(course_lessons(catalog, course))
        tables = await tx.export(chat_id)
        return Export(
            subscriber=subscriber,
            course=course,
            lessons_had=min(max(course.position - 1, 0), total),
            lessons_total=total,
            reminders=await tx.reminders(subscriber.id),
            partner=await _partner_link(tx, subscriber.id, tables),
            deliveries=await tx.delivery_count(subscriber.id),
            tables=tables,
        )


async def _partner_link(tx: Reads, subscriber_id: int, tables: dict[str, object]) -> PartnerLink:
    if await tx.partner_id(subscriber_id) is not None:
        return PartnerLink.LINKED
    # Not linked, yet a row of theirs in the links table: an invite nobody has used yet.
    rows = tables.get("partner_links")
    return PartnerLink.INVITED if isinstance(rows, list) and rows else PartnerLink.NONE


async def erase(store: Store, now: datetime, chat_id: int) -> Erased | Refusal:
    """Delete every row about the person, on disk too. The link ends first: the partner
    goes back to their own last schedule, their evening prompt stops, and both people's
    check-in answers go, which erasing this person's rows alone would not do.

    ``Refusal.NOT_FINISHED`` when the database could not write (locked, or its disk full):
    nothing may then be said to be erased, and erasing again finishes the job.
    """
    try:
        async with store.erasing() as tx:
            subscriber = await tx.find_subscriber(chat_id)
            other = await end_link(tx, subscriber.id, now) if subscriber is not None else None
            await tx.erase(chat_id)
    except EraseFailedError:
        return Refusal.NOT_FINISHED
    return Erased(other)


@dataclass(frozen=True, slots=True)
class FinishedLater:
    """An owed erase that has now committed: the person is to be told, once."""

    chat_id: int
    message_id: int | None
    """Their "not erased yet" message, whose buttons no longer apply."""
    erased: Erased


async def finish_owed_erases(
    store: Store, pending: PendingErases, now: datetime
) -> list[FinishedLater]:
    """Try each erase that is owed and due again (see ``scheduler.erasures``); those that
    commit are settled and returned, to be told. The first that fails again ends the round:
    a full disk or a lock holds for all of them, so they all wait their next turn."""
    finished = []
    due = pending.due(now)
    for position, owed in enumerate(due):
        result = await erase(store, now, owed.chat_id)
        if isinstance(result, Refusal):
            for later in due[position:]:
                pending.failed(later.chat_id, now)
            break
        # A tap on the button may have finished it meanwhile, and told them already.
        if pending.settle(owed.chat_id):
            finished.append(FinishedLater(owed.chat_id, owed.message_id, result))
    return finished


@dataclass(frozen=True, slots=True)
class Stopped:
    """What ``/stop`` kept for a return, so its answer names only what can come back."""

    reminders_kept: bool
    """Reminders had been chosen: ``/reminders`` offers them back as they were."""


async def stop_everything(store: Store, chat_id: int) -> Stopped:
    """``/stop``: both schedules off; progress and choices are kept for a return. Someone
    not stored stays so."""
    async with store.transaction() as tx:
        subscriber = await tx.find_subscriber(chat_id)
        if subscriber is None:
            return Stopped(reminders_kept=False)
        await tx.stop_all(subscriber.id)
        return Stopped(reminders_kept=(await tx.reminders(subscriber.id)).stopped)
