"""Initial schema: regions, schools, bases, technicians, tickets and their history, ports,
sailings, policy, plans (solve jobs), visit states and API keys.

Revision ID: 0001
Revises:
Create Date: 2026-11-23 11:20:17.847868
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "api_keys",
        sa.Column("key_id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("directorates", sa.JSON(), nullable=False),
        sa.Column("employer", sa.String(length=300), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("key_id", name=op.f("pk_api_keys")),
        sa.UniqueConstraint("key_hash", name=op.f("uq_api_keys_key_hash")),
    )
    op.create_table(
        "bases",
        sa.Column("base_id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("lat", sa.Float(), nullable=False),
        sa.Column("lon", sa.Float(), nullable=False),
        sa.Column("island", sa.String(length=300), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("directorate", sa.String(length=300), nullable=False),
        sa.Column("extra", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("base_id", name=op.f("pk_bases")),
    )
    with op.batch_alter_table("bases", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_bases_directorate"), ["directorate"], unique=False)

    op.create_table(
        "plans",
        sa.Column("plan_id", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=300), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("scenario", sa.Boolean(), nullable=False),
        sa.Column("label", sa.String(length=300), nullable=False),
        sa.Column("plan_date", sa.String(length=10), nullable=False),
        sa.Column("days", sa.Integer(), nullable=False),
        sa.Column("time_limit_s", sa.Float(), nullable=False),
        sa.Column("seed", sa.Integer(), nullable=False),
        sa.Column("directorates", sa.JSON(), nullable=False),
        sa.Column("parent_plan_id", sa.String(length=64), nullable=True),
        sa.Column("problem", sa.JSON(), nullable=False),
        sa.Column("locks", sa.JSON(), nullable=False),
        sa.Column("cancel_requested", sa.Boolean(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=True),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.Column("elapsed_s", sa.Float(), nullable=True),
        sa.Column("best_objective_eur", sa.Float(), nullable=True),
        sa.Column("solutions_found", sa.Integer(), nullable=False),
        sa.Column("tickets_to_visit", sa.Integer(), nullable=True),
        sa.Column("tickets_placed", sa.Integer(), nullable=True),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("result", sa.JSON(), nullable=True),
        sa.Column("check_ok", sa.Boolean(), nullable=True),
        sa.Column("check_violations", sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint("plan_id", name=op.f("pk_plans")),
    )
    with op.batch_alter_table("plans", schema=None) as batch_op:
        batch_op.create_index("ix_plans_status_created", ["status", "created_at"], unique=False)

    op.create_table(
        "policy",
        sa.Column("policy_id", sa.Integer(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("policy_id", name=op.f("pk_policy")),
    )
    op.create_table(
        "ports",
        sa.Column("port_id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("lat", sa.Float(), nullable=False),
        sa.Column("lon", sa.Float(), nullable=False),
        sa.Column("island", sa.String(length=300), nullable=False),
        sa.Column("extra", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("port_id", name=op.f("pk_ports")),
    )
    op.create_table(
        "regions",
        sa.Column("region_id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("area", sa.String(length=300), nullable=False),
        sa.PrimaryKeyConstraint("region_id", name=op.f("pk_regions")),
        sa.UniqueConstraint("name", name=op.f("uq_regions_name")),
    )
    op.create_table(
        "schools",
        sa.Column("school_id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("lat", sa.Float(), nullable=False),
        sa.Column("lon", sa.Float(), nullable=False),
        sa.Column("directorate", sa.String(length=300), nullable=False),
        sa.Column("island", sa.String(length=300), nullable=False),
        sa.Column("opens_min", sa.Integer(), nullable=False),
        sa.Column("closes_min", sa.Integer(), nullable=False),
        sa.Column("needs_4x4", sa.Boolean(), nullable=False),
        sa.Column("terrain", sa.String(length=32), nullable=False),
        sa.Column("lab_installed", sa.Integer(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("extra", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("school_id", name=op.f("pk_schools")),
    )
    with op.batch_alter_table("schools", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_schools_directorate"), ["directorate"], unique=False)

    op.create_table(
        "plan_visits",
        sa.Column("plan_id", sa.String(length=64), nullable=False),
        sa.Column("ticket_id", sa.String(length=64), nullable=False),
        sa.Column("technician_id", sa.String(length=64), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["plan_id"], ["plans.plan_id"], name=op.f("fk_plan_visits_plan_id_plans")),
        sa.PrimaryKeyConstraint("plan_id", "ticket_id", name=op.f("pk_plan_visits")),
    )
    op.create_table(
        "sailings",
        sa.Column("sailing_id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("from_port", sa.String(length=64), nullable=False),
        sa.Column("to_port", sa.String(length=64), nullable=False),
        sa.Column("depart_min", sa.Integer(), nullable=False),
        sa.Column("duration_min", sa.Integer(), nullable=False),
        sa.Column("days", sa.JSON(), nullable=False),
        sa.Column("fare_eur", sa.Float(), nullable=True),
        sa.Column("extra", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["from_port"], ["ports.port_id"], name=op.f("fk_sailings_from_port_ports")),
        sa.ForeignKeyConstraint(["to_port"], ["ports.port_id"], name=op.f("fk_sailings_to_port_ports")),
        sa.PrimaryKeyConstraint("sailing_id", name=op.f("pk_sailings")),
    )
    op.create_table(
        "technicians",
        sa.Column("technician_id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("base_id", sa.String(length=64), nullable=False),
        sa.Column("skills", sa.JSON(), nullable=False),
        sa.Column("employer", sa.String(length=300), nullable=False),
        sa.Column("shift_start_min", sa.Integer(), nullable=False),
        sa.Column("shift_end_min", sa.Integer(), nullable=False),
        sa.Column("max_km_per_day", sa.Float(), nullable=True),
        sa.Column("has_4x4", sa.Boolean(), nullable=False),
        sa.Column("cost_per_km", sa.Float(), nullable=True),
        sa.Column("extra", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["base_id"], ["bases.base_id"], name=op.f("fk_technicians_base_id_bases")),
        sa.PrimaryKeyConstraint("technician_id", name=op.f("pk_technicians")),
    )
    with op.batch_alter_table("technicians", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_technicians_base_id"), ["base_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_technicians_employer"), ["employer"], unique=False)

    op.create_table(
        "tickets",
        sa.Column("ticket_id", sa.String(length=64), nullable=False),
        sa.Column("school_id", sa.String(length=64), nullable=False),
        sa.Column("opened_at", sa.DateTime(), nullable=False),
        sa.Column("category", sa.String(length=300), nullable=False),
        sa.Column("skill", sa.String(length=32), nullable=False),
        sa.Column("priority", sa.String(length=16), nullable=False),
        sa.Column("service_minutes", sa.Integer(), nullable=False),
        sa.Column("remote", sa.Boolean(), nullable=False),
        sa.Column("warranty", sa.Boolean(), nullable=False),
        sa.Column("due_by", sa.DateTime(), nullable=True),
        sa.Column("extra", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("locked_technician_id", sa.String(length=64), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["locked_technician_id"],
            ["technicians.technician_id"],
            name=op.f("fk_tickets_locked_technician_id_technicians"),
        ),
        sa.ForeignKeyConstraint(
            ["school_id"], ["schools.school_id"], name=op.f("fk_tickets_school_id_schools")
        ),
        sa.PrimaryKeyConstraint("ticket_id", name=op.f("pk_tickets")),
    )
    with op.batch_alter_table("tickets", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_tickets_school_id"), ["school_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_tickets_status"), ["status"], unique=False)

    op.create_table(
        "ticket_events",
        sa.Column("event_id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("ticket_id", sa.String(length=64), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("plan_id", sa.String(length=64), nullable=True),
        sa.Column("technician_id", sa.String(length=64), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["ticket_id"], ["tickets.ticket_id"], name=op.f("fk_ticket_events_ticket_id_tickets")
        ),
        sa.PrimaryKeyConstraint("event_id", name=op.f("pk_ticket_events")),
    )
    with op.batch_alter_table("ticket_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_ticket_events_ticket_id"), ["ticket_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("ticket_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ticket_events_ticket_id"))

    op.drop_table("ticket_events")
    with op.batch_alter_table("tickets", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_tickets_status"))
        batch_op.drop_index(batch_op.f("ix_tickets_school_id"))

    op.drop_table("tickets")
    with op.batch_alter_table("technicians", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_technicians_employer"))
        batch_op.drop_index(batch_op.f("ix_technicians_base_id"))

    op.drop_table("technicians")
    op.drop_table("sailings")
    op.drop_table("plan_visits")
    with op.batch_alter_table("schools", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_schools_directorate"))

    op.drop_table("schools")
    op.drop_table("regions")
    op.drop_table("ports")
    op.drop_table("policy")
    with op.batch_alter_table("plans", schema=None) as batch_op:
        batch_op.drop_index("ix_plans_status_created")

    op.drop_table("plans")
    with op.batch_alter_table("bases", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_bases_directorate"))

    op.drop_table("bases")
    op.drop_table("api_keys")
