"""``/partner``'s screens and buttons: the invite, the link with its couple rhythm, the
evening nudge and the weekly check-in, and the way on after sharing ends."""

from __future__ import annotations

from datetime import time

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, SwitchInlineQueryChosenChat

from bot import buttons, sharing
from bot.context import Speaks
from bot.ui import phrases
from bot.ui.keyboards import Row, in_rows, keyboard
from bot.ui.when import COMMON_TIMES, describe_days
from lessons.model import Catalog
from scheduler.actions.partner import Linked
from scheduler.couple import Rhythm, evening_before_lessons
from scheduler.model import EVERY_DAY, WEEKDAYS
from scheduler.timing import format_local_time

PARTNER = buttons.Feature("ptr")
INVITE = PARTNER.button("invite")
UNLINK = PARTNER.button("unlink")
SHOW = PARTNER.button("show")
LESSONS = PARTNER.button("lessons")
PARTNER_COURSE = PARTNER.button("course")

DAY_SETS: tuple[frozenset[int], ...] = (
    EVERY_DAY,
    WEEKDAYS,
    frozenset({0, 2, 4}),
    frozenset({5, 6}),
)
_DAY_LABELS = ("every", "weekdays", "alternate", "weekend")
GOOD = ("close", "slow", "talk", "held", "laugh")
WISH = ("slower", "talk_before", "signal", "holding", "check")

_mask = buttons.int_arg(1, 127)
COUPLE = buttons.Feature("cpl")
PROPOSE = COUPLE.button("propose")
DAYS = COUPLE.button1("days", buttons.choice_arg(DAY_SETS))
TIME = COUPLE.button2("time", _mask, buttons.time_arg)
ACCEPT = COUPLE.button2("accept", _mask, buttons.time_arg)
DECLINE = COUPLE.button2("decline", _mask, buttons.time_arg)
LEAVE = COUPLE.button("leave")
EVENING = COUPLE.button("evening")
EVENING_AT = COUPLE.button1("at", buttons.time_arg)
EVENING_OFF = COUPLE.button("off")
CHECKIN = COUPLE.button1("checkin", buttons.flag_arg)
ANSWER_GOOD = COUPLE.button1("good", buttons.choice_arg(GOOD))
ANSWER_WISH = COUPLE.button2("wish", buttons.choice_arg(GOOD), buttons.choice_arg(WISH))

EVENING_TIMES: tuple[time, ...] = (time(19, 0), time(20, 0), time(21, 0), time(22, 0))


def mask_of(days: frozenset[int]) -> int:
    return sum(1 << day for day in days)


def days_of(mask: int) -> frozenset[int]:
    return frozenset(day for day in range(7) if mask >> day & 1)


def rhythm_words(context: Speaks, rhythm: Rhythm) -> dict[str, str]:
    """The days and time of a rhythm, as the texts' ``{days}`` and ``{time}``."""
    if rhythm.days in DAY_SETS:
        days = context.text(f"couple.days.phrase.{_DAY_LABELS[DAY_SETS.index(rhythm.days)]}")
    else:
        days = describe_days(context, rhythm.days)
    return {"days": days, "time": format_local_time(rhythm.local_time)}


def about_keyboard(context: Speaks) -> InlineKeyboardMarkup:
    return keyboard([(context.text("partner.button.invite"), INVITE.data())])


def invite_keyboard(
    context: Speaks, code: str, share: sharing.Share
) -> InlineKeyboardMarkup | None:
    """The chat picker, with the invite card ready to send; none without inline mode."""
    if not share.inline:
        return None
    chosen = SwitchInlineQueryChosenChat(
        query=f"{sharing.INVITE_PREFIX}{code}",
        allow_user_chats=True,
        allow_bot_chats=False,
        allow_group_chats=False,
        allow_channel_chats=False,
    )
    label = context.text("partner.button.send_invite")
    return keyboard([InlineKeyboardButton(label, switch_inline_query_chosen_chat=chosen)])


def linked_text(context: Speaks, linked: Linked) -> str:
    """The link's screen: the rhythm and whose move it is, then this person's own choices."""
    lines = [context.text("partner.linked"), ""]
    if linked.rhythm is not None:
        lines.append(context.text("couple.rhythm.agreed", **rhythm_words(context, linked.rhythm)))
    elif linked.proposal is None:
        lines.append(context.text("couple.rhythm.none"))
    if linked.proposal is not None:
        key = (
            "couple.rhythm.mine_waiting"
            if linked.proposed_by_me
            else "couple.rhythm.theirs_waiting"
        )
        lines.append(context.text(key, **rhythm_words(context, linked.proposal)))
    if linked.rhythm is not None and not linked.lessons_on:
        lines.append(context.text("couple.rhythm.lessons_off"))
    lines.append("")
    lines.append(evening_line(context, linked))
    lines.append(context.text("couple.checkin.on" if linked.checkin else "couple.checkin.off"))
    lines += ["", context.text("partner.linked.private")]
    return "\n".join(lines)


def evening_line(context: Speaks, linked: Linked) -> str:
    """Only what the nudge can keep to: an evening set before the rhythm's lessons can never
    come at that time, so it is told as following the lessons instead."""
    if linked.evening is None:
        return context.text("couple.evening.off")
    at = format_local_time(linked.evening)
    if linked.rhythm is not None and evening_before_lessons(linked.evening, linked.rhythm):
        return context.text("couple.evening.after", time=at)
    return context.text("couple.evening.at", time=at)


def linked_keyboard(context: Speaks, linked: Linked) -> InlineKeyboardMarkup:
    rows: list[Row] = []
    waiting = linked.proposal
    if waiting is not None and not linked.proposed_by_me:
        rows.append(answer_row(context, waiting))
    propose = "couple.button.change" if linked.rhythm is not None else "couple.button.propose"
    rows.append([(context.text(propose), PROPOSE.data())])
    if linked.rhythm is not None:
        rows.append([(context.text("couple.button.leave"), LEAVE.data())])
    rows.append([(context.text("couple.button.evening"), EVENING.data())])
    checkin = "couple.button.checkin.off" if linked.checkin else "couple.button.checkin.on"
    rows.append([(context.text(checkin), CHECKIN.data(not linked.checkin))])
    rows.append([(context.text("partner.button.unlink"), UNLINK.data())])
    return keyboard(*rows)


def answer_row(context: Speaks, proposal: Rhythm) -> Row:
    """Accept, suggest another, or decline: each carries the proposal it answers."""
    mask, at = mask_of(proposal.days), proposal.local_time
    return [
        (context.text("couple.button.accept"), ACCEPT.data(mask, at)),
        (context.text("couple.button.counter"), PROPOSE.data()),
        (context.text("couple.button.decline"), DECLINE.data(mask, at)),
    ]


def proposal_keyboard(context: Speaks, proposal: Rhythm) -> InlineKeyboardMarkup:
    return keyboard(answer_row(context, proposal))


def days_keyboard(context: Speaks) -> InlineKeyboardMarkup:
    return keyboard(
        *[
            [(context.text(f"couple.days.{label}"), DAYS.data(days))]
            for label, days in zip(_DAY_LABELS, DAY_SETS, strict=True)
        ],
        [(context.text("couple.button.back"), SHOW.data())],
    )


def time_keyboard(context: Speaks, days: frozenset[int]) -> InlineKeyboardMarkup:
    mask = mask_of(days)
    return keyboard(
        *in_rows([(format_local_time(at), TIME.data(mask, at)) for at in COMMON_TIMES], 3),
        [(context.text("couple.button.back"), PROPOSE.data())],
    )


def evening_keyboard(context: Speaks) -> InlineKeyboardMarkup:
    return keyboard(
        *in_rows([(format_local_time(at), EVENING_AT.data(at)) for at in EVENING_TIMES], 4),
        [(context.text("couple.evening.none"), EVENING_OFF.data())],
        [(context.text("couple.button.back"), SHOW.data())],
    )


def back_keyboard(context: Speaks) -> InlineKeyboardMarkup:
    return keyboard([(context.text("couple.button.back"), SHOW.data())])


def ended_keyboard(context: Speaks) -> InlineKeyboardMarkup:
    """What someone can still do alone once sharing has ended."""
    return keyboard(
        [(context.text("partner.ended.lessons"), LESSONS.data())],
        [(context.text("partner.ended.phrases"), phrases.MENU.data())],
        [(context.text("partner.ended.partner"), SHOW.data())],
    )


def _label(text: str) -> str:
    return text[0].upper() + text[1:]


def checkin_keyboard(catalog: Catalog) -> InlineKeyboardMarkup:
    """Under the check-in: what felt good this week (the wish comes next)."""
    return keyboard(
        *[[(catalog.text(f"couple.checkin.good.{good}"), ANSWER_GOOD.data(good))] for good in GOOD]
    )


def wish_keyboard(context: Speaks, good: str) -> InlineKeyboardMarkup:
    return keyboard(
        *[
            [(_label(context.text(f"couple.checkin.wish.{wish}")), ANSWER_WISH.data(good, wish))]
            for wish in WISH
        ]
    )


def reveal_text(context: Speaks, mine: str, theirs: str) -> str:
    """Both answers, each stored as "good,wish" ids of the content's buttons."""
    my_good, my_wish = mine.split(",")
    their_good, their_wish = theirs.split(",")
    return context.text(
        "couple.checkin.reveal",
        my_good=context.text(f"couple.checkin.good.{my_good}").lower(),
        my_wish=context.text(f"couple.checkin.wish.{my_wish}"),
        their_good=context.text(f"couple.checkin.good.{their_good}").lower(),
        their_wish=context.text(f"couple.checkin.wish.{their_wish}"),
    )
