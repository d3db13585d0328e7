"""Bulk import of a problem, whole or in part, into the database.

Rows are matched by their ids: a row seen before is updated (never duplicated),
a new one is added.  Tickets keep their status, lock and history across
re-imports; a change is written to the history.  The ferry timetable and the
policy are replaced as a whole when the import carries them.

An import may bring only some tables (the helpdesk's daily ``tickets.csv``):
its rows may refer to schools, bases and ports stored before
(:func:`stored_ids` tells the readers which).

Each base serves one Directorate: the ``directorate`` column of ``bases.csv``
(a Directorate the service knows: a region or a school's), or the one stored
for a base imported before; a new base without it is an input issue.

Scope: an admin imports anything.  A dispatcher imports only rows of its
Directorates: an id stored outside them is refused, and so is a row that would
end up outside them (a school's Directorate, a technician's base, a ticket's
school); ports, sailings and the policy are an admin's.  A refusal names every
row concerned and imports nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, delete, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from dromologio.models import Base, InputError, InputIssue, Problem, School
from dromologio.models.cells import suggestion
from dromologio.models.partial import ProblemTables, StoredIds

from . import convert, schemas
from .auth import Principal
from .errors import ApiError
from .specs import PORT, SAILING, SCHOOL, TECHNICIAN
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

#: ids per ``IN (...)`` of one query (well under SQLite's limit of bound variables).
_CHUNK = 500
#: refusals listed in one answer.
_MAX_LISTED = 200
#: Directorates named in a fix when there is no close one to suggest.
_MAX_NAMED = 12


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


def _chunks(ids: Iterable[str]) -> Iterator[list[str]]:
    unique = sorted(set(ids))
    for start in range(0, len(unique), _CHUNK):
        yield unique[start : start + _CHUNK]


def _pairs(
    session: Session,
    key: InstrumentedAttribute[str],
    value: InstrumentedAttribute[str],
    ids: Iterable[str],
    *joins: tuple[type[Table], ColumnElement[bool]],
) -> dict[str, str]:
    """``key -> value`` for the stored rows whose ``key`` is in ``ids``."""
    found: dict[str, str] = {}
    for chunk in _chunks(ids):
        query = select(key, value)
        for target, on in joins:
            query = query.join(target, on)
        found.update({k: v for k, v in session.execute(query.where(key.in_(chunk)))})
    return found


def stored_ids(session: Session, principal: Principal) -> StoredIds:
    """The ids an import may refer to without carrying them; hints only from what the caller sees."""
    schools = {k: v for k, v in session.execute(select(SchoolRow.school_id, SchoolRow.directorate))}
    bases = {k: v for k, v in session.execute(select(BaseRow.base_id, BaseRow.directorate))}
    ports = {k: v for k, v in session.execute(select(PortRow.port_id, PortRow.island))}
    visible: dict[str, frozenset[str]] = {}
    if not principal.reads_all:
        visible["schools"] = frozenset(k for k, d in schools.items() if d in principal.directorates)
        visible["bases"] = frozenset(k for k, d in bases.items() if d in principal.directorates)
    return StoredIds(
        schools=frozenset(schools),
        bases=frozenset(bases),
        ports=frozenset(ports),
        port_islands=frozenset(i for i in ports.values() if i),
        visible=visible,
    )


def _directorate_fix(given: str, known: Sequence[str]) -> str:
    hint = suggestion(given, known)
    if hint:
        return f"write the Directorate as the service knows it{hint}"
    if not known:
        return "import the schools of that Directorate first, or ask an admin to add it as a region"
    named = ", ".join(f"'{k}'" for k in known[:_MAX_NAMED])
    more = ", ..." if len(known) > _MAX_NAMED else ""
    return f"use one of {named}{more}, or ask an admin to add it as a region"


def base_directorates(session: Session, tables: ProblemTables) -> dict[str, str]:
    """The Directorate of each base of the import; raises :class:`InputError` for any that has none.

    The ``directorate`` column when filled in (a known Directorate: a region, a
    stored school's or a school's of the import), else the stored one.
    """
    known = sorted(
        set(session.scalars(select(RegionRow.name)))
        | set(session.scalars(select(SchoolRow.directorate).distinct()))
        | {s.directorate for s in tables.schools}
    )
    stored = _pairs(session, BaseRow.base_id, BaseRow.directorate, (b.base_id for b in tables.bases))
    label = tables.label("bases")
    issues: list[InputIssue] = []
    out: dict[str, str] = {}
    schools: list[School | SchoolRow] = []
    for index, base in enumerate(tables.bases):
        row = tables.row("bases", index)
        given = base.extra.get("directorate", "").strip()
        if given:
            if given not in known:
                issues.append(
                    InputIssue(
                        label,
                        row,
                        "directorate",
                        given,
                        f"'{given}' is not a Directorate the service knows",
                        _directorate_fix(given, known),
                    )
                )
            out[base.base_id] = given
        elif base.base_id in stored:
            out[base.base_id] = stored[base.base_id]
        else:
            if not schools:
                schools = [*tables.schools, *session.scalars(select(SchoolRow))]
            nearest = convert.nearest_directorate(base.lat, base.lon, base.island, schools)
            example = f", e.g. '{nearest}' (the nearest school's)" if nearest else ""
            issues.append(
                InputIssue(
                    label,
                    row,
                    "directorate",
                    "",
                    f"base '{base.base_id}' is new and names no directorate",
                    f"add a directorate column and write the Directorate the base serves{example}: "
                    "its technicians are planned and scoped with it",
                )
            )
    if issues:
        raise InputError(issues)
    return out


def _where(tables: ProblemTables, table: str, index: int, column: str) -> str:
    return f"{tables.label(table)} row {tables.row(table, index)}, column {column}"


def _not_available(column: str, ident: str) -> str:
    return f"{column} '{ident}' is not available to this key: use another id, or ask an admin"


def check_scope(
    session: Session, principal: Principal, tables: ProblemTables, directorates_of_bases: dict[str, str]
) -> None:
    """A dispatcher imports only rows of its own Directorates (403 naming every row refused)."""
    if principal.role == "admin":
        return
    mine = principal.directorates
    yours = ", ".join(sorted(mine)) or "none"
    refused: list[tuple[str, str]] = []
    admin_only = [
        tables.label(table)
        for table, items in (("ports", tables.ports), ("ferries", tables.sailings))
        if items
    ]
    if tables.policy is not None:
        admin_only.append(tables.label("policy"))
    refused += [
        (label, "ports, sailings and the policy are changed by an admin only: leave this out of the import")
        for label in admin_only
    ]

    def outside(column: str, directorate: str) -> str:
        return f"{column} '{directorate}' is not one of this key's Directorates ({yours})"

    stored_schools = _pairs(
        session,
        SchoolRow.school_id,
        SchoolRow.directorate,
        [s.school_id for s in tables.schools] + [t.school_id for t in tables.tickets],
    )

    def refuse_outside(
        table: str,
        key: str,
        items: Sequence[Any],
        stored: Mapping[str, str],
        directorate_of: Callable[[Any], str | None],
        column: str = "directorate",
        why: Callable[[Any], str] | None = None,
    ) -> None:
        """Rows whose stored twin, or whose Directorate (by ``column``), lies outside the key's Directorates."""
        for index, item in enumerate(items):
            ident = getattr(item, key)
            before = stored.get(ident)
            if before is not None and before not in mine:
                refused.append((_where(tables, table, index, key), _not_available(key, ident)))
            elif directorate_of(item) not in mine:
                reason = why(item) if why else outside("directorate", str(directorate_of(item)))
                refused.append((_where(tables, table, index, column), reason))

    refuse_outside("schools", "school_id", tables.schools, stored_schools, lambda school: school.directorate)

    stored_bases = _pairs(
        session,
        BaseRow.base_id,
        BaseRow.directorate,
        [b.base_id for b in tables.bases] + [t.base_id for t in tables.technicians],
    )
    refuse_outside(
        "bases", "base_id", tables.bases, stored_bases, lambda base: directorates_of_bases[base.base_id]
    )

    technician_directorates = _pairs(
        session,
        TechnicianRow.technician_id,
        BaseRow.directorate,
        (t.technician_id for t in tables.technicians),
        (BaseRow, BaseRow.base_id == TechnicianRow.base_id),
    )
    refuse_outside(
        "technicians",
        "technician_id",
        tables.technicians,
        technician_directorates,
        lambda technician: directorates_of_bases.get(
            technician.base_id, stored_bases.get(technician.base_id)
        ),
        "base_id",
        lambda technician: (
            f"base '{technician.base_id}' is not available to this key: use a base of your Directorates"
        ),
    )

    ticket_directorates = _pairs(
        session,
        TicketRow.ticket_id,
        SchoolRow.directorate,
        (t.ticket_id for t in tables.tickets),
        (SchoolRow, SchoolRow.school_id == TicketRow.school_id),
    )
    school_directorates = {**stored_schools, **{s.school_id: s.directorate for s in tables.schools}}
    refuse_outside(
        "tickets",
        "ticket_id",
        tables.tickets,
        ticket_directorates,
        lambda ticket: school_directorates.get(ticket.school_id),
        "school_id",
        lambda ticket: (
            f"school '{ticket.school_id}' is not available to this key: use a school of your Directorates"
        ),
    )
    if refused:
        count = len(refused)
        raise ApiError(
            403,
            f"{count} part{'' if count == 1 else 's'} of the import lie outside what this key may change "
            "(its Directorates; ports, sailings and the policy are an admin's): nothing was imported",
            errors=refused[:_MAX_LISTED],
        )


def import_problem(
    session: Session,
    problem: Problem | ProblemTables,
    principal: Principal,
    *,
    has_policy: bool = False,
    when: datetime,
) -> schemas.ImportSummary:
    """Import a whole problem (``has_policy``: its policy replaces the one in force) or the tables read."""
    tables = (
        ProblemTables.of_problem(problem, has_policy=has_policy) if isinstance(problem, Problem) else problem
    )
    return import_tables(session, tables, principal, when=when)


def import_tables(
    session: Session, tables: ProblemTables, principal: Principal, *, when: datetime
) -> schemas.ImportSummary:
    """Check and write the tables of an import; the caller commits."""
    directorates_of_bases = base_directorates(session, tables)
    check_scope(session, principal, tables, directorates_of_bases)

    known_regions = {r.name: r for r in session.scalars(select(RegionRow))}
    taken = {r.region_id for r in known_regions.values()}
    regions_created: list[str] = []
    for name in sorted({s.directorate for s in tables.schools} | set(directorates_of_bases.values()) - {""}):
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
        name=tables.name,
        schools=schemas.TableCounts(),
        bases=schemas.TableCounts(),
        technicians=schemas.TableCounts(),
        tickets=schemas.TableCounts(),
        ports=schemas.TableCounts(),
        sailings=0,
        policy_replaced=tables.policy is not None,
        regions_created=regions_created,
    )
    _upsert(
        session,
        SchoolRow,
        "school_id",
        ((s.school_id, SCHOOL.domain_values(s)) for s in tables.schools),
        summary.schools,
    )
    _upsert(
        session,
        BaseRow,
        "base_id",
        ((b.base_id, _base_values(b, directorates_of_bases[b.base_id])) for b in tables.bases),
        summary.bases,
    )
    _upsert(
        session,
        PortRow,
        "port_id",
        ((p.port_id, PORT.domain_values(p)) for p in tables.ports),
        summary.ports,
    )
    session.flush()
    _upsert(
        session,
        TechnicianRow,
        "technician_id",
        ((t.technician_id, TECHNICIAN.domain_values(t)) for t in tables.technicians),
        summary.technicians,
    )
    outcome = _upsert(
        session,
        TicketRow,
        "ticket_id",
        ((t.ticket_id, convert.ticket_values(t)) for t in tables.tickets),
        summary.tickets,
        stamp={"updated_at": when},
    )
    session.flush()
    for ticket_id, result in outcome.items():
        if result == "created":
            session.add(TicketEventRow(ticket_id=ticket_id, at=when, kind="imported", note=tables.name))
        elif result == "updated":
            session.add(
                TicketEventRow(ticket_id=ticket_id, at=when, kind="updated", note="re-imported with changes")
            )
    if tables.sailings:
        session.execute(delete(SailingRow))
        for sailing in tables.sailings:
            session.add(SailingRow(**SAILING.domain_values(sailing)))
    summary.sailings = (
        len(tables.sailings) if tables.sailings else len(list(session.scalars(select(SailingRow.sailing_id))))
    )
    if tables.policy is not None:
        row = session.get(PolicyRow, 1)
        if row is None:
            session.add(PolicyRow(policy_id=1, data=tables.policy.to_dict()))
        else:
            row.data = tables.policy.to_dict()
    session.flush()
    return summary


def _base_values(base: Base, directorate: str) -> dict[str, Any]:
    """Row columns of a base: its Directorate in its own column, not among the extra ones."""
    values = convert.base_values(base)
    values["extra"] = {k: v for k, v in values["extra"].items() if k != "directorate"}
    return {**values, "directorate": directorate}
