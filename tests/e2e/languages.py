"""Two languages for end-to-end tests, whatever state the real Spanish content is in.

The English is the real one. The Spanish is built from it: every ui text is marked, so a
reply in one language can never pass for the other, and ``ui-language.yaml`` is the real
Spanish file. Lessons and the other entries keep the English words (their ids, tracks and
limits are what the tests lean on). Tests look every text up in the catalog they expect
(``library.catalog("es").text(key)``), never spell the Spanish out.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import yaml

from lessons import Catalog, Library, load_library
from lessons.catalog import CONTENT_DIR
from lessons.telegram_html import plain_text

MARK = "ES "
"""What every marked ui text starts with."""
REAL = "ui-language.yaml"
"""The one file taken from the real Spanish as it is."""


def marked_languages(root: Path) -> Library:
    """English and marked Spanish under ``root``, loaded and checked like the real ones."""
    shutil.copytree(CONTENT_DIR / "en", root / "en")
    spanish = root / "es"
    spanish.mkdir()
    for path in sorted((CONTENT_DIR / "en").glob("*.yaml")):
        if path.name == REAL:
            shutil.copy(CONTENT_DIR / "es" / REAL, spanish / REAL)
            continue
        data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
        if isinstance(data.get("ui"), dict):
            data["ui"] = {key: MARK + value for key, value in data["ui"].items()}
        text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10_000)
        (spanish / path.name).write_text(text, encoding="utf-8")
    return load_library(root)


def said(catalog: Catalog, key: str, **values: object) -> str:
    """A ui text as the person reads it in Telegram (tags gone, entities decoded)."""
    return plain_text(catalog.text(key, **values))
