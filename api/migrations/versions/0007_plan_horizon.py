"""How a plan of several days looks ahead: tours over the horizon, or rolling.

Plans gain ``plans.horizon`` ("tours" or "rolling"); plans already stored were solved as tours
(the solver's default), and keep that.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30 20:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("plans", schema=None) as batch_op:
        batch_op.add_column(sa.Column("horizon", sa.String(length=8), server_default="tours", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("plans", schema=None) as batch_op:
        batch_op.drop_column("horizon")
