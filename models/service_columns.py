"""Zones, work days and preventive care: optional columns of ``schools.csv`` and ``technicians.csv``.

They are extension columns, kept as text in each object's ``extra`` (so the files, the
API and the writers carry them unchanged) and read here:

- ``schools.zone``: the zone of a zone sub-station the school belongs to (empty: none);
- ``schools.maintenance_days``: days between preventive visits (empty: no preventive care);
- ``schools.last_maintenance``: the date of the last preventive visit (empty: never);
- ``technicians.work_days``: the weekdays the technician works, ``Mon;Wed`` or in Greek
  ``Δευ;Τετ`` (empty: every working day);
- ``technicians.home_zone``: the zone the technician serves first (empty: none);
- ``tickets.level``: the ticket's level of support, ``school``, ``remote``, ``on_site``,
  ``third_level`` or ``vendor`` (empty: the flags say it).  It decides the flags
  ``remote`` and ``warranty`` left empty in its row, and must agree with those filled in
  (:func:`level_flag_issues`).

The readers check every filled cell with :data:`SERVICE_COLUMNS` (file, row, column, fix),
and the cells that depend on each other with :data:`ROW_RULES`.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any, Final

from .cells import CellError, parse_bool, parse_date, suggestion
from .problem import Problem, School, Technician, Ticket
from .vocab import WEEKDAYS

ZONE: Final = "zone"
MAINTENANCE_DAYS: Final = "maintenance_days"
LAST_MAINTENANCE: Final = "last_maintenance"
WORK_DAYS: Final = "work_days"
HOME_ZONE: Final = "home_zone"
LEVEL: Final = "level"
#: the levels of support of a ticket (as ``dromologio.planning.service.levels`` moves it between them).
TICKET_LEVELS: Final = ("school", "remote", "on_site", "third_level", "vendor")
#: level -> the flags (remote, warranty) it gives: how the plan triages the ticket.
LEVEL_FLAGS: Final[Mapping[str, tuple[bool, bool]]] = {
    "school": (True, False),
    "remote": (True, False),
    "on_site": (False, False),
    "third_level": (False, True),
    "vendor": (False, True),
}

#: Greek weekdays, abbreviated and in full (accents and case aside), as weekdays of :data:`WEEKDAYS`.
GREEK_WEEKDAYS: Final[Mapping[str, str]] = {
    "δευ": "Mon",
    "δευτερα": "Mon",
    "τρι": "Tue",
    "τριτη": "Tue",
    "τετ": "Wed",
    "τεταρτη": "Wed",
    "πεμ": "Thu",
    "πεμπτη": "Thu",
    "παρ": "Fri",
    "παρασκευη": "Fri",
    "σαβ": "Sat",
    "σαββατο": "Sat",
    "κυρ": "Sun",
    "κυριακη": "Sun",
}
_ENGLISH_NAMES: Final = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
#: every accepted spelling (accents and case aside) -> the weekday.
_DAY_WORDS: Final[Mapping[str, str]] = {
    **{d.lower(): d for d in WEEKDAYS},
    **dict(zip(_ENGLISH_NAMES, WEEKDAYS, strict=True)),
    **GREEK_WEEKDAYS,
}
#: the longest maintenance interval accepted: five years.
MAX_MAINTENANCE_DAYS: Final = 5 * 366


def _plain(word: str) -> str:
    """Lower case without accents: ``Πέμ`` -> ``πεμ``."""
    decomposed = unicodedata.normalize("NFD", word.strip().casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def parse_work_days(text: str) -> frozenset[str]:
    """A ``;``-list of weekdays, English (``Mon``) or Greek (``Δευ``, ``Τρίτη``) in any case."""
    words = [w.strip() for w in text.split(";") if w.strip()]
    days: set[str] = set()
    unknown: list[str] = []
    for word in words:
        plain = _plain(word)
        day = _DAY_WORDS.get(plain.rstrip("."))
        if day is None:
            unknown.append(word)
        else:
            days.add(day)
    if words and not unknown:
        return frozenset(days)
    fix = "write the weekdays separated by ';', e.g. Mon;Wed or Δευ;Τετ"
    if any("," in w for w in unknown):
        fix = "separate the days with ';', not ','"
    what = ", ".join(f"'{w}'" for w in unknown) or f"'{text}'"
    raise CellError(f"{what} {'is' if len(unknown) <= 1 else 'are'} not a weekday", fix)


def parse_maintenance_days(text: str) -> int:
    """Whole days between preventive visits, 1 to :data:`MAX_MAINTENANCE_DAYS`."""
    try:
        value = int(text.strip())
    except ValueError:
        raise CellError(f"'{text}' is not a whole number of days", "write the days, e.g. 90") from None
    if not 1 <= value <= MAX_MAINTENANCE_DAYS:
        raise CellError(
            f"{value} days is not between 1 and {MAX_MAINTENANCE_DAYS}",
            "write the days between two preventive visits, e.g. 90",
        )
    return value


def parse_zone(text: str) -> str:
    """A zone name: any text, surrounding spaces aside."""
    return " ".join(text.split())


def parse_level(text: str) -> str:
    """A level of support, exactly one of :data:`TICKET_LEVELS` (case and spaces aside)."""
    word = text.strip().casefold()
    if word in TICKET_LEVELS:
        return word
    raise CellError(
        f"'{text}' is not a level; the levels are {', '.join(TICKET_LEVELS)}",
        f"write one of those levels{suggestion(word, TICKET_LEVELS)}, or leave it empty",
    )


#: table -> extension column -> how its filled cells are read (raises :class:`CellError`).
SERVICE_COLUMNS: Final[Mapping[str, Mapping[str, Callable[[str], Any]]]] = {
    "schools": {ZONE: parse_zone, MAINTENANCE_DAYS: parse_maintenance_days, LAST_MAINTENANCE: parse_date},
    "technicians": {WORK_DAYS: parse_work_days, HOME_ZONE: parse_zone},
    "tickets": {LEVEL: parse_level},
}

_FLAGS: Final = ("remote", "warranty")


def _flags_in_words(flags: tuple[bool, bool]) -> str:
    return " and ".join(f"{name} {'true' if on else 'false'}" for name, on in zip(_FLAGS, flags, strict=True))


def level_flag_issues(cells: Mapping[str, str], values: dict[str, Any]) -> list[tuple[str, CellError]]:
    """The flags of a ticket row with a ``level``: the empty ones set from the level (in ``values``),
    and a (column, error) for a level that contradicts a flag filled in the same row.

    A row without a level, or with a level or a flag that cannot be read (reported by
    their own columns), is left as it is.
    """
    text = cells.get(LEVEL, "").strip()
    try:
        level = parse_level(text) if text else None
        given = {name: parse_bool(cells[name].strip()) for name in _FLAGS if cells.get(name, "").strip()}
    except CellError:
        return []
    if level is None:
        return []
    wanted = dict(zip(_FLAGS, LEVEL_FLAGS[level], strict=True))
    clashes = [name for name, on in given.items() if on != wanted[name]]
    if not clashes:
        values.update(wanted)
        return []
    said = ", ".join(f"{name} {'true' if given[name] else 'false'}" for name in clashes)
    agreeing = [
        other
        for other in TICKET_LEVELS
        if all(LEVEL_FLAGS[other][_FLAGS.index(n)] == given[n] for n in given)
    ]
    error = CellError(
        f"level {level} means {_flags_in_words(LEVEL_FLAGS[level])}, but this row says {said}",
        "leave remote and warranty empty (the level decides them)"
        + (f", or write a level that agrees: {', '.join(agreeing)}" if agreeing else ""),
    )
    return [(LEVEL, error)]


#: table -> checks between a row's cells: each may fill ``values`` and returns (column, error) pairs.
ROW_RULES: Final[Mapping[str, Callable[[Mapping[str, str], dict[str, Any]], list[tuple[str, CellError]]]]] = {
    "tickets": level_flag_issues
}


def ticket_level(ticket: Ticket) -> str:
    """The ticket's level: its ``level`` cell, else what its flags say (warranty: vendor)."""
    text = _cell(ticket.extra, LEVEL)
    if text:
        return parse_level(text)
    if ticket.warranty:
        return "vendor"
    return "remote" if ticket.remote else "on_site"


def _cell(extra: Mapping[str, str], column: str) -> str:
    return extra.get(column, "").strip()


def zone_key(name: str) -> str:
    """A zone's name as compared: case and repeated spaces aside."""
    return parse_zone(name).casefold()


def school_zone(school: School) -> str:
    """The school's zone (compared key), or '' when it belongs to none."""
    return zone_key(_cell(school.extra, ZONE))


def home_zone(technician: Technician) -> str:
    """The technician's home zone (compared key), or '' when it has none."""
    return zone_key(_cell(technician.extra, HOME_ZONE))


def work_days(technician: Technician) -> frozenset[str]:
    """The weekdays the technician works (every weekday when the column is empty)."""
    text = _cell(technician.extra, WORK_DAYS)
    return parse_work_days(text) if text else frozenset(WEEKDAYS)


def works_on(technician: Technician, day: date) -> bool:
    """True when ``day`` is one of the technician's work days."""
    return WEEKDAYS[day.weekday()] in work_days(technician)


def maintenance_days(school: School) -> int | None:
    """Days between the school's preventive visits, or None when it has no preventive care."""
    text = _cell(school.extra, MAINTENANCE_DAYS)
    return parse_maintenance_days(text) if text else None


def last_maintenance(school: School) -> date | None:
    """The date of the school's last preventive visit, or None when never."""
    text = _cell(school.extra, LAST_MAINTENANCE)
    return parse_date(text) if text else None


def outside_zone_eur(problem: Problem) -> float:
    """What a visit outside a home zone may cost in ``problem``: the policy's ``outside_zone_eur``
    when some technician has a home zone, else 0 (so problems without zones price as before)."""
    if any(home_zone(t) for t in problem.technicians):
        return problem.policy.outside_zone_eur
    return 0.0
