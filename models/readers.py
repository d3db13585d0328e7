"""Reading and validating a problem: a folder of CSV files, one JSON document or one .xlsx workbook.

The three forms hold the same tables (``docs/problem-format.md``):
``schools``, ``bases``, ``technicians``, ``tickets`` (required), ``ports`` (required
when a school or base is on an island), ``ferries`` (optional) and an optional
policy.

Validation reads everything before judging: every problem in every file is
collected as an :class:`~dromologio.models.errors.InputIssue` and reported in
one :class:`~dromologio.models.errors.InputError`.  Nothing is dropped and
nothing is silently corrected: if any row is bad, no problem is returned.
Columns beyond the contract are kept, as text, in each object's ``extra``.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import math
import zipfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from os import PathLike
from pathlib import Path
from typing import Any, TypeVar

from . import cells
from .calendar import (
    ABSENCES_FILE,
    CALENDAR_FILE,
    Absence,
    CalendarEntry,
    absences_from_document,
    calendar_from_document,
    read_absences,
    read_calendar,
)
from .cells import CellError, suggestion
from .errors import InputError, InputIssue
from .partial import ProblemTables, StoredIds
from .policy import Policy
from .problem import (
    Base,
    KnownTravelTime,
    Port,
    Problem,
    ProblemError,
    Sailing,
    School,
    Technician,
    Ticket,
)
from .vocab import BASE_KINDS, PRIORITIES, SKILLS, TERRAINS

__all__ = [
    "REQUIRED_TABLES",
    "SPECS",
    "TABLES",
    "Column",
    "TableSpec",
    "read_problem",
    "read_problem_dict",
    "read_tables",
    "read_tables_dict",
]

#: every table of a problem, in the order of the contract.
TABLES: tuple[str, ...] = ("schools", "bases", "technicians", "tickets", "ports", "ferries")
#: tables without which there is no problem.
REQUIRED_TABLES: tuple[str, ...] = ("schools", "bases", "technicians", "tickets")
#: optional tables beyond the contract (Dromologio extensions), read when given.
KNOWN_TIMES_TABLE = "travel_times"
_DOCUMENT_KEYS: tuple[str, ...] = (*TABLES, KNOWN_TIMES_TABLE, "policy", "name")
#: columns whose JSON value may be a list of words (joined with ';').
_LIST_COLUMNS = frozenset({"skills", "days"})
#: how many "did you mean" look-ups one column gets (they compare against every id).
_SUGGESTION_BUDGET = 200
#: tables whose rows are places (lat, lon), checked to lie in Greece.
_PLACES = frozenset({"schools", "bases", "ports"})
#: references between tables: (table, column, target table).
_REFERENCES: tuple[tuple[str, str, str], ...] = (
    ("tickets", "school_id", "schools"),
    ("technicians", "base_id", "bases"),
    ("ferries", "from_port", "ports"),
    ("ferries", "to_port", "ports"),
)

T = TypeVar("T")


# --- table schemas --------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """One column of a table: how to read a cell, and what an empty or absent one means.

    ``required``: the column must be present.  ``filled``: a cell must not be
    empty; when False, an empty cell (or an absent optional column) means
    ``default``.
    """

    name: str
    field: str
    parse: Callable[[str], Any]
    required: bool = True
    filled: bool = True
    default: Any = None
    example: str = ""


@dataclass(frozen=True)
class TableSpec:
    """The columns of one table and the domain type a row becomes."""

    name: str
    what: str
    columns: tuple[Column, ...]
    model: Callable[..., Any]
    id_column: str | None = None

    @property
    def file(self) -> str:
        return f"{self.name}.csv"

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    @property
    def required_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.required)

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


def _default(model: type[Any], name: str) -> Any:
    return next(f.default for f in dataclasses.fields(model) if f.name == name)


def _filled(name: str, parse: Callable[[str], Any] = cells.parse_text, example: str = "") -> Column:
    return Column(name, name, parse, example=example)


def _may_be_empty(name: str, default: Any = "") -> Column:
    return Column(name, name, cells.parse_text, filled=False, default=default)


def _optional(
    name: str, parse: Callable[[str], Any], model: type[Any], field_name: str | None = None
) -> Column:
    target = field_name or name
    return Column(name, target, parse, required=False, filled=False, default=_default(model, target))


def _choice(choices: Sequence[str]) -> Callable[[str], str]:
    def parse(text: str) -> str:
        return cells.parse_choice(text, choices)

    return parse


def _skill_list(text: str) -> frozenset[str]:
    return cells.parse_choice_list(text, SKILLS)


SCHOOLS = TableSpec(
    "schools",
    "school",
    (
        _filled("school_id", example="S0123"),
        _filled("name", example="1ο Δημοτικό Σχολείο Ιωαννίνων"),
        _filled("lat", cells.parse_latitude, "39.665"),
        _filled("lon", cells.parse_longitude, "20.853"),
        _filled("directorate", example="Δ.Π.Ε. Ιωαννίνων"),
        _may_be_empty("island"),
        _optional("opens", cells.parse_time, School, "opens_min"),
        _optional("closes", cells.parse_time, School, "closes_min"),
        _optional("needs_4x4", cells.parse_bool, School),
        _optional("terrain", _choice(TERRAINS), School),
    ),
    School,
    "school_id",
)

BASES = TableSpec(
    "bases",
    "base",
    (
        _filled("base_id", example="B01"),
        _filled("name", example="ΚΕ.ΠΛΗ.ΝΕ.Τ. Ιωαννίνων"),
        _filled("lat", cells.parse_latitude, "39.665"),
        _filled("lon", cells.parse_longitude, "20.853"),
        _may_be_empty("island"),
        _filled("kind", _choice(BASE_KINDS), "keplinet"),
    ),
    Base,
    "base_id",
)

TECHNICIANS = TableSpec(
    "technicians",
    "technician",
    (
        _filled("technician_id", example="T01"),
        _filled("name", example="Γ. Παπαδόπουλος"),
        _filled("base_id", example="B01"),
        _filled("skills", _skill_list, "windows;network"),
        _optional("shift_start", cells.parse_time, Technician, "shift_start_min"),
        _optional("shift_end", cells.parse_time, Technician, "shift_end_min"),
        _filled("employer", example="KE.PLI.NE.T."),
        _optional("max_km_per_day", cells.parse_positive, Technician),
        _optional("has_4x4", cells.parse_bool, Technician),
        _optional("cost_per_km", cells.parse_non_negative, Technician),
    ),
    Technician,
    "technician_id",
)

TICKETS = TableSpec(
    "tickets",
    "ticket",
    (
        _filled("ticket_id", example="K17"),
        _filled("school_id", example="S0123"),
        _filled("opened_at", cells.parse_instant, "2026-11-23T09:40"),
        _filled("category", example="network"),
        _filled("skill", _choice(SKILLS), "network"),
        _filled("priority", _choice(PRIORITIES), "normal"),
        _filled("service_minutes", cells.parse_service_minutes, "45"),
        _optional("remote", cells.parse_bool, Ticket),
        _optional("warranty", cells.parse_bool, Ticket),
        _optional("due_by", cells.parse_instant, Ticket),
    ),
    Ticket,
    "ticket_id",
)

PORTS = TableSpec(
    "ports",
    "port",
    (
        _filled("port_id", example="SYR"),
        _filled("name", example="Σύρος (Ερμούπολη)"),
        _filled("lat", cells.parse_latitude, "37.44"),
        _filled("lon", cells.parse_longitude, "24.94"),
        _may_be_empty("island"),
    ),
    Port,
    "port_id",
)

FERRIES = TableSpec(
    "ferries",
    "sailing",
    (
        _filled("from_port", example="SYR"),
        _filled("to_port", example="TIN"),
        Column("depart", "depart_min", cells.parse_time, example="10:45"),
        _filled("duration_min", cells.parse_crossing_minutes, "40"),
        _filled("days", cells.parse_days, "daily"),
        _optional("fare_eur", cells.parse_non_negative, Sailing),
    ),
    Sailing,
)

#: the schema of every table, by table name.
SPECS: Mapping[str, TableSpec] = {s.name: s for s in (SCHOOLS, BASES, TECHNICIANS, TICKETS, PORTS, FERRIES)}

#: ``travel_times.csv`` (optional): door-to-door road times the dispatcher knows.
KNOWN_TIMES = TableSpec(
    KNOWN_TIMES_TABLE,
    "known travel time",
    (
        _filled("from_id", example="KPN-IOA"),
        _filled("to_id", example="S0142"),
        _filled("minutes", cells.parse_service_minutes, "120"),
        _optional("km", cells.parse_positive, KnownTravelTime),
        _optional("one_way", cells.parse_bool, KnownTravelTime),
    ),
    KnownTravelTime,
)
#: ``schools.csv`` extension column: minutes added to every trip to and from the school (kept in ``extra``).
ACCESS_COLUMN = "access_min"
ACCESS_RANGE = (-120.0, 600.0)


def access_minutes(text: str) -> float:
    """The ``access_min`` of a school: minutes, -120 to 600 (empty: 0)."""
    if not text.strip():
        return 0.0
    value = cells.parse_number(text.strip())
    low, high = ACCESS_RANGE
    if not low <= value <= high:
        raise CellError(
            f"{text} minutes of access is not between {low:g} and {high:g}",
            "write the minutes to add to every trip to and from the school (negative to take some off)",
        )
    return value


#: a known travel time faster than the straight line at this speed is a typing error (as the checker says).
_KNOWN_MAX_KMH = 120.0


# --- raw tables: what a source holds before validation ----------------------------


@dataclass
class _RawRow:
    number: int
    cells: dict[str, str]
    #: columns whose value could not even be turned into text (already reported).
    bad: frozenset[str] = frozenset()


@dataclass
class _RawTable:
    label: str
    columns: list[str]
    rows: list[_RawRow]
    #: row number of the header; None for JSON lists, whose rows may each lack keys.
    header_row: int | None


@dataclass
class _RawPolicy:
    label: str
    entries: list[tuple[str, Any, int | None]]
    field_column: str | None = None
    value_column: str | None = None


MissingTable = Callable[[str, str], InputIssue]


@dataclass
class _Source:
    name: str
    labels: dict[str, str]
    missing: MissingTable
    #: tables found; None when the table is there but could not be read (already reported).
    tables: dict[str, _RawTable | None] = field(default_factory=dict)
    policy: _RawPolicy | None = None
    issues: list[InputIssue] = field(default_factory=list)
    #: False when the source as a whole could not be read (nothing more to check).
    readable: bool = True
    #: names in the source that may be misnamed tables (files, sheets or keys).
    spare: list[str] = field(default_factory=list)

    def label(self, table: str) -> str:
        return self.labels[table]


@dataclass
class _Row:
    number: int
    values: dict[str, Any]
    item: Any | None


# --- rows of text into raw tables -------------------------------------------------


def _table_from_rows(
    label: str, expected: Sequence[str], rows: Iterable[tuple[int, list[str]]], issues: list[InputIssue]
) -> _RawTable | None:
    """A header row and data rows (blank rows skipped) checked for shape."""
    header: list[str] | None = None
    header_row = 0
    named_width = 0
    data: list[_RawRow] = []
    reported_nameless: set[int] = set()
    for number, values in rows:
        if not any(v.strip() for v in values):
            continue
        if header is None:
            header = [v.strip() for v in values]
            header_row = number
            separator = next((s for s in (";", "\t", "|") if s in header[0]), None)
            if len(header) == 1 and separator is not None:
                shown = {"\t": "tabs"}.get(separator, f"'{separator}'")
                issues.append(
                    InputIssue(
                        label,
                        number,
                        None,
                        header[0],
                        f"the header has a single column; the columns seem to be separated by {shown}",
                        "separate the columns with commas (in Excel: save as 'CSV UTF-8 (Comma delimited)')",
                    )
                )
                return None
            seen: set[str] = set()
            for name in header:
                if name and name in seen:
                    issues.append(
                        InputIssue(
                            label, number, name, None, f"column '{name}' appears twice", "keep one of them"
                        )
                    )
                seen.add(name)
            named_width = max((i + 1 for i, n in enumerate(header) if n), default=0)
            continue
        if len(values) < named_width or any(v.strip() for v in values[len(header) :]):
            fix = (
                "put quotes around values that contain commas"
                if len(values) > len(header)
                else "every row needs a value (or an empty cell) for every column of the header"
            )
            issues.append(
                InputIssue(
                    label,
                    number,
                    None,
                    None,
                    f"the row has {len(values)} values but the header has {named_width} columns",
                    fix,
                )
            )
        row: dict[str, str] = {}
        for index, name in enumerate(header):
            value = values[index] if index < len(values) else ""
            if name:
                row.setdefault(name, value)
            elif value.strip() and index not in reported_nameless:
                reported_nameless.add(index)
                issues.append(
                    InputIssue(
                        label,
                        number,
                        None,
                        value,
                        f"value '{value}' is in column {index + 1}, which has no name in the header",
                        "give the column a name in the header row, or remove the value",
                    )
                )
        data.append(_RawRow(number, row))
    if header is None:
        issues.append(
            InputIssue(
                label,
                None,
                None,
                None,
                "there is no header row (the table is empty)",
                f"start with the header row: {','.join(expected)}",
            )
        )
        return None
    return _RawTable(label, list(dict.fromkeys(n for n in header if n)), data, header_row)


def _read_text(path: Path, label: str, issues: list[InputIssue]) -> str | None:
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            return handle.read()
    except UnicodeDecodeError as error:
        issues.append(
            InputIssue(
                label,
                None,
                None,
                None,
                f"the file is not UTF-8 text (byte {error.start} cannot be read)",
                "save it with UTF-8 encoding (in Excel: 'CSV UTF-8 (Comma delimited)')",
            )
        )
    except OSError as error:
        issues.append(InputIssue(label, None, None, None, f"the file cannot be read: {error.strerror}", ""))
    return None


def _csv_rows(path: Path, label: str, issues: list[InputIssue]) -> list[tuple[int, list[str]]] | None:
    """Records of a CSV file, each with the line it starts on (the header is line 1)."""
    text = _read_text(path, label, issues)
    if text is None:
        return None
    reader = csv.reader(io.StringIO(text, newline=""))
    rows: list[tuple[int, list[str]]] = []
    line = 1
    try:
        for values in reader:
            rows.append((line, values))
            line = reader.line_num + 1
    except csv.Error as error:
        issues.append(
            InputIssue(
                label,
                line,
                None,
                None,
                f"the file is not valid CSV: {error}",
                'check the quotes: a value with commas or line breaks is written "like, this"',
            )
        )
        return None
    return rows


def _load_json(path: Path, label: str, issues: list[InputIssue]) -> tuple[bool, Any]:
    text = _read_text(path, label, issues)
    if text is None:
        return False, None
    try:
        return True, json.loads(text)
    except json.JSONDecodeError as error:
        issues.append(
            InputIssue(
                label,
                None,
                None,
                None,
                f"not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}",
                "check the commas, quotes and brackets near there",
            )
        )
        return False, None


def _json_type(value: object) -> str:
    if isinstance(value, Mapping):
        return "an object"
    if isinstance(value, list | tuple):
        return "a list"
    if isinstance(value, str):
        return "a text"
    if value is None:
        return "null"
    return "a number or true/false"


def _policy_from_json(value: object, label: str, issues: list[InputIssue]) -> _RawPolicy | None:
    if not isinstance(value, Mapping):
        issues.append(
            InputIssue(
                label,
                None,
                None,
                None,
                f"the policy is {_json_type(value)}, not an object",
                'write {"field": value, ...}, e.g. {"cost_per_km_eur": 0.15}',
            )
        )
        return None
    return _RawPolicy(label, [(str(k), v, None) for k, v in value.items()])


# --- the three forms --------------------------------------------------------------


def _folder_source(folder: Path) -> _Source:
    files = sorted(p.name for p in folder.iterdir() if p.is_file())
    # files that could be a misnamed table: not already a table or the policy
    spare = [f for f in files if f not in {SPECS[t].file for t in TABLES} | {"policy.json", KNOWN_TIMES.file}]

    def missing(table: str, reason: str) -> InputIssue:
        spec = SPECS[table]
        return InputIssue(
            spec.file,
            None,
            None,
            None,
            f"{spec.file} is missing from the folder {folder}{reason}",
            f"add {spec.file} with the columns {','.join(spec.required_names)}{suggestion(spec.file, spare)}",
        )

    labels = {t: SPECS[t].file for t in TABLES} | {KNOWN_TIMES_TABLE: KNOWN_TIMES.file}
    source = _Source(folder.name, labels, missing, spare=spare)
    for spec in (*(SPECS[t] for t in TABLES), KNOWN_TIMES):
        table = spec.name
        if spec.file in files:
            rows = _csv_rows(folder / spec.file, spec.file, source.issues)
            source.tables[table] = (
                None
                if rows is None
                else _table_from_rows(spec.file, spec.required_names, rows, source.issues)
            )
    if "policy.json" in files:
        ok, value = _load_json(folder / "policy.json", "policy.json", source.issues)
        if ok:
            source.policy = _policy_from_json(value, "policy.json", source.issues)
    return source


def _document_source(doc: object, label: str, name: str) -> _Source:
    def missing(table: str, reason: str) -> InputIssue:
        columns = ", ".join(SPECS[table].required_names)
        return InputIssue(
            label,
            None,
            None,
            None,
            f"there is no '{table}' table{reason}",
            f"add a '{table}' key with a list of rows (columns: {columns})",
        )

    source = _Source(name, {t: f"{label}:{t}" for t in (*TABLES, KNOWN_TIMES_TABLE)}, missing)
    if not isinstance(doc, Mapping):
        source.issues.append(
            InputIssue(
                label,
                None,
                None,
                None,
                f"the document is {_json_type(doc)}, not an object with a key per table",
                'write {"schools": [...], "bases": [...], "technicians": [...], "tickets": [...]}',
            )
        )
        source.readable = False
        return source
    for key in doc:
        if key not in _DOCUMENT_KEYS:
            source.spare.append(str(key))
            source.issues.append(
                InputIssue(
                    label,
                    None,
                    None,
                    str(key),
                    f"'{key}' is not a table of the problem",
                    f"use the keys {', '.join(_DOCUMENT_KEYS)}{suggestion(str(key), _DOCUMENT_KEYS)}",
                )
            )
    for table in (*TABLES, KNOWN_TIMES_TABLE):
        if table in doc:
            source.tables[table] = _document_table(doc[table], source.label(table), source.issues)
    if "policy" in doc:
        source.policy = _policy_from_json(doc["policy"], f"{label}:policy", source.issues)
    if "name" in doc:
        if isinstance(doc["name"], str):
            source.name = doc["name"]
        else:
            source.issues.append(
                InputIssue(
                    label,
                    None,
                    "name",
                    None,
                    f"the name is {_json_type(doc['name'])}, not a text",
                    'write "name": "a title for the problem"',
                )
            )
    return source


def _document_table(value: object, label: str, issues: list[InputIssue]) -> _RawTable | None:
    if not isinstance(value, list | tuple):
        issues.append(
            InputIssue(
                label,
                None,
                None,
                None,
                f"the table is {_json_type(value)}, not a list of rows",
                'write a list of objects: [{"column": value, ...}, ...]',
            )
        )
        return None
    columns: dict[str, None] = {}
    rows: list[_RawRow] = []
    for number, item in enumerate(value, start=1):
        if not isinstance(item, Mapping):
            issues.append(
                InputIssue(
                    label,
                    number,
                    None,
                    None,
                    f"the row is {_json_type(item)}, not an object",
                    'write each row as {"column": value, ...}',
                )
            )
            continue
        row: dict[str, str] = {}
        bad: set[str] = set()
        for key, cell in item.items():
            column = str(key)
            columns.setdefault(column, None)
            if column in _LIST_COLUMNS and isinstance(cell, list) and all(isinstance(w, str) for w in cell):
                row[column] = ";".join(cell)
                continue
            try:
                row[column] = cells.scalar_text(cell)
            except CellError as error:
                bad.add(column)
                issues.append(
                    InputIssue(
                        label, number, column, json.dumps(cell, ensure_ascii=False), error.message, error.fix
                    )
                )
        rows.append(_RawRow(number, row, frozenset(bad)))
    return _RawTable(label, list(columns), rows, None)


def _workbook_source(path: Path) -> _Source:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    book = path.name

    def missing(table: str, reason: str) -> InputIssue:
        spec = SPECS[table]
        return InputIssue(
            book,
            None,
            None,
            None,
            f"there is no sheet '{table}'{reason}",
            f"add a sheet named '{table}' with the columns {', '.join(spec.required_names)}"
            f"{suggestion(table, titles)}",
        )

    titles: list[str] = []
    source = _Source(path.stem, {t: f"{book}:{t}" for t in (*TABLES, KNOWN_TIMES_TABLE)}, missing)
    try:
        workbook = load_workbook(path, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        source.issues.append(
            InputIssue(
                book,
                None,
                None,
                None,
                f"the workbook cannot be opened: {error}",
                "save it from Excel or LibreOffice as an .xlsx workbook",
            )
        )
        source.readable = False
        return source
    titles = list(workbook.sheetnames)
    source.spare = titles
    formulas = _formula_workbook(path)
    try:
        for table in (*TABLES, KNOWN_TIMES_TABLE):
            spec = SPECS.get(table, KNOWN_TIMES)
            matches = [t for t in titles if t.strip().lower() in (table, f"{table}.csv")]
            if len(matches) > 1:
                source.issues.append(
                    InputIssue(
                        book,
                        None,
                        None,
                        None,
                        f"sheets {', '.join(repr(m) for m in matches)} both hold the {table}",
                        "keep one of them",
                    )
                )
                source.tables[table] = None
            elif matches:
                label = f"{book}:{matches[0]}"
                source.labels[table] = label
                raw = None if formulas is None else formulas[matches[0]]
                rows = _sheet_rows(workbook[matches[0]], label, source.issues, raw)
                source.tables[table] = _table_from_rows(label, spec.required_names, rows, source.issues)
        policy_sheets = [t for t in titles if t.strip().lower() in ("policy", "policy.json")]
        beside = path.with_name("policy.json")
        if policy_sheets and beside.is_file():
            source.issues.append(
                InputIssue(
                    book,
                    None,
                    None,
                    None,
                    f"the policy is given twice: in sheet '{policy_sheets[0]}' and in {beside.name} beside the workbook",
                    "keep one of them",
                )
            )
        elif policy_sheets:
            label = f"{book}:{policy_sheets[0]}"
            raw = None if formulas is None else formulas[policy_sheets[0]]
            rows = _sheet_rows(workbook[policy_sheets[0]], label, source.issues, raw)
            source.policy = _policy_from_sheet(label, rows, source.issues)
        elif beside.is_file():
            ok, value = _load_json(beside, beside.name, source.issues)
            if ok:
                source.policy = _policy_from_json(value, beside.name, source.issues)
    finally:
        workbook.close()
        if formulas is not None:
            formulas.close()
    return source


def _formula_workbook(path: Path) -> Any:
    """The workbook with its formulas (not their saved results), or None when it cannot be opened."""
    from openpyxl import load_workbook

    try:
        return load_workbook(path, data_only=False)
    except Exception:  # the values were read; a formula check is not worth a second failure
        return None


def _sheet_rows(
    sheet: Any, label: str, issues: list[InputIssue], formulas: Any = None
) -> list[tuple[int, list[str]]]:
    """Every row of a sheet as text, numbered as in the spreadsheet.

    ``formulas`` is the same sheet read with its formulas: a formula cell whose
    result the file does not keep (a workbook written by a program, never
    opened in a spreadsheet) reads as empty, and is reported rather than taken
    for an empty cell.
    """
    from openpyxl.utils import get_column_letter

    raw_rows = iter(()) if formulas is None else formulas.iter_rows(min_row=1, min_col=1, values_only=True)
    rows: list[tuple[int, list[str]]] = []
    header: list[str] | None = None
    for number, values in enumerate(sheet.iter_rows(min_row=1, min_col=1, values_only=True), start=1):
        raw_values = next(raw_rows, ())
        texts: list[str] = []
        for value in values:
            try:
                texts.append(cells.scalar_text(value))
            except CellError as error:
                issues.append(InputIssue(label, number, None, repr(value), error.message, error.fix))
                texts.append("")
        for index, (value, raw) in enumerate(zip(values, raw_values, strict=False)):
            if value is None and raw is not None:
                cell = f"{get_column_letter(index + 1)}{number}"
                column = header[index] if header is not None and index < len(header) else None
                issues.append(
                    InputIssue(
                        label,
                        number,
                        column or None,
                        str(raw),
                        f"cell {cell} holds a formula whose result is not saved in the file, "
                        "so it would read as empty",
                        "open the workbook in Excel or LibreOffice and save it (the results are then "
                        "kept), or replace the formula by its value",
                    )
                )
        if header is None and any(t.strip() for t in texts):
            header = [t.strip() for t in texts]
        rows.append((number, texts))
    return rows


def _policy_from_sheet(
    label: str, rows: list[tuple[int, list[str]]], issues: list[InputIssue]
) -> _RawPolicy | None:
    table = _table_from_rows(label, ("field", "value"), rows, issues)
    if table is None:
        return None
    absent = [c for c in ("field", "value") if c not in table.columns]
    if absent:
        for name in absent:
            issues.append(
                InputIssue(
                    label,
                    table.header_row,
                    name,
                    None,
                    f"column '{name}' is missing; the columns are: {', '.join(table.columns)}",
                    "the policy sheet has two columns, field and value",
                )
            )
        return None
    entries: list[tuple[str, Any, int | None]] = []
    for row in table.rows:
        name = row.cells["field"].strip()
        text = row.cells["value"].strip()
        if not name:
            issues.append(
                InputIssue(
                    label, row.number, "field", "", "field is empty", "name the policy field of this value"
                )
            )
            continue
        if not text:
            issues.append(
                InputIssue(
                    label,
                    row.number,
                    "value",
                    "",
                    f"the value of {name} is empty",
                    "write a value or remove the row",
                )
            )
            continue
        try:
            value: Any = json.loads(text)
        except ValueError:
            value = text
        entries.append((name, value, row.number))
    return _RawPolicy(label, entries, "field", "value")


# --- validation -------------------------------------------------------------------


def _empty_fix(column: Column) -> str:
    example = f", e.g. {column.example}" if column.example else ""
    return f"fill in the {column.name}{example}"


def _read_rows(spec: TableSpec, table: _RawTable, issues: list[InputIssue]) -> list[_Row]:
    """Every row of a table read cell by cell; ``item`` is set only for rows without any issue."""
    present = set(table.columns)
    others = [c for c in table.columns if c not in spec.column_names]
    # an empty JSON list has no columns to miss; a header row without rows still does
    has_columns = table.header_row is not None or bool(table.rows)
    for column in spec.columns:
        if has_columns and column.required and column.name not in present:
            issues.append(
                InputIssue(
                    table.label,
                    table.header_row,
                    column.name,
                    None,
                    f"column '{column.name}' is missing; the columns are: {', '.join(table.columns) or '(none)'}",
                    f"add a '{column.name}' column{suggestion(column.name, others)}",
                )
            )
    known = set(spec.column_names)
    rows: list[_Row] = []
    for raw in table.rows:
        found: list[InputIssue] = []
        values: dict[str, Any] = {}
        for column in spec.columns:
            if column.name in raw.bad:
                continue
            if column.name not in raw.cells:
                if column.required and column.name in present:
                    found.append(
                        InputIssue(
                            table.label,
                            raw.number,
                            column.name,
                            None,
                            f"'{column.name}' is missing from this row",
                            f'add "{column.name}" to the row',
                        )
                    )
                elif not column.required:
                    values[column.field] = column.default
                continue
            text = raw.cells[column.name].strip()
            if not text:
                if column.filled:
                    found.append(
                        InputIssue(
                            table.label,
                            raw.number,
                            column.name,
                            "",
                            f"{column.name} is empty",
                            _empty_fix(column),
                        )
                    )
                else:
                    values[column.field] = column.default
                continue
            try:
                values[column.field] = column.parse(text)
            except CellError as error:
                found.append(InputIssue(table.label, raw.number, column.name, text, error.message, error.fix))
        found += _row_checks(spec.name, table.label, raw, values)
        item: Any | None = None
        complete = all(c.field in values for c in spec.columns)
        if not found and not raw.bad and complete:
            extra = {k: v for k, v in raw.cells.items() if k not in known}
            try:
                item = spec.model(**values, extra=extra)
            except ValueError as error:
                found.append(
                    InputIssue(table.label, raw.number, None, None, str(error), f"correct the {spec.what}")
                )
        issues += found
        rows.append(_Row(raw.number, values, item))
    return rows


def _order_issue(
    label: str, raw: _RawRow, earlier: tuple[str, int], later: tuple[str, int], fix: str
) -> InputIssue:
    """``later`` is not after ``earlier`` (times of day); blamed on a column that was filled in."""
    (first, start), (second, end) = earlier, later
    second_given = bool(raw.cells.get(second, "").strip())
    blamed = second if second_given or not raw.cells.get(first, "").strip() else first

    def shown(name: str, minutes: int) -> str:
        given = bool(raw.cells.get(name, "").strip())
        return f"{name} {cells.format_time(minutes)}{'' if given else ' (the default)'}"

    return InputIssue(
        label,
        raw.number,
        blamed,
        raw.cells.get(blamed, "").strip(),
        f"{shown(second, end)} is not later than {shown(first, start)}",
        fix,
    )


def _row_checks(table: str, label: str, raw: _RawRow, values: Mapping[str, Any]) -> list[InputIssue]:
    """Checks between the cells of one row."""
    found: list[InputIssue] = []
    if table == "schools" and raw.cells.get(ACCESS_COLUMN, "").strip():
        text = raw.cells[ACCESS_COLUMN].strip()
        try:
            access_minutes(text)
        except CellError as error:
            found.append(InputIssue(label, raw.number, ACCESS_COLUMN, text, error.message, error.fix))
    lat, lon = values.get("lat"), values.get("lon")
    if table in _PLACES and isinstance(lat, float) and isinstance(lon, float):
        outside = cells.check_in_greece(lat, lon)
        if outside is not None:
            column, message, fix = outside
            found.append(
                InputIssue(label, raw.number, column, raw.cells.get(column, "").strip(), message, fix)
            )
    if table == "schools" and "opens_min" in values and "closes_min" in values:
        if values["closes_min"] <= values["opens_min"]:
            found.append(
                _order_issue(
                    label,
                    raw,
                    ("opens", values["opens_min"]),
                    ("closes", values["closes_min"]),
                    "check the school hours: a school closes after it opens",
                )
            )
    elif table == "technicians" and "shift_start_min" in values and "shift_end_min" in values:
        if values["shift_end_min"] <= values["shift_start_min"]:
            found.append(
                _order_issue(
                    label,
                    raw,
                    ("shift_start", values["shift_start_min"]),
                    ("shift_end", values["shift_end_min"]),
                    "check the working hours: a shift ends after it starts (night shifts are not supported)",
                )
            )
    elif table == "tickets":
        opened, due = values.get("opened_at"), values.get("due_by")
        if isinstance(opened, datetime) and isinstance(due, datetime) and due < opened:
            found.append(
                InputIssue(
                    label,
                    raw.number,
                    "due_by",
                    raw.cells.get("due_by", "").strip(),
                    f"due_by {cells.format_instant(due)} is before opened_at {cells.format_instant(opened)}",
                    "check both dates: a ticket falls due after it is opened",
                )
            )
    elif table == "ferries":
        start, end = values.get("from_port"), values.get("to_port")
        if start is not None and start == end:
            found.append(
                InputIssue(
                    label,
                    raw.number,
                    "to_port",
                    end,
                    f"from_port and to_port are both '{start}'",
                    "a sailing goes between two different ports",
                )
            )
    return found


def _unique_ids(spec: TableSpec, rows: list[_Row], label: str, issues: list[InputIssue]) -> set[str]:
    assert spec.id_column is not None
    first: dict[str, int] = {}
    for row in rows:
        ident = row.values.get(spec.id_column)
        if ident is None:
            continue
        if ident in first:
            issues.append(
                InputIssue(
                    label,
                    row.number,
                    spec.id_column,
                    ident,
                    f"{spec.id_column} '{ident}' is used twice: rows {first[ident]} and {row.number}",
                    f"give each {spec.what} its own {spec.id_column}",
                )
            )
        else:
            first[ident] = row.number
    return set(first)


def _check_references(
    rows: list[_Row],
    label: str,
    column: str,
    targets: set[str],
    target: TableSpec,
    target_label: str,
    issues: list[InputIssue],
) -> None:
    budget = _SUGGESTION_BUDGET
    for row in rows:
        value = row.values.get(column)
        if value is None or value in targets:
            continue
        hint = suggestion(value, targets) if budget > 0 else ""
        budget -= 1
        issues.append(
            InputIssue(
                label,
                row.number,
                column,
                value,
                f"{target.what} '{value}' is not in {target_label}",
                f"use a {target.id_column} from {target_label}{hint}",
            )
        )


def _check_stored_references(
    rows: list[_Row],
    label: str,
    column: str,
    given: tuple[set[str], str] | None,
    target: TableSpec,
    stored: StoredIds,
    issues: list[InputIssue],
) -> None:
    """References of a partial problem: to rows it gives (ids, label) or to rows stored before."""
    own, own_label = given if given is not None else (set(), "")
    stored_ids = stored.ids(target.name)
    hints = own | stored.hints(target.name)
    budget = _SUGGESTION_BUDGET
    for row in rows:
        value = row.values.get(column)
        if value is None or value in own or value in stored_ids:
            continue
        hint = suggestion(value, hints) if budget > 0 else ""
        budget -= 1
        where = f" in {own_label} or stored before" if given is not None else ""
        issues.append(
            InputIssue(
                label,
                row.number,
                column,
                value,
                f"no {target.what} '{value}'{where}",
                f"import it first or fix the id{hint}",
            )
        )


def _check_islands(
    source: _Source,
    parsed: Mapping[str, list[_Row] | None],
    issues: list[InputIssue],
    stored: StoredIds | None = None,
) -> None:
    """Every island a school or base is on has a port; ports are given when needed.

    A partial problem (``stored`` given) may rely on the ports stored before.
    """
    places: dict[str, tuple[str, int, int]] = {}
    for table in ("schools", "bases"):
        for row in parsed.get(table) or []:
            island = row.values.get("island")
            if island:
                label, number, count = places.get(island, (source.label(table), row.number, 0))
                places[island] = (label, number, count + 1)
    ferry_rows = parsed.get("ferries") or []
    given = "ports" in source.tables
    if not given and stored is None:
        reasons = []
        if places:
            reasons.append(f"schools or bases are on islands ({', '.join(sorted(places))})")
        if ferry_rows:
            reasons.append(f"{source.label('ferries')} names ports")
        if reasons:
            issues.append(source.missing("ports", f", but {' and '.join(reasons)}"))
        return
    ports = parsed.get("ports")
    if given and ports is None:
        return
    ports_label = source.label("ports") if given else "the stored ports"
    port_islands = {str(r.values["island"]) for r in ports or [] if r.values.get("island")}
    if stored is not None:
        port_islands |= stored.port_islands
    for island, (label, number, count) in places.items():
        if island in port_islands:
            continue
        named = f" ({count} rows name it)" if count > 1 else ""
        where = ports_label if given or stored is None else f"{SPECS['ports'].file} (an import of ports)"
        issues.append(
            InputIssue(
                label,
                number,
                "island",
                island,
                f"island '{island}' has no port in {ports_label}{named}",
                f"add a port on {island} to {where}, or correct the island name"
                f"{suggestion(island, port_islands)}",
            )
        )


def _show(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)


def _number(value: object) -> float | None:
    """A finite JSON number as a float (booleans are not numbers)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if math.isfinite(value) else None


def _policy_value(value: object, default: object) -> object:
    """``value`` checked against the type of the field's default."""
    number = _number(value)
    if isinstance(value, str) and isinstance(default, int | float):
        kind = "true or false" if isinstance(default, bool) else "a number"
        try:
            quoted = json.loads(value)
        except ValueError:
            quoted = None
        fix = "write the value without quotes" if isinstance(quoted, int | float) else f"write {kind}"
        raise CellError(f"{_show(value)} is a text, not {kind}", fix)
    if isinstance(default, bool):
        if isinstance(value, bool):
            return value
        raise CellError(f"{_show(value)} is not true or false", "write true or false")
    if isinstance(default, int):
        if number is not None and number.is_integer():
            return int(number)
        raise CellError(f"{_show(value)} is not a whole number", "write a whole number, e.g. 30")
    if isinstance(default, float):
        if number is not None:
            return number
        raise CellError(f"{_show(value)} is not a number", "write a number, e.g. 0.15")
    if isinstance(default, Mapping):
        keys = [str(k) for k in default]
        example = json.dumps({keys[0]: default[keys[0]]}) if keys else "{}"
        if not isinstance(value, Mapping):
            raise CellError(f"{_show(value)} is not an object", f"write an object such as {example}")
        table: dict[str, float] = {}
        for key, amount in value.items():
            if key not in keys:
                raise CellError(
                    f"'{key}' is not one of {', '.join(keys)}", f"use those keys{suggestion(str(key), keys)}"
                )
            entry = _number(amount)
            if entry is None:
                raise CellError(f"{key}: {_show(amount)} is not a number", f"write numbers, as in {example}")
            table[key] = entry
        return table
    if isinstance(default, str) and not isinstance(value, str):
        raise CellError(f"{_show(value)} is not a text", 'write a text in quotes, e.g. "..."')
    return value


def _field_fix(name: str, known: Sequence[str]) -> str:
    match = cells.did_you_mean(name, known)
    if match is not None:
        return f"correct the name (did you mean '{match}'?)"
    return f"use one of {', '.join(known)}"


def _read_policy(raw: _RawPolicy, issues: list[InputIssue]) -> Policy | None:
    known = Policy.field_names()
    defaults = Policy()
    values: dict[str, Any] = {}
    before = len(issues)
    rows: dict[str, int | None] = {}
    for name, value, row in raw.entries:
        if name in rows:
            issues.append(
                InputIssue(
                    raw.label,
                    row,
                    raw.field_column,
                    name,
                    f"policy field '{name}' is given twice (rows {rows[name]} and {row})",
                    "keep one of them",
                )
            )
            continue
        rows[name] = row
        if name not in known:
            issues.append(
                InputIssue(
                    raw.label,
                    row,
                    raw.field_column,
                    name,
                    f"'{name}' is not a policy field",
                    _field_fix(name, known),
                )
            )
            continue
        try:
            values[name] = _policy_value(value, getattr(defaults, name))
        except CellError as error:
            issues.append(
                InputIssue(
                    raw.label, row, raw.value_column, _show(value), f"{name}: {error.message}", error.fix
                )
            )
    if len(issues) > before:
        return None
    try:
        return Policy.from_dict(values)
    except (ValueError, TypeError) as error:
        issues.append(InputIssue(raw.label, None, None, None, str(error), "correct that policy field"))
        return None


def _ordered(source: _Source, issues: list[InputIssue]) -> list[InputIssue]:
    """Issues grouped by file (in table order), then by row."""
    rank: dict[str, int] = {}
    for table in TABLES:
        rank.setdefault(source.label(table), len(rank))
    for issue in issues:
        rank.setdefault(issue.file, len(rank))
    return sorted(issues, key=lambda i: (rank[i.file], -1 if i.row is None else i.row))


def _items(rows: list[_Row] | None, kind: type[T]) -> tuple[T, ...]:
    items: list[T] = []
    for row in rows or []:
        if not isinstance(row.item, kind):
            raise AssertionError(f"row {row.number} was not read")
        items.append(row.item)
    return tuple(items)


def _nothing_given(source: _Source) -> InputIssue:
    names = [SPECS[t].file for t in TABLES]
    hint = next((f" (is '{n}' meant as one?)" for n in source.spare if cells.did_you_mean(n, names)), "")
    return InputIssue(
        source.name,
        None,
        None,
        None,
        "there is nothing to import: no table of the problem is given",
        f"give one or more of {', '.join(names)} (or policy.json), named like that{hint}",
    )


def _check(source: _Source, stored: StoredIds | None) -> tuple[dict[str, list[_Row] | None], Policy]:
    """Every table read and checked; raises :class:`InputError` with every issue found.

    A whole problem (``stored`` None) needs the required tables; a partial one
    needs at least one table or a policy, and may refer to ``stored`` ids.
    """
    issues = source.issues
    if not source.readable:
        raise InputError(_ordered(source, issues))
    if stored is None:
        for table in REQUIRED_TABLES:
            if table not in source.tables:
                issues.append(source.missing(table, ""))
    elif not source.tables and source.policy is None and not issues:
        issues.append(_nothing_given(source))
    parsed: dict[str, list[_Row] | None] = {}
    for table in TABLES:
        raw = source.tables.get(table)
        parsed[table] = None if raw is None else _read_rows(SPECS[table], raw, issues)
    ids: dict[str, set[str] | None] = {}
    for table in TABLES:
        spec, rows = SPECS[table], parsed[table]
        if spec.id_column is not None:
            ids[table] = None if rows is None else _unique_ids(spec, rows, source.label(table), issues)
    for table, column, target in _REFERENCES:
        rows, targets = parsed[table], ids[target]
        if rows is None:
            continue
        if stored is None:
            if targets is not None:
                _check_references(
                    rows, source.label(table), column, targets, SPECS[target], source.label(target), issues
                )
        elif targets is not None or target not in source.tables:
            given = None if targets is None else (targets, source.label(target))
            _check_stored_references(rows, source.label(table), column, given, SPECS[target], stored, issues)
    _check_islands(source, parsed, issues, stored)
    if source.tables.get(KNOWN_TIMES_TABLE) is not None:
        parsed[KNOWN_TIMES_TABLE] = _known_times(source, parsed, stored, issues)
    policy = Policy() if source.policy is None else _read_policy(source.policy, issues)
    if issues or policy is None:
        raise InputError(_ordered(source, issues))
    return parsed, policy


def _known_times(
    source: _Source, parsed: dict[str, list[_Row] | None], stored: StoredIds | None, issues: list[InputIssue]
) -> list[_Row] | None:
    """The rows of ``travel_times``: ids of places given, on one island, no faster than a car can go."""
    label = source.label(KNOWN_TIMES_TABLE)
    raw = source.tables[KNOWN_TIMES_TABLE]
    assert raw is not None
    if stored is not None:
        issues.append(
            InputIssue(
                label,
                None,
                None,
                None,
                "known travel times are not kept by the service",
                "leave travel_times out of the import (the command line reads travel_times.csv of a problem folder)",
            )
        )
        return None
    rows = _read_rows(KNOWN_TIMES, raw, issues)
    places: dict[str, tuple[float, float, str]] = {}
    for table, key in (("ports", "port_id"), ("bases", "base_id"), ("schools", "school_id")):
        for row in parsed[table] or []:
            values = row.values
            if all(isinstance(values.get(k), float) for k in ("lat", "lon")) and key in values:
                places[values[key]] = (values["lat"], values["lon"], values.get("island") or "")
    for raw_row, row in zip(raw.rows, rows, strict=True):
        ends = []
        for column in ("from_id", "to_id"):
            ident = row.values.get(column)
            if not isinstance(ident, str):
                continue
            if ident in places:
                ends.append(places[ident])
                continue
            issues.append(
                InputIssue(
                    label,
                    row.number,
                    column,
                    ident,
                    f"'{ident}' is no school, base or port of the problem",
                    f"use the id of a school, base or port{suggestion(ident, places)}",
                )
            )
        minutes = row.values.get("minutes")
        if len(ends) != 2 or not isinstance(minutes, int):
            continue
        (lat1, lon1, island1), (lat2, lon2, island2) = ends
        if island1 != island2:
            issues.append(
                InputIssue(
                    label,
                    row.number,
                    "to_id",
                    str(row.values["to_id"]),
                    f"the two places are on different islands ({island1 or 'mainland'}, {island2 or 'mainland'})",
                    "give road times on one island (or on the mainland) only: across water the ferries decide",
                )
            )
            continue
        straight = _straight_km(lat1, lon1, lat2, lon2)
        if minutes < straight / _KNOWN_MAX_KMH * 60.0:
            issues.append(
                InputIssue(
                    label,
                    row.number,
                    "minutes",
                    str(minutes),
                    f"{minutes} min for {straight:.1f} km in a straight line is faster than {_KNOWN_MAX_KMH:.0f} km/h",
                    "write the door-to-door driving time in minutes",
                )
            )
        km = row.values.get("km")
        if isinstance(km, float) and km < straight * 0.99:
            issues.append(
                InputIssue(
                    label,
                    row.number,
                    "km",
                    raw_row.cells.get("km", "").strip(),
                    f"{km:g} km is less than the {straight:.1f} km between the places in a straight line",
                    "write the road km of the trip, or leave the cell empty",
                )
            )
    return rows


def _straight_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle km on the mean Earth radius (as the plan checker measures)."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlam = phi2 - phi1, math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlam / 2) ** 2
    return 2.0 * 6371.0088 * math.asin(min(1.0, math.sqrt(a)))


def _validate(source: _Source) -> Problem:
    parsed, policy = _check(source, None)
    try:
        return Problem(
            schools=_items(parsed["schools"], School),
            bases=_items(parsed["bases"], Base),
            technicians=_items(parsed["technicians"], Technician),
            tickets=_items(parsed["tickets"], Ticket),
            ports=_items(parsed["ports"], Port),
            sailings=_items(parsed["ferries"], Sailing),
            policy=policy,
            name=source.name,
            travel_times=_items(parsed.get(KNOWN_TIMES_TABLE), KnownTravelTime),
        )
    except ProblemError as error:
        raise InputError(
            InputIssue(source.name, None, None, None, text, "") for text in error.issues
        ) from None


def _partial(source: _Source, stored: StoredIds) -> ProblemTables:
    parsed, policy = _check(source, stored)
    return ProblemTables(
        schools=_items(parsed["schools"], School),
        bases=_items(parsed["bases"], Base),
        technicians=_items(parsed["technicians"], Technician),
        tickets=_items(parsed["tickets"], Ticket),
        ports=_items(parsed["ports"], Port),
        sailings=_items(parsed["ferries"], Sailing),
        policy=None if source.policy is None else policy,
        name=source.name,
        present=frozenset(source.tables),
        labels={
            **{t: source.label(t) for t in TABLES},
            **({"policy": source.policy.label} if source.policy is not None else {}),
        },
        rows={t: tuple(r.number for r in parsed[t] or []) for t in TABLES},
    )


# --- public entry points ----------------------------------------------------------


def _source_of(path: str | PathLike[str]) -> _Source:
    """The tables of a folder, a ``.json`` document or an ``.xlsx`` workbook, not yet checked."""
    location = Path(path)
    if location.is_dir():
        return _folder_source(location)
    suffix = location.suffix.lower()
    if not location.exists():
        raise InputError(
            [
                InputIssue(
                    str(location),
                    None,
                    None,
                    None,
                    "there is no such file or folder",
                    "give a folder of CSV files, a .json document or an .xlsx workbook",
                )
            ]
        )
    if suffix == ".json":
        issues: list[InputIssue] = []
        ok, doc = _load_json(location, location.name, issues)
        if not ok:
            raise InputError(issues)
        return _document_source(doc, location.name, location.stem)
    if suffix in (".xlsx", ".xlsm"):
        return _workbook_source(location)
    raise InputError(
        [
            InputIssue(
                location.name,
                None,
                None,
                None,
                f"a '{suffix or location.name}' file cannot hold a problem",
                "give the folder that holds schools.csv, bases.csv, technicians.csv and tickets.csv, "
                "or a .json document or an .xlsx workbook",
            )
        ]
    )


def read_problem(path: str | PathLike[str]) -> Problem:
    """Read and validate a problem from a folder of CSV files, a ``.json`` document or an ``.xlsx`` workbook.

    A folder holds ``schools.csv``, ``bases.csv``, ``technicians.csv``,
    ``tickets.csv`` and, as needed, ``ports.csv``, ``ferries.csv`` and
    ``policy.json`` (UTF-8, a byte-order mark is accepted).  A workbook holds
    sheets named like the files (``tickets`` or ``tickets.csv``) and an
    optional ``policy`` sheet with the columns ``field,value`` (values are
    JSON-decoded when they can be), or a ``policy.json`` beside it.  The
    problem is named after the folder or file (a JSON document may give its
    own ``name``).

    Raises :class:`InputError` listing every problem found in every file.
    """
    location = Path(path)
    if location.suffix.lower() == ".json" and location.is_file():
        issues: list[InputIssue] = []
        ok, doc = _load_json(location, location.name, issues)
        if not ok:
            raise InputError(issues)
        return read_problem_dict(doc, source=location.name, name=location.stem)
    return _with_availability(
        lambda: _validate(_source_of(path)), lambda ids: _availability_files(location, ids)
    )


# --- optional calendar.csv and absences.csv (models/calendar.py) -------------------


#: optional tables read with a whole problem (never by imports): local holidays and absences.
AVAILABILITY_TABLES: tuple[str, ...] = ("calendar", "absences")

_Availability = tuple[tuple[CalendarEntry, ...], tuple[Absence, ...]]


def _with_availability(
    validate: Callable[[], Problem], read: Callable[[frozenset[str] | None], _Availability]
) -> Problem:
    """The problem ``validate`` reads, with what ``read`` finds of its calendar and absences.

    Issues of both are reported together; absences must name the problem's technicians.
    """
    try:
        problem = validate()
    except InputError as error:
        try:
            read(None)
        except InputError as more:
            raise InputError([*error.issues, *more.issues]) from None
        raise
    calendar, absences = read(frozenset(t.technician_id for t in problem.technicians))
    if not calendar and not absences:
        return problem
    return problem.replace(calendar=calendar, absences=absences)


def _availability_files(location: Path, technician_ids: frozenset[str] | None) -> _Availability:
    """``calendar.csv`` and ``absences.csv`` of a folder (or beside a workbook), when there."""
    folder = location if location.is_dir() else location.parent
    issues: list[InputIssue] = []
    calendar: tuple[CalendarEntry, ...] = ()
    absences: tuple[Absence, ...] = ()
    if (folder / CALENDAR_FILE).is_file():
        try:
            calendar = read_calendar(folder / CALENDAR_FILE)
        except InputError as error:
            issues += error.issues
    if (folder / ABSENCES_FILE).is_file():
        try:
            absences = read_absences(folder / ABSENCES_FILE, technician_ids)
        except InputError as error:
            issues += error.issues
    if issues:
        raise InputError(issues)
    return calendar, absences


def _availability_document(
    doc: Mapping[str, Any], source: str, technician_ids: frozenset[str] | None
) -> _Availability:
    issues: list[InputIssue] = []
    calendar: tuple[CalendarEntry, ...] = ()
    absences: tuple[Absence, ...] = ()
    if doc.get("calendar") is not None:
        try:
            calendar = calendar_from_document(doc["calendar"], label=f"{source}:calendar")
        except InputError as error:
            issues += error.issues
    if doc.get("absences") is not None:
        try:
            absences = absences_from_document(
                doc["absences"], label=f"{source}:absences", technician_ids=technician_ids
            )
        except InputError as error:
            issues += error.issues
    if issues:
        raise InputError(issues)
    return calendar, absences


def read_problem_dict(doc: Mapping[str, Any], *, source: str = "problem.json", name: str = "") -> Problem:
    """Read and validate the JSON document form: a key per table, each a list of row objects.

    Cell values may be texts, JSON numbers or booleans (``null`` is an empty
    cell); ``skills`` and ``days`` may also be lists of words.  ``policy`` is
    an optional object and ``name`` an optional title.  Issues name the table
    as ``{source}:{table}`` and the row by its 1-based position in the list.

    Optional ``calendar`` and ``absences`` keys hold the rows of ``calendar.csv`` and
    ``absences.csv`` (:mod:`.calendar`).

    Raises :class:`InputError` listing every problem found.
    """
    if not isinstance(doc, Mapping) or not any(k in doc for k in AVAILABILITY_TABLES):
        return _validate(_document_source(doc, source, name))
    tables = {k: v for k, v in doc.items() if k not in AVAILABILITY_TABLES}
    return _with_availability(
        lambda: _validate(_document_source(tables, source, name)),
        lambda ids: _availability_document(doc, source, ids),
    )


def read_tables(path: str | PathLike[str], stored: StoredIds) -> ProblemTables:
    """Read and validate the tables of a folder, document or workbook that holds part of a problem.

    As :func:`read_problem`, but any table may be left out (at least one table or
    a policy is needed): a ticket may name a school stored before, a technician
    a stored base, a sailing stored ports, and islands may rely on stored ports
    (``stored`` lists those ids).  A reference found neither in the tables
    given nor among ``stored`` is an issue: "no school 'X' — import it first or
    fix the id".

    Raises :class:`InputError` listing every problem found in every file.
    """
    return _partial(_source_of(path), stored)


def read_tables_dict(
    doc: Mapping[str, Any], stored: StoredIds, *, source: str = "problem.json", name: str = ""
) -> ProblemTables:
    """:func:`read_tables` for the JSON document form of :func:`read_problem_dict`."""
    return _partial(_document_source(doc, source, name), stored)
