"""The course questions, "helpful / not for me" under a lesson, and the page in /settings
that shows the answers: their buttons and their texts."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup

from bot import buttons
from bot.context import Speaks
from bot.ui.keyboards import Row, keyboard
from lessons.model import Catalog, Lesson
from lessons.planner import Answers, ComesWith, Reason, Relationship, Verdict, Whose
from scheduler.actions.tailoring import QUESTIONS, Question, Tailoring
from scheduler.profile import Profile


def _find(context: Speaks, lesson_id: str) -> Lesson | None:
    entry = context.catalog.entry(lesson_id)
    return entry if isinstance(entry, Lesson) else None


_lesson_arg = buttons.catalog_arg(_find, lambda lesson: lesson.id)

TAILOR = buttons.Feature("fit")
WHOSE = TAILOR.button1("whose", buttons.enum_arg(Whose))
RELATIONSHIP = TAILOR.button1("rel", buttons.enum_arg(Relationship))
COMES_WITH = TAILOR.button1("with", buttons.enum_arg(ComesWith))
SKIP = TAILOR.button1("skip", buttons.enum_arg(Question))
"""Each answer's button names its question and option, so a late tap changes that one."""
FEEDBACK = TAILOR.button2("fb", _lesson_arg, buttons.enum_arg(Verdict))
"""Under a lesson, naming it and the verdict: a second tap on it counts once."""
PAGE = TAILOR.button("page")
CHANGE = TAILOR.button("change")
FORGET = TAILOR.button("forget")
STANDARD = TAILOR.button1("standard", buttons.flag_arg)
"""Sets the standard order on or off (the value, not a flip)."""


def question_text(context: Speaks, question: Question, *, first: bool) -> str:
    """The question, with the line on why it is asked before the first one."""
    asked = context.text(f"tailor.q.{question.value}")
    return context.text("tailor.intro") + "\n\n" + asked if first else asked


def question_keyboard(context: Speaks, question: Question) -> InlineKeyboardMarkup:
    """Its options, then "not sure" and "skip", which are always there."""
    rows = _option_rows(context, question)
    rows.append([(context.text("tailor.skip"), SKIP.data(question))])
    return keyboard(*rows)


def _option_rows(context: Speaks, question: Question) -> list[Row]:
    def label(option: str) -> str:
        return option_label(context, question, option)

    if question is Question.WHOSE:
        return [[(label(option.value), WHOSE.data(option))] for option in Whose]
    if question is Question.RELATIONSHIP:
        return [[(label(option.value), RELATIONSHIP.data(option))] for option in Relationship]
    return [[(label(option.value), COMES_WITH.data(option))] for option in ComesWith]


def next_question(question: Question) -> Question | None:
    index = QUESTIONS.index(question) + 1
    return QUESTIONS[index] if index < len(QUESTIONS) else None


def option_label(context: Speaks, question: Question, option: str) -> str:
    return context.text(f"tailor.{question.value}.{option}")


def answers_lines(catalog: Catalog, answers: Answers) -> str:
    """One line per question: the option chosen, or "skipped"."""
    chosen = {
        Question.WHOSE: answers.whose,
        Question.RELATIONSHIP: answers.relationship,
        Question.COMES_WITH: answers.comes_with,
    }
    lines = []
    for question, value in chosen.items():
        shown = (
            catalog.text("tailor.skipped")
            if value is None
            else catalog.text(f"tailor.{question.value}.{value.value}")
        )
        lines.append(catalog.text(f"tailor.page.{question.value}", answer=shown))
    return "\n".join(lines)


def reason_line(catalog: Catalog, reason: Reason | None) -> str | None:
    """Why the next lesson comes next, in the person's own terms; None for its usual place."""
    return None if reason is None else catalog.text(f"tailor.why.{reason.value}")


def page(context: Speaks, view: Tailoring) -> tuple[str, InlineKeyboardMarkup]:
    """The /settings page of the questions: what is kept, and what can be done with it."""
    profile = view.profile
    parts = [context.text("tailor.page.title"), answers_lines(context.catalog, profile.answers)]
    told = profile.answered or bool(profile.feedback)
    order = "standard" if profile.standard else "tailored" if told else "none"
    parts.append(context.text(f"tailor.page.order_{order}"))
    rows: list[Row] = [[(context.text("tailor.button.change"), CHANGE.data())]]
    if told:
        rows.append([(context.text("tailor.button.forget"), FORGET.data())])
    if told or profile.standard:
        label = "tailor.button.tailored" if profile.standard else "tailor.button.standard"
        rows.append([(context.text(label), STANDARD.data(not profile.standard))])
    return "\n\n".join(parts), keyboard(*rows)


def feedback_row(catalog: Catalog, lesson: Lesson) -> Row:
    return [
        (catalog.text("tailor.button.helpful"), FEEDBACK.data(lesson, Verdict.HELPFUL)),
        (catalog.text("tailor.button.not_for_me"), FEEDBACK.data(lesson, Verdict.NOT_FOR_ME)),
    ]


def settings_row(catalog: Catalog) -> Row:
    """The way from /settings to this page."""
    return [(catalog.text("tailor.button.page"), PAGE.data())]


def standard_row(catalog: Catalog) -> Row:
    """Under /daily's summary when the order follows the answers: one tap to the standard."""
    return [(catalog.text("tailor.button.standard"), STANDARD.data(True))]


def privacy_lines(catalog: Catalog, profile: Profile) -> str:
    """For /privacy: the answers as stored (option ids, shown in words) and the taps."""
    if not profile.answered and not profile.feedback:
        return catalog.text("tailor.privacy.none")
    lines = [catalog.text("tailor.privacy.answers"), answers_lines(catalog, profile.answers)]
    if profile.feedback:
        lines.append(catalog.text("tailor.privacy.feedback", count=len(profile.feedback)))
    return "\n".join(lines)
