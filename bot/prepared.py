"""A scheduled message as one lean Bot API request: its body built once per message form,
its answer read only for how it went.

``Bot.send_message`` does, for every send, what a drain does not need: it turns the
keyboard into a dict and then into JSON again, fills in defaults, and builds a whole
``Message`` (with its chat, its user and every button) from each answer that the engine
then drops, since all it records is the outcome. At 1,000 messages a second that is most
of the process's time. Here the parts every send of one lesson shares (text, parse mode,
keyboard, paid broadcast) are encoded once, and each send adds only its chat and its
notification flag.

The request goes the way PTB's own would: through the bot's rate limiter (the pacer, with
its retries of a 429) and ``BaseRequest.post``, which reads Telegram's answer and raises
PTB's usual errors for it (``RetryAfter``, ``Forbidden``, ``BadRequest``, ``NetworkError``
and ``TimedOut`` with their transport causes). So every outcome the sender tells apart is
told apart exactly as before.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from telegram import Bot, InlineKeyboardMarkup
from telegram.constants import ParseMode
from telegram.ext import ExtBot
from telegram.request import RequestData

METHOD = "sendMessage"


# PTB marks RequestData final for type checkers only. A subclass is the one way to hand a
# request object parameters encoded ahead; tests/bot/test_scheduled_send.py checks that it
# reads exactly as the RequestData PTB builds for send_message, and tests/faults sends it
# over real HTTP.
class PreparedRequest(RequestData):  # type: ignore[misc]
    """A ``RequestData`` whose parameters are given ready, both as values (what an
    in-process request such as the stand-in reads) and JSON-encoded (what goes on the
    wire), as PTB's own ``RequestData`` would give them. It carries no file."""

    __slots__ = ("_encoded", "_values")

    def __init__(self, values: dict[str, Any], encoded: dict[str, str]) -> None:
        super().__init__()
        self._values = values
        self._encoded = encoded

    @property
    def parameters(self) -> dict[str, Any]:
        return self._values

    @property
    def json_parameters(self) -> dict[str, str]:
        return self._encoded


@dataclass(frozen=True, slots=True)
class Body:
    """What every send of one message form shares, as values and encoded once."""

    values: dict[str, Any]
    encoded: dict[str, str]

    @classmethod
    def of(cls, text: str, markup: InlineKeyboardMarkup | None, *, paid: bool) -> Body:
        """``paid``: with ``allow_paid_broadcast``. Left out otherwise, as PTB leaves out
        an argument given as None."""
        values: dict[str, Any] = {"text": text, "parse_mode": ParseMode.HTML.value}
        if markup is not None:
            values["reply_markup"] = markup.to_dict()
        if paid:
            values["allow_paid_broadcast"] = True
        return cls(values, {name: _encoded(value) for name, value in values.items()})

    def to(self, chat_id: int, *, silent: bool) -> PreparedRequest:
        """The request sending this body to ``chat_id``."""
        values = {"chat_id": chat_id, "disable_notification": silent, **self.values}
        encoded = {
            "chat_id": str(chat_id),
            "disable_notification": "true" if silent else "false",
            **self.encoded,
        }
        return PreparedRequest(values, encoded)


def _encoded(value: object) -> str:
    # PTB's rule: a string goes as it is, anything else as JSON.
    return value if isinstance(value, str) else json.dumps(value)


async def post(bot: Bot, request: PreparedRequest) -> None:
    """Send ``request`` through ``bot``'s rate limiter, if it has one, and return once
    Telegram accepted it; a refusal or a failure raises as from ``Bot.send_message``."""
    url = f"{bot.base_url}/{METHOD}"
    limiter = bot.rate_limiter if isinstance(bot, ExtBot) else None
    if limiter is None:
        await bot.request.post(url, request_data=request)
        return
    await limiter.process_request(
        callback=bot.request.post,
        args=(url,),
        kwargs={"request_data": request},
        endpoint=METHOD,
        data=request.parameters,
        rate_limit_args=None,
    )
