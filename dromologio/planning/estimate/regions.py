"""Regions of an estimate: technicians that can never serve each other's schools, planned apart."""

from __future__ import annotations

import math
from dataclasses import dataclass

from dromologio.geo import haversine_km
from dromologio.models import Problem

__all__ = ["Region", "independent_regions"]


@dataclass(frozen=True)
class Region:
    """Technicians planned together, and the schools whose tickets only they can serve."""

    technician_ids: tuple[str, ...]
    school_ids: tuple[str, ...]


def _fastest_kmh(problem: Problem) -> float:
    """An upper bound on straight-line progress per hour: road speeds and every sailing's crossing."""
    fastest = max(problem.policy.road_speed_kmh.values())
    for sailing in problem.sailings:
        a = problem.port_by_id[sailing.from_port]
        b = problem.port_by_id[sailing.to_port]
        km = haversine_km(a.lat, a.lon, b.lat, b.lon)
        fastest = max(fastest, km / (sailing.duration_min / 60.0))
    return fastest


def independent_regions(problem: Problem) -> tuple[Region, ...]:
    """Groups of technicians that share no school any of them could reach in a day.

    A technician could reach a school only if the round trip from the base, at the
    fastest road speed or sailing of the problem in a straight line, fits in the
    shift.  Travel is never faster than that, so no plan can serve a ticket of one
    region with a technician of another: planning regions apart changes nothing but
    the workload balance term, which then applies within each region.  A school no
    one can reach joins the region of the nearest base (its tickets stay unassigned
    there, with the solver's reason).
    """
    technicians = list(problem.technicians)
    if not technicians:
        return (Region((), tuple(s.school_id for s in problem.schools)),)
    parent = list(range(len(technicians)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    speed = _fastest_kmh(problem)
    owner: dict[str, int] = {}
    for school in problem.schools:
        nearest, nearest_km = 0, math.inf
        for index, technician in enumerate(technicians):
            base = problem.base_of(technician)
            km = haversine_km(base.lat, base.lon, school.lat, school.lon)
            if km < nearest_km:
                nearest, nearest_km = index, km
            reach_km = speed * (technician.shift_end_min - technician.shift_start_min) / 60.0 / 2.0
            if km <= reach_km:
                if school.school_id in owner:
                    parent[find(index)] = find(owner[school.school_id])
                else:
                    owner[school.school_id] = index
        owner.setdefault(school.school_id, nearest)
    groups: dict[int, tuple[list[str], list[str]]] = {}
    for index, technician in enumerate(technicians):
        groups.setdefault(find(index), ([], []))[0].append(technician.technician_id)
    for school in problem.schools:
        groups[find(owner[school.school_id])][1].append(school.school_id)
    ordered = sorted(groups.values(), key=lambda g: g[0][0])
    return tuple(Region(tuple(t), tuple(s)) for t, s in ordered)
