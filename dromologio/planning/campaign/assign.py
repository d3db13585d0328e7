"""Which team takes which school: nearest base by the travel model, island groups kept together.

Cheap and deterministic: every school of an island is one group (a team that crosses to an island
should do all of it), every mainland school a group of its own.  A group's cost for a team is the
road time from the team's base by the problem's travel model (:func:`geo.known.travel_model_for`);
where no road leads (another island), the great-circle distance at ``CROSSING_KMH`` plus
``CROSSING_PENALTY_S``, so that teams based on an island keep theirs.  Groups with the largest
regret (second-best cost minus best) choose first, among the teams that reach them by road when
there are any; a team takes no more than its share of the campaign (by its working days, plus
``SLACK``) while another such team still has room.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from dromologio.geo.distance import haversine_km
from dromologio.geo.known import school_place, travel_model_for
from dromologio.geo.travel import UNREACHABLE_S, Place
from dromologio.models import Problem

__all__ = ["assign_schools"]

#: speed of a crossing estimate (km/h, straight line), and what a crossing adds (s).
CROSSING_KMH = 30.0
CROSSING_PENALTY_S = 4 * 3600.0
#: a team may take this share more than its part of the campaign.
SLACK = 0.10


@dataclass(frozen=True)
class _Group:
    key: str
    school_ids: tuple[str, ...]
    costs: tuple[float, ...]  # per team, seconds
    by_road: tuple[bool, ...]  # per team: every school of the group reached by road from its base

    @property
    def regret(self) -> float:
        ordered = sorted(self.costs)
        return ordered[1] - ordered[0] if len(ordered) > 1 else 0.0


def _groups(problem: Problem, school_ids: Sequence[str]) -> list[tuple[str, tuple[str, ...]]]:
    islands: dict[str, list[str]] = {}
    mainland: list[str] = []
    for school_id in sorted(school_ids):
        island = problem.school_by_id[school_id].island
        if island:
            islands.setdefault(island, []).append(school_id)
        else:
            mainland.append(school_id)
    found = [(f"island:{name}", tuple(ids)) for name, ids in sorted(islands.items())]
    return found + [(school_id, (school_id,)) for school_id in mainland]


def _road_seconds(problem: Problem, team_ids: Sequence[str], school_ids: Sequence[str]) -> np.ndarray:
    """Road time (s) from each team's base (rows) to each school (columns); inf where no road leads."""
    bases = [problem.base_of(problem.technician_by_id[t]) for t in team_ids]
    places = [Place(b.lat, b.lon, b.island, "plain") for b in bases]
    places += [school_place(problem.school_by_id[s]) for s in school_ids]
    duration = travel_model_for(problem).matrices(places).duration_s
    road = duration[: len(bases), len(bases) :].astype(float)
    road[road >= UNREACHABLE_S] = math.inf
    return road


def _crossing_seconds(problem: Problem, team_id: str, school_id: str) -> float:
    base = problem.base_of(problem.technician_by_id[team_id])
    school = problem.school_by_id[school_id]
    km = haversine_km(base.lat, base.lon, school.lat, school.lon)
    return km / CROSSING_KMH * 3600.0 + CROSSING_PENALTY_S


def assign_schools(
    problem: Problem, school_ids: Sequence[str], team_days: Mapping[str, int]
) -> dict[str, tuple[str, ...]]:
    """The schools of each team (``team_days``: the working days each team has; a team with none
    gets nothing).  Every school goes to exactly one team when at least one team works."""
    teams = sorted(t for t, days in team_days.items() if days > 0)
    if not teams:
        return {t: () for t in team_days}
    road = _road_seconds(problem, teams, list(school_ids))
    column = {s: i for i, s in enumerate(school_ids)}
    groups: list[_Group] = []
    for key, members in _groups(problem, school_ids):
        costs = []
        by_road = []
        for row, team in enumerate(teams):
            seconds = [
                road[row, column[s]]
                if math.isfinite(road[row, column[s]])
                else _crossing_seconds(problem, team, s)
                for s in members
            ]
            costs.append(float(np.mean(seconds)))
            by_road.append(all(math.isfinite(road[row, column[s]]) for s in members))
        groups.append(_Group(key, members, tuple(costs), tuple(by_road)))
    total_days = sum(team_days[t] for t in teams)
    capacity = {t: math.ceil((1 + SLACK) * len(school_ids) * team_days[t] / total_days) for t in teams}
    taken = dict.fromkeys(teams, 0)
    chosen: dict[str, list[str]] = {t: [] for t in teams}
    for group in sorted(groups, key=lambda g: (-g.regret, g.key)):
        ranked = sorted(range(len(teams)), key=lambda i: (group.costs[i], teams[i]))
        # Teams that reach the group by road come first, over their share: a crossing team cannot
        # do a mainland school (or another island's) in a day trip as cheaply, if at all.
        ranked = [i for i in ranked if group.by_road[i]] or ranked
        fits = [i for i in ranked if taken[teams[i]] + len(group.school_ids) <= capacity[teams[i]]]
        room = [i for i in ranked if taken[teams[i]] < capacity[teams[i]]]
        best = teams[(fits or room or ranked)[0]]
        chosen[best] += group.school_ids
        taken[best] += len(group.school_ids)
    return {t: tuple(sorted(chosen.get(t, ()))) for t in sorted(team_days)}
