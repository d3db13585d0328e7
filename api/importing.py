"""Bulk import of a whole problem into the database.

Rows are matched by their ids: a row seen before is updated (never duplicated),
a new one is added.  Tickets keep their status, lock and history across
re-imports; a change is written to the history.  The ferry timetable and the
policy are replaced as a whole when the problem carries them.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from dromologio.models import Problem

from . import convert, schemas
from .auth import Principal
from .errors import ApiError
from .tables import (
    BaseRow,
    PolicyRow,
    PortRow,
    RegionRow,
    SailingRow,
    SchoolRow,
    Table,
    TechnicianRow,
    TicketEventRow,
    TicketRow,
)

RowT = TypeVar("RowT", bound=Table)


def _upsert(
    session: Session,
    kind: type[RowT],
    key: str,
    items: Iterable[tuple[str, dict[str, Any]]],
    counts: schemas.TableCounts,
    stamp: dict[str, Any] | None = None,
) -> dict[str, str]:
    """Insert or update rows; returns id -> 'created' / 'updated' / 'unchanged'.

    ``stamp`` (e.g. ``updated_at``) is written on rows created or changed, and is no change itself.
    """
    outcome: dict[str, str] = {}
    stamp = stamp or {}
    for ident, values in items:
        row = session.get(kind, ident)
        if row is None:
            session.add(kind(**{key: ident}, **values, **stamp))
            counts.created += 1
            outcome[ident] = "created"
            continue
        changed = {k: v for k, v in values.items() if getattr(row, k) != v}
        for name, value in changed.items():
            setattr(row, name, value)
        if changed:
            for name, value in stamp.items():
                setattr(row, name, value)
            counts.updated += 1
            outcome[ident] = "updated"
        else:
            counts.unchanged += 1
            outcome[ident] = "unchanged"
    return outcome


def base_directorates(session: Session, problem: Problem) -> dict[str, str]:
    """Directorate of each base: its ``directorate`` column, the stored one, else the nearest school's."""
    schools: list[Any] = list(problem.schools) + list(session.scalars(select(SchoolRow)))
    out: dict[str, str] = {}
    for base in problem.bases:
        stored = session.get(BaseRow, base.base_id)
        given = base.extra.get("directorate", "").strip()
        out[base.base_id] = (
            given
            or (stored.directorate if stored is not None else "")
            or convert.nearest_directorate(base.lat, base.lon, base.island, schools)
            or ""
        )
    return out


def check_scope(principal: Principal, problem: Problem, directorates_of_bases: dict[str, str]) -> None:
    """A dispatcher imports only into its own Directorates."""
    if principal.role == "admin":
        return
    outside: list[tuple[str, str]] = []
    for number, school in enumerate(problem.schools, start=1):
        if school.directorate not in principal.directorates:
            outside.append((f"body.schools.{number}.directorate", f"'{school.directorate}' is not yours"))
    for number, base in enumerate(problem.bases, start=1):
        directorate = directorates_of_bases[base.base_id]
        if directorate not in principal.directorates:
            outside.append((f"body.bases.{number}.directorate", f"'{directorate}' is not yours"))
    if outside:
        raise ApiError(
            403,
            f"{len(outside)} row(s) lie outside the Directorates of this key",
            errors=outside[:200],
        )


def import_problem(
    session: Session,
    problem: Problem,
    principal: Principal,
    *,
    has_policy: bool,
    when: datetime,
) -> schemas.ImportSummary:
    directorates_of_bases = base_directorates(session, problem)
    check_scope(principal, problem, directorates_of_bases)

    known_regions = {r.name: r for r in session.scalars(select(RegionRow))}
    taken = {r.region_id for r in known_regions.values()}
    regions_created: list[str] = []
    for name in sorted({s.directorate for s in problem.schools} | set(directorates_of_bases.values()) - {""}):
        if name in known_regions:
            continue
        region_id = convert.slug(name)
        suffix = 2
        while region_id in taken:
            region_id = f"{convert.slug(name)[:60]}-{suffix}"
            suffix += 1
        taken.add(region_id)
        session.add(RegionRow(region_id=region_id, name=name, area=""))
        regions_created.append(name)

    summary = schemas.ImportSummary(
        name=problem.name,
        schools=schemas.TableCounts(),
        bases=schemas.TableCounts(),
        technicians=schemas.TableCounts(),
        tickets=schemas.TableCounts(),
        ports=schemas.TableCounts(),
        sailings=0,
        policy_replaced=has_policy,
        regions_created=regions_created,
    )
    _upsert(
        session,
        SchoolRow,
        "school_id",
        ((s.school_id, convert.school_values(s)) for s in problem.schools),
        summary.schools,
    )
    _upsert(
        session,
        BaseRow,
        "base_id",
        (
            (b.base_id, {**convert.base_values(b), "directorate": directorates_of_bases[b.base_id]})
            for b in problem.bases
        ),
        summary.bases,
    )
    _upsert(
        session,
        PortRow,
        "port_id",
        ((p.port_id, convert.port_values(p)) for p in problem.ports),
        summary.ports,
    )
    session.flush()
    _upsert(
        session,
        TechnicianRow,
        "technician_id",
        ((t.technician_id, convert.technician_values(t)) for t in problem.technicians),
        summary.technicians,
    )
    outcome = _upsert(
        session,
        TicketRow,
        "ticket_id",
        ((t.ticket_id, convert.ticket_values(t)) for t in problem.tickets),
        summary.tickets,
        stamp={"updated_at": when},
    )
    session.flush()
    for ticket_id, result in outcome.items():
        if result == "created":
            session.add(TicketEventRow(ticket_id=ticket_id, at=when, kind="imported", note=problem.name))
        elif result == "updated":
            session.add(
                TicketEventRow(ticket_id=ticket_id, at=when, kind="updated", note="re-imported with changes")
            )
    if problem.sailings:
        session.execute(delete(SailingRow))
        for sailing in problem.sailings:
            session.add(SailingRow(**convert.sailing_values(sailing)))
    summary.sailings = (
        len(problem.sailings)
        if problem.sailings
        else len(list(session.scalars(select(SailingRow.sailing_id))))
    )
    if has_policy:
        row = session.get(PolicyRow, 1)
        if row is None:
            session.add(PolicyRow(policy_id=1, data=problem.policy.to_dict()))
        else:
            row.data = problem.policy.to_dict()
    session.flush()
    return summary
