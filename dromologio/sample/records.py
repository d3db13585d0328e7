"""The sample's tables as records and files: one record class per table, its cells by the table's spec, CSV in and out."""

from __future__ import annotations

import csv
import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, ClassVar, Self, cast

from dromologio.models.cells import format_time
from dromologio.models.table_specs import COORDINATES, SPECS, Column, TableSpec

# write_csv: the sample's CSV files are written as the writers write theirs (re-exported).
from dromologio.models.writers import cell_text
from dromologio.models.writers import write_csv as write_csv

from . import sample_data_dir

# --------------------------------------------------------------------------- contract columns

# The contract's columns, as the readers read them (models/table_specs.py); the sample's
# bases carry the Directorate they serve as one more column.
SCHOOL_COLUMNS = SPECS["schools"].column_names
BASE_COLUMNS = (*SPECS["bases"].column_names, "directorate")
TECHNICIAN_COLUMNS = SPECS["technicians"].column_names
TICKET_COLUMNS = SPECS["tickets"].column_names
PORT_COLUMNS = SPECS["ports"].column_names
FERRY_COLUMNS = SPECS["ferries"].column_names
SETTLEMENT_COLUMNS = (
    "elstat_code",
    "name",
    "article",
    "name_latin",
    "municipality",
    "directorate_area",
    "island",
    "lat",
    "lon",
    "altitude_m",
    "terrain",
    "pop_2011",
)

# --------------------------------------------------------------------------- records


@dataclass(frozen=True)
class Settlement:
    """One ELSTAT 2011 settlement point (a row of ``data/settlements.csv``)."""

    code: str
    name: str
    article: str
    name_latin: str
    municipality: str
    directorate_area: str
    island: str
    lat: float
    lon: float
    altitude_m: float
    terrain: str
    pop_2011: int

    def as_row(self) -> list[str]:
        return [
            self.code,
            self.name,
            self.article,
            self.name_latin,
            self.municipality,
            self.directorate_area,
            self.island,
            f"{self.lat:.6f}",
            f"{self.lon:.6f}",
            f"{self.altitude_m:g}",
            self.terrain,
            str(self.pop_2011),
        ]


class _TableRecord:
    """A record of one table of the contract: its cells follow the table's spec (``models/table_specs.py``).

    The record's attributes are the domain type's fields (``opens_min``, ``skills`` ...);
    a column the record does not hold is written with the column's default.
    """

    spec: ClassVar[TableSpec]

    def as_row(self) -> list[str]:
        return [_cell(column, column.value_of(self)) for column in self.spec.columns]

    @classmethod
    def from_cells(cls, cells: Mapping[str, str], **more: Any) -> Self:
        """The record of a CSV row of its table: each cell parsed by its column, an empty cell of a
        column that may be empty (or an absent optional column) its default; ``more``: the record's
        own fields beyond the table's."""
        held = {f.name for f in dataclasses.fields(cast(Any, cls))}
        values = {
            column.field: column.parse(text)
            if (text := cells.get(column.name, "")) or column.filled
            else column.default
            for column in cls.spec.columns
            if column.field in held
        }
        return cls(**values, **more)


def _cell(column: Column, value: Any) -> str:
    """The sample's text of a cell: coordinates with six decimals (about 10 cm), the rest as the writers write it."""
    if column.kind in COORDINATES and value is not None:
        return f"{value:.{COORDINATE_DECIMALS}f}"
    return cell_text(value)


#: decimals of the sample's latitudes and longitudes.
COORDINATE_DECIMALS = 6


@dataclass
class SchoolRow(_TableRecord):
    """A school being built; ``settlement`` is the ELSTAT code it was placed at."""

    spec: ClassVar[TableSpec] = SPECS["schools"]

    school_id: str
    name: str
    lat: float
    lon: float
    directorate: str
    island: str
    opens_min: int
    closes_min: int
    needs_4x4: bool
    terrain: str
    settlement: str
    school_type: str


@dataclass
class TechnicianRow(_TableRecord):
    spec: ClassVar[TableSpec] = SPECS["technicians"]

    technician_id: str
    name: str
    base_id: str
    skills: tuple[str, ...]
    shift_start_min: int
    shift_end_min: int
    employer: str
    max_km_per_day: float | None = None
    has_4x4: bool = False
    cost_per_km: float | None = None


@dataclass
class TicketRow(_TableRecord):
    spec: ClassVar[TableSpec] = SPECS["tickets"]

    ticket_id: str
    school_id: str
    opened_at: datetime
    category: str
    skill: str
    priority: str
    service_minutes: int
    remote: bool = False
    warranty: bool = False
    due_by: datetime | None = None


@dataclass(frozen=True)
class BaseRow(_TableRecord):
    spec: ClassVar[TableSpec] = SPECS["bases"]

    base_id: str
    name: str
    lat: float
    lon: float
    island: str
    kind: str
    #: the Directorate the base serves (the service scopes its technicians by it).
    directorate: str = ""

    def as_row(self) -> list[str]:
        return [*super().as_row(), self.directorate]


def hhmm(minutes: int) -> str:
    """``HH:MM`` for minutes after midnight."""
    return format_time(minutes)


# --------------------------------------------------------------------------- files


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def load_settlements(path: Path | None = None) -> list[Settlement]:
    """The embedded settlements of the pilot regions (or those of another file of that shape)."""
    rows = read_csv(path or sample_data_dir() / "settlements.csv")
    return [
        Settlement(
            code=r["elstat_code"],
            name=r["name"],
            article=r["article"],
            name_latin=r["name_latin"],
            municipality=r["municipality"],
            directorate_area=r["directorate_area"],
            island=r["island"],
            lat=float(r["lat"]),
            lon=float(r["lon"]),
            altitude_m=float(r["altitude_m"]),
            terrain=r["terrain"],
            pop_2011=int(r["pop_2011"]),
        )
        for r in rows
    ]
