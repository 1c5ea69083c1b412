"""A minimal valid content folder that each validation test breaks in exactly one place."""

from __future__ import annotations

from pathlib import Path

import pytest

from lessons import ContentError, load_catalog

BODY = (
    "Tears can arrive when feelings run high, and that is a common, human response. "
    "Nothing is broken. Your body is telling you something, and you can listen without "
    "judging it. Today, notice one moment when you felt safe and cared for, and let that "
    "memory stay with you for a while."
)

FILES = {
    "sections.yaml": """\
sections:
  - id: intro
    title: Introduction
  - id: why.pain
    title: Pain needs attention
  - id: support
    title: More help
""",
    "course-self.yaml": f"""\
track: self
lessons:
  - id: first-day
    day: 1
    title: A gentle start
    body: {BODY}
    try: Take one slow breath and let your shoulders drop.
    reflect: What do you notice right now?
    source: [intro]
    audience: self
    technique: slow-breath
    tags: [start]
  - id: second-day
    day: 2
    title: Tears as information
    body: {BODY}
    try: Write one sentence about how today felt.
    source: [intro]
    audience: both
""",
    "course-partner.yaml": f"""\
track: partner
lessons:
  - id: partner-first-day
    day: 1
    title: Being there
    body: {BODY}
    try: Ask your partner what helps them feel calm.
    source: [intro]
    audience: partner
""",
    "techniques.yaml": """\
techniques:
  - id: slow-breath
    name: Slow breathing
    when: When feelings rise quickly.
    steps:
      - Breathe in for four counts.
      - Breathe out for six counts.
    duration: one minute
    source: [intro]
""",
    "phrases.yaml": """\
phrases:
  - id: gentle-check
    situation: before
    text: Can we go slowly tonight?
    note: Say it early, in a calm moment.
    source: [intro]
""",
    "routines.yaml": """\
routines:
  - id: short-walk
    name: A short walk
    reminder: A few minutes outside might feel good today.
    how:
      - Step outside.
      - Walk at an easy pace.
    minutes: 10
    source: [intro]
""",
    "support.yaml": """\
support:
  id: more-help
  title: When to look for more help
  body: A doctor or a counsellor can help. See /support any time.
  source: [support]
""",
    "ui.yaml": """\
ui:
  greeting: "Hello, <b>{name}</b>!"
  render.lesson.try: "<b>Try this:</b> {text}"
  render.lesson.reflect: "<b>To reflect on:</b> <i>{text}</i>"
  render.technique.when: "<b>When it helps:</b> {text}"
  render.technique.duration: "<b>How long:</b> {text}"
  render.routine.duration: "<b>How long:</b> about {minutes} min"
  render.phrase.text: "“{text}”"
""",
}


class ContentDir:
    """The fixture files in a folder; tests change one file, then load or collect problems."""

    def __init__(self, path: Path) -> None:
        self.path = path
        for name, text in FILES.items():
            self.write(name, text)

    def text(self, name: str) -> str:
        return (self.path / name).read_text(encoding="utf-8")

    def write(self, name: str, text: str) -> None:
        (self.path / name).write_text(text, encoding="utf-8")

    def replace(self, name: str, old: str, new: str, count: int = 1) -> None:
        """Break the fixture: ``old`` must occur, so a test cannot silently break nothing."""
        text = self.text(name)
        assert old in text, f"{old!r} is not in {name}"
        self.write(name, text.replace(old, new, count))

    def remove(self, name: str) -> None:
        (self.path / name).unlink()

    def line(self, name: str, needle: str) -> int:
        """The 1-based line of the first occurrence of ``needle`` in a file."""
        text = self.text(name)
        assert needle in text, f"{needle!r} is not in {name}"
        return text[: text.index(needle)].count("\n") + 1

    def problems(self) -> list[str]:
        """Every problem loading reports, as printed; fails the test if loading succeeds."""
        with pytest.raises(ContentError) as caught:
            load_catalog(self.path)
        return [str(problem) for problem in caught.value.problems]


@pytest.fixture
def content(tmp_path: Path) -> ContentDir:
    return ContentDir(tmp_path)
