"""What a plan costs, route by route, from the plan and the problem alone (never from the solver).

:func:`route_costs` prices one route by the travel rules of the technician's
employer (``Policy.for_employer``); :func:`plan_cost_table` gives one row per
route; :func:`cost_report` adds the rows up by employer, technician,
directorate, island or day.  The rules, with their example defaults, are in
``docs/costs.md``:

- ``distance_eur``: the route's road km x the technician's rate per km: their
  own ``cost_per_km``, else the employer's ``vehicle_rates`` for the vehicle
  named in the ``vehicle`` column of ``technicians.csv``, else the employer's
  ``cost_per_km_eur``;
- ``ferry_eur``: the fare of every ferry stop, looked up in the timetable by
  from port, to port and departure time (fares are reimbursed at cost);
- ``per_diem_eur``: the daily allowance, for a day that starts or ends lodging
  away (in full), or a day on which a school visited lies farther than
  ``per_diem_min_km`` great-circle km from the technician's base and which lasts
  at least ``per_diem_min_hours`` (``per_diem_same_day_share`` of it);
- ``overnight_eur``: ``overnight_eur`` when the route ends lodging away;
- ``tolls_eur``: road km x ``toll_eur_per_km`` (0 by default).

Each part is rounded to cents and ``total`` is the sum of the rounded parts.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from os import PathLike
from pathlib import Path
from typing import Any

import pandas as pd

from dromologio.geo import haversine_km
from dromologio.models import Plan, Policy, Problem, Route, Sailing, Stop, Technician
from dromologio.models.cells import suggestion
from dromologio.models.policy import VEHICLE_KINDS

__all__ = [
    "COST_PARTS",
    "GROUPINGS",
    "MAINLAND",
    "NO_VISITS",
    "ROUTE_COLUMNS",
    "cost_policy_issues",
    "cost_report",
    "employer_policy",
    "farthest_visit_km",
    "ferry_fare_eur",
    "km_rate",
    "per_diem_eur",
    "plan_cost_table",
    "route_costs",
    "vehicle_of",
    "write_cost_csv",
    "write_cost_xlsx",
]

#: the parts of a route's cost, in the order they are shown; ``total`` is their sum.
COST_PARTS: tuple[str, ...] = ("distance_eur", "ferry_eur", "per_diem_eur", "overnight_eur", "tolls_eur")

#: how :func:`cost_report` can group, and the columns of the route table each one groups by.
GROUPINGS: Mapping[str, tuple[str, ...]] = {
    "employer": ("employer",),
    "technician": ("technician_id", "technician", "employer"),
    "directorate": ("directorate",),
    "island": ("island",),
    "day": ("date",),
}
#: the island of a school on the mainland, in reports by island.
MAINLAND = "(ηπειρωτική / mainland)"
#: the directorate and island of a route without visits (e.g. the ride home after a night away).
NO_VISITS = "(χωρίς επισκέψεις / no visits)"

#: the columns of :func:`plan_cost_table`, in order.
ROUTE_COLUMNS: tuple[str, ...] = (
    "date",
    "technician_id",
    "technician",
    "employer",
    "directorates",
    "islands",
    "distance_km",
    "travel_minutes",
    "eur_per_km",
    *COST_PARTS,
    "total_eur",
    "plan_cost_eur",
    "tickets_served",
    "school_visits",
    "farthest_km",
    "places",
)
_SUMMED = ("distance_km", *COST_PARTS, "total_eur", "tickets_served", "school_visits")


# --- one route ------------------------------------------------------------------


def _technician(problem: Problem, route: Route) -> Technician:
    technician = problem.technician_by_id.get(route.technician_id)
    if technician is None:
        raise ValueError(
            f"route of {route.date.isoformat()} names technician '{route.technician_id}', "
            "who is not in technicians.csv"
        )
    return technician


def employer_policy(problem: Problem, technician: Technician) -> Policy:
    """The travel rules of the technician's employer (the policy with that employer's overrides)."""
    return problem.policy.for_employer(technician.employer)


def vehicle_of(technician: Technician) -> str | None:
    """The vehicle kind of the ``vehicle`` column of ``technicians.csv`` (None when absent or empty)."""
    text = technician.extra.get("vehicle", "").strip().lower()
    return text or None


def km_rate(problem: Problem, technician: Technician) -> float:
    """EUR per road km: the technician's ``cost_per_km``, else the employer's rate for the vehicle, else
    the employer's ``cost_per_km_eur``."""
    if technician.cost_per_km is not None:
        return technician.cost_per_km
    policy = employer_policy(problem, technician)
    vehicle = vehicle_of(technician)
    if vehicle is None:
        return policy.cost_per_km_eur
    if vehicle not in policy.vehicle_rates:
        raise ValueError(
            f"technicians.csv: technician '{technician.technician_id}' has vehicle '{vehicle}', "
            f"which is not one of {', '.join(VEHICLE_KINDS)}"
        )
    return float(policy.vehicle_rates[vehicle])


def _sailing_of(problem: Problem, stop: Stop) -> Sailing:
    if stop.depart is None:
        raise ValueError(f"ferry stop {stop.from_port} → {stop.to_port} has no departure time")
    minute = stop.depart.hour * 60 + stop.depart.minute
    matches = [
        s
        for s in problem.sailings
        if s.from_port == stop.from_port and s.to_port == stop.to_port and s.depart_min == minute
    ]
    running = [s for s in matches if s.runs_on(stop.depart)]
    if running or matches:
        return (running or matches)[0]
    raise ValueError(
        f"ferry {stop.from_port} → {stop.to_port} at {stop.depart:%Y-%m-%d %H:%M} is not in ferries.csv"
    )


def ferry_fare_eur(problem: Problem, stop: Stop) -> float:
    """The timetable's fare of a ferry stop (0 when ``fare_eur`` is empty); an unknown sailing is an error."""
    return _sailing_of(problem, stop).fare_eur or 0.0


def farthest_visit_km(problem: Problem, route: Route) -> float:
    """Great-circle km from the technician's base to the farthest school visited (0 without visits)."""
    base = problem.base_of(_technician(problem, route))
    farthest = 0.0
    for stop in route.visits:
        school = problem.school_by_id.get(stop.school_id or "")
        if school is None:
            raise ValueError(f"route of {route.technician_id} visits unknown school '{stop.school_id}'")
        farthest = max(farthest, haversine_km(base.lat, base.lon, school.lat, school.lon))
    return farthest


def _hours_away(route: Route) -> float:
    if not route.stops:
        return 0.0
    first, last = route.stops[0], route.stops[-1]
    leave = first.depart or first.arrive
    back = last.arrive or last.depart
    if leave is None or back is None:
        return 0.0
    return max(0.0, (back - leave).total_seconds() / 3600.0)


def _lodging_day(route: Route) -> bool:
    return bool(route.stops) and (route.stops[0].lodging or route.stops[-1].lodging)


def per_diem_eur(problem: Problem, route: Route) -> float:
    """The daily allowance of a route under its employer's rules.

    A day that starts or ends lodging away from home earns the full ``per_diem_eur``.
    Any other day earns ``per_diem_eur x per_diem_same_day_share`` when a school visited
    lies more than ``per_diem_min_km`` great-circle km from the technician's base and the
    route (start to end) lasts at least ``per_diem_min_hours``; otherwise nothing.
    """
    policy = employer_policy(problem, _technician(problem, route))
    if _lodging_day(route):
        return policy.per_diem_eur
    if farthest_visit_km(problem, route) <= policy.per_diem_min_km:
        return 0.0
    if _hours_away(route) < policy.per_diem_min_hours:
        return 0.0
    return policy.per_diem_eur * policy.per_diem_same_day_share


def route_costs(problem: Problem, route: Route) -> dict[str, float]:
    """The parts of a route's cost (:data:`COST_PARTS`) and their ``total``, in EUR rounded to cents."""
    technician = _technician(problem, route)
    policy = employer_policy(problem, technician)
    costs = {
        "distance_eur": round(route.distance_km * km_rate(problem, technician), 2),
        "ferry_eur": round(
            sum((ferry_fare_eur(problem, s) for s in route.stops if s.type == "ferry"), 0.0), 2
        ),
        "per_diem_eur": round(per_diem_eur(problem, route), 2),
        "overnight_eur": round(policy.overnight_eur if route.stops and route.stops[-1].lodging else 0.0, 2),
        "tolls_eur": round(route.distance_km * policy.toll_eur_per_km, 2),
    }
    costs["total"] = round(sum(costs[p] for p in COST_PARTS), 2)
    return costs


# --- a plan -----------------------------------------------------------------------


def _places(problem: Problem, route: Route) -> list[dict[str, Any]]:
    """Tickets and visits by (directorate, island) of the schools visited, in visiting order."""
    found: dict[tuple[str, str], dict[str, Any]] = {}
    for stop in route.visits:
        school = problem.school_by_id.get(stop.school_id or "")
        if school is None:
            raise ValueError(f"route of {route.technician_id} visits unknown school '{stop.school_id}'")
        key = (school.directorate, school.island)
        place = found.setdefault(
            key, {"directorate": school.directorate, "island": school.island, "tickets": 0, "visits": 0}
        )
        place["tickets"] += len(stop.ticket_ids)
        place["visits"] += 1
    return list(found.values())


def _route_row(problem: Problem, route: Route) -> dict[str, Any]:
    technician = _technician(problem, route)
    costs = route_costs(problem, route)
    places = _places(problem, route)
    return {
        "date": route.date.isoformat(),
        "technician_id": technician.technician_id,
        "technician": technician.name,
        "employer": technician.employer,
        "directorates": ";".join(dict.fromkeys(p["directorate"] for p in places)),
        "islands": ";".join(dict.fromkeys(p["island"] for p in places if p["island"])),
        "distance_km": route.distance_km,
        "travel_minutes": route.travel_minutes,
        "eur_per_km": km_rate(problem, technician),
        **{part: costs[part] for part in COST_PARTS},
        "total_eur": costs["total"],
        "plan_cost_eur": route.cost_eur,
        "tickets_served": len(route.ticket_ids),
        "school_visits": len(route.visits),
        "farthest_km": round(farthest_visit_km(problem, route), 1),
        "places": json.dumps(places, ensure_ascii=False),
    }


def plan_cost_table(problem: Problem, plan: Plan) -> pd.DataFrame:
    """One row per route of ``plan`` (:data:`ROUTE_COLUMNS`), in the plan's order.

    ``directorates`` and ``islands`` list the places visited (``;``-separated, mainland
    not listed); ``plan_cost_eur`` is the ``cost_eur`` the plan states, for comparison
    with ``total_eur``; ``places`` holds tickets and visits by directorate and island
    (JSON), which :func:`cost_report` uses to share a route's cost between them.
    """
    rows = [_route_row(problem, route) for route in plan.routes]
    return pd.DataFrame(rows, columns=list(ROUTE_COLUMNS))


def _keys(by: str | Sequence[str]) -> list[str]:
    names = [by] if isinstance(by, str) else list(by)
    if not names:
        raise ValueError(f"group by at least one of {', '.join(GROUPINGS)}")
    for name in names:
        if name not in GROUPINGS:
            raise ValueError(
                f"cannot group by '{name}'{suggestion(name, GROUPINGS)}; use {', '.join(GROUPINGS)}"
            )
    return list(dict.fromkeys(names))


def _shared_rows(table: pd.DataFrame) -> pd.DataFrame:
    """One row per (route, directorate, island): money and km shared by tickets served there."""
    rows: list[dict[str, Any]] = []
    for raw in table.to_dict("records"):
        record = {str(key): value for key, value in raw.items()}
        text = record.get("places")
        places = json.loads(text) if isinstance(text, str) and text else []
        if not places:
            if float(record["total_eur"]) > 0:  # e.g. the ride home after a night away
                rows.append({**record, "directorate": NO_VISITS, "island": NO_VISITS, "_share": 1.0})
            continue
        served = sum(int(p["tickets"]) for p in places)
        for place in places:
            rows.append(
                {
                    **record,
                    "directorate": place["directorate"],
                    "island": place["island"] or MAINLAND,
                    "_share": int(place["tickets"]) / served if served else 1.0 / len(places),
                    "tickets_served": int(place["tickets"]),
                    "school_visits": int(place["visits"]),
                }
            )
    return pd.DataFrame(rows)


def cost_report(
    table: pd.DataFrame, by: str | Sequence[str] = "employer", *, with_total: bool = False
) -> pd.DataFrame:
    """Costs of a route table (:func:`plan_cost_table`) added up by ``by``.

    ``by`` is one or more of ``employer``, ``technician``, ``directorate``, ``island``
    and ``day``.  A route that visits several directorates or islands is shared between
    them by the tickets it served in each (its tickets and visits are counted exactly).
    Columns: the keys, ``routes`` (routes that served a ticket or cost something), the
    km and EUR sums, ``tickets_served``, ``school_visits``, ``eur_per_ticket`` and
    ``eur_per_school_visit`` (empty where nothing was served).  ``with_total`` adds a
    last row ``Σ`` of the whole table.
    """
    names = _keys(by)
    keys = [column for name in names for column in GROUPINGS[name]]
    keys = list(dict.fromkeys(keys))
    columns = [*keys, "routes", *_SUMMED, "eur_per_ticket", "eur_per_school_visit"]
    if table.empty:
        return pd.DataFrame(columns=columns)
    if {"directorate", "island"} & set(keys):
        rows = _shared_rows(table)
    else:
        rows = table.copy()
        rows["_share"] = 1.0
    if rows.empty:
        return pd.DataFrame(columns=columns)
    for column in ("distance_km", *COST_PARTS, "total_eur"):
        rows[column] = rows[column].astype(float) * rows["_share"]
    rows["routes"] = ((rows["tickets_served"] > 0) | (rows["total_eur"] > 0)).astype(int)
    summed = ["routes", *_SUMMED]
    report = rows.groupby(keys, sort=True, dropna=False)[summed].sum().reset_index()
    if with_total:
        total: dict[str, Any] = {key: "" for key in keys}
        total[keys[0]] = "Σ"
        total.update({column: rows[column].sum() for column in summed})
        total["routes"] = int(((table["tickets_served"] > 0) | (table["total_eur"] > 0)).sum())
        report = pd.concat([report, pd.DataFrame([total])], ignore_index=True)
    report["distance_km"] = report["distance_km"].astype(float).round(1)
    for column in (*COST_PARTS, "total_eur"):
        report[column] = report[column].astype(float).round(2)
    for column in ("routes", "tickets_served", "school_visits"):
        report[column] = report[column].astype(int)
    report["eur_per_ticket"] = _ratio(report["total_eur"], report["tickets_served"])
    report["eur_per_school_visit"] = _ratio(report["total_eur"], report["school_visits"])
    return report[columns]


def _ratio(money: pd.Series, count: pd.Series) -> pd.Series:
    values = [round(m / c, 2) if c else math.nan for m, c in zip(money, count, strict=True)]
    return pd.Series(values, index=money.index, dtype=float)


def cost_policy_issues(problem: Problem) -> list[str]:
    """Mismatches between the policy's ``employers`` and the technicians, worth a warning.

    An employer named in ``policy.json`` that no technician has (usually a typo: its
    overrides would never apply), and a ``vehicle`` that is not a known kind.
    """
    issues: list[str] = []
    employers = sorted({t.employer for t in problem.technicians})
    for name in problem.policy.employers or {}:
        if name not in employers:
            issues.append(
                f"policy.json: employers names '{name}', which no technician in technicians.csv has"
                f"{suggestion(name, employers)}"
            )
    for technician in problem.technicians:
        vehicle = vehicle_of(technician)
        if vehicle is not None and vehicle not in VEHICLE_KINDS:
            issues.append(
                f"technicians.csv: technician '{technician.technician_id}' has vehicle '{vehicle}', "
                f"which is not one of {', '.join(VEHICLE_KINDS)}"
            )
    return issues


# --- files ------------------------------------------------------------------------


def write_cost_csv(frame: pd.DataFrame, path: str | PathLike[str]) -> Path:
    """Write a cost table or report as UTF-8 CSV (empty cells where a ratio is undefined)."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    frame.to_csv(target, index=False, encoding="utf-8", lineterminator="\n")
    return target


def write_cost_xlsx(sheets: Mapping[str, pd.DataFrame], path: str | PathLike[str]) -> Path:
    """Write cost tables into one workbook, a sheet per entry (names cut to Excel's 31 characters)."""
    from openpyxl.styles import Font

    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    with pd.ExcelWriter(target, engine="openpyxl") as writer:
        for name, frame in sheets.items():
            sheet_name = name[:31]
            frame.to_excel(writer, sheet_name=sheet_name, index=False)
            sheet = writer.sheets[sheet_name]
            for cell in sheet[1]:
                cell.font = Font(bold=True)
            sheet.freeze_panes = "A2"
            for column in sheet.columns:
                width = max(len(str(c.value)) if c.value is not None else 0 for c in column)
                letter = column[0].column_letter
                sheet.column_dimensions[letter].width = min(60, max(8, width + 2))
    return target
