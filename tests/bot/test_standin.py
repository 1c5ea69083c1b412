"""The Bot API stand-in and the chat driver, checked against a tiny real Application.

The app here is deliberately not Soft Landing's: these tests pin down the stand-in's own
contract (Telegram's shapes and errors), so the end-to-end tests can trust it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from telegram import (
    BotCommand,
    ChatMemberBanned,
    ChatMemberMember,
    ChatMemberUpdated,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InlineQueryResultsButton,
    InputTextMessageContent,
    Update,
)
from telegram.constants import ParseMode
from telegram.error import BadRequest, EndPointNotFound, Forbidden, NetworkError, RetryAfter
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    ContextTypes,
    Defaults,
    InlineQueryHandler,
    MessageHandler,
    filters,
)
from telegram.request import RequestData

from bot.standin import BotMessage, Button, CallbackAnswer, ChatDriver, StandInBotAPI

App = Application[Any, Any, Any, Any, Any, Any]
Context = ContextTypes.DEFAULT_TYPE
NOW = datetime(2026, 3, 23, 9, 0, tzinfo=UTC)


def keyboard() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton("Begin", callback_data="demo:begin")],
            [
                InlineKeyboardButton("Not now", callback_data="demo:later"),
                InlineKeyboardButton("Read more", url="https://example.org/more"),
            ],
        ]
    )


async def start(update: Update, context: Context) -> None:
    assert update.effective_message is not None
    payload = " ".join(context.args or [])
    text = "Welcome, <b>friend</b> &amp; hello" + (f" ({payload})" if payload else "")
    await update.effective_message.reply_text(text, reply_markup=keyboard())


async def document(update: Update, context: Context) -> None:
    assert update.effective_chat is not None
    await context.bot.send_document(
        update.effective_chat.id, b"your data", filename="export.json", caption="Your data"
    )


async def tapped(update: Update, context: Context) -> None:
    query = update.callback_query
    assert query is not None
    await query.answer(f"got {query.data}")
    # No reply_markup: Telegram removes the keyboard on such an edit.
    await query.edit_message_text(f"You chose {query.data}")


async def echo(update: Update, context: Context) -> None:
    assert update.effective_message is not None and update.effective_message.text is not None
    await update.effective_message.reply_text(update.effective_message.text)


async def located(update: Update, context: Context) -> None:
    message = update.effective_message
    assert message is not None and message.location is not None
    await message.reply_text(f"at {message.location.latitude:.2f},{message.location.longitude:.2f}")


async def inline(update: Update, context: Context) -> None:
    query = update.inline_query
    assert query is not None
    content = InputTextMessageContent(f"Try: {query.query}")
    # "start:PARAMETER" puts a button above the results that opens the bot with it.
    start = query.query.removeprefix("start:") if query.query.startswith("start:") else None
    button = None if start is None else InlineQueryResultsButton(text="Open", start_parameter=start)
    await query.answer(
        [InlineQueryResultArticle("1", f"About {query.query}", content)], button=button
    )


@pytest.fixture
def clock() -> list[datetime]:
    return [NOW]


@pytest.fixture
def api(clock: list[datetime]) -> StandInBotAPI:
    return StandInBotAPI(clock=lambda: clock[0])


async def build(api: StandInBotAPI) -> App:
    app: App = (
        ApplicationBuilder()
        .token("123:TEST")
        .defaults(Defaults(parse_mode=ParseMode.HTML))
        .request(api)
        .get_updates_request(api)
        .build()
    )
    app.add_handlers(
        [
            CommandHandler("start", start),
            CommandHandler("doc", document),
            CallbackQueryHandler(tapped),
            MessageHandler(filters.LOCATION, located),
            MessageHandler(filters.TEXT & ~filters.COMMAND, echo),
            InlineQueryHandler(inline),
        ]
    )
    await app.initialize()
    return app


@pytest.fixture
async def app(api: StandInBotAPI) -> AsyncIterator[App]:
    application = await build(api)
    yield application
    await application.shutdown()


@pytest.fixture
def alex(app: App, api: StandInBotAPI) -> ChatDriver:
    return ChatDriver(app, api, chat_id=1001)


# PTB 22 warns, even while building a RetryAfter, that retry_after will become a timedelta.
ignore_retry_after_deprecation = pytest.mark.filterwarnings(
    "ignore::telegram.warnings.PTBDeprecationWarning"
)


def seconds(error: RetryAfter) -> float:
    value = error.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


# -- Conversation --------------------------------------------------------------------------------


async def test_initialize_asks_for_the_bot_itself(app: App, api: StandInBotAPI) -> None:
    assert api.calls[0].method == "getMe"
    assert app.bot.id == 123
    assert app.bot.username == "SoftLandingBot"
    assert app.bot.bot.supports_inline_queries is True


async def test_a_command_gets_a_reply_with_buttons(alex: ChatDriver, api: StandInBotAPI) -> None:
    replies = await alex.send("/start hello")

    assert len(replies) == 1
    reply = replies[0]
    assert reply.text == "Welcome, friend & hello (hello)"
    assert reply.raw_text == "Welcome, <b>friend</b> &amp; hello (hello)"
    assert reply.parse_mode == "HTML"
    assert reply.date == NOW
    assert reply.buttons == (
        (("Begin", "demo:begin"),),
        (("Not now", "demo:later"), Button("Read more", "https://example.org/more")),
    )
    assert reply.labels == ["Begin", "Not now", "Read more"]
    assert alex.last == reply
    # The person's message took id 1 in the chat, the bot's reply id 2, as in Telegram.
    assert reply.message_id == 2


async def test_a_tap_answers_and_edits_the_message(alex: ChatDriver, api: StandInBotAPI) -> None:
    await alex.send("/start")

    replies = await alex.tap("begin")  # a case-insensitive part of the label is enough

    assert [(r.text, r.edited, r.buttons) for r in replies] == [("You chose demo:begin", True, ())]
    assert alex.last_callback_answer is not None
    assert alex.last_callback_answer.text == "got demo:begin"
    assert len(api.messages(1001)) == 1


async def test_a_missing_label_names_the_buttons_there(alex: ChatDriver) -> None:
    await alex.send("/start")

    with pytest.raises(AssertionError, match="'Begin', 'Not now', 'Read more'"):
        await alex.tap("Continue")
    with pytest.raises(AssertionError, match="url button"):
        await alex.tap("Read more")


async def test_an_old_message_can_still_be_tapped(alex: ChatDriver) -> None:
    first = (await alex.send("/start"))[0]
    await alex.send("/start")

    replies = await alex.tap_on(first.message_id, "Not now")

    assert [(r.message_id, r.text) for r in replies] == [(first.message_id, "You chose demo:later")]


async def test_a_button_removed_by_an_edit_can_still_arrive(alex: ChatDriver) -> None:
    sent = (await alex.send("/start"))[0]
    await alex.tap("Begin")  # the edit removes the keyboard

    with pytest.raises(AssertionError, match="no message with buttons"):
        await alex.tap("Not now")
    replies = await alex.tap_on(sent.message_id, "Not now")

    assert [r.text for r in replies] == ["You chose demo:later"]
    with pytest.raises(AssertionError, match="no button 'Later'"):
        await alex.tap_on(sent.message_id, "Later")


async def test_arbitrary_callback_data_reaches_the_bot(alex: ChatDriver) -> None:
    await alex.send("/start")

    replies = await alex.tap_data("garbage")

    assert replies[0].text == "You chose garbage"


async def test_text_and_location_are_delivered(alex: ChatDriver) -> None:
    assert [r.text for r in await alex.send("hi there")] == ["hi there"]
    assert [r.text for r in await alex.send_location(52.52, 13.405)] == ["at 52.52,13.40"]


async def test_a_group_chat_is_a_group(app: App, api: StandInBotAPI) -> None:
    group = ChatDriver(app, api, chat_id=-2001, chat_type="group", user_id=7)

    # Privacy mode, as Telegram's default: chatter is not delivered, commands are.
    assert await group.send("hello all") == []
    replies = await group.send("/start@SoftLandingBot")

    assert [r.chat_id for r in replies] == [-2001]
    assert api.raw_message(-2001, replies[0].message_id)["chat"] == {  # type: ignore[index]
        "id": -2001,
        "type": "group",
        "title": "Soft Landing test group",
    }
    with pytest.raises(ValueError, match="negative"):
        ChatDriver(app, api, chat_id=-5)


async def test_inline_query_results_are_recorded(alex: ChatDriver, api: StandInBotAPI) -> None:
    results = await alex.inline_query("breathing")

    assert [(r["id"], r["title"]) for r in results] == [("1", "About breathing")]
    assert list(api.inline_answers.values()) == [results]


async def test_the_button_above_inline_results_is_recorded_and_checked(
    alex: ChatDriver, api: StandInBotAPI
) -> None:
    assert await alex.inline_query("start:share")
    assert alex.last_inline_button == {"text": "Open", "start_parameter": "share"}
    assert await alex.inline_query("breathing")
    assert alex.last_inline_button is None

    # Telegram takes 1 to 64 of A-Z, a-z, 0-9, "_" and "-" as a start parameter.
    assert await alex.inline_query("start:not allowed!") == []
    call = api.calls_to("answerInlineQuery")[-1]
    assert call.error_code == 400
    assert call.description is not None and "START_PARAM_INVALID" in call.description


async def test_inline_results_with_broken_html_are_refused(
    alex: ChatDriver, api: StandInBotAPI
) -> None:
    # The demo handler puts the query into HTML unescaped, as a buggy bot would.
    assert await alex.inline_query("<oops") == []

    [call] = api.calls_to("answerInlineQuery")
    assert call.error_code == 400
    assert call.description is not None and "can't parse entities" in call.description


async def test_a_document_upload_keeps_name_and_bytes(alex: ChatDriver, api: StandInBotAPI) -> None:
    replies = await alex.send("/doc")

    assert [(r.document_name, r.document_bytes, r.text) for r in replies] == [
        ("export.json", b"your data", "Your data")
    ]
    upload = api.calls_to("sendDocument")[0].files["document"]
    assert (upload.filename, upload.content) == ("export.json", b"your data")


# -- Telegram's rules ------------------------------------------------------------------------


async def test_an_edit_that_changes_nothing_is_refused(app: App, alex: ChatDriver) -> None:
    sent = (await alex.send("/start"))[0]

    with pytest.raises(BadRequest, match="Message is not modified"):
        await app.bot.edit_message_text(
            sent.raw_text, chat_id=1001, message_id=sent.message_id, reply_markup=keyboard()
        )
    with pytest.raises(BadRequest, match="Message is not modified"):
        await app.bot.edit_message_reply_markup(1001, sent.message_id, reply_markup=keyboard())
    with pytest.raises(BadRequest, match="Message to edit not found"):
        await app.bot.edit_message_text("x", chat_id=1001, message_id=99)


async def test_html_telegram_would_refuse_is_refused(app: App, api: StandInBotAPI) -> None:
    # PTB capitalises Telegram's description, so these match case-insensitively.
    with pytest.raises(BadRequest, match=r'(?i)unsupported start tag "" at byte offset 2'):
        await app.bot.send_message(1001, "a < b")
    with pytest.raises(BadRequest, match=r"(?i)can't find end tag"):
        await app.bot.send_message(1001, "<b>open")
    with pytest.raises(BadRequest, match=r"(?i)unmatched end tag"):
        await app.bot.send_message(1001, "<b>x</i>")
    with pytest.raises(BadRequest, match=r"(?i)message text is empty"):
        await app.bot.send_message(1001, "<b> </b>")
    with pytest.raises(BadRequest, match=r"(?i)button_data_invalid"):
        markup = InlineKeyboardMarkup([[InlineKeyboardButton("x", callback_data="x" * 65)]])
        await app.bot.send_message(1001, "fine", reply_markup=markup)
    # Plain text is taken as written, "<" and all.
    sent = await app.bot.send_message(1001, "a < b", parse_mode=None)
    assert sent.text == "a < b"
    assert api.messages(1001)[-1].text == "a < b"


async def test_a_callback_query_can_be_answered_once(app: App, alex: ChatDriver) -> None:
    await alex.send("/start")
    await alex.tap("Begin")
    assert alex.last_callback_answer is not None

    with pytest.raises(BadRequest, match="Query is too old"):
        await app.bot.answer_callback_query(alex.last_callback_answer.query_id)


async def test_messages_can_be_deleted_once(app: App, alex: ChatDriver, api: StandInBotAPI) -> None:
    await alex.send("/start")
    await alex.send("/start")
    first, second = api.messages(1001)

    assert await app.bot.delete_message(1001, first.message_id)
    assert api.messages(1001) == [second]
    with pytest.raises(BadRequest, match="Message to delete not found"):
        await app.bot.delete_message(1001, first.message_id)
    # deleteMessages skips what is gone, as documented; the person's own message goes too.
    assert await app.bot.delete_messages(1001, [first.message_id, second.message_id, 3])
    assert api.messages(1001) == []
    assert api.raw_message(1001, 3) is None


async def test_commands_are_stored_and_checked(app: App, api: StandInBotAPI) -> None:
    await app.bot.set_my_commands([("start", "Begin here"), ("help", "What I can do")])

    assert api.commands == [("start", "Begin here"), ("help", "What I can do")]
    assert await app.bot.get_my_commands() == (
        BotCommand("start", "Begin here"),
        BotCommand("help", "What I can do"),
    )
    with pytest.raises(BadRequest, match=r"(?i)bot_command_invalid"):
        await app.bot.set_my_commands([("Start", "Capitals are not allowed")])
    assert await app.bot.delete_my_commands()
    assert api.commands == []


async def test_descriptions_are_kept_per_language_within_telegrams_limits(
    app: App, api: StandInBotAPI
) -> None:
    await app.bot.set_my_description("Hello", language_code="en")
    await app.bot.set_my_description("Hola", language_code="es")
    await app.bot.set_my_short_description("Hi")

    assert (api.description("en"), api.description("es"), api.description()) == (
        "Hello",
        "Hola",
        "",
    )
    assert api.short_description() == "Hi" and api.short_description("es") == ""
    assert (await app.bot.get_my_description(language_code="es")).description == "Hola"
    assert (await app.bot.get_my_short_description()).short_description == "Hi"
    with pytest.raises(BadRequest, match=r"(?i)description_invalid"):
        await app.bot.set_my_description("x" * 513)
    with pytest.raises(BadRequest, match=r"(?i)short_description_invalid"):
        await app.bot.set_my_short_description("x" * 121)
    await app.bot.set_my_description("x" * 512)
    await app.bot.set_my_short_description("x" * 120)
    # An empty text clears a language's, as Telegram does.
    await app.bot.set_my_description("", language_code="es")
    assert api.description("es") == ""


async def test_housekeeping_methods_answer(app: App, api: StandInBotAPI) -> None:
    assert await app.bot.get_updates() == ()
    assert await app.bot.set_webhook("https://example.org/hook")
    assert (await app.bot.get_webhook_info()).url == "https://example.org/hook"
    assert await app.bot.delete_webhook()
    assert await app.bot.send_chat_action(1001, "typing")
    assert await app.bot.close()
    assert await app.bot.log_out()


async def test_an_unknown_method_is_not_found(app: App, api: StandInBotAPI) -> None:
    with pytest.raises(EndPointNotFound):
        await app.bot.do_api_request("frobnicate")

    code, body = await api.do_request(
        "https://api.telegram.org/bot123:TEST/frobnicate", "POST", RequestData()
    )
    assert (code, body) == (
        404,
        b'{"ok": false, "error_code": 404, "description": "Not Found: method frobnicate"}',
    )
    assert api.calls[-1].error_code == 404


# -- Faults and limits ---------------------------------------------------------------------------


@ignore_retry_after_deprecation
async def test_injected_faults_surface_as_ptb_errors_in_order(app: App, api: StandInBotAPI) -> None:
    api.fail_next(
        "sendMessage",
        error_code=429,
        description="Too Many Requests: retry after 7",
        retry_after=7,
    )
    api.fail_next(
        "sendMessage", error_code=403, description="Forbidden: bot was blocked by the user"
    )
    api.network_error_next("sendMessage", times=2)

    with pytest.raises(RetryAfter) as flood:
        await app.bot.send_message(1001, "one")
    assert seconds(flood.value) == 7
    with pytest.raises(Forbidden, match="blocked"):
        await app.bot.send_message(1001, "two")
    for _ in range(2):
        with pytest.raises(NetworkError):
            await app.bot.send_message(1001, "three")
    await app.bot.send_message(1001, "four")

    outcomes = [(c.error_code, c.network_error) for c in api.calls_to("sendMessage")]
    assert outcomes == [(429, False), (403, False), (None, True), (None, True), (None, False)]
    assert [m.text for m in api.messages(1001)] == ["four"]


async def test_a_blocked_chat_refuses_messages(app: App, api: StandInBotAPI) -> None:
    api.block(1001)
    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await app.bot.send_message(1001, "hello")
    api.unblock(1001)
    assert (await app.bot.send_message(1001, "hello")).text == "hello"


async def test_blocking_through_the_driver_tells_the_bot_and_refuses_messages(
    app: App, alex: ChatDriver, api: StandInBotAPI
) -> None:
    heard: list[ChatMemberUpdated] = []

    async def record(update: Update, context: Context) -> None:
        assert update.my_chat_member is not None
        heard.append(update.my_chat_member)

    app.add_handler(ChatMemberHandler(record, ChatMemberHandler.MY_CHAT_MEMBER))
    assert await alex.block() == []
    assert await alex.block() == [], "Telegram says nothing when nothing changed"
    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await app.bot.send_message(1001, "hello")
    await alex.unblock()
    assert (await app.bot.send_message(1001, "hello")).text == "hello"

    blocked, unblocked = heard
    assert (blocked.chat.id, blocked.chat.type, blocked.from_user.id) == (1001, "private", 1001)
    assert isinstance(blocked.old_chat_member, ChatMemberMember)
    assert isinstance(blocked.new_chat_member, ChatMemberBanned)
    assert blocked.new_chat_member.user.id == app.bot.id
    assert isinstance(unblocked.new_chat_member, ChatMemberMember)


@ignore_retry_after_deprecation
async def test_the_rate_limit_rejects_and_counts() -> None:
    now = [100.0]
    api = StandInBotAPI(max_per_second=3, monotonic=lambda: now[0])
    app = await build(api)

    outcomes = []
    for index in range(5):
        try:
            await app.bot.send_message(1000 + index, "hi")
            outcomes.append("sent")
        except RetryAfter as error:
            outcomes.append(f"retry after {seconds(error):.0f}")
    now[0] += 1.01
    await app.bot.send_message(1001, "later")

    assert outcomes == ["sent", "sent", "sent", "retry after 1", "retry after 1"]
    assert api.rejected_by_rate_limit == 2
    await app.shutdown()


@ignore_retry_after_deprecation
async def test_a_stand_in_that_keeps_nothing_sent_still_counts_and_limits() -> None:
    """A benchmark's stand-in (``keep_sent=False``): every send is answered and counted,
    in order and with its paid flag, none is kept, and the limits hold as before."""
    now = [100.0]
    api = StandInBotAPI(
        max_per_second=3, max_per_chat_per_second=1, monotonic=lambda: now[0], keep_sent=False
    )
    app = await build(api)

    first = await app.bot.send_message(1000, "<b>hi</b>", parse_mode=ParseMode.HTML)
    await app.bot.send_message(1001, "paid", allow_paid_broadcast=True)
    with pytest.raises(RetryAfter):
        await app.bot.send_message(1001, "too soon in this chat")
    now[0] += 1.01
    await app.bot.send_message(1001, "a second later")

    assert first.text == "hi" and first.chat_id == 1000
    assert (api.sent_to, api.paid_sends) == ([1000, 1001, 1001], 1)
    assert api.rejected_by_rate_limit == 1
    assert api.outgoing == [] and api.calls == [] and api.messages(1001) == []
    await app.shutdown()


# -- Hooks ---------------------------------------------------------------------------------------


async def test_every_send_and_edit_reaches_the_listener(
    alex: ChatDriver, api: StandInBotAPI, clock: list[datetime]
) -> None:
    heard: list[BotMessage] = []
    api.on_outgoing = heard.append

    await alex.send("/start")
    clock[0] = NOW + timedelta(minutes=5)
    await alex.tap("Begin")

    assert [(m.text, m.edited) for m in heard] == [
        ("Welcome, friend & hello", False),
        ("You chose demo:begin", True),
    ]
    assert api.raw_message(1001, 2)["edit_date"] == int(clock[0].timestamp())  # type: ignore[index]


async def test_every_accepted_answer_to_a_tap_reaches_its_listener(
    app: App, alex: ChatDriver, api: StandInBotAPI
) -> None:
    heard: list[CallbackAnswer] = []
    api.on_callback_answer = heard.append

    await alex.send("/start")
    await alex.tap("Begin")
    with pytest.raises(BadRequest):  # a second answer is refused, so nobody hears it
        await app.bot.answer_callback_query(heard[0].query_id, "again", show_alert=True)

    assert [(a.text, a.show_alert) for a in heard] == [("got demo:begin", False)]
