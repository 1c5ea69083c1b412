"""Reading one entry of each kind from its YAML mapping, and the ids entries share.

``lessons.files`` walks each file and hands each mapping to a function here. What an entry
says about other entries (its id, the sections and techniques it names) goes into the
``Registry``, which is checked once every file has been read.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from yaml.nodes import Node

from lessons.model import (
    Audience,
    Collection,
    ContentRules,
    Lesson,
    Phrase,
    Purpose,
    Routine,
    Section,
    Situation,
    SupportNote,
    Technique,
    Track,
)
from lessons.reader import EntryReader, describe, line_of, scalar_text
from lessons.telegram_html import html_problems
from lessons.validation import (
    UI_KEY,
    Problem,
    Where,
    placeholder_problems,
    section_id_problem,
)

LESSON_FIELDS = (
    "id",
    "day",
    "title",
    "body",
    "try",
    "try_solo",
    "reflect",
    "source",
    "audience",
    "technique",
    "tags",
    "purpose",
)
TECHNIQUE_FIELDS = ("id", "name", "when", "steps", "duration", "source")
PHRASE_FIELDS = ("id", "situation", "text", "note", "source")
ROUTINE_FIELDS = ("id", "name", "reminder", "how", "minutes", "source")
SUPPORT_FIELDS = ("id", "title", "body", "source")
SECTION_FIELDS = ("id", "title")
RULE_FIELDS = (
    "preview_characters",
    "shared_run_words",
    "opening_words",
    "explicit_words",
    "us_spellings",
    "partner_words",
    "pause_words",
    "continue_words",
    "partner_topics",
    "scheduled_ui",
    "track_purposes",
    "time_article",
)


@dataclass
class Registry:
    """Ids and references gathered across every file, for the checks that need them all."""

    problems: list[Problem]
    ids: dict[str, Where] = field(default_factory=dict)
    technique_ids: set[str] = field(default_factory=set)
    source_refs: list[tuple[str, Where]] = field(default_factory=list)
    technique_refs: list[tuple[str, Where]] = field(default_factory=list)

    def entry_id(self, reader: EntryReader) -> str:
        """The entry's id, checked for uniqueness across every file and kind."""
        entry_id = reader.identifier()
        if not entry_id:
            return entry_id
        where = reader.where("id", reader.field_node("id"))
        first = self.ids.setdefault(entry_id, where)
        if first is not where:
            reader.report(
                "id",
                f"duplicate id; also used at {first}; ids must be unique across all files",
                reader.field_node("id"),
            )
        return entry_id

    def sources(self, reader: EntryReader) -> tuple[str, ...]:
        found = reader.sources()
        self.source_refs.extend(found)
        return tuple(section_id for section_id, _ in found)

    def check_references(self, section_ids: set[str] | None) -> None:
        """Every named section and technique exists (sections only once they are listed)."""
        if section_ids is not None:
            for section_id, where in self.source_refs:
                if section_id not in section_ids:
                    self.problems.append(
                        where.problem(
                            f"unknown section id {section_id!r}; expected an id from sections.yaml"
                        )
                    )
        for technique_id, where in self.technique_refs:
            if technique_id not in self.technique_ids:
                self.problems.append(
                    where.problem(
                        f"unknown technique {technique_id!r}; expected an id from techniques.yaml"
                    )
                )


def read_lesson(
    reader: EntryReader, registry: Registry, track: Track | Collection | None
) -> tuple[Lesson | None, int | None]:
    """The lesson (None when anything is wrong) and its day, to check the order with."""
    lesson_id = registry.entry_id(reader)
    day = reader.whole_number("day", low=1)
    title = reader.text("title", max_chars=60)
    body = reader.text("body", min_words=40, max_words=110, paragraphs=True)
    try_ = reader.text("try", max_words=40)
    try_solo = reader.optional_text("try_solo", max_words=40)
    reflect = reader.optional_text("reflect", max_words=25, question=True)
    source = registry.sources(reader)
    audience = reader.choice("audience", Audience, Audience.SELF)
    technique = reader.reference("technique")
    if technique is not None:
        registry.technique_refs.append(technique)
    tags = reader.tags()
    purpose = reader.choices("purpose", Purpose)
    if track is None or day is None or not reader.ok:
        return None, day
    lesson = Lesson(
        id=lesson_id,
        track=track,
        day=day,
        title=title,
        body=body,
        try_=try_,
        source=source,
        audience=audience,
        reflect=reflect,
        technique=technique[0] if technique else None,
        tags=tags,
        try_solo=try_solo,
        purpose=purpose,
    )
    return lesson, day


def read_technique(reader: EntryReader, registry: Registry) -> Technique | None:
    technique_id = registry.entry_id(reader)
    if technique_id:
        registry.technique_ids.add(technique_id)
    technique = Technique(
        id=technique_id,
        name=reader.text("name", max_chars=40),
        when=reader.text("when", max_words=25),
        steps=reader.text_list("steps", min_items=2, max_items=6, max_words=25),
        source=registry.sources(reader),
        duration=reader.optional_text("duration"),
    )
    return technique if reader.ok else None


def read_phrase(reader: EntryReader, registry: Registry) -> Phrase | None:
    phrase = Phrase(
        id=registry.entry_id(reader),
        situation=reader.choice("situation", Situation, Situation.BEFORE),
        text=reader.text("text", max_words=25),
        source=registry.sources(reader),
        note=reader.optional_text("note", max_words=30),
    )
    return phrase if reader.ok else None


def read_routine(reader: EntryReader, registry: Registry) -> Routine | None:
    routine = Routine(
        id=registry.entry_id(reader),
        name=reader.text("name", max_chars=40),
        reminder=reader.text("reminder", max_words=30),
        how=reader.text_list("how", min_items=1, max_items=3, max_words=40),
        minutes=reader.whole_number("minutes", low=1, high=60) or 0,
        source=registry.sources(reader),
    )
    return routine if reader.ok else None


def read_support(reader: EntryReader, registry: Registry) -> SupportNote | None:
    note = SupportNote(
        id=registry.entry_id(reader),
        title=reader.text("title", max_chars=60),
        body=reader.text("body", max_words=180, paragraphs=True),
        source=registry.sources(reader),
    )
    return note if reader.ok else None


def read_section(reader: EntryReader, section_ids: dict[str, Where]) -> Section | None:
    """One of the guide's sections; ``section_ids`` remembers where each id was listed."""
    section_id = reader.identifier(check=section_id_problem)
    if section_id in section_ids:
        first = section_ids[section_id]
        reader.report(
            "id", f"duplicate section id; also listed at {first}", reader.field_node("id")
        )
    elif section_id:
        section_ids[section_id] = reader.where("id", reader.field_node("id"))
    section = Section(id=section_id, title=reader.text("title"))
    return section if reader.ok else None


def read_rules(reader: EntryReader) -> ContentRules:
    """The rules mapping: limits as whole numbers, everything else as lists of words."""

    def number(name: str) -> int:
        return reader.whole_number(name, low=1) or 0

    def listed(name: str) -> tuple[str, ...]:
        found = reader.text_list(name, min_items=0, max_items=500, max_words=6)
        return tuple(word.casefold() for word in found)

    return ContentRules(
        preview_characters=number("preview_characters"),
        shared_run_words=number("shared_run_words"),
        opening_words=number("opening_words"),
        explicit_words=listed("explicit_words"),
        us_spellings=listed("us_spellings"),
        partner_words=listed("partner_words"),
        pause_words=listed("pause_words"),
        continue_words=listed("continue_words"),
        partner_topics=listed("partner_topics"),
        scheduled_ui=listed("scheduled_ui"),
        # Optional, unlike the others: content written before the planner has none.
        track_purposes=listed("track_purposes") if reader.has("track_purposes") else (),
        # Optional: only a language whose article agrees with the hour gives it.
        time_article=_article(reader) if reader.has("time_article") else (),
    )


def _article(reader: EntryReader) -> tuple[str, ...]:
    """The (plural, singular) pair of ``time_article``: two single words."""
    found = reader.text_list("time_article", min_items=2, max_items=2, max_words=1)
    return tuple(word.casefold() for word in found)


def day_problems(days: list[tuple[int, Where]], group: Track | Collection) -> list[Problem]:
    """Days run 1, 2, 3 ... across all of a track's files: no repeats, no gaps."""
    problems: list[Problem] = []
    first_at: dict[int, Where] = {}
    for day, where in days:
        if day in first_at:
            first = first_at[day]
            message = f"day {day} repeats the day of {first.entry} at {first}"
            problems.append(where.problem(f"{message}; expected each day once in track {group}"))
        else:
            first_at[day] = where
    expected = 1
    for day in sorted(first_at):
        if day != expected:
            missing = str(expected) if day == expected + 1 else f"{expected} to {day - 1}"
            message = f"track {group} has no day {missing} before day {day}"
            problems.append(
                first_at[day].problem(f"{message}; expected days 1, 2, 3 ... with no gaps")
            )
        expected = day + 1
    return problems


def read_ui_text(
    file: str,
    key_node: Node,
    text_node: Node,
    ui: dict[str, str],
    ui_at: dict[str, Where],
    problems: list[Problem],
) -> None:
    """One ``ui`` key and its text, into ``ui``; ``ui_at`` remembers where each key is."""
    name = scalar_text(key_node)
    where = Where(file, line_of(key_node), "ui", str(key_node.value))
    if name is None or not UI_KEY.fullmatch(name):
        problems.append(
            where.problem("key is not lowercase words joined by '.' (such as 'start.welcome')")
        )
        return
    if name in ui_at:
        problems.append(where.problem(f"duplicate ui key; also defined at {ui_at[name]}"))
        return
    ui_at[name] = where
    text = scalar_text(text_node)
    if text is None:
        problems.append(where.problem(f"expected text, got {describe(text_node)}"))
        return
    text = text.strip()
    messages = html_problems(text) + placeholder_problems(text)
    if not text:
        messages.append("is empty; expected text")
    for message in messages:
        problems.append(Where(file, line_of(text_node), "ui", name).problem(message))
    ui[name] = text
