"""Changes to the days and the rules: more or fewer tickets, ferry strikes, winter closures, policy."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

from dromologio.models import Policy, Problem, Sailing
from dromologio.models.vocab import TERRAINS

from .parsing import (
    Change,
    ChangeError,
    DaySelection,
    as_list,
    check_fields,
    check_known,
    parse_flag,
    parse_mapping,
    parse_number,
    parse_texts,
)

__all__ = ["FerryStrike", "PolicyChange", "ScaleTickets", "WinterClosure"]


@dataclass(frozen=True)
class ScaleTickets(Change):
    kind: ClassVar[str] = "scale_tickets"
    factor: float

    @classmethod
    def parse(cls, value: Any, problem: Problem) -> ScaleTickets:
        if isinstance(value, Mapping):
            check_fields(cls.kind, value, ("factor",), ("factor",))
            value = value["factor"]
        factor = parse_number(value, "factor")
        if not 0.0 < factor <= 20.0:
            raise ChangeError(f"factor must be above 0 and at most 20, not {factor:g}")
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
        data = parse_mapping(cls.kind, value)
        check_fields(cls.kind, data, ("dates", "days", "routes", "both_directions"))
        routes: list[tuple[str, str]] = []
        raw = data.get("routes", "all")
        if raw != "all":
            for item in as_list(raw):
                ports = [p.strip() for p in item.split("-")] if isinstance(item, str) else list(item)
                if len(ports) != 2 or not all(isinstance(p, str) and p for p in ports):
                    raise ChangeError(f"routes: {item!r} is not a pair of port ids such as 'JSY-JNX'")
                routes.append((ports[0], ports[1]))
        both = parse_flag(data.get("both_directions", True), "both_directions")
        return cls(DaySelection.parse(data), tuple(routes), both)

    def apply(self, problem: Problem, baseline: Problem) -> Problem:
        if not problem.sailings:
            raise ChangeError("the problem has no ferry timetable to strike")
        for origin, destination in self.routes:
            check_known("port", origin, problem.port_by_id)
            check_known("port", destination, problem.port_by_id)
            if not any(
                self.stops(s) and {s.from_port, s.to_port} == {origin, destination} for s in problem.sailings
            ):
                raise ChangeError(f"no sailing from {origin} to {destination} in the timetable")
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
        data = parse_mapping(cls.kind, value)
        check_fields(cls.kind, data, ("dates", "days", "terrain", "schools"))
        schools = parse_texts(data["schools"], "schools") if "schools" in data else ()
        default_terrain: tuple[str, ...] = () if schools else ("mountainous",)
        terrain = parse_texts(data["terrain"], "terrain") if "terrain" in data else default_terrain
        unknown = sorted(set(terrain) - set(TERRAINS))
        if unknown:
            raise ChangeError(f"terrain {', '.join(unknown)} not among {', '.join(TERRAINS)}")
        return cls(DaySelection.parse(data), terrain, schools)

    def apply(self, problem: Problem, baseline: Problem) -> Problem:
        for ident in self.school_ids:
            check_known("school", ident, problem.school_by_id)
        if not self.closed(problem):
            raise ChangeError(f"no school has terrain {', '.join(self.terrain)}")
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
        data = parse_mapping(cls.kind, value)
        check_fields(cls.kind, data, Policy.field_names())
        if not data:
            raise ChangeError("policy needs at least one field")
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
            raise ChangeError(f"invalid policy: {error}") from None

    def describe(self) -> str:
        return "policy " + ", ".join(
            f"{k} = {json.dumps(v, ensure_ascii=False)}" for k, v in self.fields.items()
        )
