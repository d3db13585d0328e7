"""The tables of a problem: their columns, how each cell is parsed, and the references between them.

One :class:`TableSpec` per table of the contract (``docs/problem-format.md``): the readers
(:mod:`.readers`) and the writers (:mod:`.writers`) both follow these.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from . import cells
from .cells import CellError
from .problem import (
    Base,
    KnownTravelTime,
    Port,
    Sailing,
    School,
    Technician,
    Ticket,
)
from .service_columns import ROW_RULES, SERVICE_COLUMNS
from .vocab import BASE_KINDS, PRIORITIES, SKILLS, TERRAINS

#: every table of a problem, in the order of the contract.
TABLES: tuple[str, ...] = ("schools", "bases", "technicians", "tickets", "ports", "ferries")
#: tables without which there is no problem.
REQUIRED_TABLES: tuple[str, ...] = ("schools", "bases", "technicians", "tickets")
#: optional tables beyond the contract (Dromologio extensions), read when given.
KNOWN_TIMES_TABLE = "travel_times"
DOCUMENT_KEYS: tuple[str, ...] = (*TABLES, KNOWN_TIMES_TABLE, "policy", "name")
#: columns whose JSON value may be a list of words (joined with ';').
LIST_COLUMNS = frozenset({"skills", "days"})
#: how many "did you mean" look-ups one column gets (they compare against every id).
SUGGESTION_BUDGET = 200
#: tables whose rows are places (lat, lon), checked to lie in Greece.
PLACE_TABLES = frozenset({"schools", "bases", "ports"})
#: references between tables: (table, column, target table).
REFERENCES: tuple[tuple[str, str, str], ...] = (
    ("tickets", "school_id", "schools"),
    ("technicians", "base_id", "bases"),
    ("ferries", "from_port", "ports"),
    ("ferries", "to_port", "ports"),
)


# --- table schemas --------------------------------------------------------------


def _same(value: Any) -> Any:
    return value


@dataclass(frozen=True)
class CellKind:
    """How one kind of cell is read from its text and written from its domain value.

    ``format`` gives the value a writer puts in the cell: a text, or a number or a
    boolean that each form writes its own way (``None`` is always an empty cell).
    """

    parse: Callable[[str], Any]
    format: Callable[[Any], Any] = _same


TEXT = CellKind(cells.parse_text)
LATITUDE = CellKind(cells.parse_latitude)
LONGITUDE = CellKind(cells.parse_longitude)
#: the kinds of the coordinate columns (the sample writes them with fixed decimals).
COORDINATES = (LATITUDE, LONGITUDE)
TIME = CellKind(cells.parse_time, cells.format_time)
INSTANT = CellKind(cells.parse_instant, cells.format_instant)
BOOL = CellKind(cells.parse_bool)
POSITIVE = CellKind(cells.parse_positive)
NON_NEGATIVE = CellKind(cells.parse_non_negative)
SERVICE_MINUTES = CellKind(cells.parse_service_minutes)
CROSSING_MINUTES = CellKind(cells.parse_crossing_minutes)
DAYS = CellKind(cells.parse_days, cells.format_days)


def _choice(choices: Sequence[str]) -> CellKind:
    def parse(text: str) -> str:
        return cells.parse_choice(text, choices)

    return CellKind(parse)


def _skill_list(text: str) -> frozenset[str]:
    return cells.parse_choice_list(text, SKILLS)


def _format_skills(skills: Iterable[str]) -> str:
    return cells.format_choice_list(skills, SKILLS)


SKILL_LIST = CellKind(_skill_list, _format_skills)


@dataclass(frozen=True)
class Column:
    """One column of a table: how to read and write a cell, and what an empty or absent one means.

    ``field``: the attribute of the domain type the cell holds.  ``required``: the
    column must be present.  ``filled``: a cell must not be empty; when False, an
    empty cell (or an absent optional column) means ``default``.
    ``omitted_when_default``: the writers leave the column out when every row
    holds ``default`` (an extension column a plain problem does not need).
    """

    name: str
    field: str
    kind: CellKind
    required: bool = True
    filled: bool = True
    default: Any = None
    example: str = ""
    omitted_when_default: bool = False

    @property
    def parse(self) -> Callable[[str], Any]:
        return self.kind.parse

    def value_of(self, record: Any) -> Any:
        """The cell value of ``record`` (a domain object, or a record with the same attributes).

        A record without the attribute (a column added to the spec after the record's
        class was written) gets the column's default.
        """
        value = getattr(record, self.field, self.default)
        return None if value is None else self.kind.format(value)


@dataclass(frozen=True)
class TableSpec:
    """The columns of one table and the domain type a row becomes."""

    name: str
    what: str
    columns: tuple[Column, ...]
    model: type[Any]
    id_column: str | None = None
    #: the :class:`~.problem.Problem` field that holds the rows (the table's name unless said).
    problem_field: str = ""

    @property
    def rows_field(self) -> str:
        return self.problem_field or self.name

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


def _filled(name: str, kind: CellKind = TEXT, example: str = "") -> Column:
    return Column(name, name, kind, example=example)


def _may_be_empty(name: str, default: Any = "") -> Column:
    return Column(name, name, TEXT, filled=False, default=default)


def _optional(
    name: str, kind: CellKind, model: type[Any], field_name: str | None = None, **options: Any
) -> Column:
    target = field_name or name
    return Column(
        name, target, kind, required=False, filled=False, default=_default(model, target), **options
    )


SCHOOLS = TableSpec(
    "schools",
    "school",
    (
        _filled("school_id", example="S0123"),
        _filled("name", example="1ο Δημοτικό Σχολείο Ιωαννίνων"),
        _filled("lat", LATITUDE, "39.665"),
        _filled("lon", LONGITUDE, "20.853"),
        _filled("directorate", example="Δ.Π.Ε. Ιωαννίνων"),
        _may_be_empty("island"),
        _optional("opens", TIME, School, "opens_min"),
        _optional("closes", TIME, School, "closes_min"),
        _optional("needs_4x4", BOOL, School),
        _optional("terrain", _choice(TERRAINS), School, omitted_when_default=True),
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
        _filled("lat", LATITUDE, "39.665"),
        _filled("lon", LONGITUDE, "20.853"),
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
        _filled("skills", SKILL_LIST, "windows;network"),
        _optional("shift_start", TIME, Technician, "shift_start_min"),
        _optional("shift_end", TIME, Technician, "shift_end_min"),
        _filled("employer", example="KE.PLI.NE.T."),
        _optional("max_km_per_day", POSITIVE, Technician),
        _optional("has_4x4", BOOL, Technician),
        _optional("cost_per_km", NON_NEGATIVE, Technician),
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
        _filled("opened_at", INSTANT, "2026-11-23T09:40"),
        _filled("category", example="network"),
        _filled("skill", _choice(SKILLS), "network"),
        _filled("priority", _choice(PRIORITIES), "normal"),
        _filled("service_minutes", SERVICE_MINUTES, "45"),
        _optional("remote", BOOL, Ticket),
        _optional("warranty", BOOL, Ticket),
        _optional("due_by", INSTANT, Ticket),
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
        _filled("lat", LATITUDE, "37.44"),
        _filled("lon", LONGITUDE, "24.94"),
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
        Column("depart", "depart_min", TIME, example="10:45"),
        _filled("duration_min", CROSSING_MINUTES, "40"),
        _filled("days", DAYS, "daily"),
        _optional("fare_eur", NON_NEGATIVE, Sailing),
    ),
    Sailing,
    problem_field="sailings",
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
        _filled("minutes", SERVICE_MINUTES, "120"),
        _optional("km", POSITIVE, KnownTravelTime),
        _optional("one_way", BOOL, KnownTravelTime),
    ),
    KnownTravelTime,
    problem_field="travel_times",
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


#: the extension columns of zones, work days, preventive care and ticket levels (kept in ``extra``), by table,
#: each with the reader of its filled cells (:mod:`.service_columns`).
EXTENSION_COLUMNS: Mapping[str, Mapping[str, Callable[[str], Any]]] = SERVICE_COLUMNS
#: checks between the cells of one row, by table (a ticket's ``level`` and its flags): each may
#: fill the row's values and returns (column, error) pairs.
ROW_CELL_RULES: Mapping[str, Callable[[Mapping[str, str], dict[str, Any]], list[tuple[str, CellError]]]] = (
    ROW_RULES
)

#: a known travel time faster than the straight line at this speed is a typing error (as the checker says).
KNOWN_MAX_KMH = 120.0
