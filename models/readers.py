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

This module holds the entry points; the tables' columns are in :mod:`.table_specs`, the
three forms read into raw tables in :mod:`.sources`, and the checks of every cell and row
in :mod:`.validation`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from os import PathLike
from pathlib import Path
from typing import Any

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
from .errors import InputError, InputIssue
from .partial import ProblemTables, StoredIds
from .problem import Problem
from .sources import document_source, load_json, source_of
from .table_specs import (
    ACCESS_COLUMN,
    KNOWN_TIMES,
    REQUIRED_TABLES,
    SPECS,
    TABLES,
    Column,
    TableSpec,
    access_minutes,
)
from .validation import validated_problem, validated_tables

__all__ = [
    "ACCESS_COLUMN",
    "KNOWN_TIMES",
    "REQUIRED_TABLES",
    "SPECS",
    "TABLES",
    "Column",
    "TableSpec",
    "access_minutes",
    "read_problem",
    "read_problem_dict",
    "read_tables",
    "read_tables_dict",
]


# --- public entry points ----------------------------------------------------------


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
        ok, doc = load_json(location, location.name, issues)
        if not ok:
            raise InputError(issues)
        return read_problem_dict(doc, source=location.name, name=location.stem)
    return _with_availability(
        lambda: validated_problem(source_of(path)), lambda ids: _availability_files(location, ids)
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
        return validated_problem(document_source(doc, source, name))
    tables = {k: v for k, v in doc.items() if k not in AVAILABILITY_TABLES}
    return _with_availability(
        lambda: validated_problem(document_source(tables, source, name)),
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
    return validated_tables(source_of(path), stored)


def read_tables_dict(
    doc: Mapping[str, Any], stored: StoredIds, *, source: str = "problem.json", name: str = ""
) -> ProblemTables:
    """:func:`read_tables` for the JSON document form of :func:`read_problem_dict`."""
    return validated_tables(document_source(doc, source, name), stored)
