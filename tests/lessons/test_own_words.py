"""Own words: no run of seven consecutive words in the content may match the guide.

The same rule as the shared checking tool, reimplemented here in a few lines so the tests do
not depend on a file outside the repository.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from lessons import CONTENT_DIR

# Stricter than the content guide's rule of thumb of eight: the second edition keeps to seven.
RUN = 7
GUIDE = Path(__file__).resolve().parents[2].parent / "shared" / "guide" / "guide.md"
APOSTROPHE = "\u2019"  # the typographic one; both spellings count as the same word
WORD = re.compile(r"[a-z0-9]+(?:['\u2019][a-z]+)?")


def words(text: str) -> list[str]:
    return [word.replace(APOSTROPHE, "'") for word in WORD.findall(text.lower())]


def runs(sequence: list[str]) -> set[tuple[str, ...]]:
    return {tuple(sequence[i : i + RUN]) for i in range(len(sequence) - RUN + 1)}


def test_no_seven_word_run_matches_the_guide():
    if not GUIDE.exists():
        pytest.skip(f"the guide is not at {GUIDE} (it lives in shared/, beside the repository)")
    # Headings are the guide's section titles, which sections.yaml names on purpose.
    lines = GUIDE.read_text(encoding="utf-8").splitlines()
    guide_runs = runs(words("\n".join(line for line in lines if not line.startswith("#"))))
    shared: list[str] = []
    for path in sorted(CONTENT_DIR.rglob("*.yaml")):
        # One word stream per file, so a run that YAML wraps over two lines is still caught.
        for run in sorted(runs(words(path.read_text(encoding="utf-8"))) & guide_runs):
            shared.append(f"{path.name}: {' '.join(run)}")
    assert not shared, "content repeats the guide word for word:\n" + "\n".join(shared)
