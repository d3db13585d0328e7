"""``policy.json``: travel rules, cost values and solver settings, every field defaulted.

The defaults are *examples* drawn from the Greek public-sector framework (Law
4336/2015, D9) and from common practice; a partner body sets its own.  See
``docs/problem-format.md`` for the table of fields.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from .vocab import PRIORITIES, TERRAINS

_DEFAULT_PRIORITY_VALUE = {"urgent": 400.0, "high": 200.0, "normal": 100.0, "low": 50.0}
_DEFAULT_SPEED = {"plain": 60.0, "semi_mountainous": 45.0, "mountainous": 35.0}
_DEFAULT_CIRCUITY = {"plain": 1.3, "semi_mountainous": 1.45, "mountainous": 1.6}


@dataclass(frozen=True)
class Policy:
    """Travel and planning rules.  Money in EUR, times in minutes, speeds in km/h."""

    #: EUR reimbursed per km when a technician has no ``cost_per_km`` (example: 0.15).
    cost_per_km_eur: float = 0.15
    #: value of one hour of a technician's travelling time in the objective.
    time_value_eur_per_hour: float = 12.0
    #: minutes at the port before a sailing departs.
    ferry_check_in_min: int = 30
    #: minutes to park, sign in and set up at each school visited (once per visit).
    visit_setup_min: int = 10
    #: value of serving a ticket, by priority: the price of leaving it undone today.
    priority_value_eur: Mapping[str, float] = field(default_factory=lambda: dict(_DEFAULT_PRIORITY_VALUE))
    #: each day a ticket has been open raises its value by this share ...
    age_bonus_per_day: float = 0.10
    #: ... up to this multiple of its base value.
    max_age_factor: float = 3.0
    #: a ticket due within this many hours of the end of the planned day counts double ...
    due_soon_hours: float = 24.0
    due_soon_factor: float = 2.0
    #: ... and four times when already overdue.
    overdue_factor: float = 4.0
    #: cost of one hour of work on the busiest technician's day (balances workload).
    balance_eur_per_hour: float = 4.0
    #: average road speed by terrain class of the destination.
    road_speed_kmh: Mapping[str, float] = field(default_factory=lambda: dict(_DEFAULT_SPEED))
    #: road distance / straight-line distance, by terrain class.
    road_circuity: Mapping[str, float] = field(default_factory=lambda: dict(_DEFAULT_CIRCUITY))
    #: default solver time limit in seconds.
    solver_time_limit_s: float = 10.0
    #: daily allowance and its thresholds (issue: travel allowances).
    per_diem_eur: float = 40.0
    per_diem_min_km: float = 50.0
    overnight_eur: float = 80.0
    allow_overnight: bool = True

    def __post_init__(self) -> None:
        for name in ("priority_value_eur", "road_speed_kmh", "road_circuity"):
            object.__setattr__(self, name, MappingProxyType(dict(getattr(self, name))))
        missing = [p for p in PRIORITIES if p not in self.priority_value_eur]
        if missing:
            raise ValueError(f"priority_value_eur lacks {', '.join(missing)}")
        for name in ("road_speed_kmh", "road_circuity"):
            table = getattr(self, name)
            absent = [t for t in TERRAINS if t not in table]
            if absent:
                raise ValueError(f"{name} lacks {', '.join(absent)}")
            if any(v <= 0 for v in table.values()):
                raise ValueError(f"{name} values must be positive")
        if any(v < 1.0 for v in self.road_circuity.values()):
            raise ValueError("road_circuity values must be at least 1.0")
        for name in (
            "cost_per_km_eur",
            "time_value_eur_per_hour",
            "balance_eur_per_hour",
            "age_bonus_per_day",
        ):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} must not be negative")
        if self.solver_time_limit_s <= 0:
            raise ValueError("solver_time_limit_s must be positive")
        if self.ferry_check_in_min < 0 or self.visit_setup_min < 0:
            raise ValueError("ferry_check_in_min and visit_setup_min must not be negative")

    @classmethod
    def field_names(cls) -> tuple[str, ...]:
        return tuple(f.name for f in dataclasses.fields(cls))

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Policy:
        """Build from ``policy.json``; unknown keys are an error (they are usually typos)."""
        unknown = sorted(set(data) - set(cls.field_names()))
        if unknown:
            raise ValueError(f"unknown policy field(s) {unknown}; known: {', '.join(cls.field_names())}")
        values = dict(data)
        for name in ("priority_value_eur", "road_speed_kmh", "road_circuity"):
            if name in values:
                merged = dict(getattr(cls(), name))
                merged.update(values[name])
                values[name] = merged
        return cls(**values)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            out[f.name] = dict(value) if isinstance(value, Mapping) else value
        return out
