"""Partner links: an invite by a single-use code, then two people linked until either ends it.

Revision ID: 0003
Revises: 0002
Create Date: 2026-03-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "partner_links",
        sa.Column("id", sa.Integer, nullable=False, autoincrement=True),
        sa.Column("subscriber_id", sa.Integer, nullable=False),
        sa.Column("partner_id", sa.Integer, nullable=True),
        sa.Column("code_hash", sa.Text, nullable=True),
        sa.Column("linked", sa.Boolean, nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_partner_links"),
        sa.ForeignKeyConstraint(
            ["subscriber_id"],
            ["subscribers.id"],
            name="fk_partner_links_subscriber_id_subscribers",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["partner_id"],
            ["subscribers.id"],
            name="fk_partner_links_partner_id_subscribers",
            ondelete="CASCADE",
        ),
        sa.UniqueConstraint("subscriber_id", name="uq_partner_links_subscriber_id"),
        sa.UniqueConstraint("partner_id", name="uq_partner_links_partner_id"),
        sa.UniqueConstraint("code_hash", name="uq_partner_links_code_hash"),
    )


def downgrade() -> None:
    op.drop_table("partner_links")
