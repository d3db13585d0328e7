"""What a simulation keeps: its settings, one record per ticket, day and technician-day, and the run."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Final

from dromologio.dispatch import SearchParams
from dromologio.dispatch.build import StartPoint
from dromologio.models import Route, School, Ticket

__all__ = [
    "AREAS",
    "SIMULATION_HORIZONS",
    "DayRecord",
    "PlanCheckError",
    "ScenarioRun",
    "ShiftRecord",
    "SimulationSettings",
    "SimulationState",
    "TicketRecord",
    "area_of",
    "closed_reason",
]

#: how a simulated day looks ahead (:attr:`SimulationSettings.horizon`).
SIMULATION_HORIZONS: Final = ("tours", "rolling", "day")

#: where a school lies, for KPIs: on an island, in mountainous terrain (mainland), or elsewhere.
AREAS: Final = ("island", "mountain", "mainland")


def area_of(school: School) -> str:
    if school.island:
        return "island"
    return "mountain" if school.terrain == "mountainous" else "mainland"


def closed_reason(day: date) -> str:
    """The reason given for a ticket held back at a school closed by snow."""
    return f"κλειστό λόγω χιονιού στις {day.isoformat()} / closed by snow on {day.isoformat()}"


@dataclass(frozen=True)
class SimulationSettings:
    """How a simulation runs.  ``time_limit_s`` is the solver's limit per working day."""

    days: int = 20
    start: date | None = None
    time_limit_s: float = 3.0
    seed: int = 1
    params: SearchParams | None = None
    #: run the independent checker on every daily plan and fail on any violation.
    check: bool = False
    #: keep every daily plan (as its JSON document) in the result.
    keep_plans: bool = False
    #: how each day looks ahead: "tours" (a night away may lead to more, home by a later day of
    #: the horizon), "rolling" (a night only when tomorrow brings the technician home) or "day"
    #: (no nights away: every day ends at home).
    horizon: str = "tours"

    def __post_init__(self) -> None:
        if self.days < 1:
            raise ValueError("days must be at least 1")
        if self.time_limit_s <= 0:
            raise ValueError("time_limit_s must be positive")
        if self.horizon not in SIMULATION_HORIZONS:
            raise ValueError(f"horizon must be one of {', '.join(SIMULATION_HORIZONS)}, not {self.horizon!r}")


@dataclass(frozen=True)
class TicketRecord:
    """One ticket's life in a simulation."""

    ticket_id: str
    school_id: str
    priority: str
    area: str
    opened_at: datetime
    due_by: datetime | None
    #: the working day it was first planned (the first day for the opening backlog).
    first_planned: date
    #: True for tickets of the opening backlog (the baseline's tickets).
    backlog: bool
    #: "visit", "remote" or "vendor"; "preventive" for a preventive visit.
    triage: str
    #: start of the visit that served it (None while open).
    served_at: datetime | None = None
    technician_id: str | None = None
    #: the helpdesk category (repeat faults are counted per school and category).
    category: str = ""


@dataclass(frozen=True)
class DayRecord:
    """Figures of one simulated working day."""

    date: date
    day: int
    arrivals: int
    to_visit: int
    served: int
    remote: int
    vendor: int
    unassigned: int
    held_closed: int
    backlog: int
    distance_km: float
    cost_eur: float
    travel_minutes: int
    technicians_used: int
    sailings: int
    sailings_cancelled: int
    solve_seconds: float
    status: str


@dataclass(frozen=True)
class ShiftRecord:
    """One technician's working day: minutes at work, on the road and in the shift."""

    technician_id: str
    date: date
    shift_minutes: int
    work_minutes: int
    travel_minutes: int
    visits: int
    tickets: int
    distance_km: float
    cost_eur: float


@dataclass(frozen=True)
class SimulationState:
    """Where a scenario's simulation stands before working day ``next_day`` (0-based)."""

    scenario: str
    next_day: int
    open_tickets: tuple[Ticket, ...]
    tickets: Mapping[str, TicketRecord]
    days: tuple[DayRecord, ...] = ()
    shifts: tuple[ShiftRecord, ...] = ()
    plans: tuple[dict[str, Any], ...] = ()
    seconds: float = 0.0
    #: the routes of the day before that ended lodging away, and where those technicians start.
    lodged: tuple[Route, ...] = ()
    starts: Mapping[str, StartPoint] = field(default_factory=dict)
    #: per technician lodging away, the nights in a row it has spent away.
    nights_away: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class ScenarioRun:
    """A scenario simulated over its horizon."""

    scenario: str
    description: str
    horizon: tuple[date, ...]
    days: tuple[DayRecord, ...]
    tickets: tuple[TicketRecord, ...]
    shifts: tuple[ShiftRecord, ...]
    technicians: tuple[str, ...]
    #: every daily plan as its JSON document (only with ``keep_plans``).
    plans: tuple[dict[str, Any], ...] = ()
    seconds: float = 0.0

    @property
    def served(self) -> int:
        return sum(d.served for d in self.days)

    @property
    def backlog(self) -> tuple[int, ...]:
        """Tickets needing a visit still open at the end of each day."""
        return tuple(d.backlog for d in self.days)


class PlanCheckError(AssertionError):
    """A daily plan broke a rule of the independent checker (``check=True``)."""
