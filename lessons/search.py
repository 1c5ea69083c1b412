"""Finding lessons, techniques and phrases by the words a person types: plain word matching.

Words are folded as typed text is (``lessons.care.fold``): case, accents and apostrophes do
not matter, so "respiracion" finds "respiración" and "cant" finds "can't".

Pure and small on purpose: the catalog is a few hundred entries, so a linear pass over
pre-split words is fast enough for every inline query, and needs no index to keep in sync.
"""

from __future__ import annotations

from collections.abc import Iterable

from lessons.care import fold
from lessons.model import Catalog, Lesson, Phrase, Technique
from lessons.telegram_html import plain_text

Shareable = Lesson | Technique | Phrase
"""What a person can share with a partner and find by searching."""

# Telegram caps inline queries at 256 characters; anything longer is not a real query.
MAX_QUERY_CHARACTERS = 256
MAX_QUERY_WORDS = 12
# A match in the title or name says more about the entry than one in its body.
_TITLE_WEIGHT = 3


def shareable(catalog: Catalog) -> tuple[Shareable, ...]:
    """Every shareable entry, in catalog order: lessons, techniques, phrases."""
    lessons = tuple(lesson for track in catalog.tracks.values() for lesson in track)
    return (*lessons, *catalog.techniques, *catalog.phrases)


def query_words(query: str) -> tuple[str, ...]:
    """The distinct words of a query, folded, in order; odd characters are dropped."""
    words = fold(query[:MAX_QUERY_CHARACTERS])
    return tuple(dict.fromkeys(words))[:MAX_QUERY_WORDS]


def search(catalog: Catalog, query: str, limit: int) -> list[Shareable]:
    """Entries whose words include every word of the query (as a word or a word's start),
    best first. An exact entry id (what a share button puts in the query) comes first."""
    entries = shareable(catalog)
    exact = [entry for entry in entries if entry.id == query.strip().casefold()]
    words = query_words(query)
    scored: list[tuple[int, int, Shareable]] = []
    if words:
        for position, entry in enumerate(entries):
            score = _score(entry, words)
            if score > 0 and entry not in exact:
                scored.append((-score, position, entry))
    ranked = [entry for _, _, entry in sorted(scored, key=lambda item: item[:2])]
    return [*exact, *ranked][: max(limit, 0)]


def _score(entry: Shareable, words: tuple[str, ...]) -> int:
    title, body = _words(_title(entry)), _words(*_texts(entry))
    total = 0
    for word in words:
        in_title, in_body = _matches(word, title), _matches(word, body)
        if not (in_title or in_body):
            return 0
        total += _TITLE_WEIGHT * in_title + in_body
    return total


def _matches(word: str, among: frozenset[str]) -> bool:
    return word in among or any(candidate.startswith(word) for candidate in among)


def _words(*texts: str | None) -> frozenset[str]:
    joined = " ".join(plain_text(text) for text in texts if text)
    return frozenset(fold(joined))


def _title(entry: Shareable) -> str:
    if isinstance(entry, Lesson):
        return entry.title
    if isinstance(entry, Technique):
        return entry.name
    return entry.text


def _texts(entry: Shareable) -> Iterable[str | None]:
    if isinstance(entry, Lesson):
        return (entry.body, entry.try_, entry.reflect)
    if isinstance(entry, Technique):
        return (entry.when, *entry.steps)
    return (entry.note,)
