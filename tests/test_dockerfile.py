"""No Docker engine runs here, so this replays what the Dockerfile does in a fresh virtual
environment: its COPY steps into a scratch folder, its pip and python RUN steps there, then
the default command. It installs every dependency, so it runs only when
``SOFTLANDING_DOCKERFILE_TEST=1`` is set."""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCKERFILE = ROOT / "Dockerfile"

pytestmark = pytest.mark.skipif(
    os.environ.get("SOFTLANDING_DOCKERFILE_TEST") != "1",
    reason="installs every dependency into a fresh venv: set SOFTLANDING_DOCKERFILE_TEST=1",
)


def instructions(text: str) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, with continuation lines joined and comments dropped."""
    steps: list[tuple[str, str]] = []
    pending = ""
    for line in text.splitlines():
        stripped = line.strip()
        if not pending and (not stripped or stripped.startswith("#")):
            continue
        if stripped.endswith("\\"):
            pending += stripped[:-1] + " "
            continue
        whole = pending + stripped
        pending = ""
        keyword, _, arguments = whole.partition(" ")
        steps.append((keyword.upper(), arguments.strip()))
    return steps


def test_the_dockerfile_is_what_the_readme_promises() -> None:
    steps = instructions(DOCKERFILE.read_text())
    keywords = [keyword for keyword, _ in steps]
    assert steps[0] == ("FROM", "python:3.11-slim")
    assert ("USER", "softlanding") in steps
    # The database and its data key live in volumes of their own, to be backed up apart.
    volumes = [arguments.split() for keyword, arguments in steps if keyword == "VOLUME"]
    assert ["/app/data", "/app/keys"] in volumes
    assert "HEALTHCHECK" in keywords and "/healthz" in dict(steps)["HEALTHCHECK"]
    assert json.loads(dict(steps)["CMD"]) == ["softlanding", "run"]
    # Dependencies are installed before the code is copied in, so code edits keep that layer.
    first_code_copy = steps.index(("COPY", "bot ./bot"))
    deps = next(i for i, (k, a) in enumerate(steps) if k == "RUN" and "-r requirements" in a)
    assert deps < first_code_copy
    # From the lock, every file checked against its hash; the project adds nothing to it.
    assert steps[deps] == ("RUN", "python -m pip install --require-hashes -r requirements.txt")
    assert ("COPY", "requirements.txt ./") in steps[:deps]
    project = [
        a
        for k, a in steps
        if k == "RUN" and a.endswith("pip install --no-deps --no-build-isolation .")
    ]
    assert len(project) == 1


def test_the_dockerfile_installs_and_starts_in_a_fresh_venv(tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    env = {
        "PATH": f"{venv / 'bin'}{os.pathsep}{os.environ['PATH']}",
        "HOME": str(tmp_path),
        "VIRTUAL_ENV": str(venv),
    }
    workdir = tmp_path / "image"
    workdir.mkdir()
    for keyword, arguments in instructions(DOCKERFILE.read_text()):
        if keyword == "ENV":
            for pair in shlex.split(arguments):
                name, _, value = pair.partition("=")
                env[name] = value
        elif keyword == "COPY":
            *sources, target = arguments.split()
            for source in sources:
                _copy(ROOT / source, workdir / target if len(sources) == 1 else workdir)
        elif keyword == "RUN" and arguments.startswith("python"):
            # Installing: run as written. User and folder set-up is the image's own business.
            subprocess.run(arguments, shell=True, cwd=workdir, env=env, check=True)
    command = json.loads(dict(instructions(DOCKERFILE.read_text()))["CMD"])
    started = tmp_path / "run-here"
    started.mkdir()

    shown = subprocess.run(
        [*command, "--help"], cwd=started, env=env, capture_output=True, text=True, check=True
    )
    assert "--webhook" in shown.stdout
    # A dry start: without a token it stops at once, with one line about the token.
    dry = subprocess.run(command, cwd=started, env=env, capture_output=True, text=True)
    assert dry.returncode == 2
    assert dry.stderr.startswith("TELEGRAM_BOT_TOKEN is not set")
    content = subprocess.run(
        ["softlanding", "lessons", "check"], cwd=started, env=env, capture_output=True, text=True
    )
    assert content.returncode == 0, content.stderr


def _copy(source: Path, target: Path) -> None:
    if source.is_dir():
        shutil.copytree(
            source, target, ignore=shutil.ignore_patterns("__pycache__"), dirs_exist_ok=True
        )
    else:
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(source, target)
