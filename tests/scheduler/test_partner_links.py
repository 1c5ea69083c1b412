"""Partner links in the store: single-use invites, even when two people race for one."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from scheduler.model import Course, DeliveryStatus, Kind
from scheduler.store import Finished, Store

NOW = datetime(2026, 3, 23, 9, 0, tzinfo=UTC)
LATER = NOW + timedelta(hours=48)


async def test_two_joins_at_once_link_only_one_person(store: Store) -> None:
    alex, sam, kim = [await store.ensure_subscriber(chat) for chat in (1001, 2002, 3003)]
    assert await store.create_invite(alex.id, "hash", LATER)

    results = await asyncio.gather(
        store.join_invite("hash", sam.id, NOW), store.join_invite("hash", kim.id, NOW)
    )

    assert sorted(results, key=lambda chat: chat is None) == [alex.chat_id, None]
    partners = [await store.partner_chat(person.id) for person in (sam, kim)]
    assert sorted(partners, key=lambda chat: chat is None) == [alex.chat_id, None]


async def test_no_new_invite_while_linked_and_unlink_works_from_either_side(store: Store) -> None:
    alex, sam = [await store.ensure_subscriber(chat) for chat in (1001, 2002)]
    await store.create_invite(alex.id, "hash", LATER)
    assert await store.join_invite("hash", sam.id, NOW) == alex.chat_id

    assert not await store.create_invite(sam.id, "another", LATER)
    assert await store.unlink(sam.id) == alex.chat_id
    assert await store.partner_chat(alex.id) is None
    assert await store.unlink(alex.id) is None


async def test_an_invite_expires(store: Store) -> None:
    alex, sam = [await store.ensure_subscriber(chat) for chat in (1001, 2002)]
    await store.create_invite(alex.id, "hash", LATER)

    assert await store.join_invite("hash", sam.id, LATER) is None
    assert (await store.rows_about(alex.chat_id))["partner_links"] == 0


async def test_erase_removes_the_same_days_choice_and_a_planned_prompt(store: Store) -> None:
    alex, sam = [await store.ensure_subscriber(chat) for chat in (1001, 2002)]
    await store.create_invite(alex.id, "hash", LATER)
    await store.join_invite("hash", sam.id, NOW)
    for person in (alex, sam):
        await store.save_course(Course(person.id, active=True, next_due=NOW))
        await store.set_same_days(person.id, on=True)
    claims = await store.claim_due(Kind.LESSON, NOW, 10, lambda claim: None)
    await store.settle(
        [Finished(c, DeliveryStatus.SENT, "self-01", advance=True, talk_at=LATER) for c in claims]
    )
    [course] = (await store.export(alex.chat_id))["courses"]
    assert course["same_days"] is True and course["talk_due"] is not None

    assert await store.erase(alex.chat_id)

    assert set((await store.rows_about(alex.chat_id)).values()) == {0}
    # Sam's prompt cannot go out either: there is no link left to talk about.
    assert await store.claim_due(Kind.TALK, LATER, 10, lambda claim: None) == []
