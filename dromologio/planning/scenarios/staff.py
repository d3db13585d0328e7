"""Changes to the staff and the bases: add or remove technicians, move a base, change skills,
house partner bodies' technicians elsewhere."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, Final

from dromologio.models import Base, Problem, Technician
from dromologio.models.vocab import SKILLS

from .parsing import (
    Change,
    ChangeError,
    check_fields,
    check_known,
    km_between,
    parse_clock,
    parse_flag,
    parse_mapping,
    parse_number,
    parse_skills,
    parse_text,
    parse_texts,
)

__all__ = [
    "HOUSING",
    "MAX_BASE_DISTANCE_KM",
    "AddTechnician",
    "ChangeSkills",
    "HousePartners",
    "MoveBase",
    "RemoveTechnicians",
]

#: a moved base farther than this from every school and port (of its island) is off the map.
MAX_BASE_DISTANCE_KM: Final = 50.0


@dataclass(frozen=True)
class AddTechnician(Change):
    """A technician more, with every column of ``technicians.csv``."""

    kind: ClassVar[str] = "add_technician"
    technician: Technician

    @classmethod
    def parse(cls, value: Any, problem: Problem) -> AddTechnician:
        data = parse_mapping(cls.kind, value)
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
        check_fields(cls.kind, data, known, ("technician_id",))
        ident = parse_text(data["technician_id"], "technician_id")
        like: Technician | None = None
        if "like" in data:
            like = problem.technician_by_id[
                check_known("technician", parse_text(data["like"], "like"), problem.technician_by_id)
            ]
        values: dict[str, Any] = {"technician_id": ident, "name": parse_text(data.get("name", ident), "name")}
        if like is None and not {"base_id", "skills"} <= set(data):
            raise ChangeError("add_technician needs base_id and skills (or like: <technician_id> to copy)")
        if "base_id" in data:
            values["base_id"] = check_known(
                "base", parse_text(data["base_id"], "base_id"), problem.base_by_id
            )
        if "skills" in data:
            values["skills"] = parse_skills(data["skills"], "skills")
            if not values["skills"]:
                raise ChangeError("skills must name at least one skill")
        if "employer" in data:
            values["employer"] = parse_text(data["employer"], "employer")
        elif like is None:
            values["employer"] = _employer_at(problem, values["base_id"])
        for name, attr in (("shift_start", "shift_start_min"), ("shift_end", "shift_end_min")):
            if name in data:
                values[attr] = parse_clock(data[name], name)
        for name in ("max_km_per_day", "cost_per_km"):
            if name in data:
                values[name] = None if data[name] is None else parse_number(data[name], name)
        if "has_4x4" in data:
            values["has_4x4"] = parse_flag(data["has_4x4"], "has_4x4")
        try:
            # A copy keeps every column of the technician copied (extra columns included).
            return cls(dataclasses.replace(like, **values) if like is not None else Technician(**values))
        except (TypeError, ValueError) as error:
            raise ChangeError(str(error)) from None

    def apply(self, problem: Problem, baseline: Problem) -> Problem:
        ident = self.technician.technician_id
        if ident in problem.technician_by_id:
            raise ChangeError(f"technician '{ident}' already exists")
        check_known("base", self.technician.base_id, problem.base_by_id)
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
            check_fields(cls.kind, value, ("technician_id", "technician_ids"))
            value = value.get("technician_ids", value.get("technician_id"))
        ids = parse_texts(value, "technician_id") if value is not None else ()
        if not ids:
            raise ChangeError("remove_technician needs a technician id (or a list of them)")
        return cls(ids)

    def apply(self, problem: Problem, baseline: Problem) -> Problem:
        for ident in self.technician_ids:
            check_known("technician", ident, problem.technician_by_id)
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
        data = parse_mapping(cls.kind, value)
        check_fields(cls.kind, data, ("base_id", "lat", "lon", "island"), ("base_id", "lat", "lon"))
        island = None if data.get("island") is None else str(data["island"]).strip()
        return cls(
            parse_text(data["base_id"], "base_id"),
            parse_number(data["lat"], "lat"),
            parse_number(data["lon"], "lon"),
            island,
        )

    def apply(self, problem: Problem, baseline: Problem) -> Problem:
        base = problem.base_by_id[check_known("base", self.base_id, problem.base_by_id)]
        if not (-90.0 <= self.lat <= 90.0 and -180.0 <= self.lon <= 180.0):
            raise ChangeError(f"({self.lat}, {self.lon}) is out of range: lat -90..90, lon -180..180")
        places = [(s.lat, s.lon, s.island) for s in problem.schools] + [
            (p.lat, p.lon, p.island) for p in problem.ports
        ]
        if not places:
            raise ChangeError("the problem has no schools or ports to place a base against")
        islands = {island for _, _, island in places}
        if self.island is not None and self.island not in islands:
            known = ", ".join(sorted(i for i in islands if i))
            raise ChangeError(f"unknown island '{self.island}' (known: mainland '' and {known})")
        nearest_km, island = min(
            (km_between(self.lat, self.lon, lat, lon), isle)
            for lat, lon, isle in places
            if self.island is None or isle == self.island
        )
        where = self.island if self.island is not None else island
        if nearest_km > MAX_BASE_DISTANCE_KM:
            region = f"on {where}" if where else "on the mainland"
            raise ChangeError(
                f"({self.lat}, {self.lon}) is off the map: {nearest_km:.0f} km from the nearest school or port "
                f"{region} (at most {MAX_BASE_DISTANCE_KM:.0f} km)"
            )
        if where and not any(p.island == where for p in problem.ports):
            raise ChangeError(f"no port on {where}: technicians based there could never leave it")
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
        data = parse_mapping(cls.kind, value)
        check_fields(cls.kind, data, ("technician_id", "set", "add", "remove"), ("technician_id",))
        if not {"set", "add", "remove"} & set(data):
            raise ChangeError("change_skills needs set, add or remove")
        return cls(
            parse_text(data["technician_id"], "technician_id"),
            parse_skills(data["set"], "set") if "set" in data else None,
            parse_skills(data.get("add", ()), "add"),
            parse_skills(data.get("remove", ()), "remove"),
        )

    def apply(self, problem: Problem, baseline: Problem) -> Problem:
        technician = problem.technician_by_id[
            check_known("technician", self.technician_id, problem.technician_by_id)
        ]
        skills = (technician.skills if self.set_to is None else self.set_to) | self.add
        skills -= self.remove
        if not skills:
            raise ChangeError(f"technician '{self.technician_id}' would be left without any skill")
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
        data = parse_mapping(cls.kind, value)
        check_fields(cls.kind, data, ("at", "technicians", "base_id"), ("at",))
        at = str(data["at"]).strip()
        if at not in HOUSING:
            raise ChangeError(
                f"at must be one of {', '.join(HOUSING)} (A.1 centre, A.2 partner site), not {at!r}"
            )
        ids = parse_texts(data["technicians"], "technicians") if "technicians" in data else ()
        base_id = parse_text(data["base_id"], "base_id") if data.get("base_id") is not None else None
        if base_id is not None and at != "centre":
            raise ChangeError("base_id is for at: centre (the partner's site is known from the baseline)")
        return cls(at, ids, base_id)

    def apply(self, problem: Problem, baseline: Problem) -> Problem:
        sites = _partner_sites(baseline)
        if not sites:
            raise ChangeError(
                "the baseline has no partner technicians (no technicians at a base of kind partner)"
            )
        for ident in self.technician_ids:
            technician = problem.technician_by_id[check_known("technician", ident, problem.technician_by_id)]
            if technician.employer not in sites:
                raise ChangeError(
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
            base = problem.base_by_id[check_known("base", self.base_id, problem.base_by_id)]
            if base.kind != "keplinet":
                raise ChangeError(f"base '{self.base_id}' is a {base.kind} base, not a KE.PLI.NE.T. centre")
            return base.base_id
        centres = [b for b in problem.bases if b.kind == "keplinet" and b.island == site.island]
        if not centres:
            raise ChangeError(
                f"no KE.PLI.NE.T. base on {site.island or 'the mainland'} near {site.name}; give base_id"
            )
        return min(centres, key=lambda b: (km_between(site.lat, site.lon, b.lat, b.lon), b.base_id)).base_id

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
