"""What every handler is handed: the update's context, plus the bot's services.

The context also knows the language to answer in. Telegram says which language a person's
app is set to (``language_code``, on every update); the person's own choice, once stored or
made in ``/language``, wins over it. That choice is remembered per person in ``user_data``
(in memory, keyed by the user, so an inline query, which has no chat, finds it too): read
from the store once by ``bot.handlers.language.recall`` and looked at again only after
``LANGUAGE_RECHECK``, so ``/lesson`` costs no extra read. ``/delete`` drops it with the rest.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from telegram import Update
from telegram.ext import Application, CallbackContext, ExtBot

from lessons.library import Library
from lessons.model import Catalog
from scheduler.clock import Clock
from scheduler.delivery import Engine
from scheduler.erasures import PendingErases
from scheduler.store import Store

_SERVICES = "services"
_ENGINE = "engine"
_ERASES = "pending_erases"
_LANGUAGE = "language"
LANGUAGE_RECHECK = timedelta(minutes=10)
"""How long a remembered language is used before the store is asked again: with several
processes behind one webhook, a change made through another process reaches this one
within this long."""


@dataclass(frozen=True, slots=True)
class Services:
    """The long-lived things handlers use; built once by whoever starts the bot."""

    store: Store
    library: Library
    clock: Clock


class Speaks(Protocol):
    """What rendering needs to say something: one language's content."""

    @property
    def catalog(self) -> Catalog: ...

    def text(self, key: str, **values: object) -> str: ...


@dataclass(frozen=True, slots=True)
class Voice:
    """One language's content, to speak to someone other than the person of this update
    (a linked partner) in their own language."""

    catalog: Catalog

    def text(self, key: str, **values: object) -> str:
        return self.catalog.text(key, **values)


@dataclass(frozen=True, slots=True)
class Remembered:
    """A person's language as this process last knew it, and when it was last checked."""

    language: str
    checked_at: datetime


class BotContext(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], dict[Any, Any]]):
    """PTB's context with typed access to the services. PTB builds one per update and hands
    the same one to every handler group, so what ``from_update`` reads stays for all."""

    telegram_language: str | None = None
    """The ``language_code`` of the update's user, as Telegram sent it."""

    @classmethod
    def from_update(
        cls, update: object, application: Application[Any, Any, Any, Any, Any, Any]
    ) -> BotContext:
        context: BotContext = super().from_update(update, application)
        if isinstance(update, Update) and update.effective_user is not None:
            context.telegram_language = update.effective_user.language_code
        return context

    @property
    def services(self) -> Services:
        services: Services = self.bot_data[_SERVICES]
        return services

    @property
    def chat_state(self) -> dict[Any, Any]:
        """This chat's in-memory conversation state; every update here comes from a chat."""
        state = self.chat_data
        assert state is not None
        return state

    @property
    def engine(self) -> Engine:
        engine: Engine = self.bot_data[_ENGINE]
        return engine

    @property
    def erases(self) -> PendingErases:
        """The erases that failed and are owed, tried again until they commit."""
        erases: PendingErases = self.bot_data[_ERASES]
        return erases

    @property
    def store(self) -> Store:
        return self.services.store

    @property
    def library(self) -> Library:
        return self.services.library

    @property
    def remembered(self) -> Remembered | None:
        """This person's language as last read or chosen, if this process knows it."""
        return _remembered_in(self.user_data)

    def remember(self, language: str) -> None:
        """Keep ``language`` as this person's for the updates to come."""
        if self.user_data is not None:
            self.user_data[_LANGUAGE] = Remembered(language, self.services.clock.now())

    @property
    def language(self) -> str:
        """The language this update is answered in: the person's own once known, else the
        one picked from Telegram's ``language_code`` (English for any we do not have)."""
        remembered = self.remembered
        if remembered is not None:
            return remembered.language
        return self.library.pick(self.telegram_language)

    @property
    def catalog(self) -> Catalog:
        """The content in this person's language."""
        return self.library.catalog(self.language)

    def text(self, key: str, **values: object) -> str:
        """A sentence from the content's ``ui`` strings, in this person's language."""
        return self.catalog.text(key, **values)

    def voice(self, language: str | None) -> Voice:
        """The content in another person's language, to tell them something (the default
        language's for None, or a code the content no longer has)."""
        return Voice(self.library.catalog(language))


def attach_services(
    application: Application[Any, Any, Any, Any, Any, Any], services: Services
) -> None:
    application.bot_data[_SERVICES] = services


def attach_engine(application: Application[Any, Any, Any, Any, Any, Any], engine: Engine) -> None:
    application.bot_data[_ENGINE] = engine
    application.bot_data[_ERASES] = PendingErases()


def engine_of(application: Application[Any, Any, Any, Any, Any, Any]) -> Engine:
    engine: Engine = application.bot_data[_ENGINE]
    return engine


def remembered_language(
    application: Application[Any, Any, Any, Any, Any, Any], user_id: int
) -> str | None:
    """A person's language as this process remembers it (outside an update of theirs)."""
    found = _remembered_in(application.user_data.get(user_id))
    return None if found is None else found.language


def _remembered_in(memory: dict[Any, Any] | None) -> Remembered | None:
    """The language kept in one person's ``user_data``, if any."""
    found = None if memory is None else memory.get(_LANGUAGE)
    return found if isinstance(found, Remembered) else None
