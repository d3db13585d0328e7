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
from collections.abc import Mapping, Sequence
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
