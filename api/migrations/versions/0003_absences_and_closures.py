"""Technician absences (leave, sick, training) and road or school closures, honoured by plans.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30 12:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "absences",
        sa.Column("absence_id", sa.String(length=64), nullable=False),
        sa.Column("technician_id", sa.String(length=64), nullable=False),
        sa.Column("first_day", sa.Date(), nullable=False),
        sa.Column("last_day", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=300), nullable=False),
        sa.ForeignKeyConstraint(
            ["technician_id"],
            ["technicians.technician_id"],
            name=op.f("fk_absences_technician_id_technicians"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("absence_id", name=op.f("pk_absences")),
    )
    with op.batch_alter_table("absences", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_absences_technician_id"), ["technician_id"], unique=False)

    op.create_table(
        "closures",
        sa.Column("closure_id", sa.String(length=64), nullable=False),
        sa.Column("school_id", sa.String(length=64), nullable=True),
        sa.Column("first_day", sa.Date(), nullable=False),
        sa.Column("last_day", sa.Date(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("open_to_4x4", sa.Boolean(), nullable=False),
        sa.Column("terrain", sa.String(length=32), nullable=True),
        sa.Column("island", sa.String(length=300), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=300), nullable=False),
        sa.ForeignKeyConstraint(
            ["school_id"],
            ["schools.school_id"],
            name=op.f("fk_closures_school_id_schools"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("closure_id", name=op.f("pk_closures")),
    )
    with op.batch_alter_table("closures", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_closures_school_id"), ["school_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("closures", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_closures_school_id"))
    op.drop_table("closures")
    with op.batch_alter_table("absences", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_absences_technician_id"))
    op.drop_table("absences")
