"""Tiny hand-made problems around Ioannina (39.665 N, 20.853 E), checkable by hand."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time

from dromologio.models import Base, Policy, Port, Problem, Sailing, School, Stop, Technician, Ticket

DAY = date(2026, 11, 23)
IOANNINA = (39.665, 20.853)


def school(
    school_id: str,
    north_km: float = 0.0,
    east_km: float = 0.0,
    *,
    island: str = "",
    needs_4x4: bool = False,
    opens: str = "08:15",
    closes: str = "14:00",
    terrain: str = "plain",
) -> School:
    """A school placed ``north_km``/``east_km`` from Ioannina (about 111 km per degree)."""
    return School(
        school_id=school_id,
        name=f"Σχολείο {school_id}",
        lat=IOANNINA[0] + north_km / 111.0,
        lon=IOANNINA[1] + east_km / 85.5,
        directorate="Δ.Π.Ε. Ιωαννίνων",
        island=island,
        opens_min=_minutes(opens),
        closes_min=_minutes(closes),
        needs_4x4=needs_4x4,
        terrain=terrain,
    )


def base(base_id: str = "B1", north_km: float = 0.0, east_km: float = 0.0, island: str = "") -> Base:
    return Base(
        base_id, f"Βάση {base_id}", IOANNINA[0] + north_km / 111.0, IOANNINA[1] + east_km / 85.5, island
    )


def technician(
    technician_id: str,
    skills: Iterable[str] = ("windows", "linux", "network", "ltsp", "hardware", "printer", "egov"),
    *,
    base_id: str = "B1",
    has_4x4: bool = False,
    max_km_per_day: float | None = None,
    shift: tuple[str, str] = ("08:00", "16:00"),
    cost_per_km: float | None = None,
    employer: str = "ΚΕ.ΠΛΗ.ΝΕ.Τ. Ιωαννίνων",
) -> Technician:
    return Technician(
        technician_id=technician_id,
        name=f"Τεχνικός {technician_id}",
        base_id=base_id,
        skills=frozenset(skills),
        employer=employer,
        shift_start_min=_minutes(shift[0]),
        shift_end_min=_minutes(shift[1]),
        max_km_per_day=max_km_per_day,
        has_4x4=has_4x4,
        cost_per_km=cost_per_km,
    )


def ticket(
    ticket_id: str,
    school_id: str,
    skill: str = "windows",
    priority: str = "normal",
    service_minutes: int = 60,
    *,
    days_open: int = 1,
    remote: bool = False,
    warranty: bool = False,
    due_by: datetime | None = None,
) -> Ticket:
    return Ticket(
        ticket_id=ticket_id,
        school_id=school_id,
        opened_at=datetime(DAY.year, DAY.month, DAY.day, 9, 0).replace(day=DAY.day - days_open),
        category=skill,
        skill=skill,
        priority=priority,
        service_minutes=service_minutes,
        remote=remote,
        warranty=warranty,
        due_by=due_by,
    )


def problem(
    schools: Iterable[School],
    technicians: Iterable[Technician],
    tickets: Iterable[Ticket],
    *,
    bases: Iterable[Base] = (),
    ports: Iterable[Port] = (),
    sailings: Iterable[Sailing] = (),
    policy: Policy | None = None,
) -> Problem:
    return Problem(
        schools=tuple(schools),
        bases=tuple(bases) or (base(),),
        technicians=tuple(technicians),
        tickets=tuple(tickets),
        ports=tuple(ports),
        sailings=tuple(sailings),
        policy=policy or Policy(),
        name="test",
    )


def _minutes(hhmm: str) -> int:
    hours, minutes = hhmm.split(":")
    return int(hours) * 60 + int(minutes)


def at(hhmm: str) -> datetime:
    """``hhmm`` on :data:`DAY`."""
    hours, minutes = map(int, hhmm.split(":"))
    return datetime.combine(DAY, time(hours, minutes))


def visit_stop(world: Problem, ticket_id: str, begin: str, end: str) -> Stop:
    """A hand-made visit on :data:`DAY`: the ticket's school from ``begin`` (arrived then) to ``end``."""
    school_at = world.school_by_id[world.ticket_by_id[ticket_id].school_id]
    return Stop(
        "visit",
        lat=school_at.lat,
        lon=school_at.lon,
        school_id=school_at.school_id,
        ticket_ids=(ticket_id,),
        arrive=at(begin),
        start=at(begin),
        end=at(end),
    )
