"""Plan files: the contract's plan JSON, and a flat CSV of stops for spreadsheets."""

from __future__ import annotations

import csv
import json
from datetime import datetime
from pathlib import Path
from typing import Any

from .plan import Plan, Stop

PLAN_CSV_COLUMNS = (
    "date",
    "technician_id",
    "seq",
    "type",
    "school_id",
    "ticket_ids",
    "from_port",
    "to_port",
    "lat",
    "lon",
    "arrive",
    "start",
    "end",
    "depart",
    "lodging",
    "island",
    "reason",
)


def plan_to_json(plan: Plan) -> str:
    return json.dumps(plan.to_dict(), ensure_ascii=False, indent=2)


def write_plan_json(plan: Plan, path: Path) -> Path:
    path = Path(path)
    path.write_text(plan_to_json(plan) + "\n", encoding="utf-8")
    return path


def read_plan_document(path: Path) -> dict[str, Any]:
    """The plan JSON as a dict (for the checker, which also judges malformed plans)."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise ValueError(f"{path}: not valid JSON ({error.msg} at line {error.lineno})") from error
    if not isinstance(data, dict):
        raise ValueError(f"{path}: a plan is a JSON object with dates, routes, unassigned, remote, vendor")
    return data


def read_plan_json(path: Path) -> Plan:
    return Plan.from_dict(read_plan_document(path))


def plan_csv_rows(plan: Plan) -> list[dict[str, str]]:
    """One row per stop (and a ``break`` row, without ``seq``, where a route's lunch break falls),
    then one row per ticket not visited (type unassigned/remote/vendor)."""
    rows: list[dict[str, str]] = []
    for route in plan.routes:
        lunch = route.lunch_break
        for seq, stop in enumerate(route.stops):
            data = stop.to_dict()
            row = {column: "" for column in PLAN_CSV_COLUMNS}
            row.update({k: str(v) for k, v in data.items() if k in row and k != "ticket_ids"})
            row["ticket_ids"] = ";".join(stop.ticket_ids)
            row["lodging"] = "true" if stop.lodging else ""
            row.update(date=route.date.isoformat(), technician_id=route.technician_id, seq=str(seq))
            if lunch is not None and _begins(stop) > lunch.start:
                rows.append(_break_row(route.date.isoformat(), route.technician_id, lunch.to_dict()))
                lunch = None
            rows.append(row)
        if lunch is not None:
            rows.append(_break_row(route.date.isoformat(), route.technician_id, lunch.to_dict()))
    leftovers = [(u.ticket_id, "unassigned", u.reason) for u in plan.unassigned]
    leftovers += [(t, "remote", "") for t in plan.remote] + [(t, "vendor", "") for t in plan.vendor]
    for ticket_id, kind, reason in leftovers:
        row = {column: "" for column in PLAN_CSV_COLUMNS}
        row.update(type=kind, ticket_ids=ticket_id, reason=reason)
        rows.append(row)
    return rows


def _begins(stop: Stop) -> datetime:
    """When a stop begins: the arrival (visit, end) or the departure (start, ferry)."""
    instant = stop.arrive if stop.type in ("visit", "end") else stop.depart
    return instant if instant is not None else datetime.max


def _break_row(day: str, technician_id: str, lunch: dict[str, str]) -> dict[str, str]:
    row = {column: "" for column in PLAN_CSV_COLUMNS}
    row.update(date=day, technician_id=technician_id, type="break", start=lunch["start"], end=lunch["end"])
    return row


def write_plan_csv(plan: Plan, path: Path) -> Path:
    path = Path(path)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=PLAN_CSV_COLUMNS)
        writer.writeheader()
        writer.writerows(plan_csv_rows(plan))
    return path
