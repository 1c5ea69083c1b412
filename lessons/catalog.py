"""Loading content: every YAML file in the content folder, validated, into one ``Catalog``.

Each file is read into one ``Gathering`` (``lessons.files``; the lessons of tracks and
collections in ``lessons.tracks``), then what needs every file is checked and the catalog
built here. Everything is read and checked before anything is built: either the whole
catalog loads, or ``ContentError`` lists every problem at once.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from lessons.care import lesson_problems
from lessons.files import read_file
from lessons.gathering import ALL_FILES, Gathering
from lessons.model import Catalog, Collection, SupportNote, Track
from lessons.rules import rule_problems
from lessons.tracks import check_days, in_order
from lessons.validation import ContentError, Problem, Where

CONTENT_DIR = Path(__file__).resolve().parent / "content"
"""The bundled content: one folder per language (``en``, ``es``), each a whole catalog."""


def load_catalog(directory: Path | None = None) -> Catalog:
    """The validated content of ``directory``, by default the bundled English catalog.

    The bundled catalog is read once per process and shared, checked against every other
    bundled language (``lessons.library``); an explicit folder is read afresh on every call,
    so tests and ``lessons check`` always see the files as they are.
    Raises ``ContentError`` listing every problem when anything is wrong.
    """
    if directory is None:
        from lessons.library import bundled_library

        return bundled_library().default_catalog
    loaded = read_folder(Path(directory))
    if loaded.catalog is None:
        raise ContentError(loaded.problems)
    return loaded.catalog


@dataclass(frozen=True, slots=True)
class Loaded:
    """One folder read: its catalog (None when anything is wrong), every problem, and where
    each entry id and ui key was found, for the checks that compare languages."""

    catalog: Catalog | None
    problems: tuple[Problem, ...]
    ids: Mapping[str, Where]
    ui_at: Mapping[str, Where]
    section_at: Mapping[str, Where]


def read_folder(directory: Path, shown_as: str = "") -> Loaded:
    """Read every YAML file of ``directory``; problems name files as ``shown_as`` + name."""
    if not directory.is_dir():
        message = "no such folder; expected the folder that holds the content YAML files"
        return Loaded(None, (Problem(str(directory), None, None, None, message),), {}, {}, {})
    gathering = Gathering()
    for path in sorted(directory.glob("*.yaml")):
        read_file(gathering, shown_as + path.name, path)
    catalog = build(gathering)
    # Problems of no one file ("no lessons in any file") still name the language's folder.
    named = (
        dataclasses.replace(problem, file=shown_as + problem.file)
        if problem.file == ALL_FILES
        else problem
        for problem in gathering.problems
    )
    problems = tuple(sorted(named, key=lambda p: (p.file, p.line or 0)))
    ids, ui_at, section_at = gathering.registry.ids, gathering.ui_at, gathering.section_ids
    return Loaded(catalog, problems, dict(ids), dict(ui_at), dict(section_at))


def build(gathering: Gathering) -> Catalog | None:
    """The catalog, or None when any problem was found (``gathering.problems`` lists them)."""
    sections = None if gathering.sections_at is None else set(gathering.section_ids)
    gathering.registry.check_references(sections)
    check_days(gathering)
    lessons = {lesson.id: lesson for group in gathering.lessons.values() for lesson in group}
    gathering.problems.extend(lesson_problems(gathering.reasons, lessons))
    support = _support(gathering)
    if gathering.sections_at is None:
        gathering.problem(
            Where(ALL_FILES, None, None, "sections"),
            "not found; expected sections.yaml with a `sections:` list",
        )
    if gathering.problems or support is None:
        return None
    catalog = Catalog(
        sections=tuple(gathering.sections),
        tracks={track: in_order(gathering, track) for track in Track},
        techniques=tuple(gathering.techniques),
        phrases=tuple(gathering.phrases),
        routines=tuple(gathering.routines),
        support=support,
        ui=gathering.ui,
        collections={kind: in_order(gathering, kind) for kind in Collection},
        rules=gathering.rules,
        reasons=tuple(reason for reason, _ in gathering.reasons),
        care=gathering.care,
    )
    # The rules read the finished catalog: what a lock screen shows, what repeats.
    gathering.problems.extend(rule_problems(catalog, gathering.registry.ids, gathering.ui_at))
    return None if gathering.problems else catalog


def _support(gathering: Gathering) -> SupportNote | None:
    if not gathering.supports:
        gathering.problem(
            Where(ALL_FILES, None, None, "support"),
            "not found; expected support.yaml with a `support:` note",
        )
        return None
    return gathering.supports[0][0]
