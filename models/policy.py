"""``policy.json``: travel rules, cost values and solver settings, every field defaulted.

The defaults are *examples* drawn from the Greek public-sector framework (Law
4336/2015, D9) and from common practice; a partner body sets its own, for its
own technicians under ``employers`` (:meth:`Policy.for_employer`).  See
``docs/problem-format.md`` and ``docs/costs.md`` for the table of fields.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from .vocab import PRIORITIES, SKILLS, TERRAINS

_DEFAULT_PRIORITY_VALUE = {"urgent": 400.0, "high": 200.0, "normal": 100.0, "low": 50.0}
#: how priorities rank tickets (``priority_mode``): urgent tickets above all others (the default),
#: the weighted values alone, or every priority above all lower ones (see dispatch/rules/drop_value.py).
PRIORITY_MODES: tuple[str, ...] = ("urgent_first", "weighted", "strict_tiers")
_DEFAULT_SPEED = {"plain": 60.0, "semi_mountainous": 45.0, "mountainous": 35.0}
_DEFAULT_CIRCUITY = {"plain": 1.3, "semi_mountainous": 1.45, "mountainous": 1.6}

#: vehicle kinds a technician may drive (``technicians.csv`` column ``vehicle``).
VEHICLE_KINDS: tuple[str, ...] = ("private_car", "service_car")
#: example per-km rates: private car at the commonly cited rate; service car at its fuel
#: (about 7 l/100 km at 1.70 EUR/l), since the body already owns and insures it.
_DEFAULT_VEHICLE_RATES = {"private_car": 0.15, "service_car": 0.12}

#: the money fields a partner body may set for its own technicians (``employers`` in policy.json).
EMPLOYER_FIELDS: tuple[str, ...] = (
    "cost_per_km_eur",
    "vehicle_rates",
    "toll_eur_per_km",
    "per_diem_eur",
    "per_diem_min_km",
    "per_diem_min_hours",
    "per_diem_same_day_share",
    "overnight_eur",
    "allow_overnight",
    "overtime_max_min_per_day",
    "overtime_max_min_per_week",
    "overtime_eur_per_hour",
    "crossing_outside_shift_min",
    "fairness_eur_per_allowance_eur",
    "fairness_eur_per_night",
    "lunch_break_min",
    "lunch_window_start",
    "lunch_window_end",
)
_MAPPING_FIELDS = ("priority_value_eur", "road_speed_kmh", "road_circuity", "vehicle_rates")
_NON_NEGATIVE_MONEY = (
    "toll_eur_per_km",
    "per_diem_eur",
    "per_diem_min_km",
    "per_diem_min_hours",
    "overnight_eur",
    "outside_directorate_eur",
    "outside_zone_eur",
    "second_visit_eur",
    "replan_move_eur",
    "overtime_max_min_per_day",
    "overtime_eur_per_hour",
    "crossing_outside_shift_min",
    "fairness_eur_per_allowance_eur",
    "fairness_eur_per_night",
)


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
    #: daily allowance (example: 40, Law 4336/2015 D9 art. 11 §1) ...
    per_diem_eur: float = 40.0
    #: ... due for a day on which a school visited lies farther than this (great-circle km
    #: from the technician's base), or a day that starts or ends lodging away.
    per_diem_min_km: float = 50.0
    #: overnight allowance per night away (example: 80, art. 10 §2, category II).
    overnight_eur: float = 80.0
    #: whether a plan may keep a technician away overnight.
    allow_overnight: bool = True
    #: the most nights in a row a technician may spend away from home (a tour over several days).
    max_nights_away: int = 4
    #: a same-day per diem also needs the route (start to end) to last at least this many
    #: hours (example: 0, no duration threshold).
    per_diem_min_hours: float = 0.0
    #: share of the per diem paid for a qualifying day that returns home the same day
    #: (example: 1.0, the full per diem; a body that pays half for same-day returns sets 0.5).
    per_diem_same_day_share: float = 1.0
    #: EUR per km by vehicle kind, for technicians whose ``vehicle`` column names one
    #: and who have no ``cost_per_km`` of their own (examples: private_car 0.15, service_car 0.12).
    vehicle_rates: Mapping[str, float] = field(default_factory=lambda: dict(_DEFAULT_VEHICLE_RATES))
    #: road tolls, as an average EUR per road km driven (example: 0, no tolls counted).
    toll_eur_per_km: float = 0.0
    #: per-employer overrides of the money fields (:data:`EMPLOYER_FIELDS`), keyed by the
    #: ``employer`` of ``technicians.csv``; None (the default) when every body follows the fields above.
    employers: Mapping[str, Mapping[str, Any]] | None = None
    #: how priorities rank tickets left undone: "urgent_first" (an urgent ticket outweighs every
    #: other ticket of the day and the travel they could save), "weighted" (the values above
    #: alone) or "strict_tiers" (each priority outweighs all lower ones).
    priority_mode: str = "urgent_first"
    #: cost of each visit to a school outside the technician's own Directorate(s): the base's
    #: ``directorate`` and the technician's optional ``directorates`` (example: 15).
    outside_directorate_eur: float = 15.0
    #: cost of each visit by a technician with a ``home_zone`` to a school outside that zone
    #: (``schools.csv`` ``zone``): zone sub-station staff serve their zone first (example: 10).
    outside_zone_eur: float = 10.0
    #: preventive care (``maintenance_days`` of ``schools.csv``): minutes on site of a preventive
    #: visit, the skill it needs and the priority it is valued at (its value rises with the days
    #: it is overdue, as a ticket's with age) ...
    preventive_minutes: int = 60
    preventive_skill: str = "hardware"
    preventive_priority: str = "low"
    #: ... and how many days before it falls due a preventive visit may already be planned.
    preventive_lead_days: int = 14
    #: cost of each visit to a school that does not serve its first-ranked ticket: a second
    #: technician at the school, or the same one coming back (example: 20).
    second_visit_eur: float = 20.0
    #: when re-planning a published day, cost of moving a planned visit to another technician:
    #: other technicians' visits stay where they were unless moving them saves more (example: 30).
    replan_move_eur: float = 30.0
    #: minutes a route may end after the shift ends (overtime: to catch the last boat home, to
    #: finish a far visit); 0 (the default) keeps the shift end hard.
    overtime_max_min_per_day: int = 0
    #: the most overtime minutes of one technician in one calendar week (ISO week) of a plan;
    #: None (the default): no weekly limit beyond the daily one.
    overtime_max_min_per_week: int | None = None
    #: what one hour of overtime costs in the objective and the plan's money (example: 20).
    overtime_eur_per_hour: float = 20.0
    #: minutes a trip's crossing may run outside the shift: the evening boat to a night's lodging
    #: may land up to this long after the shift (and its overtime) ends, and the morning boat
    #: from a lodging may leave up to this long before the shift starts (example: 120).  Travel
    #: of a trip away, covered by its allowances: not overtime.  0 (the default): within the shift.
    crossing_outside_shift_min: int = 0
    #: fairness over a plan of several days: a technician whose allowance money (per diem +
    #: overnight) earned so far in the plan is above the mean of its employer's technicians pays
    #: this much in the objective per EUR of new allowance (example: 0.5; 0, the default: no term) ...
    fairness_eur_per_allowance_eur: float = 0.0
    #: ... and one whose nights away so far are above its employer's mean pays this per new night
    #: away (example: 30; 0, the default: no term).  Objective only: routes' costs stay what is paid.
    fairness_eur_per_night: float = 0.0
    #: a lunch break of this many minutes in every route with visits, floating between
    #: ``lunch_window_start`` and ``lunch_window_end`` (``HH:MM``); 0 (the default): no break.
    #: Technicians whose shift overlaps the window by less than the break need none.
    lunch_break_min: int = 0
    lunch_window_start: str = "12:00"
    lunch_window_end: str = "14:30"

    def __post_init__(self) -> None:
        for name in _MAPPING_FIELDS:
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
        for name in _NON_NEGATIVE_MONEY:
            if getattr(self, name) < 0:
                raise ValueError(f"{name} must not be negative")
        if not 0 < self.preventive_minutes <= 24 * 60:
            raise ValueError("preventive_minutes must be between 1 and 1440")
        if self.preventive_skill not in SKILLS:
            raise ValueError(f"preventive_skill must be one of {', '.join(SKILLS)}")
        if self.preventive_priority not in PRIORITIES:
            raise ValueError(f"preventive_priority must be one of {', '.join(PRIORITIES)}")
        if self.preventive_lead_days < 0:
            raise ValueError("preventive_lead_days must not be negative")
        if self.priority_mode not in PRIORITY_MODES:
            raise ValueError(
                f"priority_mode must be one of {', '.join(PRIORITY_MODES)}, not {self.priority_mode!r}"
            )
        if self.overtime_max_min_per_week is not None and self.overtime_max_min_per_week < 0:
            raise ValueError("overtime_max_min_per_week must not be negative (or null: no weekly limit)")
        if self.max_nights_away < 1:
            raise ValueError("max_nights_away must be at least 1 (allow_overnight false forbids nights away)")
        if self.overtime_max_min_per_day >= 24 * 60:
            raise ValueError("overtime_max_min_per_day must be less than a day (1440 minutes)")
        if not 0.0 <= self.per_diem_same_day_share <= 1.0:
            raise ValueError("per_diem_same_day_share must be between 0 and 1")
        _check_vehicle_rates(self.vehicle_rates, "vehicle_rates", complete=True)
        self._check_lunch_break()
        object.__setattr__(self, "employers", _frozen_employers(self.employers))
        for employer in self.employers or {}:
            try:
                self.for_employer(employer)
            except (ValueError, TypeError) as error:
                raise ValueError(f"employers[{employer!r}]: {error}") from None

    def _check_lunch_break(self) -> None:
        if isinstance(self.lunch_break_min, bool) or not isinstance(self.lunch_break_min, int):
            raise ValueError("lunch_break_min must be a whole number of minutes (0: no lunch break)")
        if not 0 <= self.lunch_break_min < 24 * 60:
            raise ValueError("lunch_break_min must be between 0 and 1439 minutes")
        start, end = self.lunch_window_min
        if self.lunch_break_min and end - start < self.lunch_break_min:
            raise ValueError(
                f"the lunch window (lunch_window_start {self.lunch_window_start}, lunch_window_end "
                f"{self.lunch_window_end}) is shorter than lunch_break_min ({self.lunch_break_min} min): "
                "widen the window or shorten the break"
            )

    @property
    def lunch_window_min(self) -> tuple[int, int]:
        """The lunch window (``lunch_window_start``, ``lunch_window_end``) in minutes of the day."""
        return (
            _clock_min(self.lunch_window_start, "lunch_window_start"),
            _clock_min(self.lunch_window_end, "lunch_window_end"),
        )

    def lunch_span_min(self, shift_start_min: int, shift_end_min: int) -> tuple[int, int] | None:
        """Where a shift's lunch break lies: the lunch window within the shift, in minutes of the day;
        None when the policy asks for no break or the shift overlaps the window by less than it."""
        if self.lunch_break_min <= 0:
            return None
        window_start, window_end = self.lunch_window_min
        start, end = max(window_start, shift_start_min), min(window_end, shift_end_min)
        if end - start < self.lunch_break_min:
            return None
        return start, end

    def overtime_today_min(self, used_this_week_min: int = 0) -> int:
        """Overtime minutes a route may take today, after ``used_this_week_min`` earlier this week."""
        daily = int(self.overtime_max_min_per_day)
        if self.overtime_max_min_per_week is None:
            return daily
        return max(0, min(daily, int(self.overtime_max_min_per_week) - used_this_week_min))

    def for_employer(self, employer: str) -> Policy:
        """The policy in force for technicians of ``employer``: these fields with its overrides applied.

        An employer without overrides gets this policy unchanged.  The result carries no
        ``employers`` table of its own (it is final: asking it again changes nothing).
        """
        overrides = (self.employers or {}).get(employer)
        if overrides is None:
            return self
        values = dict(overrides)
        if "vehicle_rates" in values:
            values["vehicle_rates"] = {**self.vehicle_rates, **values["vehicle_rates"]}
        return dataclasses.replace(self, employers=None, **values)

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
        for name in _MAPPING_FIELDS:
            if name in values:
                merged = dict(getattr(cls(), name))
                merged.update(values[name])
                values[name] = merged
        return cls(**values)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for f in dataclasses.fields(self):
            out[f.name] = _plain(getattr(self, f.name))
        return out


def _clock_min(value: object, name: str) -> int:
    """Minutes of the day of an ``HH:MM`` time; a clear error naming the field otherwise."""
    text = value if isinstance(value, str) else ""
    hours, sep, minutes = text.partition(":")
    if not (sep and hours.isdigit() and minutes.isdigit() and len(minutes) == 2):
        raise ValueError(f"{name} must be a time of day as HH:MM (e.g. 12:00), not {value!r}")
    total = int(hours) * 60 + int(minutes)
    if int(minutes) >= 60 or total >= 24 * 60:
        raise ValueError(f"{name} must be a time of day between 00:00 and 23:59, not {value!r}")
    return total


def _plain(value: Any) -> Any:
    """Frozen mappings (nested too) as plain dicts, for JSON."""
    if isinstance(value, Mapping):
        return {key: _plain(item) for key, item in value.items()}
    return value


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _check_vehicle_rates(rates: object, name: str, *, complete: bool) -> None:
    if not isinstance(rates, Mapping):
        raise TypeError(
            f'{name} must be an object of vehicle kind to EUR per km, e.g. {{"private_car": 0.15}}'
        )
    unknown = sorted(str(k) for k in rates if k not in VEHICLE_KINDS)
    if unknown:
        raise ValueError(f"{name}: {unknown} not among the vehicle kinds {', '.join(VEHICLE_KINDS)}")
    if complete:
        absent = [k for k in VEHICLE_KINDS if k not in rates]
        if absent:
            raise ValueError(f"{name} lacks {', '.join(absent)}")
    for kind, rate in rates.items():
        if not _is_number(rate) or rate < 0:
            raise ValueError(f"{name}: {kind} must be a non-negative number of EUR per km, not {rate!r}")


def _frozen_employers(employers: object) -> Mapping[str, Mapping[str, Any]] | None:
    """``employers`` checked field by field and frozen; None when absent or empty."""
    if employers is None:
        return None
    if not isinstance(employers, Mapping):
        raise TypeError(
            "employers must be an object keyed by employer name, "
            'e.g. {"Πανεπιστήμιο Ιωαννίνων": {"cost_per_km_eur": 0.2}}'
        )
    frozen: dict[str, Mapping[str, Any]] = {}
    for employer, overrides in employers.items():
        where = f"employers[{employer!r}]"
        if not isinstance(employer, str) or not employer.strip():
            raise ValueError(f"{where}: the employer must be a non-empty name, as in technicians.csv")
        if not isinstance(overrides, Mapping):
            raise TypeError(f'{where} must be an object of policy fields, e.g. {{"per_diem_eur": 40}}')
        unknown = sorted(str(k) for k in overrides if k not in EMPLOYER_FIELDS)
        if unknown:
            raise ValueError(
                f"{where}: {unknown} cannot be set per employer; the fields an employer may set are "
                f"{', '.join(EMPLOYER_FIELDS)}"
            )
        values: dict[str, Any] = {}
        for name, value in overrides.items():
            if name == "allow_overnight":
                if not isinstance(value, bool):
                    raise ValueError(f"{where}.allow_overnight must be true or false, not {value!r}")
                values[name] = value
            elif name in ("lunch_window_start", "lunch_window_end"):
                _clock_min(value, f"{where}.{name}")
                values[name] = value
            elif name == "lunch_break_min":
                if not _is_number(value) or value != int(value):
                    raise ValueError(
                        f"{where}.lunch_break_min must be a whole number of minutes, not {value!r}"
                    )
                values[name] = int(value)
            elif name == "vehicle_rates":
                _check_vehicle_rates(value, f"{where}.vehicle_rates", complete=False)
                values[name] = MappingProxyType({k: float(v) for k, v in value.items()})
            elif _is_number(value):
                values[name] = float(value)
            else:
                raise ValueError(f"{where}.{name} must be a number, not {value!r}")
        frozen[employer] = MappingProxyType(values)
    return MappingProxyType(frozen) if frozen else None
