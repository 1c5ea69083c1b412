"""``softlanding`` on the command line: ``lessons check`` and ``lessons preview``."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bot import cli
from lessons import load_catalog

REPO = Path(__file__).resolve().parents[2]

BODY = " ".join(["Tears can be a calm and ordinary response to strong feelings."] * 5)

# The least content that loads: techniques, phrases and routines may be empty lists.
MINIMAL = {
    "sections.yaml": "sections:\n  - id: intro\n    title: Introduction\n",
    "course-self.yaml": f"""\
track: self
lessons:
  - id: calm-start
    day: 1
    title: A calm start &amp; more
    body: {BODY}
    try: Breathe out slowly, twice.
    reflect: What helps you feel <i>safe</i>?
    source: [intro]
    audience: self
""",
    "course-partner.yaml": f"""\
track: partner
lessons:
  - id: partner-start
    day: 1
    title: Staying close
    body: {BODY}
    try: Ask what would help.
    source: [intro]
    audience: partner
""",
    "support.yaml": """\
support:
  id: more-help
  title: More help
  body: A doctor can help. /support is always here.
  source: [intro]
""",
    "ui.yaml": """\
ui:
  render.lesson.try: "<b>Try this:</b> {text}"
  render.lesson.reflect: "<b>To reflect on:</b> <i>{text}</i>"
  render.technique.when: "<b>When it helps:</b> {text}"
  render.technique.duration: "<b>How long:</b> {text}"
  render.routine.duration: "<b>How long:</b> about {minutes} min"
  render.phrase.text: "“{text}”"
""",
}


@pytest.fixture
def minimal(tmp_path: Path) -> Path:
    for name, text in MINIMAL.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


@pytest.fixture
def broken(tmp_path: Path) -> Path:
    (tmp_path / "extra.yaml").write_text("colour: blue\n", encoding="utf-8")
    (tmp_path / "oops.yaml").write_text("ui:\n  a: [\n", encoding="utf-8")
    return tmp_path


def test_check_passes_on_the_real_content(capsys):
    status = cli.main(["lessons", "check"])
    out, err = capsys.readouterr()
    assert status == 0, err
    assert out.startswith("content ok (en): ") and "self lesson" in out


def test_check_summarises_the_content(minimal, capsys):
    assert cli.main(["lessons", "check", "--content-dir", str(minimal)]) == 0
    captured = capsys.readouterr()
    assert captured.out == (
        "content ok (en): 1 self lesson, 1 partner lesson, 0 techniques, 0 phrases, "
        "0 routines, 1 support note\n"
    )
    assert captured.err == ""


def two_languages(one: Path, root: Path) -> Path:
    """A content root with ``one``'s files as both English and Spanish."""
    for language in ("en", "es"):
        (root / language).mkdir(parents=True)
        for path in one.glob("*.yaml"):
            shutil.copy(path, root / language / path.name)
    return root


def test_check_reports_each_language(minimal, tmp_path, capsys):
    root = two_languages(minimal, tmp_path / "root")
    assert cli.main(["lessons", "check", "--content-dir", str(root)]) == 0
    assert [line.split(":")[0] for line in capsys.readouterr().out.splitlines()] == [
        "content ok (en)",
        "content ok (es)",
    ]


def test_check_lists_what_a_language_is_missing(minimal, tmp_path, capsys):
    root = two_languages(minimal, tmp_path / "root")
    (root / "es" / "support.yaml").unlink()
    assert cli.main(["lessons", "check", "--content-dir", str(root)]) == 1
    assert capsys.readouterr().err.splitlines() == [
        "es/*.yaml: support: not found; expected support.yaml with a `support:` note",
        "content check failed: 1 problem",
    ]


def test_preview_in_another_language_and_an_unknown_one(minimal, tmp_path, capsys):
    root = two_languages(minimal, tmp_path / "root")
    assert cli.main(["lessons", "preview", "--content-dir", str(root), "--language", "fr"]) == 1
    assert "no content in 'fr'; the languages are: en, es" in capsys.readouterr().err


def test_check_lists_every_problem_and_fails(broken, capsys):
    assert cli.main(["lessons", "check", "--content-dir", str(broken)]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.splitlines() == [
        "*.yaml: track self: lessons: no lessons; "
        "expected at least one lesson in a file with `track: self`",
        "*.yaml: track partner: lessons: no lessons; "
        "expected at least one lesson in a file with `track: partner`",
        "*.yaml: support: not found; expected support.yaml with a `support:` note",
        "*.yaml: sections: not found; expected sections.yaml with a `sections:` list",
        "extra.yaml:1: colour: unknown top-level key; expected one of: "
        "sections, track, collection, lessons, techniques, phrases, routines, support, rules, ui, "
        "reasons, care",
        "oops.yaml:3: YAML syntax: while parsing a flow node, expected the node content, "
        "but found '<stream end>'; fix the indentation or quoting",
        "content check failed: 6 problems",
    ]


def test_preview_one_entry_of_the_real_content(capsys):
    lesson = load_catalog().track("self")[0]
    assert cli.main(["lessons", "preview", lesson.id]) == 0
    assert lesson.id in capsys.readouterr().out


def test_preview_shows_the_entry_as_a_reader_sees_it(minimal, capsys):
    assert cli.main(["lessons", "preview", "calm-start", "--content-dir", str(minimal)]) == 0
    out = capsys.readouterr().out
    assert "self day 1 · calm-start" in out
    assert "A calm start & more" in out  # entities decoded
    assert "Try this: Breathe out slowly, twice." in out
    assert "To reflect on: What helps you feel safe?" in out
    assert "<" not in out and "\x1b[" not in out  # no markup, no colour when not a terminal


def test_preview_of_an_unknown_id_fails_and_suggests_the_list(minimal, capsys):
    assert cli.main(["lessons", "preview", "nowhere", "--content-dir", str(minimal)]) == 1
    err = capsys.readouterr().err
    assert "'nowhere'" in err and "softlanding lessons preview` without an id" in err


def test_preview_all_in_course_order(minimal, capsys):
    assert cli.main(["lessons", "preview", "--content-dir", str(minimal)]) == 0
    out = capsys.readouterr().out
    ids = ["calm-start", "partner-start", "more-help"]
    positions = [out.index(f"· {entry_id}") for entry_id in ids]
    assert positions == sorted(positions)


def test_preview_all_pages_on_a_terminal(minimal, capsys, monkeypatch):
    paged: list[str] = []
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    monkeypatch.setattr(cli.pydoc, "pager", paged.append)
    monkeypatch.setenv("LESS", "-R")
    monkeypatch.delenv("PAGER", raising=False)
    assert cli.main(["lessons", "preview", "--content-dir", str(minimal)]) == 0
    assert capsys.readouterr().out == ""
    assert len(paged) == 1 and "Staying close" in paged[0]
    assert "\x1b[1m" in paged[0]  # bold titles, since less -R shows colour


def test_preview_reports_content_problems(broken, capsys):
    assert cli.main(["lessons", "preview", "x", "--content-dir", str(broken)]) == 1
    assert "extra.yaml:1: colour" in capsys.readouterr().err


def test_help_lists_the_commands(capsys):
    with pytest.raises(SystemExit) as exited:
        cli.main(["--help"])
    assert exited.value.code == 0
    out = capsys.readouterr().out
    assert all(name in out for name in ("run", "chat", "lessons"))


def test_content_dir_is_documented(capsys):
    with pytest.raises(SystemExit):
        cli.main(["lessons", "check", "--help"])
    assert "--content-dir DIR" in capsys.readouterr().out


def test_python_dash_m_bot_is_the_same_command(broken):
    result = subprocess.run(
        [sys.executable, "-m", "bot", "lessons", "check", "--content-dir", str(broken)],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert "extra.yaml:1: colour: unknown top-level key" in result.stderr
