"""What a campaign plan is: each team's days (a checked day plan each), the progress curve, the cost."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType
from typing import Any

from dromologio.models import Plan, Route

__all__ = ["Campaign", "CampaignDay", "ProgressPoint", "TeamSchedule"]


@dataclass(frozen=True)
class CampaignDay:
    """One team's day: the schools it visits (in route order) and its route; ``violations`` are the
    checker's findings on that day's plan (none expected)."""

    technician_id: str
    date: date
    school_ids: tuple[str, ...]
    route: Route | None
    violations: tuple[str, ...] = ()

    @property
    def cost_eur(self) -> float:
        return 0.0 if self.route is None else float(self.route.cost_eur)

    @property
    def distance_km(self) -> float:
        return 0.0 if self.route is None else float(self.route.distance_km)

    def to_dict(self) -> dict[str, Any]:
        return {
            "technician_id": self.technician_id,
            "date": self.date.isoformat(),
            "school_ids": list(self.school_ids),
            "distance_km": round(self.distance_km, 2),
            "cost_eur": round(self.cost_eur, 2),
            "violations": list(self.violations),
        }


@dataclass(frozen=True)
class TeamSchedule:
    """A team's campaign: its days in order and the schools of its share left, each with the reason."""

    technician_id: str
    school_ids: tuple[str, ...]
    days: tuple[CampaignDay, ...]
    left: Mapping[str, str]

    def __post_init__(self) -> None:
        object.__setattr__(self, "left", MappingProxyType(dict(sorted(self.left.items()))))


@dataclass(frozen=True)
class ProgressPoint:
    """Schools done on a working day and up to it, and the money spent that day and up to it."""

    date: date
    done: int
    cumulative: int
    cost_eur: float
    cumulative_cost_eur: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "date": self.date.isoformat(),
            "done": self.done,
            "cumulative": self.cumulative,
            "cost_eur": round(self.cost_eur, 2),
            "cumulative_cost_eur": round(self.cumulative_cost_eur, 2),
        }


@dataclass(frozen=True)
class Campaign:
    """The campaign's plan: every team's schedule, over the working days from start to end."""

    label: str
    start: date
    end: date
    working_days: tuple[date, ...]
    teams: tuple[TeamSchedule, ...]
    #: schools no team could be given, with the reason.
    unreachable: Mapping[str, str]

    def __post_init__(self) -> None:
        object.__setattr__(self, "unreachable", MappingProxyType(dict(self.unreachable)))

    @property
    def days(self) -> tuple[CampaignDay, ...]:
        return tuple(d for team in self.teams for d in team.days)

    @property
    def num_schools(self) -> int:
        return sum(len(t.school_ids) for t in self.teams) + len(self.unreachable)

    @property
    def num_done(self) -> int:
        return sum(len(d.school_ids) for d in self.days)

    @property
    def left(self) -> Mapping[str, str]:
        """Schools not visited by the end, each with the reason: the teams' leftovers and the unreachable."""
        found = {s: why for t in self.teams for s, why in t.left.items()}
        return MappingProxyType(dict(sorted({**found, **self.unreachable}.items())))

    @property
    def cost_eur(self) -> float:
        return sum(d.cost_eur for d in self.days)

    @property
    def distance_km(self) -> float:
        return sum(d.distance_km for d in self.days)

    @property
    def violations(self) -> tuple[str, ...]:
        return tuple(v for d in self.days for v in d.violations)

    def progress(self) -> tuple[ProgressPoint, ...]:
        """The progress curve: one point per working day of the campaign."""
        done: dict[date, int] = {}
        spent: dict[date, float] = {}
        for day in self.days:
            done[day.date] = done.get(day.date, 0) + len(day.school_ids)
            spent[day.date] = spent.get(day.date, 0.0) + day.cost_eur
        points: list[ProgressPoint] = []
        total, money = 0, 0.0
        for day_date in self.working_days:
            total += done.get(day_date, 0)
            money += spent.get(day_date, 0.0)
            points.append(
                ProgressPoint(day_date, done.get(day_date, 0), total, spent.get(day_date, 0.0), money)
            )
        return tuple(points)

    def plan(self) -> Plan:
        """Every route of the campaign as one plan of the contract (dates in order)."""
        routes = sorted(
            (d.route for d in self.days if d.route is not None), key=lambda r: (r.date, r.technician_id)
        )
        dates = tuple(sorted({r.date for r in routes}))
        return Plan(
            dates=dates,
            routes=tuple(routes),
            kpis={"visited": self.num_done, "cost_eur": round(self.cost_eur, 2)},
        )

    def summary(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "working_days": len(self.working_days),
            "teams": len(self.teams),
            "schools": self.num_schools,
            "done": self.num_done,
            "left": len(self.left),
            "team_days": sum(1 for d in self.days if d.school_ids),
            "distance_km": round(self.distance_km, 1),
            "cost_eur": round(self.cost_eur, 2),
            "violations": len(self.violations),
        }

    def to_dict(self) -> dict[str, Any]:
        """The campaign as JSON: summary, progress curve, each team-day and the schools left."""
        return {
            "summary": self.summary(),
            "progress": [p.to_dict() for p in self.progress()],
            "days": [d.to_dict() for d in sorted(self.days, key=lambda d: (d.date, d.technician_id))],
            "left": dict(self.left),
        }
