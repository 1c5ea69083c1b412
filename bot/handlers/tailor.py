"""The course questions, asked once at the first opt-in and again from /settings; the
"helpful / not for me" taps under a lesson; forgetting the answers; the standard order."""

from __future__ import annotations

from telegram import Update

from bot import buttons, replies
from bot.buttons import Press, on
from bot.context import BotContext
from bot.ui import tailor as ui
from lessons.model import Lesson
from lessons.planner import ComesWith, Relationship, Verdict, Whose
from scheduler.actions import Refusal
from scheduler.actions import tailoring as actions
from scheduler.actions.tailoring import QUESTIONS, Question

_FIRST = QUESTIONS[0]


async def ask_first(update: Update, context: BotContext) -> None:
    """The first question, as a new message, with why it is asked."""
    text = ui.question_text(context, _FIRST, first=True)
    await replies.send(update, text, ui.question_keyboard(context, _FIRST))


async def _answered(press: Press, question: Question, option: str | None) -> None:
    context = press.context
    kept = await actions.answer(context.store, context.catalog, press.chat_id, question, option)
    if isinstance(kept, Refusal):
        press.stale()
        return
    following = ui.next_question(question)
    if following is not None:
        text = ui.question_text(context, following, first=False)
        await press.edit(text, ui.question_keyboard(context, following))
        return
    done = "tailor.done" if kept.answered else "tailor.done_skipped"
    await press.edit(press.text(done) + "\n\n" + ui.answers_lines(context.catalog, kept.answers))


async def _whose(press: Press, option: Whose) -> None:
    await _answered(press, Question.WHOSE, option.value)


async def _relationship(press: Press, option: Relationship) -> None:
    await _answered(press, Question.RELATIONSHIP, option.value)


async def _comes_with(press: Press, option: ComesWith) -> None:
    await _answered(press, Question.COMES_WITH, option.value)


async def _skip(press: Press, question: Question) -> None:
    await _answered(press, question, None)


async def _feedback(press: Press, lesson: Lesson, verdict: Verdict) -> None:
    """One tap, a kind word in the tap's answer; the lesson message stays as it is."""
    context = press.context
    taken = await actions.give_feedback(
        context.store, context.catalog, press.chat_id, lesson, verdict
    )
    if isinstance(taken, Refusal):
        press.stale()
    elif not taken.counted:
        press.say("tailor.feedback.again")
    elif verdict is Verdict.HELPFUL:
        press.say("tailor.feedback.helpful")
    else:
        press.say("tailor.feedback.care" if taken.care else "tailor.feedback.not_for_me")


async def _page(press: Press) -> None:
    context = press.context
    view = await actions.tailoring(context.store, context.catalog, press.chat_id)
    if view is None:
        press.stale()
        return
    await press.edit(*ui.page(context, view))


async def _change(press: Press) -> None:
    text = ui.question_text(press.context, _FIRST, first=True)
    await press.edit(text, ui.question_keyboard(press.context, _FIRST))


async def _forget(press: Press) -> None:
    context = press.context
    view = await actions.forget_answers(context.store, context.catalog, press.chat_id)
    await _redraw(press, view, "tailor.forgotten")


async def _standard(press: Press, standard: bool) -> None:
    context = press.context
    view = await actions.use_standard_order(
        context.store, context.catalog, press.chat_id, standard=standard
    )
    await _redraw(press, view, "tailor.standard_on" if standard else "tailor.standard_off")


async def _redraw(press: Press, view: actions.Tailoring | Refusal, note: str) -> None:
    if isinstance(view, Refusal):
        press.stale()
        return
    text, markup = ui.page(press.context, view)
    await press.edit(press.text(note) + "\n\n" + text, markup)


BUTTONS = buttons.router(
    ui.TAILOR,
    on(ui.WHOSE, _whose),
    on(ui.RELATIONSHIP, _relationship),
    on(ui.COMES_WITH, _comes_with),
    on(ui.SKIP, _skip),
    on(ui.FEEDBACK, _feedback),
    on(ui.PAGE, _page),
    on(ui.CHANGE, _change),
    on(ui.FORGET, _forget),
    on(ui.STANDARD, _standard),
)
