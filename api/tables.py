"""Database tables (SQLAlchemy 2 declarative, typed).

One row per domain object, keyed by its domain id; times of day in minutes after
midnight (``*_min``), instants as naive local datetimes (Europe/Athens), as in
:mod:`dromologio.models`.  Columns beyond the contract are kept in ``extra``.
The schema is created and upgraded only by the Alembic migrations in
``migrations/``; a test compares them with these classes.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship, validates

#: Constraint names that are the same on SQLite and PostgreSQL, so migrations can name them.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

ID = String(64)
NAME = String(300)


class Table(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class RegionRow(Table):
    """A Directorate of Education: the unit dispatchers and partners are scoped by."""

    __tablename__ = "regions"

    region_id: Mapped[str] = mapped_column(ID, primary_key=True)
    name: Mapped[str] = mapped_column(NAME, unique=True)
    area: Mapped[str] = mapped_column(NAME, default="")


class SchoolRow(Table):
    __tablename__ = "schools"

    school_id: Mapped[str] = mapped_column(ID, primary_key=True)
    name: Mapped[str] = mapped_column(NAME)
    lat: Mapped[float] = mapped_column(Float)
    lon: Mapped[float] = mapped_column(Float)
    directorate: Mapped[str] = mapped_column(NAME, index=True)
    island: Mapped[str] = mapped_column(NAME, default="")
    opens_min: Mapped[int] = mapped_column(Integer)
    closes_min: Mapped[int] = mapped_column(Integer)
    needs_4x4: Mapped[bool] = mapped_column(Boolean, default=False)
    terrain: Mapped[str] = mapped_column(String(32), default="plain")
    lab_installed: Mapped[int | None] = mapped_column(Integer, nullable=True)
    notes: Mapped[str] = mapped_column(Text, default="")
    extra: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class BaseRow(Table):
    __tablename__ = "bases"

    base_id: Mapped[str] = mapped_column(ID, primary_key=True)
    name: Mapped[str] = mapped_column(NAME)
    lat: Mapped[float] = mapped_column(Float)
    lon: Mapped[float] = mapped_column(Float)
    island: Mapped[str] = mapped_column(NAME, default="")
    kind: Mapped[str] = mapped_column(String(32), default="keplinet")
    directorate: Mapped[str] = mapped_column(NAME, index=True)
    extra: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class TechnicianRow(Table):
    __tablename__ = "technicians"

    technician_id: Mapped[str] = mapped_column(ID, primary_key=True)
    name: Mapped[str] = mapped_column(NAME)
    base_id: Mapped[str] = mapped_column(ID, ForeignKey("bases.base_id"), index=True)
    skills: Mapped[list[Any]] = mapped_column(JSON)
    employer: Mapped[str] = mapped_column(NAME, index=True)
    shift_start_min: Mapped[int] = mapped_column(Integer)
    shift_end_min: Mapped[int] = mapped_column(Integer)
    max_km_per_day: Mapped[float | None] = mapped_column(Float, nullable=True)
    has_4x4: Mapped[bool] = mapped_column(Boolean, default=False)
    cost_per_km: Mapped[float | None] = mapped_column(Float, nullable=True)
    extra: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class TicketRow(Table):
    __tablename__ = "tickets"

    ticket_id: Mapped[str] = mapped_column(ID, primary_key=True)
    school_id: Mapped[str] = mapped_column(ID, ForeignKey("schools.school_id"), index=True)
    opened_at: Mapped[datetime] = mapped_column(DateTime)
    category: Mapped[str] = mapped_column(NAME)
    skill: Mapped[str] = mapped_column(String(32))
    priority: Mapped[str] = mapped_column(String(16))
    service_minutes: Mapped[int] = mapped_column(Integer)
    remote: Mapped[bool] = mapped_column(Boolean, default=False)
    warranty: Mapped[bool] = mapped_column(Boolean, default=False)
    due_by: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    extra: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    #: open (in the queue), done (solved on site) or closed (withdrawn).
    status: Mapped[str] = mapped_column(String(16), default="open", index=True)
    #: the one technician who may serve it, when locked.
    locked_technician_id: Mapped[str | None] = mapped_column(
        ID, ForeignKey("technicians.technician_id"), nullable=True
    )
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    #: the level of support it is at: school, remote, on_site, third_level or vendor
    #: (dromologio.planning.service.levels); it follows the remote and warranty flags.
    level: Mapped[str] = mapped_column(String(16), default="on_site", server_default="on_site", index=True)

    @validates("remote", "warranty")
    def _level_follows_flags(self, key: str, value: bool) -> bool:
        from dromologio.planning.service.levels import level_for_flags

        remote = bool(value) if key == "remote" else bool(self.remote)
        warranty = bool(value) if key == "warranty" else bool(self.warranty)
        self.level = level_for_flags(remote, warranty, self.level)
        return value


class TicketEventRow(Table):
    """The history of a ticket: imported, planned, started, done, not solved, locked ..."""

    __tablename__ = "ticket_events"

    event_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    ticket_id: Mapped[str] = mapped_column(ID, ForeignKey("tickets.ticket_id"), index=True)
    at: Mapped[datetime] = mapped_column(DateTime)
    kind: Mapped[str] = mapped_column(String(32))
    plan_id: Mapped[str | None] = mapped_column(ID, nullable=True)
    technician_id: Mapped[str | None] = mapped_column(ID, nullable=True)
    note: Mapped[str] = mapped_column(Text, default="")


class PortRow(Table):
    __tablename__ = "ports"

    port_id: Mapped[str] = mapped_column(ID, primary_key=True)
    name: Mapped[str] = mapped_column(NAME)
    lat: Mapped[float] = mapped_column(Float)
    lon: Mapped[float] = mapped_column(Float)
    island: Mapped[str] = mapped_column(NAME, default="")
    extra: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class SailingRow(Table):
    __tablename__ = "sailings"

    sailing_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    from_port: Mapped[str] = mapped_column(ID, ForeignKey("ports.port_id"))
    to_port: Mapped[str] = mapped_column(ID, ForeignKey("ports.port_id"))
    depart_min: Mapped[int] = mapped_column(Integer)
    duration_min: Mapped[int] = mapped_column(Integer)
    days: Mapped[list[Any]] = mapped_column(JSON)
    fare_eur: Mapped[float | None] = mapped_column(Float, nullable=True)
    extra: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class PolicyRow(Table):
    """The policy in force (one row, ``policy_id`` 1): the fields of ``policy.json``."""

    __tablename__ = "policy"

    policy_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)


class PlanRow(Table):
    """A solve job and, once solved, its plan.  Survives restarts of the service.

    While a job is solved it is leased to one server process (``lease_owner``) until
    ``lease_expires_at``; the lease is renewed while the solve runs (see api/jobs.py).
    Lists read the plain columns only: what they show of the JSON documents is kept in
    columns when the documents are written (``tickets_*``, ``has_plan``).
    """

    __tablename__ = "plans"
    __table_args__ = (
        Index("ix_plans_status_created", "status", "created_at"),
        Index("ix_plans_created", "created_at", "plan_id"),
    )

    plan_id: Mapped[str] = mapped_column(ID, primary_key=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    created_by: Mapped[str] = mapped_column(NAME)
    #: queued, running, done, failed or cancelled.
    status: Mapped[str] = mapped_column(String(16))
    scenario: Mapped[bool] = mapped_column(Boolean, default=False)
    label: Mapped[str] = mapped_column(NAME, default="")
    plan_date: Mapped[str] = mapped_column(String(10))
    days: Mapped[int] = mapped_column(Integer, default=1)
    #: how the days look ahead: "tours" over the horizon, or "rolling" (``dispatch.solve``'s ``horizon``).
    horizon: Mapped[str] = mapped_column(String(8), default="tours", server_default="tours")
    time_limit_s: Mapped[float] = mapped_column(Float)
    seed: Mapped[int] = mapped_column(Integer, default=0)
    #: the Directorates the plan covers (scoping of reads).
    directorates: Mapped[list[Any]] = mapped_column(JSON)
    #: the plan this one re-plans (urgent insertion), if any.
    parent_plan_id: Mapped[str | None] = mapped_column(ID, nullable=True)
    #: the problem solved, as the contract's JSON document (a snapshot: later edits do not change it).
    problem: Mapped[dict[str, Any]] = mapped_column(JSON)
    #: ticket id -> technician id: tickets only that technician may serve.
    locks: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    cancel_requested: Mapped[bool] = mapped_column(Boolean, default=False)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    started_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    elapsed_s: Mapped[float | None] = mapped_column(Float, nullable=True)
    best_objective_eur: Mapped[float | None] = mapped_column(Float, nullable=True)
    solutions_found: Mapped[int] = mapped_column(Integer, default=0)
    tickets_to_visit: Mapped[int | None] = mapped_column(Integer, nullable=True)
    tickets_placed: Mapped[int | None] = mapped_column(Integer, nullable=True)
    #: why it failed, or what happened on the way (restart, cancellation).
    message: Mapped[str] = mapped_column(Text, default="")
    #: the contract's plan JSON, once there is one.
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    check_ok: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    check_violations: Mapped[list[Any] | None] = mapped_column(JSON, nullable=True)
    #: ``result`` holds a plan (kept as a column so that lists need not read the document).
    has_plan: Mapped[bool] = mapped_column(Boolean, default=False)
    #: the server process solving the job, its solver's last sign of life, and when the lease lapses.
    lease_owner: Mapped[str | None] = mapped_column(NAME, nullable=True)
    heartbeat_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    lease_expires_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    #: times a graceful stop handed the job back: ``attempts - releases`` starts were cut off.
    releases: Mapped[int] = mapped_column(Integer, default=0)
    #: every technician the plan names (its problem's and its locks'): masking without the documents.
    technician_ids: Mapped[list[Any]] = mapped_column(JSON, default=list)
    #: the Directorates again, one row each, so that lists are scoped in SQL (kept by ``directorates``).
    scope: Mapped[list[PlanDirectorateRow]] = relationship(cascade="all, delete-orphan")
    #: the lifecycle: draft, published, superseded (by a later version) or closed (the day is over).
    state: Mapped[str] = mapped_column(String(16), default="draft", server_default="draft", index=True)
    #: the day's published versions: the first plan of the series, and this one's number in it (1, 2, ...).
    version_of: Mapped[str | None] = mapped_column(ID, nullable=True, index=True)
    version: Mapped[int | None] = mapped_column(Integer, nullable=True)
    published_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    published_by: Mapped[str | None] = mapped_column(NAME, nullable=True)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    closed_by: Mapped[str | None] = mapped_column(NAME, nullable=True)
    #: what this version changed against the one it superseded, per technician (moved in, out, new).
    version_changes: Mapped[list[Any] | None] = mapped_column(JSON, nullable=True)

    @validates("directorates")
    def _scope_follows(self, _key: str, value: list[Any]) -> list[Any]:
        self.scope = [PlanDirectorateRow(directorate=str(d)) for d in sorted({str(d) for d in value or []})]
        return value


class PlanDirectorateRow(Table):
    """One Directorate a plan covers (the rows of ``plans.directorates``)."""

    __tablename__ = "plan_directorates"

    plan_id: Mapped[str] = mapped_column(ID, ForeignKey("plans.plan_id"), primary_key=True)
    directorate: Mapped[str] = mapped_column(NAME, primary_key=True, index=True)


class FeedTokenRow(Table):
    """A technician's calendar feed token (only its SHA-256 is stored): calendar apps send no headers."""

    __tablename__ = "feed_tokens"

    token_id: Mapped[str] = mapped_column(ID, primary_key=True)
    technician_id: Mapped[str] = mapped_column(
        ID, ForeignKey("technicians.technician_id", ondelete="CASCADE"), index=True
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    created_by: Mapped[str] = mapped_column(NAME, default="")
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)


class PlanVisitRow(Table):
    """What happened to a ticket of a plan during the day: planned, started, done or not solved."""

    __tablename__ = "plan_visits"

    plan_id: Mapped[str] = mapped_column(ID, ForeignKey("plans.plan_id"), primary_key=True)
    ticket_id: Mapped[str] = mapped_column(ID, primary_key=True)
    technician_id: Mapped[str] = mapped_column(ID)
    state: Mapped[str] = mapped_column(String(16))
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    note: Mapped[str] = mapped_column(Text, default="")


class ApiKeyRow(Table):
    """An API key (only its SHA-256 is stored) with its role and scope."""

    __tablename__ = "api_keys"

    key_id: Mapped[str] = mapped_column(ID, primary_key=True)
    name: Mapped[str] = mapped_column(NAME)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    #: dispatcher, partner, planner or admin.
    role: Mapped[str] = mapped_column(String(16))
    directorates: Mapped[list[Any]] = mapped_column(JSON, default=list)
    #: a partner's employer name (technicians.employer).
    employer: Mapped[str | None] = mapped_column(NAME, nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class AbsenceRow(Table):
    """A technician away from ``first_day`` to ``last_day`` (leave, sick, training): left out of those days' plans."""

    __tablename__ = "absences"

    absence_id: Mapped[str] = mapped_column(ID, primary_key=True)
    technician_id: Mapped[str] = mapped_column(
        ID, ForeignKey("technicians.technician_id", ondelete="CASCADE"), index=True
    )
    first_day: Mapped[date] = mapped_column(Date)
    last_day: Mapped[date] = mapped_column(Date)
    #: leave, sick or training.
    kind: Mapped[str] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime)
    created_by: Mapped[str] = mapped_column(NAME, default="")


class ClosureRow(Table):
    """A school that cannot be reached (snow, works) from ``first_day`` to ``last_day``, or an area's roads.

    A closure names a school, or an area (``terrain`` and/or ``island``) with no school.
    """

    __tablename__ = "closures"

    closure_id: Mapped[str] = mapped_column(ID, primary_key=True)
    school_id: Mapped[str | None] = mapped_column(
        ID, ForeignKey("schools.school_id", ondelete="CASCADE"), nullable=True, index=True
    )
    first_day: Mapped[date] = mapped_column(Date)
    last_day: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text)
    open_to_4x4: Mapped[bool] = mapped_column(Boolean, default=False)
    terrain: Mapped[str | None] = mapped_column(String(32), nullable=True)
    island: Mapped[str | None] = mapped_column(NAME, nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    created_by: Mapped[str] = mapped_column(NAME, default="")


class BudgetLineRow(Table):
    """Money an employer (partner body) has for travel: a year's (``month`` empty) or one month's."""

    __tablename__ = "budget_lines"
    __table_args__ = (Index("ix_budget_lines_employer_year", "employer", "year"),)

    line_id: Mapped[str] = mapped_column(ID, primary_key=True)
    #: the ``employer`` of technicians.csv.
    employer: Mapped[str] = mapped_column(NAME)
    year: Mapped[int] = mapped_column(Integer)
    #: 1-12, or None for the whole year.
    month: Mapped[int | None] = mapped_column(Integer, nullable=True)
    amount_eur: Mapped[float] = mapped_column(Float)
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime)
    created_by: Mapped[str] = mapped_column(NAME)
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    updated_by: Mapped[str] = mapped_column(NAME)
