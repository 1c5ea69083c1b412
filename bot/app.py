"""The one composition point: ``run``, ``chat`` and the tests all build the bot here.

``wire`` lists every handler in the order that matters, so the whole bot is on one screen:
group chats are turned away first, then commands, then buttons by feature, then free text.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Coroutine
from datetime import timedelta
from typing import Any

from telegram import Update
from telegram.constants import ParseMode
from telegram.ext import (
    Application,
    ApplicationBuilder,
    BaseHandler,
    CommandHandler,
    ContextTypes,
    Defaults,
    InlineQueryHandler,
    JobQueue,
    MessageHandler,
    filters,
)
from telegram.request import BaseRequest

from bot import buttons, commands, pending
from bot.context import BotContext, Services, attach_engine, attach_services
from bot.delivery import ChatSpacing, Monotonic, Sleep, TelegramSender
from bot.handlers import (
    admin,
    breathe,
    care,
    couple,
    course,
    daily,
    fallback,
    groups,
    inline,
    language,
    partner,
    phrases,
    presence,
    privacy,
    reminders,
    settings,
    start,
    support,
    tailor,
    techniques,
    why,
)
from bot.limiter import Pacer, PriorityLimiter
from bot.metrics import metrics_of
from bot.ordering import PerChatOrder
from bot.settings import Settings
from lessons.library import Library
from scheduler.delivery import MAX_GROUP, Engine, Sender

BotApplication = Application[Any, BotContext, Any, Any, Any, Any]
CommandCallback = Callable[[Update, BotContext], Coroutine[Any, Any, None]]

TICK_INTERVAL = timedelta(seconds=30)
"""How long the engine rests between ticks once nothing more is due."""
TICK_JOB = "delivery-tick"
ERASE_RETRY_INTERVAL = timedelta(seconds=10)
# Passed to getUpdates and setWebhook by name: left out, Telegram keeps whatever list an
# earlier run of this token set. It must include my_chat_member, Telegram's word that a
# person blocked or unblocked the bot (bot.handlers.presence): without it, someone who comes
# back stays paused until their next /start. ALL_TYPES includes it.
ALLOWED_UPDATES: list[str] = Update.ALL_TYPES
# A token-shaped stand-in for local runs: the in-process Bot API never checks it.
OFFLINE_TOKEN = "1000000:offline-soft-landing"

COMMAND_HANDLERS: dict[str, CommandCallback] = {
    "start": start.welcome,
    "daily": daily.begin,
    "lesson": course.next_lesson,
    "share": course.share_last,
    "partner": partner.overview,
    "techniques": techniques.menu,
    "breathe": breathe.begin,
    "why": why.menu,
    "phrases": phrases.menu,
    "reminders": reminders.overview,
    "settings": settings.overview,
    "language": language.ask,
    "support": support.show,
    "privacy": privacy.explain,
    "export": privacy.export,
    "delete": privacy.confirm_delete,
    "stop": privacy.stop_everything,
    "help": fallback.help_command,
}

# Every feature's buttons, each answered by its own table (``bot.buttons``).
BUTTON_HANDLERS: tuple[buttons.ButtonHandler, ...] = (
    daily.BUTTONS,
    course.BUTTONS,
    techniques.BUTTONS,
    breathe.BUTTONS,
    phrases.BUTTONS,
    partner.BUTTONS,
    couple.BUTTONS,
    reminders.BUTTONS,
    settings.BUTTONS,
    privacy.BUTTONS,
    why.BUTTONS,
    care.BUTTONS,
    tailor.BUTTONS,
    language.BUTTONS,
)

# What a typed message or a shared location answers, by the flow step that is waiting for it.
INPUTS = daily.QUESTIONS.inputs() | reminders.QUESTIONS.inputs() | settings.INPUTS | couple.INPUTS


def build_application(
    settings_: Settings,
    services: Services,
    *,
    request: BaseRequest | None = None,
    rate_limited: bool = True,
    sender: Sender | None = None,
    sleep: Sleep = asyncio.sleep,
    monotonic: Monotonic = time.monotonic,
) -> BotApplication:
    """The bot, ready to ``initialize``: every dependency a run or a test may swap comes in
    here, so the engine is built once, with the settings' grace and group.

    ``request`` replaces the network (the stand-in); ``sender`` replaces the Telegram
    sender of scheduled messages; ``sleep`` is what that sender waits with (retry-after,
    back-off, one second between messages to a chat), so tests need not really wait, and
    ``monotonic`` what its one-second spacing per chat measures with, so a sleep that does
    not really wait can still move it on. The clock is ``services.clock``."""
    builder: ApplicationBuilder[Any, Any, Any, Any, Any, Any] = (
        ApplicationBuilder()
        .token(settings_.token or OFFLINE_TOKEN)
        .defaults(Defaults(parse_mode=ParseMode.HTML))
        .context_types(ContextTypes(context=BotContext))
        .concurrent_updates(PerChatOrder())
    )
    if settings_.api_base_url:
        builder = builder.base_url(bot_api_base_url(settings_.api_base_url))
    if request is not None:
        builder = builder.request(request).get_updates_request(request)
    if rate_limited:
        builder = builder.rate_limiter(rate_limiter(settings_))
    application: BotApplication = builder.build()
    attach_services(application, services)
    if sender is None:
        sender = TelegramSender(
            application.bot,
            services.library,
            sleep=sleep,
            spacing=ChatSpacing(monotonic=monotonic),
            paid_broadcast=settings_.paid_broadcast,
        )
    engine = Engine(
        services.store,
        # Which lesson comes next reads the course's structure, the same in every language
        # (``lessons check`` proves it); the sender says it in each person's language.
        services.library.default_catalog,
        services.clock,
        sender,
        grace=settings_.delivery_grace,
        lease=settings_.delivery_lease,
        # About one second's worth of sends at a time, however slow SEND_RATE is set, and
        # never more than MAX_GROUP, however fast (paid broadcast).
        group=min(MAX_GROUP, max(1, round(settings_.send_rate))),
    )
    attach_engine(application, engine)
    wire(application, settings_.admin_ids)
    return application


def rate_limiter(settings_: Settings) -> PriorityLimiter:
    """The limiter every rate-limited bot gets (the benchmarks measure this one too).

    One message every 1/send_rate seconds, not a bucket of send_rate at once: Telegram
    counts any one second, so a burst of 30 followed by one more meets a 429. Replies go
    before scheduled sends. Three retries of a 429 rather than PTB's default of none, which
    would surface every 429 as an error."""
    return PriorityLimiter(Pacer(settings_.send_rate), max_retries=3)


def start_ticking(application: BotApplication, every: timedelta = TICK_INTERVAL) -> None:
    """One job drives all delivery. Each tick, once over, plans the next ``every`` later: a
    tick that drains a backlog for minutes is never overlapped nor skipped, and the wait only
    begins once nothing more is due. A second job, apart so that a database still locked
    cannot hold deliveries up, tries again the erases that failed (each waits its own
    back-off, in ``scheduler.erasures``); these are the only jobs the bot schedules."""
    assert application.job_queue is not None  # the job-queue extra is a dependency
    _plan_tick(application.job_queue, every, timedelta(seconds=1))
    application.job_queue.run_repeating(
        privacy.finish_owed_erases,
        interval=ERASE_RETRY_INTERVAL,
        first=1,
        # APScheduler's default grace of one second would silently drop a late run.
        job_kwargs={
            "misfire_grace_time": int(ERASE_RETRY_INTERVAL.total_seconds()),
            "coalesce": True,
            "max_instances": 1,
        },
    )


def _plan_tick(job_queue: JobQueue[Any], every: timedelta, after: timedelta) -> None:
    job_queue.run_once(
        _tick,
        when=after,
        data=every,
        name=TICK_JOB,
        # APScheduler's default grace of one second would silently drop a late tick.
        job_kwargs={"misfire_grace_time": None},
    )


async def _tick(context: BotContext) -> None:
    started = time.monotonic()
    try:
        report = await context.engine.tick()
        metrics_of(context.application).record_tick(report, time.monotonic() - started)
    finally:
        if not context.engine.stopping:
            assert context.job is not None and isinstance(context.job.data, timedelta)
            assert context.job_queue is not None
            _plan_tick(context.job_queue, context.job.data, context.job.data)


def bot_api_base_url(server: str) -> str:
    """PTB appends the token to ``base_url``; people configure just the server address."""
    server = server.rstrip("/")
    return server if server.endswith("/bot") else f"{server}/bot"


def wire(application: BotApplication, admin_ids: frozenset[int] = frozenset()) -> None:
    if set(COMMAND_HANDLERS) != set(commands.COMMANDS):
        raise RuntimeError("every command needs exactly one handler and one menu entry")
    # First of all: the language this person is answered in (a store read only when this
    # process does not know it yet).
    application.add_handler(language.handler(), group=-3)
    # Group chats get one polite line and nothing else; this group runs before all others.
    application.add_handler(groups.handler(), group=-2)
    # Before any command: forget a half-finished question. Handlers in this group do not
    # stop the command's own handler. It reads nothing from the store: it runs every time.
    application.add_handler(
        MessageHandler(filters.COMMAND & filters.ChatType.PRIVATE, presence.on_command), group=-1
    )
    # Telegram's word that a person blocked or unblocked the bot (my_chat_member, which
    # ALLOWED_UPDATES must include): pauses or resumes their schedules.
    application.add_handler(presence.handler())
    application.add_handlers(_command_handlers())
    # /stats is for ADMIN_IDS only, so it is kept out of COMMANDS (the public menu and
    # /help). It must come before the unknown-command fallback below, which answers
    # everyone else exactly as for a typo.
    application.add_handler(admin.handler(admin_ids))
    application.add_handlers(BUTTON_HANDLERS)
    application.add_handler(InlineQueryHandler(inline.answer))
    application.add_handlers(
        [
            MessageHandler(
                filters.LOCATION & filters.ChatType.PRIVATE,
                pending.router(INPUTS.location, fallback.on_location),
            ),
            MessageHandler(filters.COMMAND & filters.ChatType.PRIVATE, fallback.unknown_command),
            MessageHandler(
                filters.TEXT & filters.ChatType.PRIVATE,
                pending.router(INPUTS.text, care.on_text),
            ),
            MessageHandler(filters.ALL & filters.ChatType.PRIVATE, fallback.on_other),
            buttons.unknown_handler(),
        ]
    )
    application.add_error_handler(fallback.on_error)


def _command_handlers() -> list[BaseHandler[Any, BotContext, Any]]:
    # Deep links arrive as "/start PAYLOAD"; the start handler reads context.args itself.
    return [
        CommandHandler(name, COMMAND_HANDLERS[name], filters=filters.ChatType.PRIVATE)
        for name in commands.COMMANDS
    ]


async def publish_commands(application: BotApplication, library: Library) -> None:
    """Telegram's own surfaces, in every language: the command menu, the description (the
    empty chat before /start) and the short one (the profile, and a shared link). Once
    with no language code, in the default language, for everyone whose app language the
    content lacks, then once per language. Called once after ``initialize`` by whoever
    starts the bot."""
    bot = application.bot
    for code in (None, *library.languages):
        catalog = library.catalog(code)
        await bot.set_my_commands(commands.menu(catalog), language_code=code)
        await bot.set_my_description(catalog.text("bot.description"), language_code=code)
        await bot.set_my_short_description(
            catalog.text("bot.short_description"), language_code=code
        )
