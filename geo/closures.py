"""Road closures: snow, works, roads open only to 4x4 vehicles.

A :class:`Closure` says *what* is closed (a selector), *when* (a range of days,
both ends included; no dates = always) and *why* (a reason, printed as
"closed by snow on 2026-12-03").  Selectors, any combination of which may be
given (a closure selects the union of what they select):

- ``place_ids``: the places themselves (a school, a base, a port).  On the
  travel network this closes the place's own access: it cannot be reached or
  left, but roads passing near it stay open;
- ``links``: road links between two places, by their ids (a mountain pass);
- an *area*: ``terrain`` (every place of that class or rougher: ``mountainous``
  selects mountain villages, ``semi_mountainous`` selects those and the hills),
  ``island`` (``""`` for the mainland) and ``bbox`` (south, west, north, east in
  degrees).  The area is the places that meet *all* the conditions given; every
  road link with an end in the area is closed.

``open_to_4x4`` turns a closure into a restriction: the selected roads stay
open to 4x4 vehicles (snow chains, an unpaved track) and close to cars only.

``closures.csv``: an optional file of a problem folder
------------------------------------------------------

One closure per row, UTF-8, header row first::

    school_id,from_date,to_date,reason
    S-0142,2026-12-03,2026-12-05,closed by snow
    S-0099,2026-12-04,,road works

| column | required | meaning |
|---|---|---|
| ``school_id`` | yes (may be empty when ``terrain`` or ``island`` is given) | the school that cannot be reached |
| ``from_date`` | yes | first closed day, ``YYYY-MM-DD`` |
| ``to_date`` | no | last closed day (included); empty = ``from_date`` only |
| ``reason`` | no | printed as is before " on <day>"; empty = ``closed`` |
| ``open_to_4x4`` | no | ``true``: 4x4 vehicles still get through (default ``false``) |
| ``terrain`` | no | with an empty ``school_id``: close every road touching places of this class or rougher (``plain``, ``semi_mountainous``, ``mountainous``) |
| ``island`` | no | with an empty ``school_id``: limit the area to one island (as in ``schools.csv``); alone, it cuts the island's roads |

:func:`read_closures` reports every bad cell at once, as the problem readers do.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from dromologio.models.cells import CellError, parse_bool, parse_choice
from dromologio.models.errors import InputError, InputIssue
from dromologio.models.vocab import TERRAINS

from .travel import Place

#: the file name of the optional closures table in a problem folder.
CLOSURES_FILE = "closures.csv"
#: vehicle profiles of the travel network: a car, or a 4x4 vehicle that also takes 4x4-only roads.
PROFILES = ("car", "4x4")

_TERRAIN_RANK = {terrain: rank for rank, terrain in enumerate(TERRAINS)}


def check_profile(profile: str) -> str:
    if profile not in PROFILES:
        raise ValueError(f"profile '{profile}' is not one of {', '.join(PROFILES)}")
    return profile


@dataclass(frozen=True)
class Closure:
    """Roads closed (or open to 4x4 vehicles only) on a range of days, and why."""

    reason: str = "closed"
    #: first day (included); None: no start.
    start: date | None = None
    #: last day (included); None: no end.
    end: date | None = None
    place_ids: frozenset[str] = frozenset()
    links: frozenset[tuple[str, str]] = frozenset()
    terrain: str | None = None
    island: str | None = None
    #: (south, west, north, east) in degrees.
    bbox: tuple[float, float, float, float] | None = None
    #: the selected roads stay open to 4x4 vehicles.
    open_to_4x4: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "place_ids", frozenset(self.place_ids))
        pairs: set[tuple[str, str]] = set()
        for a, b in self.links:
            if a == b:
                raise ValueError(f"a closed link joins two different places, not '{a}' to itself")
            pairs.add((a, b) if a < b else (b, a))
        object.__setattr__(self, "links", frozenset(pairs))
        if not self.reason.strip():
            raise ValueError("a closure needs a reason, e.g. 'closed by snow'")
        if self.start is not None and self.end is not None and self.end < self.start:
            raise ValueError(f"closure ends ({self.end}) before it starts ({self.start})")
        if self.terrain is not None and self.terrain not in _TERRAIN_RANK:
            raise ValueError(f"terrain must be one of {', '.join(TERRAINS)}")
        if self.bbox is not None:
            south, west, north, east = self.bbox
            if not (south <= north and west <= east):
                raise ValueError("bbox is (south, west, north, east) with south <= north and west <= east")
        if not (self.place_ids or self.links or self.has_area):
            raise ValueError("a closure must select places, links or an area (terrain, island, bbox)")

    @property
    def has_area(self) -> bool:
        return self.terrain is not None or self.island is not None or self.bbox is not None

    @property
    def permanent(self) -> bool:
        """No dates: in force every day (e.g. a road open to 4x4 vehicles only)."""
        return self.start is None and self.end is None

    def active_on(self, day: date | None) -> bool:
        """In force on ``day``; with no day known only permanent closures are."""
        if day is None:
            return self.permanent
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)

    def applies_to(self, profile: str) -> bool:
        """Bars vehicles of ``profile`` (``car`` or ``4x4``)."""
        return check_profile(profile) == "car" or not self.open_to_4x4

    def in_area(self, place: Place) -> bool:
        """The place meets every area condition given (False when there is no area)."""
        if not self.has_area:
            return False
        if self.terrain is not None and _TERRAIN_RANK[place.terrain] < _TERRAIN_RANK[self.terrain]:
            return False
        if self.island is not None and place.island != self.island:
            return False
        if self.bbox is not None:
            south, west, north, east = self.bbox
            if not (south <= place.lat <= north and west <= place.lon <= east):
                return False
        return True

    def selects_place(self, place_id: str, place: Place | None = None) -> bool:
        """The place is closed by this closure: named, or (when ``place`` is given) in its area."""
        return place_id in self.place_ids or (place is not None and self.in_area(place))

    def describe(self, day: date | None = None) -> str:
        """``closed by snow on 2026-12-03`` (the reason alone when no day is given)."""
        return self.reason if day is None else f"{self.reason} on {day.isoformat()}"


def active_closures(closures: Iterable[Closure], day: date | None, profile: str = "car") -> list[Closure]:
    """The closures in force on ``day`` that bar vehicles of ``profile``."""
    return [c for c in closures if c.active_on(day) and c.applies_to(profile)]


def closed_on(
    closures: Iterable[Closure],
    place_id: str,
    day: date | None,
    *,
    place: Place | None = None,
    profile: str = "car",
) -> Closure | None:
    """The first closure that keeps a ``profile`` vehicle from the place on ``day``, or None.

    Give ``place`` to also match closures by area (terrain, island, bbox).  Use
    ``closure.describe(day)`` for the reason: "closed by snow on 2026-12-03".
    """
    for closure in active_closures(closures, day, profile):
        if closure.selects_place(place_id, place):
            return closure
    return None


# ---------------------------------------------------------------------------- closures.csv

_COLUMNS = ("school_id", "from_date", "to_date", "reason", "open_to_4x4", "terrain", "island")
_REQUIRED = ("school_id", "from_date")


def parse_date(text: str) -> date:
    """``YYYY-MM-DD``."""
    if len(text) == 10 and text[4] == "-" and text[7] == "-":
        try:
            return date.fromisoformat(text)
        except ValueError:
            pass
    raise CellError(f"'{text}' is not a date", "write it year first, e.g. 2026-12-03")


def read_closures(path: Path | str, *, label: str | None = None) -> list[Closure]:
    """Closures from a ``closures.csv`` file; raises :class:`InputError` listing every bad cell."""
    path = Path(path)
    label = label or path.name
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise InputError([InputIssue(label, None, None, None, f"cannot be read: {error}")]) from error
    return parse_closures(text.splitlines(), label=label)


def parse_closures(lines: Iterable[str], *, label: str = CLOSURES_FILE) -> list[Closure]:
    """Closures from the lines of a ``closures.csv`` table (header first)."""
    rows = list(csv.reader(lines))
    while rows and not any(cell.strip() for cell in rows[-1]):
        rows.pop()
    if not rows:
        raise InputError([InputIssue(label, None, None, None, "is empty", "write the header row first")])
    header = [cell.strip() for cell in rows[0]]
    issues: list[InputIssue] = []
    missing = [name for name in _REQUIRED if name not in header]
    unknown = [name for name in header if name not in _COLUMNS]
    for name in missing:
        issues.append(
            InputIssue(label, 1, name, None, "required column is missing", f"add a '{name}' column")
        )
    for name in unknown:
        issues.append(InputIssue(label, 1, name, name, "unknown column", f"use only {', '.join(_COLUMNS)}"))
    if issues:
        raise InputError(issues)
    position = {name: header.index(name) for name in header}
    closures: list[Closure] = []
    for number, cells in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in cells):
            continue
        closure = _closure_from_row(label, number, cells, position, issues)
        if closure is not None:
            closures.append(closure)
    if issues:
        raise InputError(issues)
    return closures


def _closure_from_row(
    label: str, number: int, cells: Sequence[str], position: dict[str, int], issues: list[InputIssue]
) -> Closure | None:
    def cell(name: str) -> str:
        index = position.get(name)
        return cells[index].strip() if index is not None and index < len(cells) else ""

    found = len(issues)

    def report(name: str, error: CellError | ValueError) -> None:
        message = error.message if isinstance(error, CellError) else str(error)
        fix = error.fix if isinstance(error, CellError) else ""
        issues.append(InputIssue(label, number, name, cell(name), message, fix))

    start: date | None = None
    end: date | None = None
    if not cell("from_date"):
        issues.append(
            InputIssue(
                label, number, "from_date", "", "is empty", "write the first closed day, e.g. 2026-12-03"
            )
        )
    else:
        try:
            start = parse_date(cell("from_date"))
        except CellError as error:
            report("from_date", error)
    if cell("to_date"):
        try:
            end = parse_date(cell("to_date"))
        except CellError as error:
            report("to_date", error)
    open_to_4x4 = False
    if cell("open_to_4x4"):
        try:
            open_to_4x4 = parse_bool(cell("open_to_4x4"))
        except CellError as error:
            report("open_to_4x4", error)
    terrain: str | None = None
    if cell("terrain"):
        try:
            terrain = parse_choice(cell("terrain"), TERRAINS)
        except CellError as error:
            report("terrain", error)
    island = cell("island") if "island" in position and cell("island") else None
    school_id = cell("school_id")
    if school_id and (cell("terrain") or island is not None):
        issues.append(
            InputIssue(
                label,
                number,
                "school_id",
                school_id,
                "names a school and an area (terrain or island)",
                "write one closure per row: either a school, or an area with an empty school_id",
            )
        )
    elif not school_id and not cell("terrain") and island is None:
        issues.append(
            InputIssue(
                label,
                number,
                "school_id",
                "",
                "is empty",
                "name the closed school, or give a terrain or island for an area",
            )
        )
    if start is not None and end is not None and end < start:
        issues.append(
            InputIssue(label, number, "to_date", cell("to_date"), f"is before from_date {start.isoformat()}")
        )
    if len(issues) > found or start is None:
        return None
    return Closure(
        reason=cell("reason") or "closed",
        start=start,
        end=end if end is not None else start,
        place_ids=frozenset({school_id}) if school_id else frozenset(),
        terrain=terrain,
        island=island,
        open_to_4x4=open_to_4x4,
    )
