"""Writing a problem back out: a folder of CSV files, one JSON document or one .xlsx workbook.

The output is what :func:`~dromologio.models.readers.read_problem` reads back
to an equal problem, extra columns included.  Cells are written in canonical
form: times ``HH:MM``, instants ``YYYY-MM-DDTHH:MM``, booleans ``true``/``false``,
lists ``;``-joined in vocabulary order (``daily`` for every weekday), and
empty optional values as empty cells.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Mapping
from os import PathLike
from pathlib import Path
from typing import Any

from . import cells
from .calendar import (
    ABSENCE_COLUMNS,
    ABSENCES_FILE,
    CALENDAR_COLUMNS,
    CALENDAR_FILE,
    absences_to_rows,
    calendar_to_rows,
)
from .problem import Base, KnownTravelTime, Port, Problem, Sailing, School, Technician, Ticket
from .readers import KNOWN_TIMES, SPECS, TABLES
from .vocab import SKILLS

__all__ = ["problem_to_dict", "write_problem"]

#: a row as typed values (str, int, float, bool or None), and its extra columns.
_Row = tuple[dict[str, Any], Mapping[str, str]]


def _school(s: School) -> dict[str, Any]:
    return {
        "school_id": s.school_id,
        "name": s.name,
        "lat": s.lat,
        "lon": s.lon,
        "directorate": s.directorate,
        "island": s.island,
        "opens": cells.format_time(s.opens_min),
        "closes": cells.format_time(s.closes_min),
        "needs_4x4": s.needs_4x4,
        "terrain": s.terrain,
    }


def _base(b: Base) -> dict[str, Any]:
    return {
        "base_id": b.base_id,
        "name": b.name,
        "lat": b.lat,
        "lon": b.lon,
        "island": b.island,
        "kind": b.kind,
    }


def _technician(t: Technician) -> dict[str, Any]:
    return {
        "technician_id": t.technician_id,
        "name": t.name,
        "base_id": t.base_id,
        "skills": cells.format_choice_list(t.skills, SKILLS),
        "shift_start": cells.format_time(t.shift_start_min),
        "shift_end": cells.format_time(t.shift_end_min),
        "employer": t.employer,
        "max_km_per_day": t.max_km_per_day,
        "has_4x4": t.has_4x4,
        "cost_per_km": t.cost_per_km,
    }


def _ticket(t: Ticket) -> dict[str, Any]:
    return {
        "ticket_id": t.ticket_id,
        "school_id": t.school_id,
        "opened_at": cells.format_instant(t.opened_at),
        "category": t.category,
        "skill": t.skill,
        "priority": t.priority,
        "service_minutes": t.service_minutes,
        "remote": t.remote,
        "warranty": t.warranty,
        "due_by": None if t.due_by is None else cells.format_instant(t.due_by),
    }


def _port(p: Port) -> dict[str, Any]:
    return {"port_id": p.port_id, "name": p.name, "lat": p.lat, "lon": p.lon, "island": p.island}


def _sailing(s: Sailing) -> dict[str, Any]:
    return {
        "from_port": s.from_port,
        "to_port": s.to_port,
        "depart": cells.format_time(s.depart_min),
        "duration_min": s.duration_min,
        "days": cells.format_days(s.days),
        "fare_eur": s.fare_eur,
    }


def _known_time(k: KnownTravelTime) -> dict[str, Any]:
    return {"from_id": k.from_id, "to_id": k.to_id, "minutes": k.minutes, "km": k.km, "one_way": k.one_way}


def _known_times(problem: Problem) -> tuple[list[str], list[_Row]]:
    """The optional ``travel_times`` table (written only when the problem has known times)."""
    return list(KNOWN_TIMES.column_names), [(_known_time(k), k.extra) for k in problem.travel_times]


def _tables(problem: Problem) -> dict[str, tuple[list[str], list[_Row]]]:
    """Each table's contract columns and its rows.

    The ``terrain`` column of schools (an extension of the contract) is written
    only when some school is not on plain terrain.
    """
    rows: dict[str, list[_Row]] = {
        "schools": [(_school(s), s.extra) for s in problem.schools],
        "bases": [(_base(b), b.extra) for b in problem.bases],
        "technicians": [(_technician(t), t.extra) for t in problem.technicians],
        "tickets": [(_ticket(t), t.extra) for t in problem.tickets],
        "ports": [(_port(p), p.extra) for p in problem.ports],
        "ferries": [(_sailing(s), s.extra) for s in problem.sailings],
    }
    out: dict[str, tuple[list[str], list[_Row]]] = {}
    for table in TABLES:
        columns = list(SPECS[table].column_names)
        if table == "schools" and all(s.terrain == "plain" for s in problem.schools):
            columns.remove("terrain")
        known = set(SPECS[table].column_names)
        for _, extra in rows[table]:
            clash = sorted(known & set(extra))
            if clash:
                raise ValueError(
                    f"extra column(s) {clash} of a {SPECS[table].what} clash with contract columns"
                )
        out[table] = (columns, [({c: values[c] for c in columns}, extra) for values, extra in rows[table]])
    return out


def _extra_columns(rows: list[_Row]) -> list[str]:
    """Extra columns in order of first appearance."""
    seen: dict[str, None] = {}
    for _, extra in rows:
        for name in extra:
            seen.setdefault(name, None)
    return list(seen)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return cells.format_bool(value)
    if isinstance(value, int | float):
        return cells.format_number(value)
    return str(value)


def problem_to_dict(problem: Problem) -> dict[str, Any]:
    """The JSON document form, ready for :func:`json.dumps`; the inverse of ``read_problem_dict``.

    A key per table (``ports`` and ``ferries`` always present, possibly empty),
    each a list of row objects: numbers as JSON numbers, booleans as JSON
    booleans, times, instants and lists as texts, empty optional values as
    ``null``, and each row's extra columns as texts.  ``policy`` holds every
    policy field; ``name`` is present when the problem has one.
    """
    doc: dict[str, Any] = {}
    if problem.name:
        doc["name"] = problem.name
    for table, (_, rows) in _tables(problem).items():
        doc[table] = [{**values, **extra} for values, extra in rows]
    if problem.travel_times:
        doc[KNOWN_TIMES.name] = [{**values, **extra} for values, extra in _known_times(problem)[1]]
    doc["policy"] = problem.policy.to_dict()
    if problem.calendar:
        doc["calendar"] = calendar_to_rows(problem.calendar)
    if problem.absences:
        doc["absences"] = absences_to_rows(problem.absences)
    return doc


def _write_csv(path: Path, columns: list[str], rows: list[_Row]) -> None:
    extras = _extra_columns(rows)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(columns + extras)
        for values, extra in rows:
            writer.writerow([_text(values[c]) for c in columns] + [extra.get(c, "") for c in extras])


def _write_folder(problem: Problem, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for table, (columns, rows) in _tables(problem).items():
        _write_csv(folder / SPECS[table].file, columns, rows)
    if problem.travel_times or (folder / KNOWN_TIMES.file).exists():
        _write_csv(folder / KNOWN_TIMES.file, *_known_times(problem))
    text = json.dumps(problem.policy.to_dict(), ensure_ascii=False, indent=2)
    (folder / "policy.json").write_text(text + "\n", encoding="utf-8")
    _write_availability(problem, folder)


def _write_availability(problem: Problem, folder: Path) -> None:
    """``calendar.csv`` and ``absences.csv`` when the problem has rows for them, or a file is there already."""
    for name, columns, rows in (
        (CALENDAR_FILE, CALENDAR_COLUMNS, calendar_to_rows(problem.calendar)),
        (ABSENCES_FILE, ABSENCE_COLUMNS, absences_to_rows(problem.absences)),
    ):
        if rows or (folder / name).exists():
            _write_csv(folder / name, list(columns), [(row, {}) for row in rows])


def _xlsx_value(value: Any) -> Any:
    """Numbers stay numbers; booleans are written as the words true/false; None is an empty cell."""
    if isinstance(value, bool):
        return cells.format_bool(value)
    return value


def _write_workbook(problem: Problem, path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    default_sheet = workbook.active
    if default_sheet is not None:
        workbook.remove(default_sheet)
    bold = Font(bold=True)

    def put(sheet: Any, row: int, values: list[Any]) -> None:
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(row=row, column=column, value=value)
            if isinstance(value, str) and value.startswith("="):
                cell.data_type = "s"  # a text that looks like a formula stays a text

    tables = _tables(problem)
    if problem.travel_times:
        tables[KNOWN_TIMES.name] = _known_times(problem)
    for table, (columns, rows) in tables.items():
        sheet = workbook.create_sheet(table)
        extras = _extra_columns(rows)
        put(sheet, 1, columns + extras)
        for cell in sheet[1]:
            cell.font = bold
        sheet.freeze_panes = "A2"
        for number, (values, extra) in enumerate(rows, start=2):
            put(sheet, number, [_xlsx_value(values[c]) for c in columns] + [extra.get(c, "") for c in extras])
    sheet = workbook.create_sheet("policy")
    put(sheet, 1, ["field", "value"])
    for cell in sheet[1]:
        cell.font = bold
    for number, (name, value) in enumerate(problem.policy.to_dict().items(), start=2):
        put(sheet, number, [name, json.dumps(value, ensure_ascii=False)])
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)


def write_problem(problem: Problem, path: str | PathLike[str]) -> Path:
    """Write ``problem`` where ``read_problem`` reads it back; returns the path written.

    - a path ending ``.json``: one JSON document (:func:`problem_to_dict`);
    - a path ending ``.xlsx``: one workbook with a sheet per table and a
      ``policy`` sheet of ``field,value`` rows (values JSON-encoded);
    - any other path: a folder (created if needed) of ``schools.csv``,
      ``bases.csv``, ``technicians.csv``, ``tickets.csv``, ``ports.csv`` and
      ``ferries.csv`` (UTF-8 without a byte-order mark), and ``calendar.csv`` and
      ``absences.csv`` when the problem has rows for them (the workbook keeps neither);
      ``travel_times.csv`` when the problem has known travel times (or the folder had one).

    Every table is always written (``ports`` and ``ferries`` with only a header
    when empty) and the policy is always written in full, every field with its
    value, so that the output documents the rules it carries and no file left
    over from an earlier write in the same folder can change what is read back.
    Existing files of those names are replaced; other files are left alone.
    """
    target = Path(path)
    suffix = target.suffix.lower()
    if suffix == ".json":
        target.parent.mkdir(parents=True, exist_ok=True)
        text = json.dumps(problem_to_dict(problem), ensure_ascii=False, indent=2)
        target.write_text(text + "\n", encoding="utf-8")
    elif suffix == ".xlsx":
        _write_workbook(problem, target)
    else:
        _write_folder(problem, target)
    return target
