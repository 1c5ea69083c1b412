"""What the bot knows: content as YAML, validated into one read-only ``Catalog``.

Nothing here talks to Telegram; ``bot`` renders what ``lessons`` holds.
"""

from lessons.catalog import CONTENT_DIR, load_catalog
from lessons.library import DEFAULT_LANGUAGE, Library, load_library
from lessons.model import (
    Audience,
    CareCues,
    Catalog,
    Collection,
    ContentRules,
    Entry,
    Lesson,
    Phrase,
    Reason,
    Routine,
    Section,
    Situation,
    SupportNote,
    Technique,
    Track,
)
from lessons.validation import ContentError, Problem

__all__ = [
    "CONTENT_DIR",
    "DEFAULT_LANGUAGE",
    "Audience",
    "CareCues",
    "Catalog",
    "Collection",
    "ContentError",
    "ContentRules",
    "Entry",
    "Lesson",
    "Library",
    "Phrase",
    "Problem",
    "Reason",
    "Routine",
    "Section",
    "Situation",
    "SupportNote",
    "Technique",
    "Track",
    "load_catalog",
    "load_library",
]
