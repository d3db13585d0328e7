"""What-if scenarios: the baseline problem plus named changes, written in YAML or JSON.

A scenario file (see ``examples/scenarios.yaml`` and ``docs/scenarios.md``)::

    problem: sample                 # or a problem folder / .json / .xlsx, relative to this file
    start: 2026-11-23               # first simulated working day (optional)
    reference: baseline             # the scenario the others are compared with (default: the first)
    arrivals: {model: fitted, tickets_per_day: 22}
    scenarios:
      - name: baseline
      - name: one technician fewer
        changes:
          - remove_technician: T05
      - name: ferry strike
        changes:
          - ferry_strike: {days: [3, 4, 5]}

Each change is a mapping with one key, its kind (:data:`CHANGE_KINDS`):

- ``add_technician``: a new technician (``technician_id``, ``base_id``, ``skills`` ... or
  ``like: T05`` to copy another one's base, skills, shift and employer);
- ``remove_technician``: one id or a list of ids;
- ``move_base``: ``base_id``, ``lat``, ``lon`` (and ``island``); the new place must lie
  within :data:`MAX_BASE_DISTANCE_KM` of a school or port of that island (or of the
  mainland), else it is "off the map";
- ``change_skills``: ``technician_id`` with ``set``, ``add`` and/or ``remove`` lists;
- ``house_partners``: partner bodies' technicians housed ``at: centre`` (option A.1,
  at the KE.PLI.NE.T. base nearest their partner's site, or ``base_id``) or
  ``at: partner_site`` (option A.2), all of them or the ``technicians`` listed;
- ``scale_tickets``: the daily ticket arrivals times a factor (``2`` doubles them);
- ``ferry_strike``: no sailing on the given ``dates`` / ``days`` on the given ``routes``
  (``"JSY-JNX"`` or ``[JSY, JNX]``, both directions unless ``both_directions: false``;
  every route when ``routes`` is left out);
- ``winter_closure``: schools of the given ``terrain`` (default ``mountainous``) and/or the
  listed ``schools`` cannot be reached on the given ``dates`` / ``days``: their tickets are
  held back those days with the reason "closed by snow on <date>";
- ``policy``: fields of ``policy.json`` overridden (mappings such as
  ``priority_value_eur`` are merged).

``dates`` are ISO dates or inclusive ranges ``2026-12-01..2026-12-04``; ``days`` are working
days of the simulated horizon counted from 1 (``3`` or ``"3..5"``).  Dates outside the
horizon have no effect.

Every change is checked against the problem as changed so far; every finding of every
scenario is reported at once in a :class:`ScenarioError`, each naming the scenario and the
change, e.g. ``scenario 'fewer', change 1 (remove_technician): unknown technician 'T99'``.
"""

from __future__ import annotations

import dataclasses
import json
import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from os import PathLike
from pathlib import Path
from typing import Any, ClassVar, Final

from dromologio.models import Base, Policy, Problem, Sailing, Technician
from dromologio.models.vocab import SKILLS, TERRAINS

__all__ = [
    "ARRIVAL_MODELS",
    "CHANGE_KINDS",
    "MAX_BASE_DISTANCE_KM",
    "AddTechnician",
    "ArrivalSettings",
    "Change",
    "ChangeSkills",
    "DaySelection",
    "FerryStrike",
    "HousePartners",
    "MoveBase",
    "PolicyChange",
    "PreparedScenario",
    "RemoveTechnicians",
    "ScaleTickets",
    "Scenario",
    "ScenarioError",
    "ScenarioSet",
    "WinterClosure",
    "load_baseline",
    "load_scenarios",
    "parse_change",
    "parse_scenarios",
    "prepare_scenario",
    "prepare_scenarios",
]

#: a moved base farther than this from every school and port (of its island) is off the map.
MAX_BASE_DISTANCE_KM: Final = 50.0
#: ways of drawing daily ticket arrivals (see :mod:`dromologio.dispatch.simulate`).
ARRIVAL_MODELS: Final = ("fitted", "history")
_EARTH_RADIUS_KM: Final = 6371.0


class ScenarioError(ValueError):
    """Scenarios that cannot be run; ``issues`` lists every finding, one line each."""

    def __init__(self, issues: Sequence[str]) -> None:
        super().__init__("\n".join(issues))
        self.issues = list(issues)


class _ChangeError(ValueError):
    """One finding about one change (the caller adds the scenario and the change)."""


# --------------------------------------------------------------------------- small parsers


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * _EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def _fields(kind: str, data: Mapping[str, Any], known: Sequence[str], required: Sequence[str] = ()) -> None:
    unknown = sorted(str(k) for k in data if k not in known)
    if unknown:
        raise _ChangeError(f"unknown field(s) {', '.join(unknown)} for {kind}; known: {', '.join(known)}")
    missing = [k for k in required if k not in data]
    if missing:
        raise _ChangeError(f"{kind} needs {', '.join(missing)}")


def _mapping(kind: str, value: Any) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise _ChangeError(f"{kind} takes a mapping of fields, not {value!r}")
    return value


def _text(value: Any, name: str) -> str:
    if not isinstance(value, str | int) or isinstance(value, bool) or not str(value).strip():
        raise _ChangeError(f"{name} must be a non-empty text, not {value!r}")
    return str(value).strip()


def _texts(value: Any, name: str) -> tuple[str, ...]:
    if isinstance(value, str):
        items: Iterable[Any] = [v for v in value.split(";") if v.strip()]
    elif isinstance(value, Sequence):
        items = value
    else:
        raise _ChangeError(f"{name} must be a list (or a ';'-list), not {value!r}")
    return tuple(_text(v, name) for v in items)


def _number(value: Any, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise _ChangeError(f"{name} must be a number, not {value!r}")
    return float(value)


def _flag(value: Any, name: str) -> bool:
    if not isinstance(value, bool):
        raise _ChangeError(f"{name} must be true or false, not {value!r}")
    return value


def _skills(value: Any, name: str) -> frozenset[str]:
    skills = frozenset(_texts(value, name))
    unknown = sorted(skills - set(SKILLS))
    if unknown:
        raise _ChangeError(f"{name}: {', '.join(unknown)} not among the skills {', '.join(SKILLS)}")
    return skills


_TIME = re.compile(r"(\d{1,2}):(\d{2})")


def _time(value: Any, name: str) -> int:
    match = _TIME.fullmatch(str(value).strip())
    if match is None or int(match[2]) >= 60 or int(match[1]) * 60 + int(match[2]) > 24 * 60:
        raise _ChangeError(f"{name} must be a time HH:MM, not {value!r}")
    return int(match[1]) * 60 + int(match[2])


def _day(value: Any, name: str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise _ChangeError(f"{name}: {value!r} is not a date YYYY-MM-DD") from None


def _known(kind: str, value: str, known: Iterable[str]) -> str:
    names = sorted(known)
    if value not in names:
        shown = ", ".join(names[:12]) + (" ..." if len(names) > 12 else "")
        raise _ChangeError(f"unknown {kind} '{value}' (known: {shown})")
    return value


# --------------------------------------------------------------------------- dates


@dataclass(frozen=True)
class DaySelection:
    """Calendar ``dates`` and/or working ``days`` of the horizon (1 = the first simulated day)."""

    dates: tuple[date, ...] = ()
    days: tuple[int, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "dates", tuple(sorted(set(self.dates))))
        object.__setattr__(self, "days", tuple(sorted(set(self.days))))
        if any(d < 1 for d in self.days):
            raise _ChangeError("days are counted from 1 (the first simulated working day)")
        if not self.dates and not self.days:
            raise _ChangeError("give the dates (YYYY-MM-DD or A..B) or the days (1, 2, ... or 'A..B')")

    @classmethod
    def parse(cls, data: Mapping[str, Any]) -> DaySelection:
        dates: list[date] = []
        for item in _as_list(data.get("dates", ())):
            text = str(item).strip() if not isinstance(item, date) else ""
            if ".." in text:
                first, last = (_day(part, "dates") for part in text.split("..", 1))
                if last < first:
                    raise _ChangeError(f"dates: the range {text} ends before it starts")
                dates += [first + timedelta(days=n) for n in range((last - first).days + 1)]
            else:
                dates.append(_day(item, "dates"))
        days: list[int] = []
        for item in _as_list(data.get("days", ())):
            if isinstance(item, str) and ".." in item:
                first_s, last_s = item.split("..", 1)
                if not (first_s.strip().isdigit() and last_s.strip().isdigit()):
                    raise _ChangeError(f"days: {item!r} is not a range of day numbers such as '3..5'")
                days += list(range(int(first_s), int(last_s) + 1))
            elif isinstance(item, int) and not isinstance(item, bool):
                days.append(item)
            else:
                raise _ChangeError(f"days: {item!r} is not a day number (1 = first simulated day) or 'A..B'")
        return cls(tuple(dates), tuple(days))

    def resolve(self, horizon: Sequence[date]) -> frozenset[date]:
        """The dates of ``horizon`` selected (days past its end select nothing)."""
        chosen = set(self.dates) & set(horizon)
        chosen.update(horizon[d - 1] for d in self.days if d <= len(horizon))
        return frozenset(chosen)

    def describe(self) -> str:
        parts = ["days " + _runs(self.days, str)] if self.days else []
        if self.dates:
            parts.append(
                _runs([d.toordinal() for d in self.dates], lambda n: date.fromordinal(n).isoformat())
            )
        return "; ".join(parts)


def _as_list(value: Any) -> list[Any]:
    if isinstance(value, str | int | date) and not isinstance(value, bool):
        return [value]
    if isinstance(value, Sequence):
        return list(value)
    raise _ChangeError(f"expected a list, not {value!r}")


def _runs(numbers: Sequence[int], label: Callable[[int], str]) -> str:
    """Sorted numbers as runs: ``1–3, 5``."""
    runs: list[list[int]] = []
    for number in numbers:
        if runs and number == runs[-1][-1] + 1:
            runs[-1].append(number)
        else:
            runs.append([number])
    return ", ".join(label(r[0]) if len(r) == 1 else f"{label(r[0])} – {label(r[-1])}" for r in runs)


# --------------------------------------------------------------------------- changes


@dataclass(frozen=True)
class Change:
    """One change of a scenario.  Subclasses set ``kind`` and implement :meth:`apply`."""

    kind: ClassVar[str] = ""

    def apply(self, problem: Problem, baseline: Problem) -> Problem:
        """The problem with this change made (dated changes leave it as it is)."""
        return problem

    def describe(self) -> str:
        return self.kind


@dataclass(frozen=True)
class AddTechnician(Change):
    """A technician more, with every column of ``technicians.csv``."""

    kind: ClassVar[str] = "add_technician"
    technician: Technician

    @classmethod
    def parse(cls, value: Any, problem: Problem) -> AddTechnician:
        data = _mapping(cls.kind, value)
        known = (
            "technician_id",
            "name",
            "like",
            "base_id",
            "skills",
            "employer",
            "shift_start",
            "shift_end",
            "max_km_per_day",
            "has_4x4",
            "cost_per_km",
        )
        _fields(cls.kind, data, known, ("technician_id",))
        ident = _text(data["technician_id"], "technician_id")
        like: Technician | None = None
        if "like" in data:
            like = problem.technician_by_id[
                _known("technician", _text(data["like"], "like"), problem.technician_by_id)
            ]
        values: dict[str, Any] = {"technician_id": ident, "name": _text(data.get("name", ident), "name")}
        if like is None and not {"base_id", "skills"} <= set(data):
            raise _ChangeError("add_technician needs base_id and skills (or like: <technician_id> to copy)")
        if "base_id" in data:
            values["base_id"] = _known("base", _text(data["base_id"], "base_id"), problem.base_by_id)
        if "skills" in data:
            values["skills"] = _skills(data["skills"], "skills")
            if not values["skills"]:
                raise _ChangeError("skills must name at least one skill")
        if "employer" in data:
            values["employer"] = _text(data["employer"], "employer")
        elif like is None:
            values["employer"] = _employer_at(problem, values["base_id"])
        for name, attr in (("shift_start", "shift_start_min"), ("shift_end", "shift_end_min")):
            if name in data:
                values[attr] = _time(data[name], name)
        for name in ("max_km_per_day", "cost_per_km"):
            if name in data:
                values[name] = None if data[name] is None else _number(data[name], name)
        if "has_4x4" in data:
            values["has_4x4"] = _flag(data["has_4x4"], "has_4x4")
        try:
            # A copy keeps every column of the technician copied (extra columns included).
            return cls(dataclasses.replace(like, **values) if like is not None else Technician(**values))
        except (TypeError, ValueError) as error:
            raise _ChangeError(str(error)) from None

    def apply(self, problem: Problem, baseline: Problem) -> Problem:
        ident = self.technician.technician_id
        if ident in problem.technician_by_id:
            raise _ChangeError(f"technician '{ident}' already exists")
        _known("base", self.technician.base_id, problem.base_by_id)
        return problem.replace(technicians=(*problem.technicians, self.technician))

    def describe(self) -> str:
        t = self.technician
        return f"add technician {t.technician_id} at {t.base_id} ({', '.join(s for s in SKILLS if s in t.skills)})"


def _employer_at(problem: Problem, base_id: str) -> str:
    for technician in problem.technicians:
        if technician.base_id == base_id:
            return technician.employer
    return problem.base_by_id[base_id].name


@dataclass(frozen=True)
class RemoveTechnicians(Change):
    kind: ClassVar[str] = "remove_technician"
    technician_ids: tuple[str, ...]

    @classmethod
    def parse(cls, value: Any, problem: Problem) -> RemoveTechnicians:
        if isinstance(value, Mapping):
            _fields(cls.kind, value, ("technician_id", "technician_ids"))
            value = value.get("technician_ids", value.get("technician_id"))
        ids = _texts(value, "technician_id") if value is not None else ()
        if not ids:
            raise _ChangeError("remove_technician needs a technician id (or a list of them)")
        return cls(ids)

    def apply(self, problem: Problem, baseline: Problem) -> Problem:
        for ident in self.technician_ids:
            _known("technician", ident, problem.technician_by_id)
        gone = set(self.technician_ids)
        return problem.replace(
            technicians=tuple(t for t in problem.technicians if t.technician_id not in gone)
        )

    def describe(self) -> str:
        return f"remove technician {', '.join(self.technician_ids)}"


@dataclass(frozen=True)
class MoveBase(Change):
    """A base at a new place; ``island`` None = the island of the nearest school or port."""

    kind: ClassVar[str] = "move_base"
    base_id: str
    lat: float
    lon: float
    island: str | None = None

    @classmethod
    def parse(cls, value: Any, problem: Problem) -> MoveBase:
        data = _mapping(cls.kind, value)
        _fields(cls.kind, data, ("base_id", "lat", "lon", "island"), ("base_id", "lat", "lon"))
        island = None if data.get("island") is None else str(data["island"]).strip()
        return cls(
            _text(data["base_id"], "base_id"),
            _number(data["lat"], "lat"),
            _number(data["lon"], "lon"),
            island,
        )

    def apply(self, problem: Problem, baseline: Problem) -> Problem:
        base = problem.base_by_id[_known("base", self.base_id, problem.base_by_id)]
        if not (-90.0 <= self.lat <= 90.0 and -180.0 <= self.lon <= 180.0):
            raise _ChangeError(f"({self.lat}, {self.lon}) is out of range: lat -90..90, lon -180..180")
        places = [(s.lat, s.lon, s.island) for s in problem.schools] + [
            (p.lat, p.lon, p.island) for p in problem.ports
        ]
        if not places:
            raise _ChangeError("the problem has no schools or ports to place a base against")
        islands = {island for _, _, island in places}
        if self.island is not None and self.island not in islands:
            known = ", ".join(sorted(i for i in islands if i))
            raise _ChangeError(f"unknown island '{self.island}' (known: mainland '' and {known})")
        nearest_km, island = min(
            (_km(self.lat, self.lon, lat, lon), isle)
            for lat, lon, isle in places
            if self.island is None or isle == self.island
        )
        where = self.island if self.island is not None else island
        if nearest_km > MAX_BASE_DISTANCE_KM:
            region = f"on {where}" if where else "on the mainland"
            raise _ChangeError(
                f"({self.lat}, {self.lon}) is off the map: {nearest_km:.0f} km from the nearest school or port "
                f"{region} (at most {MAX_BASE_DISTANCE_KM:.0f} km)"
            )
        if where and not any(p.island == where for p in problem.ports):
            raise _ChangeError(f"no port on {where}: technicians based there could never leave it")
        moved = dataclasses.replace(base, lat=self.lat, lon=self.lon, island=where)
        return problem.replace(bases=tuple(moved if b.base_id == self.base_id else b for b in problem.bases))

    def describe(self) -> str:
        return f"move base {self.base_id} to ({self.lat:.4f}, {self.lon:.4f})"


@dataclass(frozen=True)
class ChangeSkills(Change):
    kind: ClassVar[str] = "change_skills"
    technician_id: str
    set_to: frozenset[str] | None = None
    add: frozenset[str] = frozenset()
    remove: frozenset[str] = frozenset()

    @classmethod
    def parse(cls, value: Any, problem: Problem) -> ChangeSkills:
        data = _mapping(cls.kind, value)
        _fields(cls.kind, data, ("technician_id", "set", "add", "remove"), ("technician_id",))
        if not {"set", "add", "remove"} & set(data):
            raise _ChangeError("change_skills needs set, add or remove")
        return cls(
            _text(data["technician_id"], "technician_id"),
            _skills(data["set"], "set") if "set" in data else None,
            _skills(data.get("add", ()), "add"),
            _skills(data.get("remove", ()), "remove"),
        )

    def apply(self, problem: Problem, baseline: Problem) -> Problem:
        technician = problem.technician_by_id[
            _known("technician", self.technician_id, problem.technician_by_id)
        ]
        skills = (technician.skills if self.set_to is None else self.set_to) | self.add
        skills -= self.remove
        if not skills:
            raise _ChangeError(f"technician '{self.technician_id}' would be left without any skill")
        changed = dataclasses.replace(technician, skills=skills)
        return problem.replace(
            technicians=tuple(
                changed if t.technician_id == self.technician_id else t for t in problem.technicians
            )
        )

    def describe(self) -> str:
        parts = []
        if self.set_to is not None:
            parts.append("= " + ", ".join(sorted(self.set_to)))
        if self.add:
            parts.append("+ " + ", ".join(sorted(self.add)))
        if self.remove:
            parts.append("− " + ", ".join(sorted(self.remove)))
        return f"skills of {self.technician_id} {' '.join(parts)}"


HOUSING: Final = ("centre", "partner_site")


@dataclass(frozen=True)
class HousePartners(Change):
    """Partner bodies' technicians housed at the KE.PLI.NE.T. centre (A.1) or at their partner's site (A.2).

    A partner technician works for an employer whose technicians are based at a base of kind
    ``partner`` in the baseline; that base is the partner's site.  The centre is ``base_id``
    when given, else the ``keplinet`` base nearest the partner's site on the same island.
    """

    kind: ClassVar[str] = "house_partners"
    at: str
    technician_ids: tuple[str, ...] = ()
    base_id: str | None = None

    @classmethod
    def parse(cls, value: Any, problem: Problem) -> HousePartners:
        data = _mapping(cls.kind, value)
        _fields(cls.kind, data, ("at", "technicians", "base_id"), ("at",))
        at = str(data["at"]).strip()
        if at not in HOUSING:
            raise _ChangeError(
                f"at must be one of {', '.join(HOUSING)} (A.1 centre, A.2 partner site), not {at!r}"
            )
        ids = _texts(data["technicians"], "technicians") if "technicians" in data else ()
        base_id = _text(data["base_id"], "base_id") if data.get("base_id") is not None else None
        if base_id is not None and at != "centre":
            raise _ChangeError("base_id is for at: centre (the partner's site is known from the baseline)")
        return cls(at, ids, base_id)

    def apply(self, problem: Problem, baseline: Problem) -> Problem:
        sites = _partner_sites(baseline)
        if not sites:
            raise _ChangeError(
                "the baseline has no partner technicians (no technicians at a base of kind partner)"
            )
        for ident in self.technician_ids:
            technician = problem.technician_by_id[_known("technician", ident, problem.technician_by_id)]
            if technician.employer not in sites:
                raise _ChangeError(
                    f"technician '{ident}' works for {technician.employer}, not for a partner body "
                    f"({', '.join(sorted(sites))})"
                )
        chosen = set(self.technician_ids)
        moved: list[Technician] = []
        for technician in problem.technicians:
            site = sites.get(technician.employer)
            if site is None or (chosen and technician.technician_id not in chosen):
                moved.append(technician)
                continue
            target = site if self.at == "partner_site" else self._centre(problem, problem.base_by_id[site])
            moved.append(dataclasses.replace(technician, base_id=target))
        return problem.replace(technicians=tuple(moved))

    def _centre(self, problem: Problem, site: Base) -> str:
        if self.base_id is not None:
            base = problem.base_by_id[_known("base", self.base_id, problem.base_by_id)]
            if base.kind != "keplinet":
                raise _ChangeError(f"base '{self.base_id}' is a {base.kind} base, not a KE.PLI.NE.T. centre")
            return base.base_id
        centres = [b for b in problem.bases if b.kind == "keplinet" and b.island == site.island]
        if not centres:
            raise _ChangeError(
                f"no KE.PLI.NE.T. base on {site.island or 'the mainland'} near {site.name}; give base_id"
            )
        return min(centres, key=lambda b: (_km(site.lat, site.lon, b.lat, b.lon), b.base_id)).base_id

    def describe(self) -> str:
        who = ", ".join(self.technician_ids) if self.technician_ids else "all partner technicians"
        where = "at the KE.PLI.NE.T. centre (A.1)" if self.at == "centre" else "at the partner's site (A.2)"
        return f"house {who} {where}"


def _partner_sites(baseline: Problem) -> dict[str, str]:
    """Employer -> base id of its partner site, from where the baseline houses its technicians."""
    sites: dict[str, str] = {}
    for technician in baseline.technicians:
        base = baseline.base_by_id[technician.base_id]
        if base.kind == "partner":
            sites.setdefault(technician.employer, base.base_id)
    return sites


@dataclass(frozen=True)
class ScaleTickets(Change):
    kind: ClassVar[str] = "scale_tickets"
    factor: float

    @classmethod
    def parse(cls, value: Any, problem: Problem) -> ScaleTickets:
        if isinstance(value, Mapping):
            _fields(cls.kind, value, ("factor",), ("factor",))
            value = value["factor"]
        factor = _number(value, "factor")
        if not 0.0 < factor <= 20.0:
            raise _ChangeError(f"factor must be above 0 and at most 20, not {factor:g}")
        return cls(factor)

    def describe(self) -> str:
        return f"ticket arrivals ×{self.factor:g}"


@dataclass(frozen=True)
class FerryStrike(Change):
    """No sailing on the selected days on ``routes`` (port pairs; empty = every route)."""

    kind: ClassVar[str] = "ferry_strike"
    when: DaySelection
    routes: tuple[tuple[str, str], ...] = ()
    both_directions: bool = True

    @classmethod
    def parse(cls, value: Any, problem: Problem) -> FerryStrike:
        data = _mapping(cls.kind, value)
        _fields(cls.kind, data, ("dates", "days", "routes", "both_directions"))
        routes: list[tuple[str, str]] = []
        raw = data.get("routes", "all")
        if raw != "all":
            for item in _as_list(raw):
                ports = [p.strip() for p in item.split("-")] if isinstance(item, str) else list(item)
                if len(ports) != 2 or not all(isinstance(p, str) and p for p in ports):
                    raise _ChangeError(f"routes: {item!r} is not a pair of port ids such as 'JSY-JNX'")
                routes.append((ports[0], ports[1]))
        both = _flag(data.get("both_directions", True), "both_directions")
        return cls(DaySelection.parse(data), tuple(routes), both)

    def apply(self, problem: Problem, baseline: Problem) -> Problem:
        if not problem.sailings:
            raise _ChangeError("the problem has no ferry timetable to strike")
        for origin, destination in self.routes:
            _known("port", origin, problem.port_by_id)
            _known("port", destination, problem.port_by_id)
            if not any(
                self.stops(s) and {s.from_port, s.to_port} == {origin, destination} for s in problem.sailings
            ):
                raise _ChangeError(f"no sailing from {origin} to {destination} in the timetable")
        return problem

    def stops(self, sailing: Sailing) -> bool:
        """True when the strike cancels ``sailing`` (on its dates)."""
        if not self.routes:
            return True
        pair = (sailing.from_port, sailing.to_port)
        return pair in self.routes or (self.both_directions and (pair[1], pair[0]) in self.routes)

    def describe(self) -> str:
        routes = ", ".join(f"{a}–{b}" for a, b in self.routes) if self.routes else "every route"
        return f"ferry strike on {self.when.describe()} ({routes})"


@dataclass(frozen=True)
class WinterClosure(Change):
    """Schools of ``terrain`` (and the listed ``school_ids``) unreachable on the selected days."""

    kind: ClassVar[str] = "winter_closure"
    when: DaySelection
    terrain: tuple[str, ...] = ("mountainous",)
    school_ids: tuple[str, ...] = ()

    @classmethod
    def parse(cls, value: Any, problem: Problem) -> WinterClosure:
        data = _mapping(cls.kind, value)
        _fields(cls.kind, data, ("dates", "days", "terrain", "schools"))
        schools = _texts(data["schools"], "schools") if "schools" in data else ()
        default_terrain: tuple[str, ...] = () if schools else ("mountainous",)
        terrain = _texts(data["terrain"], "terrain") if "terrain" in data else default_terrain
        unknown = sorted(set(terrain) - set(TERRAINS))
        if unknown:
            raise _ChangeError(f"terrain {', '.join(unknown)} not among {', '.join(TERRAINS)}")
        return cls(DaySelection.parse(data), terrain, schools)

    def apply(self, problem: Problem, baseline: Problem) -> Problem:
        for ident in self.school_ids:
            _known("school", ident, problem.school_by_id)
        if not self.closed(problem):
            raise _ChangeError(f"no school has terrain {', '.join(self.terrain)}")
        return problem

    def closed(self, problem: Problem) -> frozenset[str]:
        listed = set(self.school_ids)
        return frozenset(
            s.school_id for s in problem.schools if s.terrain in self.terrain or s.school_id in listed
        )

    def describe(self) -> str:
        what = [f"{', '.join(self.terrain)} schools"] if self.terrain else []
        if self.school_ids:
            what.append(", ".join(self.school_ids))
        return f"winter closure of {' and '.join(what)} on {self.when.describe()}"


@dataclass(frozen=True)
class PolicyChange(Change):
    kind: ClassVar[str] = "policy"
    fields: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def parse(cls, value: Any, problem: Problem) -> PolicyChange:
        data = _mapping(cls.kind, value)
        _fields(cls.kind, data, Policy.field_names())
        if not data:
            raise _ChangeError("policy needs at least one field")
        return cls(dict(data))

    def apply(self, problem: Problem, baseline: Problem) -> Problem:
        values = problem.policy.to_dict()
        for name, value in self.fields.items():
            current = values.get(name)
            if isinstance(current, Mapping) and isinstance(value, Mapping):
                values[name] = {**current, **value}
            else:
                values[name] = value
        try:
            return problem.replace(policy=Policy.from_dict(values))
        except (TypeError, ValueError) as error:
            raise _ChangeError(f"invalid policy: {error}") from None

    def describe(self) -> str:
        return "policy " + ", ".join(
            f"{k} = {json.dumps(v, ensure_ascii=False)}" for k, v in self.fields.items()
        )


_PARSERS: Final[Mapping[str, Any]] = {
    c.kind: c
    for c in (
        AddTechnician,
        RemoveTechnicians,
        MoveBase,
        ChangeSkills,
        HousePartners,
        ScaleTickets,
        FerryStrike,
        WinterClosure,
        PolicyChange,
    )
}
#: the kinds of change a scenario may make, in the order of the documentation.
CHANGE_KINDS: Final = tuple(_PARSERS)


def parse_change(data: Any, problem: Problem) -> Change:
    """One change from its file form ``{kind: fields}`` (raises ``ValueError`` naming the fault)."""
    if not isinstance(data, Mapping) or len(data) != 1:
        raise _ChangeError(
            f"a change is a mapping with one key, its kind ({', '.join(CHANGE_KINDS)}); got {data!r}"
        )
    ((kind, value),) = data.items()
    parser = _PARSERS.get(str(kind))
    if parser is None:
        raise _ChangeError(f"unknown change '{kind}' (known: {', '.join(CHANGE_KINDS)})")
    change: Change = parser.parse(value, problem)
    return change


# --------------------------------------------------------------------------- scenarios


@dataclass(frozen=True)
class Scenario:
    """The baseline with ``changes`` made in order."""

    name: str
    changes: tuple[Change, ...] = ()
    description: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "changes", tuple(self.changes))
        if not self.name or self.name != self.name.strip():
            raise ValueError("a scenario needs a name without surrounding spaces")

    def describe(self) -> str:
        return "; ".join(c.describe() for c in self.changes) or "no change (baseline)"


@dataclass(frozen=True)
class PreparedScenario:
    """A scenario made concrete for a horizon: its problem and what changes day by day.

    ``problem`` holds the baseline's tickets (the open backlog on the first day).
    """

    name: str
    problem: Problem
    horizon: tuple[date, ...]
    ticket_scale: float = 1.0
    strikes: tuple[tuple[date, FerryStrike], ...] = ()
    closures: tuple[tuple[date, frozenset[str]], ...] = ()
    description: str = ""

    def sailings_on(self, day: date) -> tuple[Sailing, ...]:
        """The timetable of ``day``: the problem's sailings less those a strike cancels."""
        strikes = [s for d, s in self.strikes if d == day]
        return tuple(s for s in self.problem.sailings if not any(strike.stops(s) for strike in strikes))

    def closed_on(self, day: date) -> frozenset[str]:
        """Schools that cannot be reached on ``day`` (winter closures)."""
        closed: set[str] = set()
        for d, schools in self.closures:
            if d == day:
                closed |= schools
        return frozenset(closed)


def prepare_scenario(baseline: Problem, scenario: Scenario, horizon: Sequence[date]) -> PreparedScenario:
    """Make the scenario's changes; raises :class:`ScenarioError` naming every faulty change."""
    issues: list[str] = []
    problem = baseline
    scale = 1.0
    strikes: list[tuple[date, FerryStrike]] = []
    closures: list[tuple[date, frozenset[str]]] = []
    for number, change in enumerate(scenario.changes, start=1):
        try:
            problem = change.apply(problem, baseline)
        except ValueError as error:
            issues.append(f"scenario '{scenario.name}', change {number} ({change.kind}): {error}")
            continue
        if isinstance(change, ScaleTickets):
            scale *= change.factor
        elif isinstance(change, FerryStrike):
            strikes += [(day, change) for day in sorted(change.when.resolve(horizon))]
        elif isinstance(change, WinterClosure):
            schools = change.closed(problem)
            closures += [(day, schools) for day in sorted(change.when.resolve(horizon))]
    if issues:
        raise ScenarioError(issues)
    return PreparedScenario(
        name=scenario.name,
        problem=problem,
        horizon=tuple(horizon),
        ticket_scale=scale,
        strikes=tuple(strikes),
        closures=tuple(closures),
        description=scenario.describe(),
    )


def prepare_scenarios(
    baseline: Problem, scenarios: Sequence[Scenario], horizon: Sequence[date]
) -> tuple[PreparedScenario, ...]:
    """Every scenario prepared, or one :class:`ScenarioError` with the findings of all of them."""
    issues: list[str] = []
    names = [s.name for s in scenarios]
    issues += [
        f"scenario '{n}' is named more than once" for n in sorted({n for n in names if names.count(n) > 1})
    ]
    if not scenarios:
        issues.append("there is no scenario to run")
    prepared: list[PreparedScenario] = []
    for scenario in scenarios:
        try:
            prepared.append(prepare_scenario(baseline, scenario, horizon))
        except ScenarioError as error:
            issues += error.issues
    if issues:
        raise ScenarioError(issues)
    return tuple(prepared)


# --------------------------------------------------------------------------- files


@dataclass(frozen=True)
class ArrivalSettings:
    """How new tickets arrive each day (see :mod:`dromologio.dispatch.simulate`).

    ``model``: ``fitted`` draws from a generator fitted to ``history`` (rates per school,
    category, priority and remote mixes); ``history`` replays whole days of ``history``
    picked at random.  ``history`` is a tickets table (``tickets.csv``) or a problem; by
    default the baseline's own tickets.  ``tickets_per_day`` sets the mean number of
    tickets opened per weekday (default: as in the history).
    """

    model: str = "fitted"
    tickets_per_day: float | None = None
    history: str | None = None
    #: pseudo-count added to every school's ticket count when fitting (schools without history).
    school_smoothing: float = 0.5

    def __post_init__(self) -> None:
        if self.model not in ARRIVAL_MODELS:
            raise ValueError(f"arrivals model must be one of {', '.join(ARRIVAL_MODELS)}, not {self.model!r}")
        if self.tickets_per_day is not None and not 0.0 <= self.tickets_per_day <= 10_000.0:
            raise ValueError("arrivals tickets_per_day must be between 0 and 10000")
        if self.school_smoothing < 0:
            raise ValueError("arrivals school_smoothing must not be negative")

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ArrivalSettings:
        known = [f.name for f in dataclasses.fields(cls)]
        unknown = sorted(str(k) for k in data if k not in known)
        if unknown:
            raise ValueError(f"unknown arrivals field(s) {', '.join(unknown)}; known: {', '.join(known)}")
        values = dict(data)
        for name in ("tickets_per_day", "school_smoothing"):
            if values.get(name) is not None:
                values[name] = _number(values[name], f"arrivals {name}")
        return cls(**values)


@dataclass(frozen=True)
class ScenarioSet:
    """A scenario file: the baseline problem, the scenarios and the simulation's defaults."""

    scenarios: tuple[Scenario, ...]
    problem: str = "sample"
    start: date | None = None
    reference: str = ""
    arrivals: ArrivalSettings = field(default_factory=ArrivalSettings)
    days: int | None = None
    time_limit_s: float | None = None
    seed: int | None = None
    #: the folder relative paths of the file are read from.
    folder: Path = field(default=Path("."), compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "scenarios", tuple(self.scenarios))
        if not self.reference and self.scenarios:
            object.__setattr__(self, "reference", self.scenarios[0].name)

    def load_problem(self) -> Problem:
        return load_baseline(self.problem, self.folder)

    def history_path(self) -> Path | None:
        if self.arrivals.history is None:
            return None
        return _resolve(self.arrivals.history, self.folder)


_TOP_LEVEL: Final = ("problem", "start", "reference", "arrivals", "days", "time_limit_s", "seed", "scenarios")


def _resolve(path: str, folder: Path) -> Path:
    candidate = Path(path).expanduser()
    return candidate if candidate.is_absolute() else folder / candidate


def load_baseline(spec: str, folder: str | PathLike[str] = ".") -> Problem:
    """The baseline problem: ``sample`` (the embedded sample) or a problem path relative to ``folder``."""
    from dromologio.models import read_problem

    if spec == "sample":
        from dromologio.sample import sample_data_dir

        return read_problem(sample_data_dir())
    return read_problem(_resolve(spec, Path(folder)))


def parse_scenarios(
    document: Any, problem: Problem | None = None, *, source: str = "scenarios", folder: Path | None = None
) -> ScenarioSet:
    """A :class:`ScenarioSet` from the file's document (already parsed from YAML or JSON).

    Changes are parsed against ``problem`` (the baseline; loaded from the document's
    ``problem`` when None).  Raises :class:`ScenarioError` with every finding.
    """
    folder = folder or Path(".")
    if not isinstance(document, Mapping):
        raise ScenarioError([f"{source}: the file must hold a mapping with a 'scenarios' list"])
    issues: list[str] = []
    unknown = sorted(str(k) for k in document if k not in _TOP_LEVEL)
    if unknown:
        issues.append(f"{source}: unknown key(s) {', '.join(unknown)}; known: {', '.join(_TOP_LEVEL)}")
    spec = str(document.get("problem", "sample"))
    start: date | None = None
    if document.get("start") is not None:
        try:
            start = _day(document["start"], "start")
        except ValueError as error:
            issues.append(f"{source}: {error}")
    arrivals = ArrivalSettings()
    try:
        raw_arrivals = document.get("arrivals") or {}
        if not isinstance(raw_arrivals, Mapping):
            raise ValueError("arrivals must be a mapping, e.g. {model: fitted, tickets_per_day: 20}")
        arrivals = ArrivalSettings.from_dict(raw_arrivals)
    except (TypeError, ValueError) as error:
        issues.append(f"{source}: {error}")
    numbers: dict[str, Any] = {}
    for name, kind in (("days", int), ("time_limit_s", float), ("seed", int)):
        value = document.get(name)
        if value is None:
            continue
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or (kind is int and not isinstance(value, int))
        ):
            issues.append(
                f"{source}: {name} must be a{'n integer' if kind is int else ' number'}, not {value!r}"
            )
        elif value <= 0 and name != "seed":
            issues.append(f"{source}: {name} must be positive")
        else:
            numbers[name] = kind(value)
    if problem is None:
        try:
            problem = load_baseline(spec, folder)
        except Exception as error:
            issues.append(f"{source}: cannot read the problem '{spec}': {error}")
            raise ScenarioError(issues) from error
    raw_scenarios = document.get("scenarios")
    scenarios: list[Scenario] = []
    if not isinstance(raw_scenarios, Sequence) or isinstance(raw_scenarios, str) or not raw_scenarios:
        issues.append(f"{source}: 'scenarios' must be a non-empty list of {{name, changes}}")
        raw_scenarios = []
    for index, raw in enumerate(raw_scenarios, start=1):
        try:
            scenarios.append(_parse_scenario(raw, index, problem))
        except ScenarioError as error:
            issues += error.issues
    given = [str(r["name"]).strip() for r in raw_scenarios if isinstance(r, Mapping) and r.get("name")]
    issues += [
        f"scenario '{n}' is named more than once" for n in sorted({n for n in given if given.count(n) > 1})
    ]
    reference = str(document.get("reference") or "")
    if reference and reference not in given:
        issues.append(f"{source}: reference '{reference}' is not one of the scenarios ({', '.join(given)})")
    if issues:
        raise ScenarioError(issues)
    return ScenarioSet(
        scenarios=tuple(scenarios),
        problem=spec,
        start=start,
        reference=reference,
        arrivals=arrivals,
        folder=folder,
        **numbers,
    )


def _parse_scenario(raw: Any, index: int, problem: Problem) -> Scenario:
    if not isinstance(raw, Mapping) or not isinstance(raw.get("name"), str) or not raw["name"].strip():
        raise ScenarioError([f"scenario {index}: needs a name (a mapping with name and changes)"])
    name = raw["name"].strip()
    unknown = sorted(str(k) for k in raw if k not in ("name", "description", "changes"))
    if unknown:
        raise ScenarioError(
            [f"scenario '{name}': unknown key(s) {', '.join(unknown)}; known: name, description, changes"]
        )
    raw_changes = raw.get("changes") or []
    if not isinstance(raw_changes, Sequence) or isinstance(raw_changes, str):
        raise ScenarioError([f"scenario '{name}': changes must be a list"])
    issues: list[str] = []
    changes: list[tuple[int, Change]] = []
    for number, data in enumerate(raw_changes, start=1):
        kind = str(next(iter(data))) if isinstance(data, Mapping) and len(data) == 1 else "?"
        try:
            changes.append((number, parse_change(data, problem)))
        except ValueError as error:
            issues.append(f"scenario '{name}', change {number} ({kind}): {error}")
    # Changes that parse are also made on the baseline now, so that every finding shows at once.
    changed = problem
    for number, change in changes:
        try:
            changed = change.apply(changed, problem)
        except ValueError as error:
            issues.append(f"scenario '{name}', change {number} ({change.kind}): {error}")
    if issues:
        raise ScenarioError(sorted(issues, key=lambda line: _change_number(line)))
    return Scenario(name, tuple(c for _, c in changes), str(raw.get("description") or ""))


def _change_number(line: str) -> int:
    match = re.search(r", change (\d+) \(", line)
    return int(match[1]) if match else 0


def load_scenarios(path: str | PathLike[str], problem: Problem | None = None) -> ScenarioSet:
    """Read a scenario file (``.yaml``/``.yml`` or ``.json``); raises :class:`ScenarioError`."""
    location = Path(path)
    try:
        text = location.read_text(encoding="utf-8")
    except OSError as error:
        raise ScenarioError([f"{location}: cannot be read: {error.strerror or error}"]) from error
    try:
        if location.suffix.lower() == ".json":
            document = json.loads(text)
        else:
            import yaml

            document = yaml.safe_load(text)
    except Exception as error:
        raise ScenarioError(
            [f"{location.name}: not valid {location.suffix.lstrip('.').upper() or 'YAML'}: {error}"]
        ) from error
    return parse_scenarios(document, problem, source=location.name, folder=location.parent)
