"""Plan lifecycle: draft, published, versions and closed days; technicians' calendar feed tokens.

Plans made before this step are drafts: a dispatcher publishes the one the day runs on.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30 13:40:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("plans", schema=None) as batch_op:
        batch_op.add_column(sa.Column("state", sa.String(length=16), nullable=False, server_default="draft"))
        batch_op.add_column(sa.Column("version_of", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("version", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("published_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("published_by", sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column("closed_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("closed_by", sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column("version_changes", sa.JSON(), nullable=True))
        batch_op.create_index(batch_op.f("ix_plans_state"), ["state"], unique=False)
        batch_op.create_index(batch_op.f("ix_plans_version_of"), ["version_of"], unique=False)

    op.create_table(
        "feed_tokens",
        sa.Column("token_id", sa.String(length=64), nullable=False),
        sa.Column("technician_id", sa.String(length=64), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=300), nullable=False),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["technician_id"],
            ["technicians.technician_id"],
            name=op.f("fk_feed_tokens_technician_id_technicians"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("token_id", name=op.f("pk_feed_tokens")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_feed_tokens_token_hash")),
    )
    with op.batch_alter_table("feed_tokens", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_feed_tokens_technician_id"), ["technician_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("feed_tokens", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_feed_tokens_technician_id"))
    op.drop_table("feed_tokens")
    with op.batch_alter_table("plans", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_plans_version_of"))
        batch_op.drop_index(batch_op.f("ix_plans_state"))
        for column in (
            "version_changes",
            "closed_by",
            "closed_at",
            "published_by",
            "published_at",
            "version",
            "version_of",
            "state",
        ):
            batch_op.drop_column(column)
