"""Partner links in the store: single-use invites, even when two people race for one."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from scheduler.model import Recipient
from scheduler.store import Store

NOW = datetime(2026, 3, 23, 9, 0, tzinfo=UTC)
LATER = NOW + timedelta(hours=48)


async def test_two_joins_at_once_link_only_one_person(store: Store) -> None:
    alex, sam, kim = [await store.ensure_subscriber(chat) for chat in (1001, 2002, 3003)]
    assert await store.create_invite(alex.id, "hash", LATER)

    results = await asyncio.gather(
        store.join_invite("hash", sam.id, NOW), store.join_invite("hash", kim.id, NOW)
    )

    assert sorted(results, key=lambda chat: chat is None) == [Recipient(alex.chat_id), None]
    partners = [await store.partner_chat(person.id) for person in (sam, kim)]
    assert sorted(partners, key=lambda chat: chat is None) == [Recipient(alex.chat_id), None]


async def test_no_new_invite_while_linked_and_unlink_works_from_either_side(store: Store) -> None:
    alex, sam = [await store.ensure_subscriber(chat) for chat in (1001, 2002)]
    await store.create_invite(alex.id, "hash", LATER)
    assert await store.join_invite("hash", sam.id, NOW) == Recipient(alex.chat_id)

    assert not await store.create_invite(sam.id, "another", LATER)
    link = await store.lock_link(sam.id)
    assert link is not None and link.partner == alex.id and not link.me_inviter
    async with store.transaction() as tx:
        await tx.end_link(link.id)
    assert await store.partner_chat(alex.id) is None
    assert await store.lock_link(alex.id) is None


async def test_an_invite_expires(store: Store) -> None:
    alex, sam = [await store.ensure_subscriber(chat) for chat in (1001, 2002)]
    await store.create_invite(alex.id, "hash", LATER)

    assert await store.join_invite("hash", sam.id, LATER) is None
    assert (await store.rows_about(alex.chat_id))["partner_links"] == 0
