"""/privacy says how long the delivery log is kept, from the engine's own retention."""

from __future__ import annotations

from bot.standin import ChatDriver
from scheduler.delivery import DEFAULT_RETENTION


async def test_privacy_says_how_long_the_delivery_log_is_kept(person: ChatDriver) -> None:
    [reply] = await person.send("/privacy")
    assert f"keeps only the last {DEFAULT_RETENTION.days} days" in reply.text
    assert reply.text.index("never keeps what you type") < reply.text.index("keeps only")
