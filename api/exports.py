"""A plan in other forms: CSV, GeoJSON, a printable route sheet (Greek); iCalendar is in calendar_feed.py.

Every function takes the plan (as stored) and the problem it was solved for.  The CSV, the
.xlsx workbook and the route sheet are built in :mod:`dromologio.reports.exports`, which the
command line shares.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from dromologio.models import Plan, Problem
from dromologio.reports.exports import DIALECTS, PLAIN, plan_csv_text
from dromologio.reports.exports.route_sheet import route_sheet_html, ticket_lines

__all__ = ["plan_csv", "plan_geojson", "route_sheet_html", "ticket_lines"]


def plan_csv(plan: Plan, problem: Problem, excel: str | None = None) -> str:
    """One row per stop, then one per ticket not visited, names beside ids (as ``dromologio plan``
    writes it); ``excel="el"`` writes it for Greek Excel (BOM, ``;``, decimal comma)."""
    return plan_csv_text(plan, problem, DIALECTS[excel] if excel else PLAIN)


def _port_point(problem: Problem, port_id: str | None) -> list[float] | None:
    port = problem.port_by_id.get(port_id or "")
    return None if port is None else [round(port.lon, 6), round(port.lat, 6)]


def plan_geojson(plan: Plan, problem: Problem) -> dict[str, Any]:
    """Routes as LineStrings (through ports for ferries), visits and unassigned tickets as Points."""
    features: list[dict[str, Any]] = []
    for route in plan.routes:
        technician = problem.technician_by_id.get(route.technician_id)
        line: list[list[float]] = []
        for seq, stop in enumerate(route.stops):
            if stop.type == "ferry":
                for point in (_port_point(problem, stop.from_port), _port_point(problem, stop.to_port)):
                    if point is not None:
                        line.append(point)
                continue
            if stop.lat is None or stop.lon is None:
                continue
            line.append([round(stop.lon, 6), round(stop.lat, 6)])
            if stop.type == "visit" and stop.school_id is not None:
                school = problem.school_by_id.get(stop.school_id)
                tickets = [problem.ticket_by_id[t] for t in stop.ticket_ids if t in problem.ticket_by_id]
                features.append(
                    {
                        "type": "Feature",
                        "geometry": {
                            "type": "Point",
                            "coordinates": [round(stop.lon, 6), round(stop.lat, 6)],
                        },
                        "properties": {
                            "kind": "visit",
                            "technician_id": route.technician_id,
                            "date": route.date.isoformat(),
                            "seq": seq,
                            "school_id": stop.school_id,
                            "school_name": school.name if school else "",
                            "directorate": school.directorate if school else "",
                            "ticket_ids": list(stop.ticket_ids),
                            "categories": [t.category for t in tickets],
                            "priorities": [t.priority for t in tickets],
                            "arrive": _iso(stop.arrive),
                            "start": _iso(stop.start),
                            "end": _iso(stop.end),
                        },
                    }
                )
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "LineString", "coordinates": line},
                "properties": {
                    "kind": "route",
                    "technician_id": route.technician_id,
                    "technician_name": technician.name if technician else "",
                    "employer": technician.employer if technician else "",
                    "date": route.date.isoformat(),
                    "visits": len(route.visits),
                    "ticket_ids": list(route.ticket_ids),
                    "distance_km": route.distance_km,
                    "travel_minutes": route.travel_minutes,
                    "cost_eur": route.cost_eur,
                },
            }
        )
    for item in plan.unassigned:
        ticket = problem.ticket_by_id.get(item.ticket_id)
        school = problem.school_by_id.get(ticket.school_id) if ticket else None
        if school is None:
            continue
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [round(school.lon, 6), round(school.lat, 6)]},
                "properties": {
                    "kind": "unassigned",
                    "ticket_id": item.ticket_id,
                    "school_id": school.school_id,
                    "school_name": school.name,
                    "reason": item.reason,
                    "code": item.code,
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat(timespec="minutes")
