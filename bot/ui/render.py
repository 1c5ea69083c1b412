"""Content entries as the Telegram HTML the bot sends: the one place content meets markup.

Content text is already checked Telegram HTML (``lessons check`` validates it), so it goes in
as it is; anything else inserted here is escaped. Labels ("Try this:") are ``ui`` texts under
``render.``, so wording stays with the content, not in code.

Each function takes the catalog whose labels it uses.
"""

from __future__ import annotations

import html

from lessons import Catalog, Entry, Lesson, Phrase, Reason, Routine, SupportNote, Technique

# Every ui key used here, so a test (or a start-up check) can prove the content has them all.
UI_KEYS = (
    "render.lesson.try",
    "render.lesson.try_solo",
    "render.lesson.reflect",
    "render.technique.when",
    "render.technique.duration",
    "render.routine.duration",
    "render.phrase.text",
)


def lesson_html(
    lesson: Lesson, catalog: Catalog, place: str | None = None, *, solo: bool = False
) -> str:
    """Title first (it is what a lock-screen preview shows), with ``place`` (where the
    lesson stands in the course) right under it, then body, try (and its version for
    someone on their own), reflect. ``solo``: for someone who said they are single, the
    version on their own is the one thing to try."""
    title = f"<b>{lesson.title}</b>"
    if solo and lesson.try_solo is not None:
        tries = [catalog.text("render.lesson.try", text=lesson.try_solo)]
    else:
        tries = [catalog.text("render.lesson.try", text=lesson.try_)]
        if lesson.try_solo is not None:
            tries.append(catalog.text("render.lesson.try_solo", text=lesson.try_solo))
    parts = [title if place is None else f"{title}\n<i>{place}</i>", lesson.body, *tries]
    if lesson.reflect is not None:
        parts.append(catalog.text("render.lesson.reflect", text=lesson.reflect))
    return "\n\n".join(parts)


def technique_html(technique: Technique, catalog: Catalog) -> str:
    heading = "\n".join(
        [f"<b>{technique.name}</b>", catalog.text("render.technique.when", text=technique.when)]
    )
    parts = [heading, numbered(technique.steps)]
    if technique.duration is not None:
        parts.append(catalog.text("render.technique.duration", text=technique.duration))
    return "\n\n".join(parts)


def phrase_html(phrase: Phrase, catalog: Catalog) -> str:
    """The words to say, then the note on when or how, if there is one."""
    words = catalog.text("render.phrase.text", text=phrase.text)
    return words if phrase.note is None else f"{words}\n\n<i>{phrase.note}</i>"


def routine_html(routine: Routine, catalog: Catalog) -> str:
    minutes = html.escape(str(routine.minutes))
    return "\n\n".join(
        [
            f"<b>{routine.name}</b>\n{routine.reminder}",
            numbered(routine.how),
            catalog.text("render.routine.duration", minutes=minutes),
        ]
    )


def support_html(note: SupportNote) -> str:
    """The support note needs no labels."""
    return f"<b>{note.title}</b>\n\n{note.body}"


def reason_html(reason: Reason) -> str:
    """A card of ``/why``: its title, then its few sentences."""
    return f"<b>{reason.title}</b>\n\n{reason.body}"


def numbered(steps: tuple[str, ...]) -> str:
    return "\n".join(f"{number}. {step}" for number, step in enumerate(steps, start=1))


def entry_html(entry: Entry, catalog: Catalog) -> str:
    """Any entry, rendered by its kind's function."""
    if isinstance(entry, Lesson):
        return lesson_html(entry, catalog)
    if isinstance(entry, Technique):
        return technique_html(entry, catalog)
    if isinstance(entry, Phrase):
        return phrase_html(entry, catalog)
    if isinstance(entry, Routine):
        return routine_html(entry, catalog)
    if isinstance(entry, Reason):
        return reason_html(entry)
    return support_html(entry)
