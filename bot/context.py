"""What every handler is handed: the update's context, plus the bot's services."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from telegram.ext import Application, CallbackContext, ExtBot

from lessons.model import Catalog
from scheduler.clock import Clock
from scheduler.delivery import Engine
from scheduler.erasures import PendingErases
from scheduler.store import Store

_SERVICES = "services"
_ENGINE = "engine"
_ERASES = "pending_erases"


@dataclass(frozen=True, slots=True)
class Services:
    """The long-lived things handlers use; built once by whoever starts the bot."""

    store: Store
    catalog: Catalog
    clock: Clock


class BotContext(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], dict[Any, Any]]):
    """PTB's context with typed access to the services."""

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
    def catalog(self) -> Catalog:
        return self.services.catalog

    def text(self, key: str, **values: object) -> str:
        """A sentence from the content's ``ui`` strings."""
        return self.services.catalog.text(key, **values)


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
