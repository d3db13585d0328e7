"""Immutable, self-checking domain types of a dispatch problem.

Every type checks its own invariants on construction and raises
:class:`ValueError` naming the field.  Cross-references (a ticket's school, a
technician's base) are checked by :class:`Problem`.  File readers in
:mod:`dromologio.models.readers` add file, row and column to these messages.

Units: times of day are minutes after midnight (``*_min``), instants are naive
local datetimes (Europe/Athens), distances in km, money in EUR.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from types import MappingProxyType
from typing import Any

from .calendar import Absence, CalendarEntry
from .policy import Policy
from .vocab import BASE_KINDS, PRIORITIES, SKILLS, TERRAINS, WEEKDAYS

Extra = Mapping[str, str]


def _freeze(extra: Mapping[str, str] | None) -> Extra:
    return MappingProxyType(dict(extra or {}))


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise ValueError(message)


def _check_id(value: str, name: str) -> None:
    _require(
        bool(value) and value == value.strip(), f"{name} must be a non-empty id without surrounding spaces"
    )


def _check_coordinates(lat: float, lon: float) -> None:
    _require(-90.0 <= lat <= 90.0, f"lat {lat} is outside -90..90")
    _require(-180.0 <= lon <= 180.0, f"lon {lon} is outside -180..180")


def _check_day_minutes(value: int, name: str) -> None:
    _require(0 <= value <= 24 * 60, f"{name} {value} is not a time of day (0..1440 minutes)")


@dataclass(frozen=True)
class School:
    """A school that can be visited.  ``island`` is empty on the mainland."""

    school_id: str
    name: str
    lat: float
    lon: float
    directorate: str
    island: str = ""
    opens_min: int = 8 * 60 + 15
    closes_min: int = 14 * 60
    needs_4x4: bool = False
    terrain: str = "plain"
    extra: Extra = field(default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        _check_id(self.school_id, "school_id")
        _check_coordinates(self.lat, self.lon)
        _check_day_minutes(self.opens_min, "opens")
        _check_day_minutes(self.closes_min, "closes")
        _require(self.opens_min < self.closes_min, "closes must be later than opens")
        _require(self.terrain in TERRAINS, f"terrain must be one of {', '.join(TERRAINS)}")
        object.__setattr__(self, "extra", _freeze(self.extra))


@dataclass(frozen=True)
class Base:
    """Where technicians start and end their working day."""

    base_id: str
    name: str
    lat: float
    lon: float
    island: str = ""
    kind: str = "keplinet"
    extra: Extra = field(default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        _check_id(self.base_id, "base_id")
        _check_coordinates(self.lat, self.lon)
        _require(self.kind in BASE_KINDS, f"kind must be one of {', '.join(BASE_KINDS)}")
        object.__setattr__(self, "extra", _freeze(self.extra))


@dataclass(frozen=True)
class Technician:
    """A technician: one vehicle of the routing model, from and to its base."""

    technician_id: str
    name: str
    base_id: str
    skills: frozenset[str]
    employer: str
    shift_start_min: int = 8 * 60
    shift_end_min: int = 16 * 60
    max_km_per_day: float | None = None
    has_4x4: bool = False
    cost_per_km: float | None = None
    extra: Extra = field(default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        _check_id(self.technician_id, "technician_id")
        object.__setattr__(self, "skills", frozenset(self.skills))
        unknown = sorted(self.skills - set(SKILLS))
        _require(not unknown, f"skills {unknown} are not in {', '.join(SKILLS)}")
        _check_day_minutes(self.shift_start_min, "shift_start")
        _check_day_minutes(self.shift_end_min, "shift_end")
        _require(self.shift_start_min < self.shift_end_min, "shift_end must be later than shift_start")
        _require(self.max_km_per_day is None or self.max_km_per_day > 0, "max_km_per_day must be positive")
        _require(self.cost_per_km is None or self.cost_per_km >= 0, "cost_per_km must not be negative")
        object.__setattr__(self, "extra", _freeze(self.extra))


@dataclass(frozen=True)
class Ticket:
    """A helpdesk ticket that may need a visit on site."""

    ticket_id: str
    school_id: str
    opened_at: datetime
    category: str
    skill: str
    priority: str
    service_minutes: int
    remote: bool = False
    warranty: bool = False
    due_by: datetime | None = None
    extra: Extra = field(default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        _check_id(self.ticket_id, "ticket_id")
        _require(self.skill in SKILLS, f"skill '{self.skill}' is not one of {', '.join(SKILLS)}")
        _require(
            self.priority in PRIORITIES, f"priority '{self.priority}' is not one of {', '.join(PRIORITIES)}"
        )
        _require(0 < self.service_minutes <= 24 * 60, "service_minutes must be between 1 and 1440")
        object.__setattr__(self, "extra", _freeze(self.extra))

    @property
    def needs_visit(self) -> bool:
        """False for tickets solved remotely or sent to the vendor."""
        return not (self.remote or self.warranty)


@dataclass(frozen=True)
class Port:
    port_id: str
    name: str
    lat: float
    lon: float
    island: str = ""
    extra: Extra = field(default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        _check_id(self.port_id, "port_id")
        _check_coordinates(self.lat, self.lon)
        object.__setattr__(self, "extra", _freeze(self.extra))


@dataclass(frozen=True)
class Sailing:
    """One timetabled departure, repeated on the given weekdays."""

    from_port: str
    to_port: str
    depart_min: int
    duration_min: int
    days: frozenset[str] = frozenset(WEEKDAYS)
    fare_eur: float | None = None
    extra: Extra = field(default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        _require(self.from_port != self.to_port, "from_port and to_port must differ")
        _check_day_minutes(self.depart_min, "depart")
        _require(0 < self.duration_min <= 48 * 60, "duration_min must be between 1 and 2880")
        object.__setattr__(self, "days", frozenset(self.days))
        unknown = sorted(self.days - set(WEEKDAYS))
        _require(not unknown and bool(self.days), f"days must be 'daily' or a list of {';'.join(WEEKDAYS)}")
        _require(self.fare_eur is None or self.fare_eur >= 0, "fare_eur must not be negative")
        object.__setattr__(self, "extra", _freeze(self.extra))

    def runs_on(self, day: datetime | Any) -> bool:
        """True when the sailing runs on the weekday of ``day`` (a date or datetime)."""
        return WEEKDAYS[day.weekday()] in self.days


@dataclass(frozen=True)
class KnownTravelTime:
    """A road time between two places that the dispatcher knows (``travel_times.csv``).

    ``from_id`` and ``to_id`` are school, base or port ids on one island (or both on
    the mainland); the time (and the km, when given) replaces the travel model's for
    that pair, both ways unless ``one_way``.
    """

    from_id: str
    to_id: str
    minutes: int
    km: float | None = None
    one_way: bool = False
    extra: Extra = field(default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        _check_id(self.from_id, "from_id")
        _check_id(self.to_id, "to_id")
        _require(self.from_id != self.to_id, "to_id must differ from from_id")
        _require(0 < self.minutes <= 24 * 60, "minutes must be between 1 and 1440")
        _require(self.km is None or self.km > 0, "km must be positive")
        object.__setattr__(self, "extra", _freeze(self.extra))


class ProblemError(ValueError):
    """A problem whose parts do not fit together; ``issues`` lists every finding."""

    def __init__(self, issues: list[str]) -> None:
        super().__init__("; ".join(issues))
        self.issues = issues


@dataclass(frozen=True)
class Problem:
    """Everything needed to plan: the tables of the problem folder and the policy."""

    schools: tuple[School, ...]
    bases: tuple[Base, ...]
    technicians: tuple[Technician, ...]
    tickets: tuple[Ticket, ...]
    ports: tuple[Port, ...] = ()
    sailings: tuple[Sailing, ...] = ()
    policy: Policy = field(default_factory=Policy)
    name: str = ""
    #: optional ``calendar.csv`` rows: local holidays, breaks, working days (:mod:`.calendar`).
    calendar: tuple[CalendarEntry, ...] = ()
    #: optional ``absences.csv`` rows: technicians away (leave, sick, training).
    absences: tuple[Absence, ...] = ()
    #: optional ``travel_times.csv`` rows: road times known to the dispatcher, overriding the travel model.
    travel_times: tuple[KnownTravelTime, ...] = ()

    def __post_init__(self) -> None:
        for attr in ("schools", "bases", "technicians", "tickets", "ports", "sailings"):
            object.__setattr__(self, attr, tuple(getattr(self, attr)))
        for attr in ("calendar", "absences"):
            object.__setattr__(self, attr, tuple(getattr(self, attr)))
        object.__setattr__(self, "travel_times", tuple(self.travel_times))
        issues: list[str] = []
        for kind, items, key in (
            ("school", self.schools, "school_id"),
            ("base", self.bases, "base_id"),
            ("technician", self.technicians, "technician_id"),
            ("ticket", self.tickets, "ticket_id"),
            ("port", self.ports, "port_id"),
        ):
            seen: set[str] = set()
            for item in items:
                ident = getattr(item, key)
                if ident in seen:
                    issues.append(f"duplicate {kind} id '{ident}'")
                seen.add(ident)
        school_ids = {s.school_id for s in self.schools}
        base_ids = {b.base_id for b in self.bases}
        port_ids = {p.port_id for p in self.ports}
        issues += [
            f"ticket '{t.ticket_id}' names unknown school '{t.school_id}'"
            for t in self.tickets
            if t.school_id not in school_ids
        ]
        issues += [
            f"technician '{t.technician_id}' names unknown base '{t.base_id}'"
            for t in self.technicians
            if t.base_id not in base_ids
        ]
        for sailing in self.sailings:
            issues += [
                f"sailing at {sailing.depart_min // 60:02d}:{sailing.depart_min % 60:02d} names unknown port '{p}'"
                for p in (sailing.from_port, sailing.to_port)
                if p not in port_ids
            ]
        island_of = {
            **{p.port_id: p.island for p in self.ports},
            **{b.base_id: b.island for b in self.bases},
            **{s.school_id: s.island for s in self.schools},
        }
        for known in self.travel_times:
            unknown = [i for i in (known.from_id, known.to_id) if i not in island_of]
            issues += [f"known travel time names '{i}', which is no school, base or port" for i in unknown]
            if not unknown and island_of[known.from_id] != island_of[known.to_id]:
                issues.append(
                    f"known travel time {known.from_id} → {known.to_id} crosses water: "
                    "between islands the ferry timetable decides"
                )
        if issues:
            raise ProblemError(issues)

    @cached_property
    def school_by_id(self) -> Mapping[str, School]:
        return MappingProxyType({s.school_id: s for s in self.schools})

    @cached_property
    def base_by_id(self) -> Mapping[str, Base]:
        return MappingProxyType({b.base_id: b for b in self.bases})

    @cached_property
    def technician_by_id(self) -> Mapping[str, Technician]:
        return MappingProxyType({t.technician_id: t for t in self.technicians})

    @cached_property
    def ticket_by_id(self) -> Mapping[str, Ticket]:
        return MappingProxyType({t.ticket_id: t for t in self.tickets})

    @cached_property
    def port_by_id(self) -> Mapping[str, Port]:
        return MappingProxyType({p.port_id: p for p in self.ports})

    def base_of(self, technician: Technician) -> Base:
        return self.base_by_id[technician.base_id]

    def replace(self, **changes: Any) -> Problem:
        """A copy with some fields replaced (variants never mutate a baseline)."""
        return dataclasses.replace(self, **changes)
