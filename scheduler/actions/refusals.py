"""Why an action did nothing: one reason each, for ``bot`` to put into words."""

from __future__ import annotations

from enum import StrEnum


class Refusal(StrEnum):
    NOT_STORED = "not_stored"
    """The person is not stored (never opted in, or erased since the button was sent)."""
    ALREADY_DONE = "already_done"
    """A repeated tap: what the button refers to has moved on already."""
    LESSONS_OFF = "lessons_off"
    """The daily lessons are not switched on."""
    REMINDERS_OFF = "reminders_off"
    NOT_LINKED = "not_linked"
    INVITE_UNUSABLE = "invite_unusable"
    """Unknown, used or expired, the person's own, or someone is linked already."""
    ALREADY_SNOOZED = "already_snoozed"
    UNKNOWN_ITEM = "unknown_item"
    """A button naming content that is no longer in the catalog."""
    NOT_FINISHED = "not_finished"
    """The database could not write just now (locked, or its disk full): nothing changed
    that can be promised, and the same request again finishes it."""
    NO_DAYS = "no_days"
    """A schedule needs at least one day."""
    QUIET_SPAN_EMPTY = "quiet_span_empty"
    """Quiet hours that would start and end at the same minute: no span at all."""
