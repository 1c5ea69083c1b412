"""What every handler is handed: the update's context, plus the bot's services."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from telegram.ext import Application, CallbackContext, ExtBot

from lessons.model import Catalog
from scheduler.clock import Clock
from scheduler.store import Store

_SERVICES = "services"


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
    def store(self) -> Store:
        return self.services.store

    @property
    def catalog(self) -> Catalog:
        return self.services.catalog

    def text(self, key: str, **values: object) -> str:
        """A sentence from the content's ``ui`` strings."""
        return self.services.catalog.text(key, **values)


def attach_services(application: Application[Any, Any, Any, Any, Any, Any], services: Services) -> None:
    application.bot_data[_SERVICES] = services
