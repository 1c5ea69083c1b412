"""``/reminders``: gentle nudges toward stress-lowering routines, on chosen days and time;
and the two buttons under each reminder."""

from __future__ import annotations

from telegram import ReplyKeyboardRemove, Update

from bot import buttons, replies
from bot.buttons import Press, on
from bot.context import BotContext
from bot.flows import Answers, Draft, ScheduleQuestions
from bot.ui import reminders as ui
from lessons.model import Routine
from scheduler.actions import Refusal
from scheduler.actions import reminders as actions


async def overview(update: Update, context: BotContext) -> None:
    """The summary while reminders are on; after a stop, the offer to resume them as they
    were or choose again; else the first question."""
    current = await actions.reminders_overview(context.store, replies.chat_id(update))
    if current is None:
        await _ask_routines(update, context)
    elif current.reminders.stopped:
        await replies.send(update, ui.stopped(context, current), ui.stopped_keyboard(context))
    else:
        markup = ui.summary_keyboard(context, current)
        await replies.send(update, ui.summary(context, current), markup)


async def _ask_routines(update: Update, context: BotContext) -> None:
    draft = QUESTIONS.open(context, routines=[])
    markup = ui.routine_keyboard(context.catalog, draft["routines"], QUESTIONS.nav(context, None))
    await replies.send(update, context.text("reminders.routines.ask"), markup)


async def _routines_again(press: Press, draft: Draft) -> None:
    """Back from how often: the routines again, in place, as they were ticked."""
    nav = QUESTIONS.nav(press.context, None)
    markup = ui.routine_keyboard(press.context.catalog, draft["routines"], nav)
    await press.edit(press.text("reminders.routines.ask"), markup)


async def _begin(press: Press) -> None:
    await _ask_routines(press.update, press.context)


async def _toggle(press: Press, index: int) -> None:
    draft = QUESTIONS.open_draft(press)
    routines = press.context.catalog.routines
    if draft is None:
        return
    if index >= len(routines):
        press.stale()
        return
    chosen: list[str] = draft["routines"]
    routine_id = routines[index].id
    if routine_id in chosen:
        chosen.remove(routine_id)
    else:
        chosen.append(routine_id)
    markup = ui.routine_keyboard(press.context.catalog, chosen, QUESTIONS.nav(press.context, None))
    await press.edit(press.text("reminders.routines.ask"), markup)


async def _routines_chosen(press: Press) -> None:
    draft = QUESTIONS.open_draft(press)
    if draft is None:
        return
    if not draft["routines"]:
        press.say("reminders.routines.none", alert=True)
        return
    await QUESTIONS.ask_cadence(press.update, press.context)


async def _confirm(update: Update, context: BotContext, answers: Answers) -> None:
    chosen = await actions.choose_reminders(
        context.store,
        context.catalog,
        context.services.clock.now(),
        replies.chat_id(update),
        answers.draft["routines"],
        answers.days,
        answers.local_time,
        answers.zone,
        context.language,
    )
    await replies.send(update, context.text("reminders.saved"), ReplyKeyboardRemove())
    await replies.send(update, ui.summary(context, chosen), ui.summary_keyboard(context, chosen))


async def _pause(press: Press, paused: bool) -> None:
    result = await actions.pause_reminders(
        press.context.store, press.now, press.chat_id, paused=paused
    )
    if isinstance(result, Refusal):
        press.stale()
        return
    await press.edit(ui.summary(press.context, result), ui.summary_keyboard(press.context, result))


async def _stop(press: Press) -> None:
    if await actions.stop_reminders(press.context.store, press.now, press.chat_id) is not None:
        press.stale()
        return
    await press.edit(press.text("reminders.stopped"))


async def _resume(press: Press) -> None:
    """The kept reminders back on; the summary then says when the next one really arrives.
    An old offer answers plainly: on already, or nothing kept to resume (erased, or set up
    afresh since)."""
    context = press.context
    resumed = await actions.resume_reminders(
        context.store, context.catalog, press.now, press.chat_id
    )
    if resumed is Refusal.ALREADY_DONE:
        press.say("reminders.resume.already")
        return
    if isinstance(resumed, Refusal):
        press.say("reminders.resume.gone", alert=True)
        return
    schedule = resumed.schedule
    text = f"{press.text('reminders.resumed')}\n\n{ui.summary(context, schedule)}"
    if resumed.lessons_stopped:
        # /stop silenced both; this brought back the reminders only, and says so.
        text += "\n\n" + press.text("reminders.resumed.lessons_off")
    await press.edit(text, ui.summary_keyboard(context, schedule))


async def _done(press: Press, _: Routine) -> None:
    """A kind word and nothing more: no streaks, no score."""
    if await actions.reminder_done(press.context.store, press.chat_id) is not None:
        press.stale()
        return
    press.say("reminders.done")
    await _drop_buttons(press)


async def _later(press: Press, routine: Routine) -> None:
    """Ask again in an hour, once: the snoozed reminder comes back with "done" only."""
    context = press.context
    result = await actions.snooze(
        context.store, context.catalog, press.now, press.chat_id, routine.id
    )
    if result is Refusal.ALREADY_SNOOZED:
        press.say("reminders.later.once", alert=True)
        return
    if isinstance(result, Refusal):
        press.stale()
        return
    press.say("reminders.later.ok")
    message = press.message
    if message is not None:
        await message.edit_reply_markup(ui.reminder_keyboard(context.catalog, routine, later=False))


async def _drop_buttons(press: Press) -> None:
    message = press.message
    if message is not None:
        await message.edit_reply_markup(None)


QUESTIONS = ScheduleQuestions(ui.REMINDERS, _confirm, _routines_again)

BUTTONS = buttons.router(
    ui.REMINDERS,
    on(ui.BEGIN, _begin),
    on(ui.TOGGLE, _toggle),
    on(ui.NEXT, _routines_chosen),
    on(ui.PAUSE, _pause),
    on(ui.STOP, _stop),
    on(ui.RESUME, _resume),
    on(ui.DONE, _done),
    on(ui.LATER, _later),
    *QUESTIONS.routes(),
)
