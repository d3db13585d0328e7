"""The plan as an Excel workbook: routes, stops, tickets not visited with their reasons, costs.

Headers are Greek first, English second; money, km, dates and times carry Excel number
formats, so the figures stay numbers that add up (Excel shows them in the reader's locale:
``1.234,56 €`` on Greek Windows).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import datetime
from os import PathLike
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from dromologio.models import Plan, Problem
from dromologio.models.vocab import PRIORITY_LABELS_EL
from dromologio.planning.costs import COST_PARTS, plan_cost_table

from .route_times import driving_minutes, ferry_minutes

__all__ = ["SHEETS", "plan_workbook", "plan_xlsx_bytes", "write_plan_xlsx"]

#: the workbook's sheets, in order.
SHEETS: tuple[str, ...] = ("Δρομολόγια", "Στάσεις", "Χωρίς επίσκεψη", "Κόστος")

EUR = '#,##0.00 "€"'
KM = "#,##0.0"
WHOLE = "0"
DAY = "dd/mm/yyyy"
CLOCK = "hh:mm"

#: (header, number format) of each sheet's columns.
Column = tuple[str, str | None]

_ROUTE_COLUMNS: tuple[Column, ...] = (
    ("Ημερομηνία / date", DAY),
    ("Τεχνικός / technician", None),
    ("Όνομα / name", None),
    ("Φορέας / employer", None),
    ("Επισκέψεις / visits", WHOLE),
    ("Αιτήματα / tickets", WHOLE),
    ("Απόσταση km / distance", KM),
    ("Οδήγηση λεπτά / driving min", WHOLE),
    ("Πλοίο λεπτά / ferry min", WHOLE),
    ("Υπερωρία λεπτά / overtime min", WHOLE),
    ("Κόστος € / cost", EUR),
)
_STOP_COLUMNS: tuple[Column, ...] = (
    ("Ημερομηνία / date", DAY),
    ("Τεχνικός / technician", None),
    ("Όνομα / name", None),
    ("α/α / seq", WHOLE),
    ("Στάση / stop", None),
    ("Σχολείο / school id", None),
    ("Σχολείο / school", None),
    ("Διεύθυνση / directorate", None),
    ("Νησί / island", None),
    ("Αιτήματα / tickets", None),
    ("Άφιξη / arrive", CLOCK),
    ("Έναρξη / start", CLOCK),
    ("Λήξη / end", CLOCK),
    ("Αναχώρηση / depart", CLOCK),
    ("Από λιμάνι / from port", None),
    ("Προς λιμάνι / to port", None),
)
_UNASSIGNED_COLUMNS: tuple[Column, ...] = (
    ("Αίτημα / ticket", None),
    ("Σχολείο / school id", None),
    ("Σχολείο / school", None),
    ("Διεύθυνση / directorate", None),
    ("Νησί / island", None),
    ("Προτεραιότητα / priority", None),
    ("Κωδικός / code", None),
    ("Αιτία / reason", None),
)
_COST_HEADERS: dict[str, Column] = {
    "date": ("Ημερομηνία / date", DAY),
    "technician_id": ("Τεχνικός / technician", None),
    "technician": ("Όνομα / name", None),
    "employer": ("Φορέας / employer", None),
    "directorates": ("Διευθύνσεις / directorates", None),
    "islands": ("Νησιά / islands", None),
    "distance_km": ("Απόσταση km / distance", KM),
    "distance_eur": ("€ χιλιόμετρα / km", EUR),
    "ferry_eur": ("€ πλοίο / ferry", EUR),
    "per_diem_eur": ("€ ημερήσια / per diem", EUR),
    "overnight_eur": ("€ διανυκτέρευση / overnight", EUR),
    "tolls_eur": ("€ διόδια / tolls", EUR),
    "overtime_eur": ("€ υπερωρία / overtime", EUR),
    "total_eur": ("€ σύνολο / total", EUR),
    "tickets_served": ("Αιτήματα / tickets", WHOLE),
    "school_visits": ("Επισκέψεις / visits", WHOLE),
}
_STOP_LABELS = {
    "start": "Αναχώρηση / start",
    "visit": "Επίσκεψη / visit",
    "ferry": "Πλοίο / ferry",
    "end": "Επιστροφή / end",
}
_NOT_VISITED = {
    "remote": ("remote", "Απομακρυσμένη επίλυση / solved remotely"),
    "vendor": ("vendor", "Στον προμηθευτή (εγγύηση) / sent to the vendor (warranty)"),
}


def _clock(value: datetime | None) -> datetime | None:
    return None if value is None else value.replace(tzinfo=None)


def _fill(sheet: Worksheet, columns: Sequence[Column], rows: Sequence[Sequence[Any]]) -> None:
    sheet.append([header for header, _ in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(list(row))
    for number, (header, fmt) in enumerate(columns, start=1):
        letter = sheet.cell(row=1, column=number).column_letter
        width = max([len(header), *(len(str(r[number - 1] or "")) for r in rows)])
        sheet.column_dimensions[letter].width = min(60, max(8, width + 2))
        if fmt is not None:
            for (cell,) in sheet.iter_rows(min_row=2, min_col=number, max_col=number):
                cell.number_format = fmt
    sheet.freeze_panes = "A2"


def _route_rows(plan: Plan, problem: Problem) -> list[list[Any]]:
    rows: list[list[Any]] = []
    for route in plan.routes:
        technician = problem.technician_by_id.get(route.technician_id)
        rows.append(
            [
                route.date,
                route.technician_id,
                technician.name if technician else "",
                technician.employer if technician else "",
                len(route.visits),
                len(route.ticket_ids),
                route.distance_km,
                driving_minutes(route),
                ferry_minutes(route),
                route.overtime_min,
                route.cost_eur,
            ]
        )
    return rows


def _stop_rows(plan: Plan, problem: Problem) -> list[list[Any]]:
    rows: list[list[Any]] = []
    for route in plan.routes:
        technician = problem.technician_by_id.get(route.technician_id)
        for seq, stop in enumerate(route.stops):
            school = problem.school_by_id.get(stop.school_id or "")
            source = problem.port_by_id.get(stop.from_port or "")
            target = problem.port_by_id.get(stop.to_port or "")
            rows.append(
                [
                    route.date,
                    route.technician_id,
                    technician.name if technician else "",
                    seq,
                    _STOP_LABELS[stop.type],
                    stop.school_id or "",
                    school.name if school else "",
                    school.directorate if school else "",
                    school.island if school else stop.island or "",
                    ", ".join(stop.ticket_ids),
                    _clock(stop.arrive),
                    _clock(stop.start),
                    _clock(stop.end),
                    _clock(stop.depart),
                    source.name if source else stop.from_port or "",
                    target.name if target else stop.to_port or "",
                ]
            )
    return rows


def _unassigned_rows(plan: Plan, problem: Problem) -> list[list[Any]]:
    entries = [(u.ticket_id, u.code, u.reason) for u in plan.unassigned]
    for kind, ids in (("remote", plan.remote), ("vendor", plan.vendor)):
        code, text = _NOT_VISITED[kind]
        entries += [(ticket_id, code, text) for ticket_id in ids]
    rows: list[list[Any]] = []
    for ticket_id, code, reason in entries:
        ticket = problem.ticket_by_id.get(ticket_id)
        school = problem.school_by_id.get(ticket.school_id) if ticket else None
        rows.append(
            [
                ticket_id,
                school.school_id if school else "",
                school.name if school else "",
                school.directorate if school else "",
                school.island if school else "",
                PRIORITY_LABELS_EL.get(ticket.priority, ticket.priority) if ticket else "",
                code,
                reason,
            ]
        )
    return rows


def _cost_rows(plan: Plan, problem: Problem) -> tuple[list[Column], list[list[Any]]]:
    table = plan_cost_table(problem, plan)
    names = [name for name in _COST_HEADERS if name in table.columns]
    rows: list[list[Any]] = []
    for record in table.to_dict("records"):
        row = [record[name] for name in names]
        row[0] = datetime.fromisoformat(str(record["date"])).date()
        rows.append(row)
    if rows:
        counts = {"tickets_served", "school_visits"}
        summed = {"distance_km", *COST_PARTS, "total_eur", *counts}
        total: list[Any] = ["Σύνολο / total", *([""] * (len(names) - 1))]
        for number, name in enumerate(names):
            if name in summed:
                value = table[name].sum()
                total[number] = int(value) if name in counts else round(float(value), 2)
        rows.append(total)
    return [_COST_HEADERS[name] for name in names], rows


def plan_workbook(plan: Plan, problem: Problem) -> Workbook:
    """The plan's workbook: :data:`SHEETS`, one row per route, stop, ticket not visited and priced route."""
    book = Workbook()
    routes = book.active
    assert routes is not None  # a new workbook has one sheet
    routes.title = SHEETS[0]
    _fill(routes, _ROUTE_COLUMNS, _route_rows(plan, problem))
    _fill(book.create_sheet(SHEETS[1]), _STOP_COLUMNS, _stop_rows(plan, problem))
    _fill(book.create_sheet(SHEETS[2]), _UNASSIGNED_COLUMNS, _unassigned_rows(plan, problem))
    cost_columns, cost_rows = _cost_rows(plan, problem)
    costs = book.create_sheet(SHEETS[3])
    _fill(costs, cost_columns, cost_rows)
    if cost_rows:
        for cell in costs[costs.max_row]:
            cell.font = Font(bold=True)
    return book


def plan_xlsx_bytes(plan: Plan, problem: Problem) -> bytes:
    """The plan's workbook as the bytes of an .xlsx file."""
    buffer = io.BytesIO()
    plan_workbook(plan, problem).save(buffer)
    return buffer.getvalue()


def write_plan_xlsx(plan: Plan, problem: Problem, path: str | PathLike[str]) -> Path:
    """Write the plan's workbook to ``path``."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    plan_workbook(plan, problem).save(target)
    return target
