"""The language a person is spoken to in: a short content language code on their row.

Not null, with "en" as the default: everyone stored before this revision has been reading
the bot in English, and keeps reading it so until they choose another in /language; a new
person's row always gets the language picked from Telegram's ``language_code`` at first
contact. A code whose content folder is later removed reads as English, never as an error.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    with op.batch_alter_table("subscribers") as batch:
        batch.add_column(sa.Column("language", sa.Text, nullable=False, server_default="en"))


def downgrade() -> None:
    with op.batch_alter_table("subscribers") as batch:
        batch.drop_column("language")
