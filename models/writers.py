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
from collections.abc import Iterable, Mapping, Sequence
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
from .problem import Problem
from .table_specs import KNOWN_TIMES, SPECS, TABLES, Column, TableSpec

__all__ = ["cell_text", "problem_to_dict", "row_values", "write_csv", "write_problem", "written_columns"]

#: a row as typed values (str, int, float, bool or None), and its extra columns.
_Row = tuple[dict[str, Any], Mapping[str, str]]


def row_values(spec: TableSpec, record: Any) -> dict[str, Any]:
    """The contract's cells of one record, by column name, as each column's kind writes them."""
    return {column.name: column.value_of(record) for column in spec.columns}


def written_columns(spec: TableSpec, records: Sequence[Any]) -> list[Column]:
    """The columns written for ``records``: all, less those left out when every row holds the default."""
    return [
        column
        for column in spec.columns
        if not (column.omitted_when_default and all(column.value_of(r) == column.default for r in records))
    ]


def _table(spec: TableSpec, records: Sequence[Any]) -> tuple[list[str], list[_Row]]:
    """One table's written columns and its rows (the contract's cells and each record's extra columns)."""
    columns = written_columns(spec, records)
    known = set(spec.column_names)
    rows: list[_Row] = []
    for record in records:
        clash = sorted(known & set(record.extra))
        if clash:
            raise ValueError(f"extra column(s) {clash} of a {spec.what} clash with contract columns")
        rows.append(({c.name: c.value_of(record) for c in columns}, record.extra))
    return [c.name for c in columns], rows


def _known_times(problem: Problem) -> tuple[list[str], list[_Row]]:
    """The optional ``travel_times`` table (written only when the problem has known times)."""
    return _table(KNOWN_TIMES, problem.travel_times)


def _tables(problem: Problem) -> dict[str, tuple[list[str], list[_Row]]]:
    """Each table's contract columns and its rows, in the order of the contract."""
    return {table: _table(SPECS[table], getattr(problem, SPECS[table].rows_field)) for table in TABLES}


def _extra_columns(rows: list[_Row]) -> list[str]:
    """Extra columns in order of first appearance."""
    seen: dict[str, None] = {}
    for _, extra in rows:
        for name in extra:
            seen.setdefault(name, None)
    return list(seen)


def cell_text(value: Any) -> str:
    """A cell's text in a CSV file: empty for None, ``true``/``false``, numbers without a needless ``.0``."""
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


def write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[str]]) -> None:
    """UTF-8 CSV without a byte-order mark, ``\\n`` line ends (stable in version control)."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def _write_csv(path: Path, columns: list[str], rows: list[_Row]) -> None:
    extras = _extra_columns(rows)
    write_csv(
        path,
        columns + extras,
        (
            [cell_text(values[c]) for c in columns] + [extra.get(c, "") for c in extras]
            for values, extra in rows
        ),
    )


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
