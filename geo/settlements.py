"""The settlements of Greece that the embedded road model is built on.

``geo/data/settlements.csv.gz`` holds every ELSTAT 2011 settlement with a
checked point (13,178 of 13,554): code, name, point, altitude, terrain class,
population and the *land* it is on.  Lands are what a car can drive between:
``""`` is the mainland with Evia and Lefkada (joined to it by bridges); a
South Aegean island is named as in ELSTAT (``Νάξος``); Crete is ``~ΚΡΗΤΗ``;
any other island is ``~`` and its municipality (``~ΚΕΡΚΥΡΑΣ``).

Credit (keep with any copy): *Settlement, population and terrain data:
Hellenic Statistical Authority (ELSTAT), via geodata.gov.gr and the HellasDB
project (J. G. Chaparro).*  See ``geo/data/README.md``.

The file is derived, never edited by hand::

    python -m dromologio.geo.settlements PATH/TO/shared/data/greece

reads ``settlements_elstat2011.csv`` there and writes the file again; the
product itself reads only the copy in ``geo/data``.
"""

from __future__ import annotations

import csv
import gzip
import io
import sys
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path

import numpy as np
import numpy.typing as npt

from dromologio.models.vocab import TERRAINS

DATA_DIR = Path(__file__).with_name("data")
SETTLEMENTS_FILE = DATA_DIR / "settlements.csv.gz"
TRUNK_ROADS_FILE = DATA_DIR / "trunk_roads.csv"
#: the land of the mainland (and of the islands bridged to it).
MAINLAND = ""
_COLUMNS = ("elstat_code", "name", "lat", "lon", "altitude_m", "terrain", "land", "pop_2011")
#: islands joined to the mainland by a bridge: their regional unit, and the parts of it that are not.
_BRIDGED = {"ΕΥΒΟΙΑΣ": ("ΣΚΥΡΟΥ",), "ΛΕΥΚΑΔΑΣ": ("ΜΕΓΑΝΗΣΙΟΥ", "ΚΑΛΑΜΟΥ", "ΚΑΣΤΟΥ")}
#: Crete is one land of several municipalities (Gavdos, off its south coast, is not).
_CRETE = frozenset({"ΧΑΝΙΩΝ", "ΡΕΘΥΜΝΟΥ", "ΗΡΑΚΛΕΙΟΥ", "ΛΑΣΙΘΙΟΥ"})

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True, eq=False)
class Settlements:
    """The shipped settlements as arrays, in file order."""

    code: tuple[str, ...]
    name: tuple[str, ...]
    lat: FloatArray
    lon: FloatArray
    altitude_m: FloatArray
    #: terrain rank: 0 plain, 1 semi-mountainous, 2 mountainous.
    terrain: IntArray
    land: tuple[str, ...]
    population: IntArray

    def __len__(self) -> int:
        return len(self.code)

    @cached_property
    def lands(self) -> tuple[str, ...]:
        return tuple(sorted(set(self.land)))

    @cached_property
    def land_codes(self) -> IntArray:
        """The land of each settlement as its position in :attr:`lands`."""
        code = {land: c for c, land in enumerate(self.lands)}
        return np.fromiter((code[x] for x in self.land), dtype=np.int64, count=len(self.land))

    def index_of(self, code: str) -> int:
        return _index(self)[code]


@cache
def _index(settlements: Settlements) -> dict[str, int]:
    return {code: i for i, code in enumerate(settlements.code)}


@cache
def load_settlements(path: Path = SETTLEMENTS_FILE) -> Settlements:
    """The shipped settlements (read once per process)."""
    with gzip.open(path, "rt", encoding="utf-8", newline="") as handle:
        text = handle.read()
    lines = text.splitlines()
    if lines[0] != ",".join(_COLUMNS) or '"' in text:
        raise ValueError(f"{path}: not a settlements table written by this module")
    columns = list(zip(*(line.split(",") for line in lines[1:]), strict=True))
    rank = {terrain: r for r, terrain in enumerate(TERRAINS)}
    code, name, lat, lon, altitude, terrain, land, population = columns
    return Settlements(
        code=code,
        name=name,
        lat=np.array(lat, dtype=np.float64),
        lon=np.array(lon, dtype=np.float64),
        altitude_m=np.array(altitude, dtype=np.float64),
        terrain=np.array([rank[t] for t in terrain], dtype=np.int64),
        land=land,
        population=np.array(population, dtype=np.int64),
    )


def _land(row: dict[str, str]) -> str:
    if row["island"] != "True":
        return MAINLAND
    excluded = _BRIDGED.get(row["regional_unit"])
    if excluded is not None and row["municipality"] not in excluded and row["municipal_unit"] not in excluded:
        return MAINLAND
    if row["regional_unit"] in _CRETE and row["municipality"] != "ΓΑΥΔΟΥ":
        return "~ΚΡΗΤΗ"
    return row["island_name"] or f"~{row['municipality']}"


def derive(source: Path) -> str:
    """The text of ``settlements.csv`` from ELSTAT's ``settlements_elstat2011.csv``."""
    with source.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(_COLUMNS)
    for row in rows:
        if not row["lat"] or not row["lon"] or row["coord_check"] in ("removed_wrong", "missing"):
            continue
        writer.writerow(
            (
                row["elstat_code"],
                row["name"],
                f"{float(row['lat']):.6f}",
                f"{float(row['lon']):.6f}",
                str(round(float(row["altitude_m"] or 0))),
                row["terrain"],
                _land(row),
                row["pop_2011"] or "0",
            )
        )
    return out.getvalue()


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m dromologio.geo.settlements PATH/TO/shared/data/greece", file=sys.stderr)
        return 2
    text = derive(Path(argv[0]) / "settlements_elstat2011.csv")
    # mtime=0: the same input gives the same bytes
    with SETTLEMENTS_FILE.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as handle:
        handle.write(text.encode("utf-8"))
    print(f"wrote {SETTLEMENTS_FILE} ({text.count(chr(10)) - 1} settlements)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
