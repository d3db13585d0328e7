"""A plan in other forms: CSV, GeoJSON, a printable route sheet (Greek); iCalendar is in calendar_feed.py.

Every function takes the plan JSON (as stored) and the problem it was solved for.
"""

from __future__ import annotations

import csv
import html
import io
from datetime import datetime
from typing import Any

from dromologio.models import Plan, Problem
from dromologio.models.plan_io import PLAN_CSV_COLUMNS, plan_csv_rows
from dromologio.models.vocab import PRIORITY_LABELS_EL, SKILL_LABELS_EL


def plan_csv(plan: Plan) -> str:
    """One row per stop, then one per ticket not visited (as ``dromologio plan`` writes it)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=PLAN_CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(plan_csv_rows(plan))
    return buffer.getvalue()


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


def ticket_lines(problem: Problem, ticket_ids: tuple[str, ...]) -> list[str]:
    """One line per ticket: id, category, skill, priority and service minutes (Greek)."""
    lines = []
    for ticket_id in ticket_ids:
        ticket = problem.ticket_by_id.get(ticket_id)
        if ticket is None:
            lines.append(ticket_id)
            continue
        skill = SKILL_LABELS_EL.get(ticket.skill, ticket.skill)
        priority = PRIORITY_LABELS_EL.get(ticket.priority, ticket.priority)
        lines.append(
            f"{ticket_id}: {ticket.category} ({skill}, προτεραιότητα {priority}, {ticket.service_minutes}′)"
        )
    return lines


_SHEET_STYLE = """
body { font-family: "DejaVu Sans", Arial, sans-serif; font-size: 11pt; margin: 1.5cm; color: #111; }
h1 { font-size: 16pt; margin: 0 0 .2em 0; }
.meta { margin: 0 0 1em 0; color: #333; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid #888; padding: .3em .4em; vertical-align: top; text-align: left; }
th { background: #eee; }
td.time { white-space: nowrap; }
tr.ferry td { background: #eef5ff; }
.sign { height: 2.2em; min-width: 8em; }
.totals { margin-top: 1em; }
.unassigned { margin-top: 1.5em; }
footer { margin-top: 2em; font-size: 9pt; color: #555; }
@media print { body { margin: 0; } a { color: inherit; text-decoration: none; } tr { page-break-inside: avoid; } }
"""


def _hhmm(value: datetime | None) -> str:
    return "" if value is None else value.strftime("%H:%M")


def route_sheet_html(plan: Plan, problem: Problem, technician_id: str) -> str:
    """A printable route sheet for one technician, in Greek: stops, tickets, times, signatures."""
    e = html.escape
    technician = problem.technician_by_id.get(technician_id)
    who = technician.name if technician else technician_id
    parts: list[str] = [
        "<!DOCTYPE html>",
        '<html lang="el"><head><meta charset="utf-8">',
        f"<title>Φύλλο δρομολογίου — {e(who)}</title>",
        f"<style>{_SHEET_STYLE}</style></head><body>",
    ]
    for route in plan.routes:
        if route.technician_id != technician_id:
            continue
        base = problem.base_of(technician) if technician else None
        parts.append(f"<h1>Φύλλο δρομολογίου — {e(who)}</h1>")
        meta = [
            f"Ημερομηνία: <strong>{e(route.date.strftime('%d/%m/%Y'))}</strong>",
            f"Τεχνικός: {e(technician_id)}",
        ]
        if technician:
            meta.append(f"Φορέας: {e(technician.employer)}")
        if base:
            meta.append(f"Βάση: {e(base.name)}")
        parts.append(f'<p class="meta">{" · ".join(meta)}</p>')
        parts.append(
            "<table><thead><tr><th>#</th><th>Ώρα</th><th>Στάση</th><th>Αιτήματα</th>"
            "<th>Εργασία</th><th>Υπογραφή / σφραγίδα</th></tr></thead><tbody>"
        )
        number = 0
        for stop in route.stops:
            if stop.type == "start":
                place = (
                    "Αναχώρηση από τη βάση"
                    if not stop.lodging
                    else f"Αναχώρηση από τόπο διανυκτέρευσης ({e(stop.island or '')})"
                )
                parts.append(
                    f'<tr><td></td><td class="time">{_hhmm(stop.depart)}</td><td colspan="4">{place}</td></tr>'
                )
            elif stop.type == "ferry":
                source = problem.port_by_id.get(stop.from_port or "")
                target = problem.port_by_id.get(stop.to_port or "")
                crossing = f"{e(source.name if source else stop.from_port or '')} → {e(target.name if target else stop.to_port or '')}"
                parts.append(
                    f'<tr class="ferry"><td></td><td class="time">{_hhmm(stop.depart)}–{_hhmm(stop.arrive)}</td>'
                    f'<td colspan="4">Πλοίο: {crossing}</td></tr>'
                )
            elif stop.type == "visit":
                number += 1
                school = problem.school_by_id.get(stop.school_id or "")
                name = school.name if school else stop.school_id or ""
                place = f"<strong>{e(name)}</strong>"
                if school:
                    place += f"<br>{e(school.directorate)}" + (
                        f", {e(school.island)}" if school.island else ""
                    )
                    place += f"<br><small>{school.lat:.5f}, {school.lon:.5f}</small>"
                tickets = "<br>".join(e(line) for line in ticket_lines(problem, stop.ticket_ids))
                parts.append(
                    f'<tr><td>{number}</td><td class="time">άφιξη {_hhmm(stop.arrive)}</td><td>{place}</td>'
                    f'<td>{tickets}</td><td class="time">{_hhmm(stop.start)}–{_hhmm(stop.end)}</td>'
                    f'<td class="sign"></td></tr>'
                )
            else:
                place = (
                    "Επιστροφή στη βάση" if not stop.lodging else f"Διανυκτέρευση ({e(stop.island or '')})"
                )
                parts.append(
                    f'<tr><td></td><td class="time">{_hhmm(stop.arrive)}</td><td colspan="4">{place}</td></tr>'
                )
        parts.append("</tbody></table>")
        parts.append(
            f'<p class="totals">Επισκέψεις: <strong>{len(route.visits)}</strong> · '
            f"Αιτήματα: <strong>{len(route.ticket_ids)}</strong> · "
            f"Απόσταση: <strong>{route.distance_km:.1f} km</strong> · "
            f"Οδήγηση: <strong>{route.travel_minutes} λεπτά</strong> · "
            f"Κόστος μετακίνησης: <strong>{route.cost_eur:.2f} €</strong></p>"
        )
    if len(parts) == 4:
        parts.append(f"<h1>Φύλλο δρομολογίου — {e(who)}</h1><p>Καμία επίσκεψη σε αυτό το πλάνο.</p>")
    parts.append(
        "<footer>Υπογραφή τεχνικού: ____________________ &nbsp; "
        "Υπογραφή υπευθύνου σχολείου: ____________________</footer></body></html>"
    )
    return "\n".join(parts)
