"""What plans cost: one row per route, and reports by employer, technician, directorate, island or day.

:func:`plan_cost_table` prices every route of a plan with
:func:`~dromologio.dispatch.pricing.route_costs` (the employer's travel rules, from the plan
and the problem alone); :func:`cost_report` adds the rows up.  The pricing of one route is
re-exported here, so that ``dromologio.planning.costs`` is the one place to read costs from.
Writing the tables to CSV and Excel is in :mod:`dromologio.reports.costs`; ``docs/costs.md``
describes the rules and the columns.
"""

from __future__ import annotations

import json
import math
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pandas as pd

from dromologio.dispatch.pricing import (
    COST_PARTS,
    employer_policy,
    farthest_visit_km,
    ferry_fare_eur,
    km_rate,
    per_diem_eur,
    route_costs,
    technician_of,
    vehicle_of,
)
from dromologio.models import Plan, Problem, Route
from dromologio.models.cells import suggestion
from dromologio.models.policy import VEHICLE_KINDS

__all__ = [
    "COST_PARTS",
    "FAIRNESS_COLUMNS",
    "FAIRNESS_TOLERANCE",
    "GROUPINGS",
    "MAINLAND",
    "NO_VISITS",
    "ROUTE_COLUMNS",
    "VISITED_STATES",
    "cost_policy_issues",
    "cost_report",
    "employer_policy",
    "fairness_report",
    "farthest_visit_km",
    "ferry_fare_eur",
    "km_rate",
    "per_diem_days",
    "per_diem_eur",
    "period_cost_table",
    "plan_cost_table",
    "route_costs",
    "route_nights",
    "travelled_plan",
    "vehicle_of",
]

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
    "per_diem_days",
    "nights",
    "tickets_served",
    "school_visits",
    "farthest_km",
    "places",
)
_SUMMED = ("distance_km", *COST_PARTS, "total_eur", "tickets_served", "school_visits")


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
    technician = technician_of(problem, route)
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
        "per_diem_days": per_diem_days(problem, route, costs["per_diem_eur"]),
        "nights": route_nights(route),
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


# --- allowance days and nights, plans of a period, travelled routes, fairness ---------------


def route_nights(route: Route) -> int:
    """Nights away a route ends with: 1 when the technician lodges away after it, else 0."""
    return 1 if route.stops and route.stops[-1].lodging else 0


def per_diem_days(problem: Problem, route: Route, per_diem: float | None = None) -> float:
    """The route's daily allowance in days: 1 for a full per diem, the employer's same-day
    share (e.g. 0.5) for a shorter day, 0 without one; ``per_diem`` is the route's amount
    when already priced."""
    amount = per_diem_eur(problem, route) if per_diem is None else per_diem
    full = employer_policy(problem, technician_of(problem, route)).per_diem_eur
    return round(amount / full, 2) if full > 0 else 0.0


#: the states of a visit (the service's day) that mean the technician was at the school:
#: solved there, or visited and not solved.  Either way the trip was made and is paid.
VISITED_STATES: tuple[str, ...] = ("done", "not_solved")


def travelled_plan(plan: Plan, visited_ticket_ids: Collection[str]) -> Plan:
    """The routes of ``plan`` that were travelled: those with a ticket in ``visited_ticket_ids``
    (a visit reported done or not solved), and a route that starts where the same technician
    lodged after a travelled day (the way home after a night away is travelled in any case).
    Planned routes whose visits nobody reported are left out."""
    visited = set(visited_ticket_ids)
    kept: list[Route] = []
    travelled: set[tuple[str, date]] = set()
    for route in sorted(plan.routes, key=lambda r: r.date):
        went = any(ticket in visited for ticket in route.ticket_ids)
        carries_on = (
            bool(route.stops)
            and route.stops[0].lodging
            and (route.technician_id, route.date - timedelta(days=1)) in travelled
        )
        if went or carries_on:
            travelled.add((route.technician_id, route.date))
            kept.append(route)
    order = {id(route): number for number, route in enumerate(plan.routes)}
    kept.sort(key=lambda r: order[id(r)])
    return Plan(plan.dates, tuple(kept), plan.unassigned, plan.remote, plan.vendor, plan.kpis)


def period_cost_table(priced: Iterable[tuple[str, Problem, Plan]]) -> pd.DataFrame:
    """The route tables (:func:`plan_cost_table`) of several plans, oldest plan first, as one.

    ``priced`` holds (plan id, problem solved, plan).  A technician has one working day per
    date: where several plans have a route for the same technician and date (a day re-planned
    for an urgent ticket, or planned again), the route of the last plan given counts.  The
    table adds a first column ``plan_id``.
    """
    tables = []
    for plan_id, problem, plan in priced:
        table = plan_cost_table(problem, plan)
        table.insert(0, "plan_id", plan_id)
        tables.append(table)
    if not tables:
        return pd.DataFrame(columns=["plan_id", *ROUTE_COLUMNS])
    table = pd.concat(tables, ignore_index=True)
    table = table.drop_duplicates(subset=["technician_id", "date"], keep="last")
    return table.sort_values(["date", "technician_id"], kind="stable").reset_index(drop=True)


#: how far a technician's allowance money may stray from the employer's mean, as a share of
#: the mean, before the month counts as unfair to (or in favour of) that technician.
FAIRNESS_TOLERANCE = 0.25

#: the columns of :func:`fairness_report`, in order.
FAIRNESS_COLUMNS: tuple[str, ...] = (
    "technician_id",
    "technician",
    "employer",
    "routes",
    "per_diem_days",
    "per_diem_eur",
    "nights",
    "overnight_eur",
    "allowance_eur",
    "deviation_eur",
    "deviation_share",
    "nights_deviation",
    "within_tolerance",
)


@dataclass(frozen=True)
class Fairness:
    """Allowance money and nights away of one employer's technicians over a period."""

    #: one row per technician (:data:`FAIRNESS_COLUMNS`), the most paid first.
    table: pd.DataFrame
    #: the mean allowance (per diem + overnight) per technician, and highest minus lowest.
    mean_allowance_eur: float
    spread_eur: float
    #: the mean nights away per technician, and most minus fewest.
    mean_nights: float
    spread_nights: int
    #: the tolerance the rows were judged by (share of the mean).
    tolerance: float

    @property
    def outside(self) -> list[str]:
        """Ids of the technicians outside the tolerance."""
        return [
            str(t)
            for t, ok in zip(self.table["technician_id"], self.table["within_tolerance"], strict=True)
            if not ok
        ]


def fairness_report(
    table: pd.DataFrame,
    roster: Mapping[str, tuple[str, str]],
    *,
    tolerance: float = FAIRNESS_TOLERANCE,
) -> Fairness:
    """How evenly allowances fell on the technicians of ``roster`` in a route table.

    ``roster`` maps technician id to (name, employer): every technician of the employer, so
    that one who was never sent away counts with zeros.  A technician is within tolerance
    when the allowance money (per diem + overnight) is within ``tolerance`` x the mean of the
    roster from the mean, and the nights away within the same share of the mean nights (and
    at least one night).  Routes of technicians outside the roster are ignored.
    """
    if tolerance < 0:
        raise ValueError(f"tolerance must be 0 or more, not {tolerance}")
    rows: list[dict[str, Any]] = []
    records = [r for r in table.to_dict("records") if str(r["technician_id"]) in roster]
    for technician_id, (name, employer) in sorted(roster.items()):
        mine = [r for r in records if str(r["technician_id"]) == technician_id]
        per_diem = round(sum(float(r["per_diem_eur"]) for r in mine), 2)
        overnight = round(sum(float(r["overnight_eur"]) for r in mine), 2)
        rows.append(
            {
                "technician_id": technician_id,
                "technician": name,
                "employer": employer,
                "routes": sum(1 for r in mine if int(r["tickets_served"]) > 0 or float(r["total_eur"]) > 0),
                "per_diem_days": round(sum(float(r["per_diem_days"]) for r in mine), 2),
                "per_diem_eur": per_diem,
                "nights": sum(int(r["nights"]) for r in mine),
                "overnight_eur": overnight,
                "allowance_eur": round(per_diem + overnight, 2),
            }
        )
    count = len(rows)
    mean_money = sum(r["allowance_eur"] for r in rows) / count if count else 0.0
    mean_nights = sum(r["nights"] for r in rows) / count if count else 0.0
    for row in rows:
        deviation = row["allowance_eur"] - mean_money
        row["deviation_eur"] = round(deviation, 2)
        row["deviation_share"] = round(deviation / mean_money, 3) if mean_money > 0 else 0.0
        row["nights_deviation"] = round(row["nights"] - mean_nights, 2)
        money_ok = abs(deviation) <= tolerance * mean_money + 0.005
        nights_ok = abs(row["nights"] - mean_nights) <= max(1.0, tolerance * mean_nights)
        row["within_tolerance"] = bool(money_ok and nights_ok)
    rows.sort(key=lambda r: (-r["allowance_eur"], r["technician_id"]))
    money = [r["allowance_eur"] for r in rows]
    nights = [r["nights"] for r in rows]
    return Fairness(
        table=pd.DataFrame(rows, columns=list(FAIRNESS_COLUMNS)),
        mean_allowance_eur=round(mean_money, 2),
        spread_eur=round(max(money) - min(money), 2) if rows else 0.0,
        mean_nights=round(mean_nights, 2),
        spread_nights=max(nights) - min(nights) if rows else 0,
        tolerance=tolerance,
    )
