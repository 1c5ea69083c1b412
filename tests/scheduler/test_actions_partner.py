"""Partner links and the couple rhythm at the action level: invites, joining, proposals and
their answers, unlinking, erasing either side, and two partners tapping at once."""

from __future__ import annotations

import asyncio
from datetime import time, timedelta

from scheduler.actions import Refusal, checkin, privacy, rhythm
from scheduler.actions import partner as actions
from scheduler.couple import Rhythm
from scheduler.model import EVERY_DAY, WEEKDAYS, Recipient
from scheduler.store import Store
from tests.scheduler.actions_helpers import ALEX, NOW, SAM, nobody_stored, opted_in

NONE_YET = actions.Linked(
    rhythm=None,
    proposal=None,
    proposed_by_me=False,
    checkin=False,
    evening=time(20, 0),
    lessons_on=False,
)
WEEKDAY_NOONS = Rhythm(WEEKDAYS, time(12, 30))


async def linked(store: Store) -> None:
    invited = await actions.make_invite(store, NOW, ALEX, opting_in=True, language="en")
    assert isinstance(invited, actions.Invited)
    assert await actions.join(store, NOW, SAM, invited.code, "en") == actions.Joined(
        Recipient(ALEX)
    )


async def test_an_invite_keeps_only_the_code_hash_and_links_once(store: Store) -> None:
    invited = await actions.make_invite(store, NOW, ALEX, opting_in=True, language="en")
    assert isinstance(invited, actions.Invited) and len(invited.code) == 16
    exported = str(await store.export(ALEX))
    assert invited.code not in exported and actions.invite_hash(invited.code) in exported

    assert await actions.join(store, NOW, SAM, invited.code, "en") == actions.Joined(
        Recipient(ALEX)
    )
    assert await actions.join(store, NOW, 3003, invited.code, "en") is Refusal.INVITE_UNUSABLE
    assert await actions.link_state(store, ALEX) == NONE_YET
    assert await actions.link_state(store, SAM) == NONE_YET
    # The partner tapping the used invite again is told they are linked.
    assert await actions.join(store, NOW, SAM, invited.code, "en") == actions.AlreadyLinked(
        NONE_YET
    )


async def test_an_invite_expires_after_two_days(store: Store) -> None:
    invited = await actions.make_invite(store, NOW, ALEX, opting_in=True, language="en")
    assert isinstance(invited, actions.Invited)
    later = NOW + actions.INVITE_LIFETIME + timedelta(seconds=1)
    assert await actions.join(store, later, SAM, invited.code, "en") is Refusal.INVITE_UNUSABLE


async def test_an_invite_from_an_old_message_stores_nobody(store: Store) -> None:
    assert (
        await actions.make_invite(store, NOW, ALEX, opting_in=False, language="en")
        is Refusal.NOT_STORED
    )
    assert await nobody_stored(store)


async def test_while_linked_an_invite_shows_the_link(store: Store) -> None:
    await linked(store)
    assert await actions.make_invite(store, NOW, ALEX, opting_in=False, language="en") == NONE_YET


async def test_an_answer_counts_only_for_the_proposal_it_was_shown(store: Store) -> None:
    await opted_in(store, SAM, zone="Europe/Berlin")
    await opted_in(store, ALEX, zone="Asia/Tokyo")
    await linked(store)
    assert await rhythm.propose(store, ALEX, WEEKDAY_NOONS) != Refusal.NOT_LINKED
    evenings = Rhythm(EVERY_DAY, time(20, 0))
    assert await rhythm.propose(store, ALEX, evenings) != Refusal.NOT_LINKED

    # Sam's screen still showed the first proposal; it is gone.
    assert await rhythm.accept(store, NOW, SAM, WEEKDAY_NOONS) is Refusal.ALREADY_DONE
    # One's own proposal cannot be accepted by oneself.
    assert await rhythm.accept(store, NOW, ALEX, evenings) is Refusal.ALREADY_DONE
    agreed = await rhythm.accept(store, NOW, SAM, evenings)
    assert isinstance(agreed, rhythm.Told) and agreed.linked.rhythm == evenings
    assert agreed.partner_chat == Recipient(ALEX)
    for chat in (ALEX, SAM):
        subscriber = await store.find_subscriber(chat)
        assert subscriber is not None
        course = await store.course(subscriber.id)
        assert (course.days, course.local_time) == (EVERY_DAY, time(20, 0))
    # Each keeps their own zone: the rhythm is read on each one's own clock.
    tokyo = await store.find_subscriber(ALEX)
    assert tokyo is not None and tokyo.timezone == "Asia/Tokyo"


async def test_rhythm_actions_refuse_for_nobody_and_the_unlinked(store: Store) -> None:
    assert await rhythm.propose(store, ALEX, WEEKDAY_NOONS) is Refusal.NOT_STORED
    await store.ensure_subscriber(ALEX)
    assert await rhythm.propose(store, ALEX, WEEKDAY_NOONS) is Refusal.NOT_LINKED
    assert await rhythm.leave(store, NOW, ALEX) is Refusal.NOT_LINKED


async def test_overlapping_taps_leave_one_consistent_outcome(store: Store) -> None:
    """Sam accepts while Alex suggests another and Sam's partner leaves: whatever order the
    store serves them in, the two courses agree with the link."""
    await opted_in(store, SAM, zone="Europe/Berlin")
    await opted_in(store, ALEX, zone="Europe/London")
    await linked(store)
    await rhythm.propose(store, ALEX, WEEKDAY_NOONS)

    await asyncio.gather(
        rhythm.accept(store, NOW, SAM, WEEKDAY_NOONS),
        rhythm.propose(store, ALEX, Rhythm(EVERY_DAY, time(7, 30))),
        rhythm.accept(store, NOW, SAM, WEEKDAY_NOONS),
    )

    state = await actions.link_state(store, ALEX)
    assert state is not None
    schedules = set()
    for chat in (ALEX, SAM):
        subscriber = await store.find_subscriber(chat)
        assert subscriber is not None
        course = await store.course(subscriber.id)
        schedules.add((course.days, course.local_time))
    if state.rhythm is None:
        assert schedules == {(EVERY_DAY, time(20, 0))}
    else:
        assert schedules == {(state.rhythm.days, state.rhythm.local_time)}


async def test_unlinking_names_the_other_side_and_refuses_for_nobody(store: Store) -> None:
    assert await actions.unlink(store, NOW, ALEX) is Refusal.NOT_STORED
    await linked(store)
    assert await actions.unlink(store, NOW, SAM) == actions.Unlinked(Recipient(ALEX))
    assert await actions.link_state(store, ALEX) is None
    assert await actions.unlink(store, NOW, SAM) == actions.Unlinked(None)


async def test_erasing_ends_the_link_and_returns_the_partner_to_their_schedule(
    store: Store,
) -> None:
    await opted_in(store, SAM, zone="Europe/Berlin")
    await opted_in(store, ALEX, zone="Europe/London")
    await linked(store)
    await rhythm.propose(store, ALEX, WEEKDAY_NOONS)
    await rhythm.accept(store, NOW, SAM, WEEKDAY_NOONS)

    assert await privacy.erase(store, NOW, ALEX) == privacy.Erased(partner_chat=Recipient(SAM))

    assert await nobody_stored(store, ALEX)
    assert await actions.link_state(store, SAM) is None
    sam = await store.find_subscriber(SAM)
    assert sam is not None
    course = await store.course(sam.id)
    assert (course.days, course.local_time) == (EVERY_DAY, time(20, 0))
    [row] = (await store.export(SAM))["courses"]
    assert row["own_days"] is None and row["own_time"] is None


async def test_two_check_in_answers_at_once_still_reveal_exactly_once(store: Store) -> None:
    await linked(store)
    for chat in (ALEX, SAM):
        person = await store.find_subscriber(chat)
        assert person is not None
        await store.open_checkin(person.id, NOW + timedelta(hours=48))

    results = await asyncio.gather(
        checkin.answer(store, NOW, ALEX, "close,slower"),
        checkin.answer(store, NOW, SAM, "talk,signal"),
    )

    assert sorted(type(result).__name__ for result in results) == ["Revealed", "Waiting"]
    [revealed] = [result for result in results if isinstance(result, checkin.Revealed)]
    assert {revealed.mine, revealed.theirs} == {"close,slower", "talk,signal"}
    for chat in (ALEX, SAM):
        assert (await store.rows_about(chat))["checkin_answers"] == 0
    # Answered and gone: a second tap finds nothing open.
    assert await checkin.answer(store, NOW, ALEX, "close,slower") is Refusal.ALREADY_DONE
