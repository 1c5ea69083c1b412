"""Rules about what the content says, checked on the finished catalog.

The word lists come from ``rules.yaml`` (see ``ContentRules``), so writers can read and
extend them. Each check returns problems pointing at the entry and field to change:

- previews: nothing explicit where a lock screen or a chat list shows a message's start;
- spelling: one spelling (UK English), so no word from the list of US spellings;
- solo: a lesson's ``try`` that needs a partner has a ``try_solo`` that does not;
- consent: a sentence offering to stop and to go on names stopping first;
- own words: no run of words shared by two entries, and no two entries open alike;
- coverage: the partner course has a lesson tagged with each topic it must cover;
- purposes: each track has a lesson for every purpose the course planner orders by
  (``track_purposes``), and at most one closing lesson.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

from lessons.model import (
    Catalog,
    Collection,
    Lesson,
    Phrase,
    Purpose,
    Routine,
    Technique,
    Track,
)
from lessons.telegram_html import plain_text
from lessons.validation import Problem, Where

# Letters of any alphabet: "íntimo" and "más" are whole words, not "ntimo" and "m s".
_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)?")
_SENTENCE_END = re.compile(r"(?<=[.?!;:])\s+|\n+")
# Where a problem about the catalog as a whole (not one entry) is filed.
_RULES_FILE = "rules.yaml"

Fields = tuple[tuple[str, str], ...]


def words(text: str) -> list[str]:
    """Lower-case words of the visible text; both apostrophes count as the same one."""
    return _WORD.findall(plain_text(text).casefold().replace("\u2019", "'"))


def rule_problems(
    catalog: Catalog, ids: Mapping[str, Where], ui_at: Mapping[str, Where]
) -> list[Problem]:
    """Every rule broken by the catalog's content, each at the entry or ui key concerned."""
    places = _Places(ids, ui_at)
    return [
        *_preview_problems(catalog, places),
        *_spelling_problems(catalog, places),
        *_solo_problems(catalog, places),
        *_consent_problems(catalog, places),
        *_shared_run_problems(catalog, places),
        *_opening_problems(catalog, places),
        *_coverage_problems(catalog),
        *_purpose_problems(catalog, places),
    ]


class _Places:
    """Where an entry's field, or a ui key, is written."""

    def __init__(self, ids: Mapping[str, Where], ui_at: Mapping[str, Where]) -> None:
        self._ids = ids
        self._ui_at = ui_at

    def at(self, entry_id: str, field: str) -> Where:
        if entry_id in self._ui_at:
            return self._ui_at[entry_id]
        found = self._ids.get(entry_id)
        if found is None:
            return Where(_RULES_FILE, None, entry_id, field)
        return Where(found.file, found.line, found.entry, field)


def entry_fields(entry: object) -> Fields:
    """An entry's texts in the order the bot shows them, each with its field name."""
    if isinstance(entry, Lesson):
        named = [("title", entry.title), ("body", entry.body), ("try", entry.try_)]
        named += [("try_solo", entry.try_solo or ""), ("reflect", entry.reflect or "")]
    elif isinstance(entry, Technique):
        named = [("name", entry.name), ("when", entry.when)]
        named += [("steps", step) for step in entry.steps]
    elif isinstance(entry, Phrase):
        named = [("text", entry.text), ("note", entry.note or "")]
    elif isinstance(entry, Routine):
        named = [("name", entry.name), ("reminder", entry.reminder)]
        named += [("how", step) for step in entry.how]
    else:
        named = [("title", getattr(entry, "title", "")), ("body", getattr(entry, "body", ""))]
    return tuple((name, text) for name, text in named if text)


def _texts(catalog: Catalog) -> Iterator[tuple[str, str, str]]:
    """(entry id or ui key, field, text) for everything a person can read."""
    for entry in catalog.entries():
        for field, text in entry_fields(entry):
            yield entry.id, field, text
    for key, text in catalog.ui.items():
        yield key, "ui", text


def _find(haystack: list[str], term: str) -> int:
    """Where a term (one or more words) starts in a word list, or -1."""
    needle = term.split()
    for start in range(len(haystack) - len(needle) + 1):
        if haystack[start : start + len(needle)] == needle:
            return start
    return -1


def _first_of(haystack: list[str], terms: tuple[str, ...]) -> tuple[int, str] | None:
    found = [(at, term) for term in terms if (at := _find(haystack, term)) >= 0]
    return min(found) if found else None


# Previews


def preview(fields: Fields, characters: int) -> str:
    """What a lock screen or chat list can show: the first ``characters`` of the message,
    read through to the end of the word they stop in."""
    text = " ".join(" ".join(plain_text(text).split()) for _, text in fields)
    cut = text.find(" ", characters)
    return text if cut < 0 else text[:cut]


def _scheduled_or_shared(catalog: Catalog) -> Iterator[tuple[str, Fields]]:
    for entry in catalog.entries():
        if isinstance(entry, Lesson | Technique | Phrase | Routine):
            yield entry.id, entry_fields(entry)
    for key in catalog.rules.scheduled_ui:
        if key in catalog.ui:
            yield key, (("ui", catalog.ui[key]),)


def _preview_problems(catalog: Catalog, places: _Places) -> Iterator[Problem]:
    rules = catalog.rules
    for key in rules.scheduled_ui:
        if key not in catalog.ui:
            yield places.at(key, "scheduled_ui").problem(f"no ui text {key!r} to check")
    if not rules.preview_characters or not rules.explicit_words:
        return
    for entry_id, fields in _scheduled_or_shared(catalog):
        shown = words(preview(fields, rules.preview_characters))
        found = _first_of(shown, rules.explicit_words)
        if found is not None:
            field = fields[0][0] if len(fields) == 1 else _field_of(fields, found[1])
            yield places.at(entry_id, field).problem(
                f"{found[1]!r} is in the first {rules.preview_characters} characters, which a "
                "lock screen or chat list shows; keep the subject for later in the text"
            )


def _field_of(fields: Fields, term: str) -> str:
    return next((name for name, text in fields if _find(words(text), term) >= 0), fields[0][0])


# Spelling, solo versions, consent order


def _spelling_problems(catalog: Catalog, places: _Places) -> Iterator[Problem]:
    refused = catalog.rules.us_spellings
    for entry_id, field, text in _texts(catalog):
        found = _first_of(words(text), refused)
        if found is not None:
            yield places.at(entry_id, field).problem(
                f"{found[1]!r} is a US spelling; the content is written in UK English"
            )


def _solo_problems(catalog: Catalog, places: _Places) -> Iterator[Problem]:
    partner_words = catalog.rules.partner_words
    if not partner_words:
        return
    solo_readers = (*catalog.track(Track.SELF), *catalog.collection(Collection.MAINTENANCE))
    for lesson in solo_readers:
        needs = _first_of(words(lesson.try_), partner_words)
        if needs is not None and lesson.try_solo is None:
            yield places.at(lesson.id, "try").problem(
                f"needs a partner ({needs[1]!r}); add `try_solo` for someone on their own"
            )
        solo = _first_of(words(lesson.try_solo or ""), partner_words)
        if solo is not None:
            yield places.at(lesson.id, "try_solo").problem(
                f"mentions {solo[1]!r}; the solo version must work without a partner"
            )


def _consent_problems(catalog: Catalog, places: _Places) -> Iterator[Problem]:
    rules = catalog.rules
    if not rules.pause_words or not rules.continue_words:
        return
    for entry_id, field, text in _texts(catalog):
        for sentence in _SENTENCE_END.split(plain_text(text)):
            said = words(sentence)
            going_on = _first_of(said, rules.continue_words)
            pausing = _first_of(said, rules.pause_words)
            if going_on is not None and pausing is not None and going_on[0] < pausing[0]:
                yield places.at(entry_id, field).problem(
                    f"offers {going_on[1]!r} before {pausing[1]!r}; name pausing, stopping "
                    f"or later first: {sentence.strip()!r}"
                )


# Own words across entries


def _shared_run_problems(catalog: Catalog, places: _Places) -> Iterator[Problem]:
    size = catalog.rules.shared_run_words
    if not size:
        return
    first_seen: dict[tuple[str, ...], str] = {}
    for entry in catalog.entries():
        stream = [word for _, text in entry_fields(entry) for word in words(text)]
        reported: set[str] = set()
        for start in range(len(stream) - size + 1):
            run = tuple(stream[start : start + size])
            owner = first_seen.setdefault(run, entry.id)
            if owner != entry.id and owner not in reported:
                reported.add(owner)
                yield places.at(entry.id, "text").problem(
                    f"shares {' '.join(run)!r} with {owner}; say it in different words"
                )


def _opening_problems(catalog: Catalog, places: _Places) -> Iterator[Problem]:
    size = catalog.rules.opening_words
    if not size:
        return
    seen: dict[tuple[str, ...], str] = {}
    for entry in catalog.entries():
        for field in _opening_fields(entry):
            opening = tuple(words(getattr(entry, field))[:size])
            owner = seen.setdefault(opening, entry.id)
            if owner != entry.id:
                yield places.at(entry.id, field).problem(
                    f"opens like {owner} ({' '.join(opening)!r}); start it differently"
                )


def _opening_fields(entry: object) -> tuple[str, ...]:
    if isinstance(entry, Lesson):
        return ("title", "body")
    if isinstance(entry, Phrase):
        return ("text",)
    if isinstance(entry, Technique):
        return ("name", "when")
    if isinstance(entry, Routine):
        return ("reminder",)
    return ()


def _coverage_problems(catalog: Catalog) -> Iterator[Problem]:
    tagged = {tag for lesson in catalog.track(Track.PARTNER) for tag in lesson.tags}
    for topic in catalog.rules.partner_topics:
        if topic not in tagged:
            yield Where(_RULES_FILE, None, "partner_topics", topic).problem(
                f"no partner-track lesson is tagged {topic!r}; the partner course must cover it"
            )


def _purpose_problems(catalog: Catalog, places: _Places) -> Iterator[Problem]:
    """What the planner needs of each track: a lesson for each purpose it orders by, and
    no more than one lesson that ends the track."""
    for track in Track:
        lessons = catalog.track(track)
        present = {purpose.value for lesson in lessons for purpose in lesson.purpose}
        for purpose in catalog.rules.track_purposes:
            if purpose not in present:
                yield Where(_RULES_FILE, None, "track_purposes", purpose).problem(
                    f"no lesson of track {track} has purpose {purpose!r}; "
                    "a course ordered for that answer needs one"
                )
        closing = [lesson for lesson in lessons if Purpose.CLOSING in lesson.purpose]
        for extra in closing[1:]:
            yield places.at(extra.id, "purpose").problem(
                f"track {track} already closes with {closing[0].id!r}; "
                "keep one lesson with purpose closing"
            )
