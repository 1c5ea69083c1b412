"""The content room stays readable: no module of ``lessons`` over about 400 lines
(shared/DESIGN.md, "Files that stay small"); one that grows is split by concern."""

from __future__ import annotations

from pathlib import Path

import lessons

LIMIT = 400


def test_no_lessons_module_is_over_the_limit():
    room = Path(lessons.__file__).parent
    sizes = {path.name: len(path.read_text().splitlines()) for path in room.glob("*.py")}
    assert "catalog.py" in sizes
    assert {name: lines for name, lines in sizes.items() if lines > LIMIT} == {}
