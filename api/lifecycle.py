"""The lifecycle of a plan: draft → published → (re-planned versions) → closed.

A plan job makes a **draft**.  A dispatcher (of every Directorate of the plan) or an
admin **publishes** it: it becomes *the* plan of its days in its Directorates, and only
then are its tickets' "planned" / "unassigned" events written into their history.

One published plan per Directorate and day: publishing a plan supersedes every published
plan that shares a Directorate and a day with it (state ``superseded``) — and is refused
when that would leave a Directorate and day of theirs (from its first day on) without a
plan, e.g. an Ioannina-only plan over a published Ioannina + Arta one; the new one is
the next **version** of the series the first of them began (``version_of``, ``version``),
with who published it, when, and what changed per technician.  An urgent re-plan of a
published plan is published in its place at once, as its next version.  **Closing**
ends the day: visits are no longer reported on it and it is not re-planned.

Scenario plans (what-ifs, every planner's plan) are never published.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any, Literal

from pydantic import Field
from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from dromologio.dispatch.live import TechnicianChanges, changes
from dromologio.models import Plan

from . import schemas
from .auth import Principal
from .errors import ApiError, forbidden
from .tables import PlanDirectorateRow, PlanRow

PlanState = Literal["draft", "published", "superseded", "closed"]
#: states a plan keeps the day's work on: visits are reported and urgent tickets inserted.
LIVE_STATES = ("draft", "published")


class TechnicianChangesPublic(schemas.Response):
    technician_id: str = Field(description="the technician")
    moved_in: list[str] = Field(description="tickets of the previous version it takes over from someone else")
    moved_out: list[str] = Field(description="tickets of the previous version it no longer serves")
    new: list[str] = Field(description="tickets not in the previous version it now serves")


class PlanJob(schemas.PlanJob):
    """The job, with where the plan stands in its lifecycle (its OpenAPI name stays ``PlanJob``)."""

    state: PlanState = Field(description="draft, published, superseded (by a later version) or closed")
    version: int | None = Field(description="its number among the day's published versions (1, 2, ...)")
    version_of: str | None = Field(description="the first published plan of its series of versions")
    published_at: schemas.LocalDateTimeOut | None = Field(
        description="when it was published; local time, Europe/Athens, no offset"
    )
    published_by: str | None = Field(description="name of the key that published it")
    closed_at: schemas.LocalDateTimeOut | None = Field(
        description="when its day was closed; local time, Europe/Athens, no offset"
    )


#: the job as every plan route answers it.
PlanJobOut = PlanJob


class PlanVersion(schemas.Response):
    plan_id: str = Field(description="the plan of this version")
    version: int = Field(description="1 for the first published plan, then 2, 3, ...")
    state: PlanState = Field(description="published (the one in force), superseded or closed")
    published_at: schemas.LocalDateTimeOut = Field(description="when; local time, Europe/Athens, no offset")
    published_by: str = Field(description="name of the key that published it")
    parent_plan_id: str | None = Field(description="the plan it re-planned (an urgent insertion)")
    label: str = Field(description="label")
    changes: list[TechnicianChangesPublic] = Field(
        description="per technician, what changed against the previous version (only those with a change)"
    )


class DayPlan(schemas.Response):
    """The published plan of a day (or the closed one, once the day is over)."""

    plan_id: str = Field(description="the plan in force")
    state: PlanState = Field(description="published or closed")
    version: int = Field(description="its number among the day's published versions")
    version_of: str = Field(description="the first published plan of the series")
    published_at: schemas.LocalDateTimeOut = Field(description="when; local time, Europe/Athens, no offset")
    published_by: str = Field(description="name of the key that published it")
    directorates: list[str] = Field(description="Directorates it covers")
    plan: dict[str, Any] = Field(description="the plan (the contract's plan JSON), as the caller may see it")


def changes_public(moved: Iterable[TechnicianChanges]) -> list[TechnicianChangesPublic]:
    return [
        TechnicianChangesPublic(
            technician_id=c.technician_id,
            moved_in=list(c.moved_in),
            moved_out=list(c.moved_out),
            new=list(c.new),
        )
        for c in moved
    ]


def plan_dates(row: PlanRow) -> list[str]:
    """The days a plan covers (ISO dates): its plan's, else its first day."""
    dates = (row.result or {}).get("dates") or [row.plan_date]
    return sorted(str(d) for d in dates)


def require_runner(principal: Principal, row: PlanRow, what: str) -> None:
    """Only an admin, or a dispatcher of every Directorate of the plan, runs its day."""
    principal.require("admin", "dispatcher")
    if not all(principal.may_write_directorate(d) for d in row.directorates or []):
        raise forbidden(f"this key may not {what} in every Directorate of plan '{row.plan_id}'")


def refuse_unless_live(row: PlanRow) -> None:
    """409 on a superseded or closed plan: the day's work runs on the version in force."""
    if row.state == "superseded":
        raise ApiError(
            409,
            f"Το πλάνο '{row.plan_id}' αντικαταστάθηκε από νεότερη έκδοση. / "
            f"plan '{row.plan_id}' was superseded by a later version: "
            f"see GET /plans/{row.version_of or row.plan_id}/versions",
        )
    if row.state == "closed":
        raise ApiError(
            409,
            f"Η μέρα του πλάνου '{row.plan_id}' έκλεισε. / the day of plan '{row.plan_id}' is closed",
        )


def overlapping_published(session: Session, row: PlanRow) -> list[PlanRow]:
    """Published plans other than ``row`` sharing a Directorate and a day with it, oldest first."""
    shared = select(PlanDirectorateRow.plan_id).where(
        PlanDirectorateRow.plan_id == PlanRow.plan_id,
        PlanDirectorateRow.directorate.in_(sorted({str(d) for d in row.directorates or []})),
    )
    candidates = session.scalars(
        select(PlanRow)
        .where(PlanRow.state == "published", PlanRow.plan_id != row.plan_id, exists(shared))
        .order_by(PlanRow.published_at, PlanRow.plan_id)
    )
    days = set(plan_dates(row))
    return [p for p in candidates if days & set(plan_dates(p))]


def left_without_plan(row: PlanRow, replaced: Sequence[PlanRow]) -> list[tuple[str, str]]:
    """(Directorate, day) pairs from ``row``'s first day on that the plans it replaces cover and
    ``row`` does not: publishing it would leave them without a plan in force."""
    days = plan_dates(row)
    if not days:
        return []
    first = min(days)
    covered = {(d, day) for d in row.directorates or [] for day in days}
    held = {
        (d, day)
        for old in replaced
        for d in old.directorates or []
        for day in plan_dates(old)
        if day >= first
    }
    return sorted(held - covered)


def owners(result: dict[str, Any] | None) -> dict[str, str]:
    """ticket id -> technician of a plan document's visits."""
    plan = Plan.from_dict(result or {"dates": [], "routes": []})
    return {t: r.technician_id for r in plan.routes for t in r.ticket_ids}


def publish(
    session: Session,
    row: PlanRow,
    principal: Principal,
    *,
    when: datetime,
    moved: Sequence[TechnicianChanges] | None = None,
) -> list[PlanRow]:
    """Publish the draft ``row``: it supersedes the published plans it overlaps; returns them.

    Writes the "planned" / "unassigned" events of its tickets, and moves ``last_maintenance``
    of the schools its preventive visits go to.  ``moved``: what changed
    against the version it replaces, when the caller knows it (an urgent re-plan); else it
    is worked out from the visits of the two plans.
    """
    from .preventive import record_maintenance
    from .solving import ticket_events

    require_runner(principal, row, "publish plans")
    if row.scenario:
        raise ApiError(
            409,
            f"Το πλάνο '{row.plan_id}' είναι σενάριο: δεν δημοσιεύεται. / "
            f"plan '{row.plan_id}' is a scenario: scenarios are never published",
        )
    if row.state != "draft":
        raise ApiError(409, f"plan '{row.plan_id}' is {row.state}: only a draft is published")
    if row.result is None or row.status not in ("done", "cancelled"):
        raise ApiError(409, f"plan '{row.plan_id}' has no plan to publish yet (status {row.status})")
    if row.check_ok is False:
        raise ApiError(
            409,
            f"Το πλάνο '{row.plan_id}' δεν περνά τον έλεγχο. / plan '{row.plan_id}' fails the "
            "independent checker (GET /plans/{plan_id}/check): it is not published",
        )
    replaced = overlapping_published(session, row)
    uncovered = left_without_plan(row, replaced)
    if uncovered:
        listed = ", ".join(f"{directorate} {day}" for directorate, day in uncovered)
        raise ApiError(
            409,
            f"Η δημοσίευση του '{row.plan_id}' θα άφηνε χωρίς πλάνο: {listed}. Σχεδιάστε και αυτές "
            "τις Διευθύνσεις, ή επανασχεδιάστε το δημοσιευμένο πλάνο. / "
            f"publishing plan '{row.plan_id}' would leave without a plan: {listed} (the published "
            "plan it replaces covers them); plan those Directorates too, or re-plan the published plan",
        )
    for old in replaced:
        if not all(principal.may_write_directorate(d) for d in old.directorates or []):
            raise forbidden(
                f"plan '{row.plan_id}' would supersede published plan '{old.plan_id}', "
                "which covers Directorates this key may not run"
            )
    series = next((p for p in replaced if p.plan_id == row.parent_plan_id), replaced[0] if replaced else None)
    if series is None:
        row.version_of, row.version = row.plan_id, 1
    else:
        row.version_of = series.version_of or series.plan_id
        numbers = session.scalars(select(PlanRow.version).where(PlanRow.version_of == row.version_of))
        row.version = max((n or 0 for n in numbers), default=0) + 1
        if moved is None:
            moved = changes(owners(series.result), Plan.from_dict(row.result))
    row.version_changes = [c.model_dump() for c in changes_public(moved or [])]
    for old in replaced:
        old.state = "superseded"
    row.state = "published"
    row.published_at = when
    row.published_by = principal.name
    session.flush()
    ticket_events(session, row.plan_id, Plan.from_dict(row.result), when)
    record_maintenance(session, row)
    return replaced


def close(session: Session, row: PlanRow, principal: Principal, *, when: datetime) -> None:
    """The end of the day: the published plan is closed (visits left planned stay in the queue)."""
    require_runner(principal, row, "close plans")
    if row.state != "published":
        raise ApiError(
            409, f"plan '{row.plan_id}' is {row.state}: only the published plan of a day is closed"
        )
    row.state = "closed"
    row.closed_at = when
    row.closed_by = principal.name
    session.flush()


def versions(session: Session, row: PlanRow) -> list[PlanVersion]:
    """The published versions of the series ``row`` belongs to, first to last."""
    if row.version_of is None:
        return []
    rows = session.scalars(
        select(PlanRow).where(PlanRow.version_of == row.version_of).order_by(PlanRow.version)
    )
    return [
        PlanVersion(
            plan_id=r.plan_id,
            version=int(r.version or 0),
            state=r.state,  # type: ignore[arg-type]
            published_at=r.published_at,
            published_by=r.published_by or "",
            parent_plan_id=r.parent_plan_id,
            label=r.label,
            changes=[TechnicianChangesPublic.model_validate(c) for c in r.version_changes or []],
        )
        for r in rows
        if r.published_at is not None
    ]


def day_plans(session: Session, day: str, directorate: str | None) -> list[PlanRow]:
    """The plans in force on ``day`` (published, or closed once the day ended), newest first."""
    query = select(PlanRow).where(PlanRow.state.in_(("published", "closed")), PlanRow.plan_date <= day)
    if directorate is not None:
        query = query.where(
            exists(
                select(PlanDirectorateRow.plan_id).where(
                    PlanDirectorateRow.plan_id == PlanRow.plan_id,
                    PlanDirectorateRow.directorate == directorate,
                )
            )
        )
    rows = session.scalars(query.order_by(PlanRow.published_at.desc(), PlanRow.plan_id))
    return [r for r in rows if day in plan_dates(r)]
