"""Ticket levels and escalation, zones, part-time work days and preventive visits.

Tickets gain their level of support (``tickets.level``), filled from the remote and
warranty flags of the tickets already stored.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30 13:40:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("tickets", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("level", sa.String(length=16), server_default="on_site", nullable=False)
        )
        batch_op.create_index(batch_op.f("ix_tickets_level"), ["level"], unique=False)
    tickets = sa.table(
        "tickets",
        sa.column("level", sa.String),
        sa.column("remote", sa.Boolean),
        sa.column("warranty", sa.Boolean),
    )
    op.execute(tickets.update().where(tickets.c.warranty.is_(True)).values(level="vendor"))
    op.execute(
        tickets.update()
        .where(tickets.c.remote.is_(True), tickets.c.warranty.is_not(True))
        .values(level="remote")
    )


def downgrade() -> None:
    with op.batch_alter_table("tickets", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_tickets_level"))
        batch_op.drop_column("level")
