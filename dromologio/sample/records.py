"""The sample's tables as records and files: the contract's columns, one record class per table, CSV in and out."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from dromologio.models.table_specs import SPECS
from dromologio.models.vocab import SKILLS

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


@dataclass
class SchoolRow:
    """A school being built; ``settlement`` is the ELSTAT code it was placed at."""

    school_id: str
    name: str
    lat: float
    lon: float
    directorate: str
    island: str
    opens: str
    closes: str
    needs_4x4: bool
    terrain: str
    settlement: str
    school_type: str

    def as_row(self) -> list[str]:
        return [
            self.school_id,
            self.name,
            f"{self.lat:.6f}",
            f"{self.lon:.6f}",
            self.directorate,
            self.island,
            self.opens,
            self.closes,
            _bool(self.needs_4x4),
            self.terrain,
        ]


@dataclass
class TechnicianRow:
    technician_id: str
    name: str
    base_id: str
    skills: tuple[str, ...]
    shift_start: str
    shift_end: str
    employer: str
    max_km_per_day: float | None = None
    has_4x4: bool = False
    cost_per_km: float | None = None

    def as_row(self) -> list[str]:
        return [
            self.technician_id,
            self.name,
            self.base_id,
            ";".join(s for s in SKILLS if s in self.skills),
            self.shift_start,
            self.shift_end,
            self.employer,
            "" if self.max_km_per_day is None else f"{self.max_km_per_day:g}",
            _bool(self.has_4x4),
            "" if self.cost_per_km is None else f"{self.cost_per_km:g}",
        ]


@dataclass
class TicketRow:
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

    def as_row(self) -> list[str]:
        return [
            self.ticket_id,
            self.school_id,
            _instant(self.opened_at),
            self.category,
            self.skill,
            self.priority,
            str(self.service_minutes),
            _bool(self.remote),
            _bool(self.warranty),
            "" if self.due_by is None else _instant(self.due_by),
        ]


@dataclass(frozen=True)
class BaseRow:
    base_id: str
    name: str
    lat: float
    lon: float
    island: str
    kind: str
    #: the Directorate the base serves (the service scopes its technicians by it).
    directorate: str = ""

    def as_row(self) -> list[str]:
        return [
            self.base_id,
            self.name,
            f"{self.lat:.6f}",
            f"{self.lon:.6f}",
            self.island,
            self.kind,
            self.directorate,
        ]


def _bool(value: bool) -> str:
    return "true" if value else "false"


def _instant(value: datetime) -> str:
    return value.isoformat(timespec="minutes")


def hhmm(minutes: int) -> str:
    """``HH:MM`` for minutes after midnight."""
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


# --------------------------------------------------------------------------- files


def write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[str]]) -> None:
    """Write UTF-8 CSV with ``\\n`` line ends (stable in version control)."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


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
