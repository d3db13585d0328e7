"""The three forms of a problem as raw tables of text: a folder of CSV files, a JSON document, an .xlsx workbook.

Nothing is judged here beyond what keeps a table from being read at all (a file that is
not UTF-8, a sheet without a header ...): those issues are collected in the source, and
:mod:`.validation` checks the rows.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from os import PathLike
from pathlib import Path
from typing import Any

from . import cells
from .cells import CellError, suggestion
from .errors import InputError, InputIssue
from .table_specs import DOCUMENT_KEYS, KNOWN_TIMES, KNOWN_TIMES_TABLE, LIST_COLUMNS, SPECS, TABLES


def row_issue(label: str, row: int | None, message: str, fix: str) -> InputIssue:
    """An issue of a whole row, or (``row`` None) of a whole table or file: no column, no value."""
    return InputIssue(label, row, None, None, message, fix)


# --- raw tables: what a source holds before validation ----------------------------


@dataclass
class RawRow:
    number: int
    cells: dict[str, str]
    #: columns whose value could not even be turned into text (already reported).
    bad: frozenset[str] = frozenset()


@dataclass
class RawTable:
    label: str
    columns: list[str]
    rows: list[RawRow]
    #: row number of the header; None for JSON lists, whose rows may each lack keys.
    header_row: int | None


@dataclass
class RawPolicy:
    label: str
    entries: list[tuple[str, Any, int | None]]
    field_column: str | None = None
    value_column: str | None = None


MissingTable = Callable[[str, str], InputIssue]


@dataclass
class Source:
    name: str
    labels: dict[str, str]
    missing: MissingTable
    #: tables found; None when the table is there but could not be read (already reported).
    tables: dict[str, RawTable | None] = field(default_factory=dict)
    policy: RawPolicy | None = None
    issues: list[InputIssue] = field(default_factory=list)
    #: False when the source as a whole could not be read (nothing more to check).
    readable: bool = True
    #: names in the source that may be misnamed tables (files, sheets or keys).
    spare: list[str] = field(default_factory=list)

    def label(self, table: str) -> str:
        return self.labels[table]


@dataclass
class ParsedRow:
    number: int
    values: dict[str, Any]
    item: Any | None


# --- rows of text into raw tables -------------------------------------------------


def _table_from_rows(
    label: str, expected: Sequence[str], rows: Iterable[tuple[int, list[str]]], issues: list[InputIssue]
) -> RawTable | None:
    """A header row and data rows (blank rows skipped) checked for shape."""
    header: list[str] | None = None
    header_row = 0
    named_width = 0
    data: list[RawRow] = []
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
                row_issue(
                    label,
                    number,
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
        data.append(RawRow(number, row))
    if header is None:
        issues.append(
            row_issue(
                label,
                None,
                "there is no header row (the table is empty)",
                f"start with the header row: {','.join(expected)}",
            )
        )
        return None
    return RawTable(label, list(dict.fromkeys(n for n in header if n)), data, header_row)


def _read_text(path: Path, label: str, issues: list[InputIssue]) -> str | None:
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            return handle.read()
    except UnicodeDecodeError as error:
        issues.append(
            row_issue(
                label,
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
            row_issue(
                label,
                line,
                f"the file is not valid CSV: {error}",
                'check the quotes: a value with commas or line breaks is written "like, this"',
            )
        )
        return None
    return rows


def load_json(path: Path, label: str, issues: list[InputIssue]) -> tuple[bool, Any]:
    text = _read_text(path, label, issues)
    if text is None:
        return False, None
    try:
        return True, json.loads(text)
    except json.JSONDecodeError as error:
        issues.append(
            row_issue(
                label,
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


def _policy_from_json(value: object, label: str, issues: list[InputIssue]) -> RawPolicy | None:
    if not isinstance(value, Mapping):
        issues.append(
            row_issue(
                label,
                None,
                f"the policy is {_json_type(value)}, not an object",
                'write {"field": value, ...}, e.g. {"cost_per_km_eur": 0.15}',
            )
        )
        return None
    return RawPolicy(label, [(str(k), v, None) for k, v in value.items()])


# --- the three forms --------------------------------------------------------------


def _folder_source(folder: Path) -> Source:
    files = sorted(p.name for p in folder.iterdir() if p.is_file())
    # files that could be a misnamed table: not already a table or the policy
    spare = [f for f in files if f not in {SPECS[t].file for t in TABLES} | {"policy.json", KNOWN_TIMES.file}]

    def missing(table: str, reason: str) -> InputIssue:
        spec = SPECS[table]
        return row_issue(
            spec.file,
            None,
            f"{spec.file} is missing from the folder {folder}{reason}",
            f"add {spec.file} with the columns {','.join(spec.required_names)}{suggestion(spec.file, spare)}",
        )

    labels = {t: SPECS[t].file for t in TABLES} | {KNOWN_TIMES_TABLE: KNOWN_TIMES.file}
    source = Source(folder.name, labels, missing, spare=spare)
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
        ok, value = load_json(folder / "policy.json", "policy.json", source.issues)
        if ok:
            source.policy = _policy_from_json(value, "policy.json", source.issues)
    return source


def document_source(doc: object, label: str, name: str) -> Source:
    def missing(table: str, reason: str) -> InputIssue:
        columns = ", ".join(SPECS[table].required_names)
        return row_issue(
            label,
            None,
            f"there is no '{table}' table{reason}",
            f"add a '{table}' key with a list of rows (columns: {columns})",
        )

    source = Source(name, {t: f"{label}:{t}" for t in (*TABLES, KNOWN_TIMES_TABLE)}, missing)
    if not isinstance(doc, Mapping):
        source.issues.append(
            row_issue(
                label,
                None,
                f"the document is {_json_type(doc)}, not an object with a key per table",
                'write {"schools": [...], "bases": [...], "technicians": [...], "tickets": [...]}',
            )
        )
        source.readable = False
        return source
    for key in doc:
        if key not in DOCUMENT_KEYS:
            source.spare.append(str(key))
            source.issues.append(
                InputIssue(
                    label,
                    None,
                    None,
                    str(key),
                    f"'{key}' is not a table of the problem",
                    f"use the keys {', '.join(DOCUMENT_KEYS)}{suggestion(str(key), DOCUMENT_KEYS)}",
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


def _document_table(value: object, label: str, issues: list[InputIssue]) -> RawTable | None:
    if not isinstance(value, list | tuple):
        issues.append(
            row_issue(
                label,
                None,
                f"the table is {_json_type(value)}, not a list of rows",
                'write a list of objects: [{"column": value, ...}, ...]',
            )
        )
        return None
    columns: dict[str, None] = {}
    rows: list[RawRow] = []
    for number, item in enumerate(value, start=1):
        if not isinstance(item, Mapping):
            issues.append(
                row_issue(
                    label,
                    number,
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
            if column in LIST_COLUMNS and isinstance(cell, list) and all(isinstance(w, str) for w in cell):
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
        rows.append(RawRow(number, row, frozenset(bad)))
    return RawTable(label, list(columns), rows, None)


def _workbook_source(path: Path) -> Source:
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
    source = Source(path.stem, {t: f"{book}:{t}" for t in (*TABLES, KNOWN_TIMES_TABLE)}, missing)
    try:
        workbook = load_workbook(path, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        source.issues.append(
            row_issue(
                book,
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
                    row_issue(
                        book,
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
                row_issue(
                    book,
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
            ok, value = load_json(beside, beside.name, source.issues)
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
) -> RawPolicy | None:
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
    return RawPolicy(label, entries, "field", "value")


# --- the form of a path ------------------------------------------------------------


def source_of(path: str | PathLike[str]) -> Source:
    """The tables of a folder, a ``.json`` document or an ``.xlsx`` workbook, not yet checked."""
    location = Path(path)
    if location.is_dir():
        return _folder_source(location)
    suffix = location.suffix.lower()
    if not location.exists():
        raise InputError(
            [
                row_issue(
                    str(location),
                    None,
                    "there is no such file or folder",
                    "give a folder of CSV files, a .json document or an .xlsx workbook",
                )
            ]
        )
    if suffix == ".json":
        issues: list[InputIssue] = []
        ok, doc = load_json(location, location.name, issues)
        if not ok:
            raise InputError(issues)
        return document_source(doc, location.name, location.stem)
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
