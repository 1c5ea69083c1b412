"""Content problems: where each one is, what is wrong, and the error that carries them all.

A writer fixes content fastest when one run of ``softlanding lessons check`` lists every
problem with its file, line, entry and field, so nothing here stops at the first one.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass

from lessons.telegram_html import html_problems, plain_text

ENTRY_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
# The guide's section ids nest with dots: "why", "why.pain", "partner-words".
SECTION_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*(\.[a-z0-9]+(-[a-z0-9]+)*)*$")
UI_KEY = re.compile(r"^[a-z0-9_-]+(\.[a-z0-9_-]+)*$")


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with the content, printed as ``file:line: entry: field: message``."""

    file: str
    line: int | None
    entry: str | None
    field: str | None
    message: str

    def __str__(self) -> str:
        place = self.file if self.line is None else f"{self.file}:{self.line}"
        parts = [place, self.entry, self.field, self.message]
        return ": ".join(part for part in parts if part)


class ContentError(Exception):
    """The content cannot be loaded; ``problems`` lists every reason, in file order."""

    def __init__(self, problems: tuple[Problem, ...]) -> None:
        super().__init__(problems)
        self.problems = problems

    def __str__(self) -> str:
        return "\n".join(str(problem) for problem in self.problems)


@dataclass(frozen=True, slots=True)
class Where:
    """A place in the content that a problem can point at."""

    file: str
    line: int | None
    entry: str | None = None
    field: str | None = None

    def problem(self, message: str) -> Problem:
        return Problem(self.file, self.line, self.entry, self.field, message)

    def __str__(self) -> str:
        return self.file if self.line is None else f"{self.file}:{self.line}"


def word_count(text: str) -> int:
    """Words as a reader counts them: markup is not a word."""
    return len(plain_text(text).split())


def text_problems(
    text: str,
    *,
    max_chars: int | None = None,
    min_words: int | None = None,
    max_words: int | None = None,
) -> list[str]:
    """Markup and length problems of one piece of content text."""
    problems = html_problems(text)
    if max_chars is not None and (chars := len(plain_text(text))) > max_chars:
        problems.append(f"{chars} characters; expected at most {max_chars}")
    words = word_count(text)
    if min_words is not None and words < min_words:
        problems.append(f"{words} words; expected at least {min_words}")
    if max_words is not None and words > max_words:
        problems.append(f"{words} words; expected at most {max_words}")
    return problems


def id_problem(value: str) -> str | None:
    if ENTRY_ID.fullmatch(value):
        return None
    return f"id {value!r} is not lowercase words joined by '-' (such as 'pause-and-ground')"


def section_id_problem(value: str) -> str | None:
    if SECTION_ID.fullmatch(value):
        return None
    return f"section id {value!r} is not lowercase words joined by '-' and '.' (such as 'why.pain')"


def placeholder_problems(text: str) -> list[str]:
    """``ui`` texts are filled with ``str.format``: braces must pair and name a value."""
    try:
        names = [name for _, name, _, _ in string.Formatter().parse(text) if name is not None]
    except ValueError as error:
        return [f"braces do not pair up ({error}); write {{{{ or }}}} for a literal brace"]
    return [
        f"placeholder {{{name}}} is not a plain name; expected one such as {{time}}"
        for name in names
        if not name.isidentifier()
    ]
