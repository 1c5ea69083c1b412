"""The stand-in's package boundary: it imports only the standard library and ``telegram``,
so it cannot drift with the project code it checks, and its old single-module imports hold."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import bot.standin

PACKAGE = Path(bot.standin.__file__).parent
ALLOWED_THIRD_PARTY = {"telegram"}


def _imports(path: Path) -> list[tuple[str, int]]:
    """(module, relative level) for every import statement in a file, nested ones included."""
    found: list[tuple[str, int]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            found.extend((alias.name, 0) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            found.append((node.module or "", node.level))
    return found


def _modules() -> list[Path]:
    return sorted(PACKAGE.glob("*.py"))


def test_the_package_has_its_modules() -> None:
    names = {path.stem for path in _modules()}
    assert {"__init__", "api", "chats", "driver", "html_reader", "markup", "model"} <= names


def test_every_import_is_the_standard_library_telegram_or_the_package_itself() -> None:
    outside: list[str] = []
    for path in _modules():
        for module, level in _imports(path):
            top = module.split(".")[0]
            if level == 1:
                continue  # a sibling module of this package
            allowed = level == 0 and (
                top in sys.stdlib_module_names or top in ALLOWED_THIRD_PARTY or top == "__future__"
            )
            if not allowed:
                outside.append(f"{path.name}: {'.' * level}{module}")
    assert outside == []


def test_the_boundary_check_catches_a_project_import(tmp_path: Path) -> None:
    # The check above must be able to fail: a project import, absolute or relative, shows up.
    sample = tmp_path / "sample.py"
    sample.write_text("from bot.settings import Settings\nfrom ..app import build\nimport yaml\n")
    assert _imports(sample) == [("bot.settings", 0), ("app", 2), ("yaml", 0)]
    assert "bot" not in sys.stdlib_module_names and "yaml" not in sys.stdlib_module_names


def test_the_names_other_code_imports_still_come_from_bot_standin() -> None:
    from bot.standin import BotMessage, Button, ChatDriver, StandInBotAPI

    assert StandInBotAPI.__module__ == "bot.standin.api"
    assert ChatDriver.__module__ == "bot.standin.driver"
    assert Button("a", "b") == ("a", "b")
    assert {BotMessage.__module__, Button.__module__} == {"bot.standin.model"}
