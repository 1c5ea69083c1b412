"""Partner links: invites, joining, "same days", unlinking, and erasing either side."""

from __future__ import annotations

from datetime import timedelta

from scheduler.actions import Refusal, privacy
from scheduler.actions import partner as actions
from scheduler.store import Store
from tests.scheduler.actions_helpers import ALEX, NOW, SAM, nobody_stored, opted_in


async def linked(store: Store) -> None:
    invited = await actions.make_invite(store, NOW, ALEX, opting_in=True)
    assert isinstance(invited, actions.Invited)
    assert await actions.join(store, NOW, SAM, invited.code) == actions.Joined(ALEX)


async def test_an_invite_keeps_only_the_code_hash_and_links_once(store: Store) -> None:
    invited = await actions.make_invite(store, NOW, ALEX, opting_in=True)
    assert isinstance(invited, actions.Invited) and len(invited.code) == 16
    exported = str(await store.export(ALEX))
    assert invited.code not in exported and actions.invite_hash(invited.code) in exported

    assert await actions.join(store, NOW, SAM, invited.code) == actions.Joined(ALEX)
    assert await actions.join(store, NOW, 3003, invited.code) is Refusal.INVITE_UNUSABLE
    assert await actions.link_state(store, ALEX) == actions.Linked(same_days=False)
    assert await actions.link_state(store, SAM) == actions.Linked(same_days=False)


async def test_an_invite_expires_after_two_days(store: Store) -> None:
    invited = await actions.make_invite(store, NOW, ALEX, opting_in=True)
    assert isinstance(invited, actions.Invited)
    later = NOW + actions.INVITE_LIFETIME + timedelta(seconds=1)
    assert await actions.join(store, later, SAM, invited.code) is Refusal.INVITE_UNUSABLE


async def test_an_invite_from_an_old_message_stores_nobody(store: Store) -> None:
    assert await actions.make_invite(store, NOW, ALEX, opting_in=False) is Refusal.NOT_STORED
    assert await nobody_stored(store)


async def test_while_linked_an_invite_shows_the_link(store: Store) -> None:
    await linked(store)
    assert await actions.make_invite(store, NOW, ALEX, opting_in=False) == actions.Linked(False)


async def test_same_days_copies_the_partners_days_and_time_once(store: Store) -> None:
    theirs = await opted_in(store, SAM, zone="Europe/Berlin")
    mine = await opted_in(store, ALEX, zone="Asia/Tokyo")
    invited = await actions.make_invite(store, NOW, ALEX, opting_in=False)
    assert isinstance(invited, actions.Invited)
    await actions.join(store, NOW, SAM, invited.code)

    first = await actions.set_same_days(store, NOW, ALEX, on=True)
    again = await actions.set_same_days(store, NOW, ALEX, on=True)

    assert first == again == actions.Linked(same_days=True)
    course = await store.course(mine.subscriber.id)
    assert (course.days, course.local_time) == (theirs.course.days, theirs.course.local_time)
    subscriber = await store.find_subscriber(ALEX)
    assert subscriber is not None and subscriber.timezone == "Asia/Tokyo"
    assert await actions.set_same_days(store, NOW, ALEX, on=False) == actions.Linked(False)


async def test_same_days_needs_a_partner_with_lessons_on(store: Store) -> None:
    assert await actions.set_same_days(store, NOW, ALEX, on=True) is Refusal.NOT_STORED
    await store.ensure_subscriber(ALEX)
    assert await actions.set_same_days(store, NOW, ALEX, on=True) is Refusal.NOT_LINKED
    await linked(store)
    assert await actions.set_same_days(store, NOW, ALEX, on=True) is (
        Refusal.PARTNER_HAS_NO_SCHEDULE
    )


async def test_unlinking_names_the_other_side_and_refuses_for_nobody(store: Store) -> None:
    assert await actions.unlink(store, ALEX) is Refusal.NOT_STORED
    await linked(store)
    assert await actions.unlink(store, SAM) == actions.Unlinked(ALEX)
    assert await actions.link_state(store, ALEX) is None
    assert await actions.unlink(store, SAM) == actions.Unlinked(None)


async def test_erasing_ends_the_link_and_leaves_nothing(store: Store) -> None:
    await linked(store)
    assert await privacy.erase(store, ALEX) == privacy.Erased(partner_chat=SAM)
    assert await nobody_stored(store, ALEX)
    assert await actions.link_state(store, SAM) is None
