"""Job leases (owner, heartbeat, expiry, graceful releases); ``has_plan``, ``technician_ids``
and the Directorates of a plan as rows, so that plan lists read neither the problem nor the
plan documents.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-30 10:40:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

plans = sa.table(
    "plans",
    sa.column("plan_id", sa.String),
    sa.column("directorates", sa.JSON),
    sa.column("problem", sa.JSON),
    sa.column("locks", sa.JSON),
    sa.column("result", sa.JSON),
    sa.column("has_plan", sa.Boolean),
    sa.column("technician_ids", sa.JSON),
)
#: plans read at a time while filling ``technician_ids`` from their documents.
CHUNK = 100
plan_directorates = sa.table(
    "plan_directorates", sa.column("plan_id", sa.String), sa.column("directorate", sa.String)
)


def upgrade() -> None:
    with op.batch_alter_table("plans", schema=None) as batch_op:
        batch_op.add_column(sa.Column("has_plan", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column("lease_owner", sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column("heartbeat_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("lease_expires_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("releases", sa.Integer(), nullable=False, server_default="0"))
        batch_op.add_column(sa.Column("technician_ids", sa.JSON(), nullable=False, server_default="[]"))
        batch_op.create_index("ix_plans_created", ["created_at", "plan_id"], unique=False)

    op.create_table(
        "plan_directorates",
        sa.Column("plan_id", sa.String(length=64), nullable=False),
        sa.Column("directorate", sa.String(length=300), nullable=False),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["plans.plan_id"], name=op.f("fk_plan_directorates_plan_id_plans")
        ),
        sa.PrimaryKeyConstraint("plan_id", "directorate", name=op.f("pk_plan_directorates")),
    )
    with op.batch_alter_table("plan_directorates", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_plan_directorates_directorate"), ["directorate"], unique=False)

    # A JSON null (rather than SQL NULL) in ``result`` is no plan either.
    op.execute(
        plans.update()
        .where(plans.c.result.is_not(None), sa.cast(plans.c.result, sa.Text) != "null")
        .values(has_plan=True)
    )
    connection = op.get_bind()
    scope = [
        {"plan_id": plan_id, "directorate": str(directorate)}
        for plan_id, directorates in connection.execute(sa.select(plans.c.plan_id, plans.c.directorates))
        for directorate in sorted(set(directorates or []))
    ]
    if scope:
        op.bulk_insert(plan_directorates, scope)
    ids = list(connection.scalars(sa.select(plans.c.plan_id)))
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        query = sa.select(plans.c.plan_id, plans.c.problem, plans.c.locks).where(plans.c.plan_id.in_(chunk))
        for plan_id, problem, locks in connection.execute(query).all():
            named = _named_technicians(problem, locks)
            connection.execute(plans.update().where(plans.c.plan_id == plan_id).values(technician_ids=named))


def _named_technicians(problem: object, locks: object) -> list[str]:
    technicians = problem.get("technicians", []) if isinstance(problem, dict) else []
    named = {str(t.get("technician_id") or "") for t in technicians if isinstance(t, dict)}
    named |= {str(owner) for owner in (locks.values() if isinstance(locks, dict) else [])}
    return sorted(named - {""})


def downgrade() -> None:
    with op.batch_alter_table("plan_directorates", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_plan_directorates_directorate"))
    op.drop_table("plan_directorates")
    with op.batch_alter_table("plans", schema=None) as batch_op:
        batch_op.drop_index("ix_plans_created")
        batch_op.drop_column("technician_ids")
        batch_op.drop_column("releases")
        batch_op.drop_column("lease_expires_at")
        batch_op.drop_column("heartbeat_at")
        batch_op.drop_column("lease_owner")
        batch_op.drop_column("has_plan")
