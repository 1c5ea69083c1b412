"""The language revision on a database written before it: everyone stored keeps reading
English, as they had been, until they choose another."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config

import scheduler
from scheduler.crypto import DataKey

MIGRATIONS = Path(scheduler.__file__).parent / "migrations"


def _upgrade(connection: sa.Connection, revision: str) -> None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("path_separator", "os")
    config.attributes["connection"] = connection
    config.attributes["data_key"], _ = DataKey.generate()
    command.upgrade(config, revision)


def test_people_stored_before_the_language_column_read_english(tmp_path: Path) -> None:
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'old.db'}")
    with engine.begin() as connection:
        _upgrade(connection, "0011")
        columns = {column["name"] for column in sa.inspect(connection).get_columns("subscribers")}
        assert "language" not in columns
        connection.execute(
            sa.text(
                "INSERT INTO subscribers (id, chat_hash, chat_sealed, timezone, discreet,"
                " quiet_start, quiet_end, quiet_mode, blocked)"
                " VALUES (1, x'01', x'02', 'UTC', 1, '22:00', '08:00', 'silent', 0)"
            )
        )
        _upgrade(connection, "head")
        language = connection.execute(sa.text("SELECT language FROM subscribers")).scalar_one()
    engine.dispose()
    assert language == "en"
