"""Chat ids sealed: each person's chat id encrypted, found by a keyed hash, the plain column gone.

Every existing row is sealed in place, in the migration's one transaction, with the data key
the store hands over in ``config.attributes["data_key"]`` (Alembic alone has no key: a
database with people in it refuses to migrate without one). The key's check value is kept in
the new ``data_key`` table, so a later start with another key stops with a clear error.
SQLite rebuilds ``subscribers`` to drop the plain column; the store's secure delete and the
emptied write-ahead log after opening leave no old chat id in its files.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import context, op

from scheduler.crypto import DataKey

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | None = None
depends_on: str | None = None

_people = sa.table(
    "subscribers",
    sa.column("id", sa.Integer),
    sa.column("chat_id", sa.BigInteger),
    sa.column("chat_hash", sa.LargeBinary),
    sa.column("chat_sealed", sa.LargeBinary),
)


def _key() -> DataKey | None:
    key = context.config.attributes.get("data_key")
    return key if isinstance(key, DataKey) else None


def upgrade() -> None:
    key = _key()
    op.create_table(
        "data_key",
        sa.Column("id", sa.Integer, nullable=False, autoincrement=False),
        sa.Column("check_value", sa.LargeBinary, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_data_key"),
    )
    op.add_column("subscribers", sa.Column("chat_hash", sa.LargeBinary, nullable=True))
    op.add_column("subscribers", sa.Column("chat_sealed", sa.LargeBinary, nullable=True))
    bind = op.get_bind()
    people = bind.execute(sa.select(_people.c.id, _people.c.chat_id)).all()
    if people and key is None:
        raise RuntimeError("sealing the stored chat ids needs the data key: open it with the store")
    if people:
        assert key is not None
        bind.execute(
            _people.update()
            .where(_people.c.id == sa.bindparam("person"))
            .values(chat_hash=sa.bindparam("hash"), chat_sealed=sa.bindparam("sealed")),
            [
                {"person": person, "hash": key.lookup(chat), "sealed": key.seal(chat)}
                for person, chat in people
            ],
        )
    if key is not None:
        bind.execute(
            sa.text("INSERT INTO data_key (id, check_value) VALUES (1, :check)"),
            {"check": key.check},
        )
    # SQLite copies the table to drop a column; its AUTOINCREMENT must survive the copy, so
    # an erased person's id is still never handed to someone new.
    with op.batch_alter_table("subscribers", table_kwargs={"sqlite_autoincrement": True}) as batch:
        batch.drop_constraint("uq_subscribers_chat_id", type_="unique")
        batch.drop_column("chat_id")
        batch.alter_column("chat_hash", existing_type=sa.LargeBinary, nullable=False)
        batch.alter_column("chat_sealed", existing_type=sa.LargeBinary, nullable=False)
        batch.create_unique_constraint("uq_subscribers_chat_hash", ["chat_hash"])


def downgrade() -> None:
    key = _key()
    if key is None:
        raise RuntimeError("opening the sealed chat ids needs the data key")
    op.add_column("subscribers", sa.Column("chat_id", sa.BigInteger, nullable=True))
    bind = op.get_bind()
    rows = bind.execute(sa.select(_people.c.id, _people.c.chat_sealed)).all()
    if rows:
        bind.execute(
            _people.update()
            .where(_people.c.id == sa.bindparam("person"))
            .values(chat_id=sa.bindparam("chat")),
            [{"person": person, "chat": key.open(sealed)} for person, sealed in rows],
        )
    with op.batch_alter_table("subscribers", table_kwargs={"sqlite_autoincrement": True}) as batch:
        batch.drop_constraint("uq_subscribers_chat_hash", type_="unique")
        batch.drop_column("chat_hash")
        batch.drop_column("chat_sealed")
        batch.alter_column("chat_id", existing_type=sa.BigInteger, nullable=False)
        batch.create_unique_constraint("uq_subscribers_chat_id", ["chat_id"])
    op.drop_table("data_key")
