"""Schemas ⇄ domain objects ⇄ table rows.  Pure: no session, no I/O.

Domain objects check themselves on construction, so every ``*_from_*``
function raises :class:`ValueError` (naming the field) on bad values, and
:class:`~dromologio.models.ProblemError` when the parts of a problem do not fit.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from dromologio.models import Base, Policy, Port, Problem, Sailing, School, Technician, Ticket

from . import schemas
from .tables import BaseRow, PortRow, SailingRow, SchoolRow, TechnicianRow, TicketRow

# --- cells ---------------------------------------------------------------------------


def minutes(hhmm: str) -> int:
    """``08:15`` -> 495."""
    hours, mins = hhmm.split(":")
    return int(hours) * 60 + int(mins)


def hhmm(value: int) -> str:
    """495 -> ``08:15``."""
    return f"{value // 60:02d}:{value % 60:02d}"


def instant(value: datetime) -> str:
    """Minute precision, as the contract writes instants."""
    return value.isoformat(timespec="minutes")


def naive(value: datetime) -> datetime:
    """Instants are local and naive in the domain; an offset given by a client is dropped after conversion."""
    if value.tzinfo is None:
        return value.replace(second=0, microsecond=0)
    from zoneinfo import ZoneInfo

    return value.astimezone(ZoneInfo("Europe/Athens")).replace(tzinfo=None, second=0, microsecond=0)


_GREEK = dict(
    zip(
        "αβγδεζηθικλμνξοπρσςτυφχψω",
        [
            "a",
            "v",
            "g",
            "d",
            "e",
            "z",
            "i",
            "th",
            "i",
            "k",
            "l",
            "m",
            "n",
            "x",
            "o",
            "p",
            "r",
            "s",
            "s",
            "t",
            "y",
            "f",
            "ch",
            "ps",
            "o",
        ],
        strict=True,
    )
)


def slug(text: str) -> str:
    """A short Latin id for a Greek name: ``Δ.Π.Ε. Ιωαννίνων`` -> ``dpe-ioanninon``."""
    plain = "".join(c for c in unicodedata.normalize("NFD", text.lower()) if not unicodedata.combining(c))
    latin = "".join(_GREEK.get(c, c) for c in plain)
    words = [w for w in re.split(r"[^a-z0-9]+", latin.replace(".", "")) if w]
    return "-".join(words)[:64] or "region"


# --- schools -------------------------------------------------------------------------


def school_from_create(body: schemas.SchoolCreate) -> School:
    return School(
        school_id=body.school_id,
        name=body.name,
        lat=body.lat,
        lon=body.lon,
        directorate=body.directorate,
        island=body.island,
        opens_min=minutes(body.opens),
        closes_min=minutes(body.closes),
        needs_4x4=body.needs_4x4,
        terrain=body.terrain,
        extra=body.extra,
    )


def school_from_row(row: SchoolRow) -> School:
    return School(
        school_id=row.school_id,
        name=row.name,
        lat=row.lat,
        lon=row.lon,
        directorate=row.directorate,
        island=row.island,
        opens_min=row.opens_min,
        closes_min=row.closes_min,
        needs_4x4=row.needs_4x4,
        terrain=row.terrain,
        extra=dict(row.extra or {}),
    )


def school_values(school: School) -> dict[str, Any]:
    """Row columns of a school (lab year and notes are the service's own and kept apart)."""
    return {
        "name": school.name,
        "lat": school.lat,
        "lon": school.lon,
        "directorate": school.directorate,
        "island": school.island,
        "opens_min": school.opens_min,
        "closes_min": school.closes_min,
        "needs_4x4": school.needs_4x4,
        "terrain": school.terrain,
        "extra": dict(school.extra),
    }


def school_public(row: SchoolRow) -> schemas.SchoolPublic:
    return schemas.SchoolPublic(
        school_id=row.school_id,
        name=row.name,
        lat=row.lat,
        lon=row.lon,
        directorate=row.directorate,
        island=row.island,
        opens=hhmm(row.opens_min),
        closes=hhmm(row.closes_min),
        needs_4x4=row.needs_4x4,
        terrain=row.terrain,
        lab_installed=row.lab_installed,
        notes=row.notes,
        extra=dict(row.extra or {}),
    )


def school_create_of(row: SchoolRow) -> schemas.SchoolCreate:
    """A row as a create body (to apply a partial update and validate the whole again)."""
    public = school_public(row)
    return schemas.SchoolCreate.model_validate(public.model_dump())


# --- bases ---------------------------------------------------------------------------


def base_from_create(body: schemas.BaseCreate) -> Base:
    extra = {**body.extra, **({"directorate": body.directorate} if body.directorate else {})}
    return Base(body.base_id, body.name, body.lat, body.lon, body.island, body.kind, extra=extra)


def base_from_row(row: BaseRow) -> Base:
    """The domain base, its Directorate in ``extra`` as ``bases.csv`` carries it (the solver's own-area rule)."""
    extra = {**(row.extra or {}), "directorate": row.directorate}
    return Base(row.base_id, row.name, row.lat, row.lon, row.island, row.kind, extra=extra)


def base_values(base: Base) -> dict[str, Any]:
    return {
        "name": base.name,
        "lat": base.lat,
        "lon": base.lon,
        "island": base.island,
        "kind": base.kind,
        # The Directorate is a column of its own (BaseRow.directorate), not an extra.
        "extra": {k: v for k, v in base.extra.items() if k != "directorate"},
    }


def base_public(row: BaseRow) -> schemas.BasePublic:
    return schemas.BasePublic(
        base_id=row.base_id,
        name=row.name,
        lat=row.lat,
        lon=row.lon,
        island=row.island,
        kind=row.kind,
        directorate=row.directorate,
        extra=dict(row.extra or {}),
    )


def base_create_of(row: BaseRow) -> schemas.BaseCreate:
    return schemas.BaseCreate.model_validate(base_public(row).model_dump())


def nearest_directorate(
    lat: float, lon: float, island: str, schools: Iterable[School | SchoolRow]
) -> str | None:
    """The Directorate of the nearest school on the same island (or mainland), if any."""
    best: tuple[float, str] | None = None
    for school in schools:
        if school.island != island:
            continue
        # Equirectangular distance: enough to rank schools a few km apart.
        dx = (school.lon - lon) * math.cos(math.radians((school.lat + lat) / 2))
        dy = school.lat - lat
        distance = dx * dx + dy * dy
        if best is None or distance < best[0]:
            best = (distance, school.directorate)
    return None if best is None else best[1]


# --- technicians -----------------------------------------------------------------------


def technician_from_create(body: schemas.TechnicianCreate) -> Technician:
    return Technician(
        technician_id=body.technician_id,
        name=body.name,
        base_id=body.base_id,
        skills=frozenset(body.skills),
        employer=body.employer,
        shift_start_min=minutes(body.shift_start),
        shift_end_min=minutes(body.shift_end),
        max_km_per_day=body.max_km_per_day,
        has_4x4=body.has_4x4,
        cost_per_km=body.cost_per_km,
        extra=body.extra,
    )


def technician_from_row(row: TechnicianRow) -> Technician:
    return Technician(
        technician_id=row.technician_id,
        name=row.name,
        base_id=row.base_id,
        skills=frozenset(row.skills),
        employer=row.employer,
        shift_start_min=row.shift_start_min,
        shift_end_min=row.shift_end_min,
        max_km_per_day=row.max_km_per_day,
        has_4x4=row.has_4x4,
        cost_per_km=row.cost_per_km,
        extra=dict(row.extra or {}),
    )


def _skill_order(skills: Iterable[str]) -> list[str]:
    from dromologio.models import SKILLS

    return [s for s in SKILLS if s in set(skills)]


def technician_values(technician: Technician) -> dict[str, Any]:
    return {
        "name": technician.name,
        "base_id": technician.base_id,
        "skills": _skill_order(technician.skills),
        "employer": technician.employer,
        "shift_start_min": technician.shift_start_min,
        "shift_end_min": technician.shift_end_min,
        "max_km_per_day": technician.max_km_per_day,
        "has_4x4": technician.has_4x4,
        "cost_per_km": technician.cost_per_km,
        "extra": dict(technician.extra),
    }


def technician_public(row: TechnicianRow) -> schemas.TechnicianPublic:
    return schemas.TechnicianPublic(
        technician_id=row.technician_id,
        name=row.name,
        base_id=row.base_id,
        skills=list(row.skills),
        shift_start=hhmm(row.shift_start_min),
        shift_end=hhmm(row.shift_end_min),
        employer=row.employer,
        max_km_per_day=row.max_km_per_day,
        has_4x4=row.has_4x4,
        cost_per_km=row.cost_per_km,
        extra=dict(row.extra or {}),
    )


def technician_create_of(row: TechnicianRow) -> schemas.TechnicianCreate:
    return schemas.TechnicianCreate.model_validate(technician_public(row).model_dump())


# --- tickets ---------------------------------------------------------------------------


def ticket_from_create(body: schemas.TicketCreate) -> Ticket:
    return Ticket(
        ticket_id=body.ticket_id,
        school_id=body.school_id,
        opened_at=naive(body.opened_at),
        category=body.category,
        skill=body.skill,
        priority=body.priority,
        service_minutes=body.service_minutes,
        remote=body.remote,
        warranty=body.warranty,
        due_by=None if body.due_by is None else naive(body.due_by),
        extra=body.extra,
    )


def ticket_from_row(row: TicketRow) -> Ticket:
    return Ticket(
        ticket_id=row.ticket_id,
        school_id=row.school_id,
        opened_at=row.opened_at,
        category=row.category,
        skill=row.skill,
        priority=row.priority,
        service_minutes=row.service_minutes,
        remote=row.remote,
        warranty=row.warranty,
        due_by=row.due_by,
        extra=dict(row.extra or {}),
    )


def ticket_values(ticket: Ticket) -> dict[str, Any]:
    return {
        "school_id": ticket.school_id,
        "opened_at": ticket.opened_at,
        "category": ticket.category,
        "skill": ticket.skill,
        "priority": ticket.priority,
        "service_minutes": ticket.service_minutes,
        "remote": ticket.remote,
        "warranty": ticket.warranty,
        "due_by": ticket.due_by,
        "extra": dict(ticket.extra),
    }


def ticket_public(row: TicketRow, *, visible_technicians: frozenset[str] | None) -> schemas.TicketPublic:
    """The ticket as a caller sees it: a lock to a technician not in ``visible_technicians`` shows None.

    ``visible_technicians`` is required (None: the caller sees every technician), so no
    answer can show a lock by forgetting whose it is.
    """
    locked = row.locked_technician_id
    if visible_technicians is not None and locked not in visible_technicians:
        locked = None
    return schemas.TicketPublic(
        ticket_id=row.ticket_id,
        school_id=row.school_id,
        opened_at=instant(row.opened_at),
        category=row.category,
        skill=row.skill,
        priority=row.priority,
        service_minutes=row.service_minutes,
        remote=row.remote,
        warranty=row.warranty,
        due_by=None if row.due_by is None else instant(row.due_by),
        extra=dict(row.extra or {}),
        status=row.status,  # type: ignore[arg-type]
        locked_technician_id=locked,
    )


def ticket_create_of(row: TicketRow) -> schemas.TicketCreate:
    data = ticket_public(row, visible_technicians=None).model_dump(exclude={"status", "locked_technician_id"})
    return schemas.TicketCreate.model_validate(data)


# --- ports, sailings, policy -------------------------------------------------------------


def port_from_row(row: PortRow) -> Port:
    return Port(row.port_id, row.name, row.lat, row.lon, row.island, extra=dict(row.extra or {}))


def port_values(port: Port) -> dict[str, Any]:
    return {
        "name": port.name,
        "lat": port.lat,
        "lon": port.lon,
        "island": port.island,
        "extra": dict(port.extra),
    }


def sailing_from_row(row: SailingRow) -> Sailing:
    return Sailing(
        from_port=row.from_port,
        to_port=row.to_port,
        depart_min=row.depart_min,
        duration_min=row.duration_min,
        days=frozenset(row.days),
        fare_eur=row.fare_eur,
        extra=dict(row.extra or {}),
    )


def sailing_values(sailing: Sailing) -> dict[str, Any]:
    from dromologio.models import WEEKDAYS

    return {
        "from_port": sailing.from_port,
        "to_port": sailing.to_port,
        "depart_min": sailing.depart_min,
        "duration_min": sailing.duration_min,
        "days": [d for d in WEEKDAYS if d in sailing.days],
        "fare_eur": sailing.fare_eur,
        "extra": dict(sailing.extra),
    }


def policy_from_data(data: Mapping[str, Any] | None) -> Policy:
    return Policy.from_dict(data or {})


# --- whole problems ----------------------------------------------------------------------


def problem_from_rows(
    *,
    schools: Iterable[SchoolRow],
    bases: Iterable[BaseRow],
    technicians: Iterable[TechnicianRow],
    tickets: Iterable[TicketRow],
    ports: Iterable[PortRow],
    sailings: Iterable[SailingRow],
    policy: Mapping[str, Any] | None,
    name: str,
) -> Problem:
    """The domain problem of these rows (raises ProblemError when they do not fit together)."""
    return Problem(
        schools=tuple(school_from_row(r) for r in schools),
        bases=tuple(base_from_row(r) for r in bases),
        technicians=tuple(technician_from_row(r) for r in technicians),
        tickets=tuple(ticket_from_row(r) for r in tickets),
        ports=tuple(port_from_row(r) for r in ports),
        sailings=tuple(sailing_from_row(r) for r in sailings),
        policy=policy_from_data(policy),
        name=name,
    )


def issue_out(issue: Any) -> schemas.IssueOut:
    """An :class:`~dromologio.models.errors.InputIssue` as a response entry."""
    return schemas.IssueOut(
        file=issue.file,
        row=issue.row,
        column=issue.column,
        value=issue.value,
        message=issue.message,
        fix=issue.fix,
    )
