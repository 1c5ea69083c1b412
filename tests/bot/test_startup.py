"""``softlanding run`` with a bad setting: it stops before touching Telegram, with one line
naming the setting on standard error and a non-zero exit status."""

from __future__ import annotations

import io
import logging
import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot import cli, runtime
from bot.settings import Settings
from bot.webhook import secret_from_token

TOKEN = "123456789:AAEexampleexampleexampleexample_-"
SETTINGS = (
    "TELEGRAM_BOT_TOKEN",
    "TELEGRAM_API_BASE_URL",
    "DATABASE_URL",
    "ADMIN_IDS",
    "LOG_LEVEL",
    "LOG_FORMAT",
    "SEND_RATE",
    "DELIVERY_GRACE_MINUTES",
    "DELIVERY_LEASE_SECONDS",
    "WEBHOOK_URL",
    "WEBHOOK_LISTEN",
    "WEBHOOK_PORT",
    "WEBHOOK_SECRET",
    "METRICS",
    "DATA_KEY",
    "DATA_KEY_FILE",
    "PAID_BROADCAST",
)


@pytest.fixture
def environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> pytest.MonkeyPatch:
    """A clean environment with a good token and database; no .env file nearby."""
    monkeypatch.chdir(tmp_path)
    for name in SETTINGS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", TOKEN)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'data' / 'bot.db'}")
    return monkeypatch


@pytest.fixture(autouse=True)
def restore_logging() -> Iterator[None]:
    """A run configures the root logger; put pytest's handlers back afterwards."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


def _refused(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    """Run ``softlanding run``; expect exit status 2 and exactly one line, which is returned."""
    status = cli.main(["run", *argv])
    err = capsys.readouterr().err
    assert status == 2
    lines = err.splitlines()
    assert len(lines) == 1, err
    return lines[0]


@pytest.mark.parametrize(
    ("name", "value", "says"),
    [
        ("TELEGRAM_BOT_TOKEN", "", "TELEGRAM_BOT_TOKEN is not set"),
        ("TELEGRAM_BOT_TOKEN", "not-a-token", "does not look like a bot token"),
        ("DATABASE_URL", "mysql://db/bot", "scheme 'mysql'"),
        ("DATABASE_URL", "nonsense", "DATABASE_URL is not a database URL"),
        ("ADMIN_IDS", "12,alex", "ADMIN_IDS: 'alex' is not a Telegram user id"),
        ("LOG_LEVEL", "LOUD", "LOG_LEVEL: 'LOUD' is not a level"),
        ("LOG_FORMAT", "xml", "LOG_FORMAT: 'xml' is not a format"),
        ("WEBHOOK_PORT", "http", "WEBHOOK_PORT: 'http' is not a port"),
        ("WEBHOOK_PORT", "70000", "WEBHOOK_PORT: '70000' is not a port"),
        ("WEBHOOK_URL", "http://bot.example.org/hook", "is not an https:// address"),
        ("WEBHOOK_SECRET", "has spaces in it", "WEBHOOK_SECRET: expected 1 to 256"),
        ("METRICS", "maybe", "METRICS: 'maybe' is not on or off"),
        ("DELIVERY_LEASE_SECONDS", "soon", "DELIVERY_LEASE_SECONDS: 'soon' is not a number"),
        ("DELIVERY_LEASE_SECONDS", "0", "DELIVERY_LEASE_SECONDS: '0' is not a number"),
    ],
)
def test_a_bad_setting_stops_start_up_with_one_line(
    environment: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    name: str,
    value: str,
    says: str,
) -> None:
    environment.setenv(name, value)
    line = _refused(capsys)
    assert says in line
    assert TOKEN not in line


def test_a_data_folder_that_cannot_be_made_stops_start_up(
    environment: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # A file where the data folder should be: no user, root included, can write there.
    (tmp_path / "data").write_text("not a folder")
    environment.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'data' / 'bot.db'}")
    assert "the data folder cannot be created" in _refused(capsys)


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write to any folder")
def test_a_read_only_data_folder_stops_start_up(
    environment: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    folder = tmp_path / "readonly"
    folder.mkdir()
    folder.chmod(0o555)
    environment.setenv("DATABASE_URL", f"sqlite:///{folder / 'bot.db'}")
    assert f"the data folder {folder} is not writable" in _refused(capsys)


def test_webhook_mode_without_a_url_stops_start_up(
    environment: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    line = _refused(capsys, "--webhook")
    assert line.startswith("--webhook needs WEBHOOK_URL")


def test_an_unreachable_database_stops_start_up_with_one_line(
    environment: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # Port 1 on this machine: nothing listens there, so the connection is refused at once.
    environment.setenv("DATABASE_URL", "postgresql://bot:pw@127.0.0.1:1/bot")
    status = cli.main(["run"])
    err = capsys.readouterr().err
    assert status == 1
    assert err.strip().splitlines()[-1].startswith("DATABASE_URL: the database did not answer")
    assert "pw" not in err.strip().splitlines()[-1]


def test_webhook_mode_without_a_secret_blanks_the_derived_one_in_every_log_line(
    environment: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    environment.setenv("WEBHOOK_URL", "https://bot.example.org/telegram")
    environment.setenv("LOG_LEVEL", "DEBUG")
    secret = secret_from_token(TOKEN)

    async def serve(settings: Settings) -> None:
        assert settings.webhook_secret is None  # derived where the webhook is set up
        # A library's warning quoting it, as PTB would quote a failed setWebhook's parameters.
        logging.getLogger("telegram.Bot").warning("setWebhook failed: secret_token=%s", secret)

    environment.setattr(runtime, "_serve", serve)
    assert cli.main(["run"]) == 0
    err = capsys.readouterr().err
    assert "setWebhook failed: secret_token=[secret]" in err
    assert secret not in err


# -- Without a token: the local chat at a terminal, the refusal anywhere else --------------------


class Terminal(io.StringIO):
    """Standard input or output as a person typing at a terminal has it."""

    def isatty(self) -> bool:
        return True


ANSI = re.compile(r"\x1b\[[0-9;]*m")


def _run_with(stdin: io.StringIO, out: io.StringIO, *argv: str) -> int:
    return cli.run(cli.build_parser().parse_args(["run", *argv]), stdin=stdin, out=out)


def test_without_a_token_at_a_terminal_run_opens_the_local_chat(
    environment: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    environment.delenv("TELEGRAM_BOT_TOKEN")
    out = Terminal()

    status = _run_with(Terminal("/start\n"), out)

    printed = ANSI.sub("", out.getvalue())
    assert status == 0
    # One line first, saying how to reach Telegram instead; then the bot answers.
    assert printed.splitlines()[0] == cli.LOCAL_CHAT_NOTE
    assert "TELEGRAM_BOT_TOKEN" in cli.LOCAL_CHAT_NOTE and "\n" not in cli.LOCAL_CHAT_NOTE
    assert "Welcome to Soft Landing" in printed
    # The chat's own SQLite file, never the real bot's database.
    assert (tmp_path / "data" / "chat.db").is_file()
    assert not (tmp_path / "data" / "bot.db").exists()
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize(
    ("stdin", "out", "argv"),
    [
        (io.StringIO("/start\n"), io.StringIO(), ()),  # a container or a service
        (Terminal("/start\n"), io.StringIO(), ()),  # output piped away
        (io.StringIO("/start\n"), Terminal(), ()),  # input from a pipe
        (Terminal("/start\n"), Terminal(), ("--webhook",)),  # a webhook wants Telegram
    ],
)
def test_without_a_token_elsewhere_run_refuses_with_one_line(
    environment: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    stdin: io.StringIO,
    out: io.StringIO,
    argv: tuple[str, ...],
) -> None:
    environment.delenv("TELEGRAM_BOT_TOKEN")
    status = _run_with(stdin, out, *argv)
    lines = capsys.readouterr().err.splitlines()
    assert status == 2
    assert len(lines) == 1 and lines[0].startswith("TELEGRAM_BOT_TOKEN is not set")
    assert out.getvalue() == ""


def test_with_a_token_at_a_terminal_run_starts_the_real_bot(
    environment: pytest.MonkeyPatch,
) -> None:
    started: list[Settings] = []

    def run_bot(settings: Settings, *, webhook: bool = False) -> int:
        started.append(settings)
        return 0

    environment.setattr(runtime, "run", run_bot)
    out = Terminal()
    assert _run_with(Terminal("/start\n"), out) == 0
    assert [settings.token for settings in started] == [TOKEN]
    assert out.getvalue() == ""
