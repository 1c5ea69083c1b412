"""The lock files agree with pyproject.toml: every declared requirement (the bot's, the test
and development extras', the build backend) is pinned, with hashes, at a version its
specifier allows. ``bash .ci/lock`` regenerates both after an edit to pyproject.toml."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

import pytest
from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
PROJECT = canonicalize_name(PYPROJECT["project"]["name"])
RUNTIME_LOCK = ROOT / "requirements.txt"
DEV_LOCK = ROOT / "requirements-dev.txt"
# "name==version ; marker \" opens each entry; its "--hash=sha256:..." lines follow.
_PIN = re.compile(r"^(?P<name>[A-Za-z0-9._-]+)==(?P<version>[^\s;\\]+)\s*(?:;(?P<marker>[^\\]+))?")


@dataclass(frozen=True)
class Pin:
    name: str
    version: Version
    marker: Marker | None
    hashes: int

    def applies_here(self) -> bool:
        return self.marker is None or self.marker.evaluate()


def pins(lock: Path) -> dict[str, list[Pin]]:
    """Every pin in a lock by package name; a package may be pinned once per Python range."""
    found: dict[str, list[Pin]] = {}
    entries = re.split(r"\n(?=\S)", lock.read_text())
    for entry in entries:
        match = _PIN.match(entry)
        if match is None:
            assert entry.startswith("#"), f"{lock.name}: not a pin or a comment: {entry[:60]!r}"
            continue
        marker = match["marker"]
        pin = Pin(
            canonicalize_name(match["name"]),
            Version(match["version"]),
            Marker(marker.strip()) if marker else None,
            entry.count("--hash=sha256:"),
        )
        found.setdefault(pin.name, []).append(pin)
    return found


def declared(*extras: str) -> list[Requirement]:
    """The bot's own dependencies, the build backend and the named extras, without the
    project's references to itself (``soft-landing[test]`` in dev)."""
    texts = [*PYPROJECT["project"]["dependencies"], *PYPROJECT["build-system"]["requires"]]
    for extra in extras:
        texts += PYPROJECT["project"]["optional-dependencies"][extra]
    requirements = [Requirement(text) for text in texts]
    return [r for r in requirements if canonicalize_name(r.name) != PROJECT]


def disagreements(lock: Path, requirements: list[Requirement]) -> list[str]:
    locked = pins(lock)
    problems = []
    for requirement in requirements:
        name = canonicalize_name(requirement.name)
        if name not in locked:
            problems.append(f"{requirement} is declared but not in {lock.name}")
            continue
        if not any(pin.applies_here() for pin in locked[name]):
            problems.append(f"{requirement}: no pin in {lock.name} applies to this Python")
        for pin in locked[name]:
            if not requirement.specifier.contains(pin.version, prereleases=True):
                problems.append(f"{requirement} is pinned at {pin.version} in {lock.name}")
    return problems


@pytest.mark.parametrize(
    ("lock", "extras"),
    [(RUNTIME_LOCK, ()), (DEV_LOCK, tuple(PYPROJECT["project"]["optional-dependencies"]))],
    ids=["runtime", "dev"],
)
def test_every_declared_requirement_is_pinned_at_a_version_it_allows(
    lock: Path, extras: tuple[str, ...]
) -> None:
    requirements = declared(*extras)
    assert len(requirements) > 10, "pyproject.toml was not read"
    assert disagreements(lock, requirements) == [], "pyproject.toml changed: run bash .ci/lock"


@pytest.mark.parametrize("lock", [RUNTIME_LOCK, DEV_LOCK], ids=["runtime", "dev"])
def test_every_pin_has_a_hash_and_the_project_itself_is_not_pinned(lock: Path) -> None:
    locked = pins(lock)
    assert all(pin.hashes >= 1 for entries in locked.values() for pin in entries)
    assert PROJECT not in locked


def test_the_runtime_lock_holds_no_test_or_development_tool() -> None:
    runtime = pins(RUNTIME_LOCK)
    for tool in ("pytest", "hypothesis", "pytest-socket", "ruff", "mypy", "uv"):
        assert tool not in runtime, f"{tool} would be installed in the image"


def test_a_requirement_the_lock_does_not_satisfy_is_caught(tmp_path: Path) -> None:
    lock = tmp_path / "requirements.txt"
    lock.write_text(
        "# a lock\n"
        "pyyaml==5.4.1 \\\n    --hash=sha256:" + "0" * 64 + "\n"
        "starlette==1.10.0 ; python_full_version < '3.0' \\\n    --hash=sha256:" + "1" * 64 + "\n"
    )
    wanted = [Requirement("PyYAML~=6.0"), Requirement("starlette~=1.0"), Requirement("uvicorn")]
    assert disagreements(lock, wanted) == [
        "PyYAML~=6.0 is pinned at 5.4.1 in requirements.txt",
        "starlette~=1.0: no pin in requirements.txt applies to this Python",
        "uvicorn is declared but not in requirements.txt",
    ]
