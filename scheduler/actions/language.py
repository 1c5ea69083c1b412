"""``/language``: the language a person is spoken to in, read once and changed by choice.

The language is a short content code ("en", "es") on the person's row. It is stored with
them when they are first stored (picked from Telegram's ``language_code`` by the bot), and
changed only here. Choosing one is not a start: someone not stored is not stored for it, so
the bot keeps their choice in memory only, and stores it with them if they start later.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from scheduler.store import Store


@dataclass(frozen=True, slots=True)
class LanguageChosen:
    language: str
    stored: bool
    """False for someone not stored: nothing was written."""


async def stored_language(store: Store, chat_id: int) -> str | None:
    """The person's stored language, or None for someone not stored. Asking stores nobody."""
    async with store.reading() as tx:
        subscriber = await tx.find_subscriber(chat_id)
        return None if subscriber is None else subscriber.language


async def choose_language(store: Store, chat_id: int, language: str) -> LanguageChosen:
    """Keep ``language`` as the person's, when they are stored; a second tap on the same
    language writes the same value again and changes nothing."""
    async with store.transaction() as tx:
        subscriber = await tx.find_subscriber(chat_id)
        if subscriber is None:
            return LanguageChosen(language, stored=False)
        if subscriber.language != language:
            await tx.save_subscriber(replace(subscriber, language=language))
        return LanguageChosen(language, stored=True)
