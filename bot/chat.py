"""``softlanding chat``: the real bot in a terminal, with no token and no network.

The very same Application, handlers and store run against the in-process Bot API stand-in.
Lines typed are sent as messages; the bot's messages are printed as they arrive, with their
buttons numbered. A few local commands, all starting with a colon, tap buttons, share a
location and move the clock forward so scheduled messages can be seen arriving.
"""

from __future__ import annotations

import asyncio
import logging
import re
import sys
from collections.abc import Awaitable, Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, TextIO

from bot.app import BotApplication, build_application, publish_commands
from bot.context import BotContext, engine_of
from bot.handlers.privacy import finish_owed_erases
from bot.runtime import StartError, open_services
from bot.settings import Settings
from bot.standin import BotMessage, CallbackAnswer, ChatDriver, StandInBotAPI
from bot.terminal import html_to_text
from lessons.library import DEFAULT_LANGUAGE
from scheduler.clock import ShiftedClock
from scheduler.delivery import Engine

LOCAL_CHAT_ID = 424242
SECOND_CHAT_ID = 424243
"""A second person on the same database, for trying partner features: ``:switch``."""
DEFAULT_DATABASE_URL = "sqlite:///data/chat.db"
_SHIFT = re.compile(r"^\+?(\d+)([dhm])$")
_UNITS = {"d": "days", "h": "hours", "m": "minutes"}
_SHORTEST_STEP = timedelta(minutes=1)

LOCAL_HELP = """\
Type messages and commands as you would in Telegram, for example /start.
  :N                  tap button N of the latest message with buttons
  @ WORDS             an inline query, as typing "@bot words" in any chat would be
  :location LAT LON   share a location, e.g. :location 52.52 13.40
  :time +1d           move the clock forward (d days, h hours, m minutes)
  :switch             type as the second person (a partner, say), or as yourself again
  :help               this list
  :quit               leave (so does the end of input)"""


@dataclass
class Screen:
    """Prints the bot's messages, and knows whose chat is being typed in."""

    out: TextIO
    color: bool
    typing_in: int = LOCAL_CHAT_ID
    travelling: bool = False
    """While the clock jumps, each message says when it arrived."""

    def show(self, message: BotMessage) -> None:
        label = "Soft Landing (edited)" if message.edited else "Soft Landing"
        if message.chat_id == SECOND_CHAT_ID:
            label = f"{label}, to the second person"
        if self.travelling:
            label += f", {message.date:%A %d %B, %H:%M} UTC"
        text = html_to_text(message.raw_text, color=self.color)
        lines = [f"{label}:", *("  " + line for line in text.splitlines())]
        if message.document_name is not None:
            size = len(message.document_bytes or b"")
            lines.append(f"  [file] {message.document_name}, {size} bytes")
        if message.labels:
            lines.append("  " + "   ".join(f"[{i}] {t}" for i, t in enumerate(message.labels, 1)))
        for row in message.reply_keyboard:
            lines.append("  " + "   ".join(f"<{key}> (:location LAT LON)" for key in row))
        print("\n".join(lines) + "\n", file=self.out, flush=True)

    def pop_up(self, answer: CallbackAnswer) -> None:
        """An answer to a tap, which Telegram shows over the chat: an alert with an OK button,
        or a notice that fades by itself. An answer without text shows nothing there."""
        if not answer.text:
            return
        label = "pop-up alert, OK to close" if answer.show_alert else "pop-up notice"
        lines = [f"Soft Landing ({label}):", *("  | " + line for line in answer.text.splitlines())]
        print("\n".join(lines) + "\n", file=self.out, flush=True)

    def switch(self, to: int) -> None:
        """Type in chat ``to`` from now on: ``:N`` taps the buttons that chat shows."""
        self.typing_in = to

    def note(self, text: str) -> None:
        print(f"({text})\n", file=self.out, flush=True)


def run_chat(
    settings: Settings,
    database_url: str,
    stdin: TextIO = sys.stdin,
    out: TextIO = sys.stdout,
    *,
    language: str = DEFAULT_LANGUAGE,
) -> int:
    """``language``: the Telegram ``language_code`` both people's apps are set to, so the
    bot answers as it would someone whose Telegram is in that language."""
    try:
        asyncio.run(_chat(settings, database_url, stdin, out, language))
    except StartError as error:
        print(error, file=sys.stderr)
        return 1
    return 0


async def _chat(
    settings: Settings, database_url: str, stdin: TextIO, out: TextIO, language: str
) -> None:
    clock = ShiftedClock()
    screen = Screen(out, color=out.isatty())
    # Every tap is the typing person's, so every answer to one is theirs to see.
    api = StandInBotAPI(
        clock=clock.now, on_outgoing=_for_chat(screen), on_callback_answer=screen.pop_up
    )
    with _start_up_notes(screen):
        await _run(settings, database_url, clock, api, stdin, screen, language)


async def _run(
    settings: Settings,
    database_url: str,
    clock: ShiftedClock,
    api: StandInBotAPI,
    stdin: TextIO,
    screen: Screen,
    language: str,
) -> None:
    async with open_services(settings, database_url, clock) as services:
        application = build_application(
            settings,
            services,
            request=api,
            rate_limited=False,
            sleep=_passing(clock),
            monotonic=lambda: clock.now().timestamp(),
        )
        async with application:
            await publish_commands(application, services.library)
            # Running, as the real bot is: work a handler starts in the background (a
            # breathing exercise) belongs to the application, and is not left unowned.
            await application.start()
            session = asyncio.all_tasks()
            try:
                await _converse(application, api, stdin, clock, screen, language)
            finally:
                await _end_background_work(session)
                await application.stop()


class _NoteHandler(logging.Handler):
    def __init__(self, screen: Screen) -> None:
        super().__init__(logging.WARNING)
        self.screen = screen

    def emit(self, record: logging.LogRecord) -> None:
        self.screen.note(record.getMessage())


@contextmanager
def _start_up_notes(screen: Screen) -> Iterator[None]:
    """The data key's warning (a new key written: back it up) is one local note in the chat,
    not a log line printed into the conversation; a real run logs it as ever."""
    logger = logging.getLogger("scheduler.crypto")
    handler, propagated = _NoteHandler(screen), logger.propagate
    logger.addHandler(handler)
    logger.propagate = False
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.propagate = propagated


def _passing(clock: ShiftedClock) -> Callable[[float], Awaitable[None]]:
    """The scheduled sender's wait (a second between two messages to one chat) moves the
    chat's clock instead of the wall's: a month of lessons would otherwise take a second
    of real waiting for each."""

    async def wait(seconds: float) -> None:
        clock.advance(timedelta(seconds=max(0.0, seconds)))
        await asyncio.sleep(0)

    return wait


async def _converse(
    application: BotApplication,
    api: StandInBotAPI,
    stdin: TextIO,
    clock: ShiftedClock,
    screen: Screen,
    language: str,
) -> None:
    drivers = {
        chat_id: ChatDriver(
            application, api, chat_id=chat_id, first_name=name, language_code=language
        )
        for chat_id, name in ((LOCAL_CHAT_ID, "You"), (SECOND_CHAT_ID, "Second"))
    }
    interactive = stdin.isatty()
    if interactive:
        screen.note("Soft Landing, locally. :help lists the local commands.")
    engine = engine_of(application)
    while (line := await _read_line(stdin, screen.out if interactive else None)) is not None:
        if line.strip() == ":switch":
            _switch(screen)
            continue
        if not await _handle(line.strip(), drivers[screen.typing_in], clock, screen, engine):
            break
        await engine.tick()
        # The jobs of a real run, after each line: due lessons, and erases still owed.
        await finish_owed_erases(BotContext(application))


def _switch(screen: Screen) -> None:
    second = screen.typing_in == LOCAL_CHAT_ID
    screen.switch(SECOND_CHAT_ID if second else LOCAL_CHAT_ID)
    screen.note("now typing as the second person" if second else "now typing as yourself")


async def _end_background_work(session: set[asyncio.Task[Any]]) -> None:
    """Cancel what handlers started and left running (an exercise mid-way): leaving the chat
    ends it, where stopping the application would wait for it to finish in real time."""
    started = asyncio.all_tasks() - session - {asyncio.current_task()}
    for task in started:
        task.cancel()
    await asyncio.gather(*started, return_exceptions=True)


def _for_chat(screen: Screen) -> Callable[[BotMessage], None]:
    def show(message: BotMessage) -> None:
        if message.chat_id in (LOCAL_CHAT_ID, SECOND_CHAT_ID):
            screen.show(message)

    return show


async def _read_line(stdin: TextIO, prompt_to: TextIO | None) -> str | None:
    if prompt_to is not None:
        print("you > ", end="", file=prompt_to, flush=True)
    line = await asyncio.to_thread(stdin.readline)
    return line if line else None


async def _handle(
    line: str, driver: ChatDriver, clock: ShiftedClock, screen: Screen, engine: Engine
) -> bool:
    """Act on one typed line; False to leave."""
    if not line:
        return True
    if line.startswith("@"):
        await _inline(line[1:].strip(), driver, screen)
        return True
    if not line.startswith(":"):
        await driver.send(line)
        return True
    word, _, rest = line[1:].partition(" ")
    if word == "quit":
        return False
    if word.isdigit():
        await _tap(int(word), driver, screen)
    elif word == "location":
        await _share_location(rest, driver, screen)
    elif word == "time":
        await _travel(rest.strip(), clock, screen, engine)
    else:
        screen.note(LOCAL_HELP)
    return True


async def _tap(number: int, driver: ChatDriver, screen: Screen) -> None:
    # The chat's own messages, as they read now, say which buttons there are: an edit can
    # take a keyboard away after it was printed (sharing ended by the other person).
    buttons = _latest_buttons(driver)
    if not 1 <= number <= len(buttons):
        screen.note(f"there is no button {number}; the latest message has {len(buttons)}")
        return
    button = buttons[number - 1]
    if "switch_inline_query_chosen_chat" in button:
        # Telegram would open a chat picker, then list these cards above the keyboard.
        await _inline(
            str(button["switch_inline_query_chosen_chat"].get("query", "")), driver, screen
        )
    elif "url" in button:
        screen.note(f"a link: {button['url']}")
    elif "callback_data" in button:
        await driver.tap_data(str(button["callback_data"]))
    else:
        screen.note(f"button {number} works only in Telegram itself")


def _latest_buttons(driver: ChatDriver) -> list[Mapping[str, Any]]:
    """The buttons of the latest message with buttons in this chat, as Telegram sent them."""
    with_buttons = [message for message in driver.messages if message.buttons]
    markup = with_buttons[-1].reply_markup if with_buttons else None
    return [button for row in (markup or {}).get("inline_keyboard", []) for button in row]


async def _inline(query: str, driver: ChatDriver, screen: Screen) -> None:
    """Show an inline query's results the way Telegram lists them above the keyboard."""
    results = await driver.inline_query(query)
    if not results:
        screen.note(f"no inline results for {query!r}")
        return
    lines = [
        f"[{n}] {r.get('title', '')} - {r.get('description', '')}" for n, r in enumerate(results, 1)
    ]
    screen.note("inline results:\n" + "\n".join(lines))


async def _share_location(rest: str, driver: ChatDriver, screen: Screen) -> None:
    try:
        latitude, longitude = (float(part) for part in rest.split())
    except ValueError:
        screen.note("expected :location LATITUDE LONGITUDE, for example :location 52.52 13.40")
        return
    await driver.send_location(latitude, longitude)


async def _travel(amount: str, clock: ShiftedClock, screen: Screen, engine: Engine) -> None:
    """Move the clock forward, stopping to tick at each moment something falls due, so every
    scheduled message arrives at its own moment, just as it would while the bot runs; the
    quiet stretches in between are jumped over, so a month passes in moments."""
    match = _SHIFT.match(amount)
    if match is None:
        screen.note("expected :time +1d, :time +2h or :time +30m")
        return
    target = clock.now() + timedelta(**{_UNITS[match.group(2)]: int(match.group(1))})
    screen.travelling = True
    try:
        await _tick_until(target, clock, engine)
    finally:
        screen.travelling = False
    screen.note(f"the clock now reads {clock.now():%A %d %B %Y, %H:%M} UTC")


async def _tick_until(target: datetime, clock: ShiftedClock, engine: Engine) -> None:
    while clock.now() < target:
        soonest = await engine.next_due()
        # At least a minute on: an item due now that the tick leaves (already delivered
        # today, say) must not hold the clock still.
        stop = target if soonest is None else max(soonest, clock.now() + _SHORTEST_STEP)
        clock.advance(max(timedelta(), min(stop, target) - clock.now()))
        await engine.tick()
