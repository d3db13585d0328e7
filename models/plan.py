"""The plan: routes per technician per day, unassigned tickets with reasons, KPIs.

Mirrors the plan JSON of the contract (``docs/problem-format.md``).
:func:`plan_to_dict` / :func:`plan_from_dict` are the only (de)serialisers.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from types import MappingProxyType
from typing import Any, Literal

StopType = Literal["start", "visit", "ferry", "end"]


def _iso_minute(value: datetime) -> str:
    return value.isoformat(timespec="minutes")


def _parse_instant(value: str) -> datetime:
    return datetime.fromisoformat(value)


@dataclass(frozen=True)
class Stop:
    """One stop of a route.  Which fields are set depends on ``type``:

    - ``start``: lat, lon, depart (and ``lodging``/``island`` after a night away)
    - ``visit``: school_id, ticket_ids, lat, lon, arrive, start, end
    - ``ferry``: from_port, to_port, depart, arrive
    - ``end``: lat, lon, arrive (and ``lodging``/``island`` before a night away)
    """

    type: StopType
    lat: float | None = None
    lon: float | None = None
    arrive: datetime | None = None
    start: datetime | None = None
    end: datetime | None = None
    depart: datetime | None = None
    school_id: str | None = None
    ticket_ids: tuple[str, ...] = ()
    from_port: str | None = None
    to_port: str | None = None
    lodging: bool = False
    island: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "ticket_ids", tuple(self.ticket_ids))
        required: dict[str, tuple[str, ...]] = {
            "start": ("lat", "lon", "depart"),
            "visit": ("school_id", "lat", "lon", "arrive", "start", "end"),
            "ferry": ("from_port", "to_port", "depart", "arrive"),
            "end": ("lat", "lon", "arrive"),
        }
        if self.type not in required:
            raise ValueError(f"stop type must be one of {', '.join(required)}")
        missing = [name for name in required[self.type] if getattr(self, name) is None]
        if missing:
            raise ValueError(f"{self.type} stop lacks {', '.join(missing)}")
        if self.type == "visit" and not self.ticket_ids:
            raise ValueError("a visit serves at least one ticket")

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"type": self.type}
        if self.type == "visit":
            out["school_id"] = self.school_id
            out["ticket_ids"] = list(self.ticket_ids)
        if self.type == "ferry":
            out["from_port"] = self.from_port
            out["to_port"] = self.to_port
        if self.lat is not None and self.lon is not None:
            out["lat"] = round(self.lat, 6)
            out["lon"] = round(self.lon, 6)
        for name in ("arrive", "start", "end", "depart"):
            value = getattr(self, name)
            if value is not None:
                out[name] = _iso_minute(value)
        if self.lodging:
            out["lodging"] = True
            out["island"] = self.island or ""
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Stop:
        instants = {k: _parse_instant(data[k]) for k in ("arrive", "start", "end", "depart") if data.get(k)}
        return cls(
            type=data["type"],
            lat=data.get("lat"),
            lon=data.get("lon"),
            school_id=data.get("school_id"),
            ticket_ids=tuple(data.get("ticket_ids", ())),
            from_port=data.get("from_port"),
            to_port=data.get("to_port"),
            lodging=bool(data.get("lodging", False)),
            island=data.get("island"),
            **instants,
        )


@dataclass(frozen=True)
class LunchBreak:
    """A route's lunch break: when it starts and ends (the ``lunch_break`` policy)."""

    start: datetime
    end: datetime

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError("a lunch break ends before it starts")

    @property
    def minutes(self) -> float:
        return (self.end - self.start).total_seconds() / 60.0

    def to_dict(self) -> dict[str, str]:
        return {"start": _iso_minute(self.start), "end": _iso_minute(self.end)}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> LunchBreak:
        return cls(_parse_instant(data["start"]), _parse_instant(data["end"]))


@dataclass(frozen=True)
class Route:
    """One technician's working day."""

    technician_id: str
    date: date
    stops: tuple[Stop, ...]
    distance_km: float
    travel_minutes: int
    cost_eur: float
    costs: Mapping[str, float] = field(default_factory=dict)
    #: minutes the route ends after the technician's shift ends (overtime; 0: within the shift).
    overtime_min: int = 0
    #: the lunch break, when the policy asks for one (None: none taken).
    lunch_break: LunchBreak | None = None

    def __post_init__(self) -> None:
        if self.overtime_min < 0:
            raise ValueError("overtime_min must not be negative")
        object.__setattr__(self, "stops", tuple(self.stops))
        object.__setattr__(self, "costs", MappingProxyType(dict(self.costs)))

    @property
    def visits(self) -> tuple[Stop, ...]:
        return tuple(s for s in self.stops if s.type == "visit")

    @property
    def ticket_ids(self) -> tuple[str, ...]:
        return tuple(t for s in self.visits for t in s.ticket_ids)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "technician_id": self.technician_id,
            "date": self.date.isoformat(),
            "stops": [s.to_dict() for s in self.stops],
            "distance_km": round(self.distance_km, 1),
            "travel_minutes": self.travel_minutes,
            "cost_eur": round(self.cost_eur, 2),
        }
        if self.costs:
            out["costs"] = {k: round(v, 2) for k, v in self.costs.items()}
        if self.overtime_min:
            out["overtime_min"] = self.overtime_min
        if self.lunch_break is not None:
            out["lunch_break"] = self.lunch_break.to_dict()
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Route:
        return cls(
            technician_id=data["technician_id"],
            date=date.fromisoformat(data["date"]),
            stops=tuple(Stop.from_dict(s) for s in data["stops"]),
            distance_km=float(data["distance_km"]),
            travel_minutes=int(data["travel_minutes"]),
            cost_eur=float(data.get("cost_eur", 0.0)),
            costs=dict(data.get("costs", {})),
            overtime_min=int(data.get("overtime_min", 0)),
            lunch_break=LunchBreak.from_dict(data["lunch_break"]) if data.get("lunch_break") else None,
        )


def overtime_minutes(route: Route, shift_end_min: int, crossing_min: int = 0) -> int:
    """Whole minutes the route's end comes after ``shift_end_min`` (minutes of the day); 0 when within.

    A route that ends lodging away may land there up to ``crossing_min`` later (the policy's
    ``crossing_outside_shift_min``: a trip's evening crossing), which is not overtime.
    """
    last = route.stops[-1] if route.stops else None
    arrive = last.arrive if last is not None and last.type == "end" else None
    if arrive is None or last is None or arrive.date() != route.date:
        return 0
    grace = crossing_min if last.lodging else 0
    return max(0, arrive.hour * 60 + arrive.minute - shift_end_min - grace)


@dataclass(frozen=True)
class Unassigned:
    """A ticket that needs a visit but got none, and why (in words a dispatcher can act on)."""

    ticket_id: str
    reason: str
    #: machine-readable reason: no_skill, no_4x4, water, hours, km_cap, capacity, ferry
    code: str = "capacity"

    def to_dict(self) -> dict[str, Any]:
        return {"ticket_id": self.ticket_id, "reason": self.reason, "code": self.code}


@dataclass(frozen=True)
class Plan:
    """The answer: routes, unassigned tickets, tickets triaged away, and KPIs."""

    dates: tuple[date, ...]
    routes: tuple[Route, ...]
    unassigned: tuple[Unassigned, ...] = ()
    remote: tuple[str, ...] = ()
    vendor: tuple[str, ...] = ()
    kpis: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for name in ("dates", "routes", "unassigned", "remote", "vendor"):
            object.__setattr__(self, name, tuple(getattr(self, name)))
        object.__setattr__(self, "kpis", MappingProxyType(dict(self.kpis)))

    @property
    def visited_ticket_ids(self) -> tuple[str, ...]:
        return tuple(t for r in self.routes for t in r.ticket_ids)

    def to_dict(self) -> dict[str, Any]:
        return {
            "dates": [d.isoformat() for d in self.dates],
            "routes": [r.to_dict() for r in self.routes],
            "unassigned": [u.to_dict() for u in self.unassigned],
            "remote": list(self.remote),
            "vendor": list(self.vendor),
            "kpis": dict(self.kpis),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Plan:
        return cls(
            dates=tuple(date.fromisoformat(d) for d in data["dates"]),
            routes=tuple(Route.from_dict(r) for r in data["routes"]),
            unassigned=tuple(
                Unassigned(u["ticket_id"], u.get("reason", ""), u.get("code", "capacity"))
                for u in data.get("unassigned", ())
            ),
            remote=tuple(data.get("remote", ())),
            vendor=tuple(data.get("vendor", ())),
            kpis=dict(data.get("kpis", {})),
        )
