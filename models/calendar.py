"""Working days: weekends, Greek public holidays, school breaks, local holidays and absences.

A :class:`WorkCalendar` says whether a day is a working day for field visits to schools,
and if not, why (in Greek and English).  A day is not a working day when it is

- a Saturday or a Sunday;
- a Greek public holiday, the movable ones included (Clean Monday, Good Friday, Easter
  Monday, Whit Monday, Labour Day moved out of Holy or Easter week), as the maintained
  ``holidays`` library knows them (``holidays.country_holidays("GR")``);
- a day Greek schools are closed (built in, :data:`GREEK_SCHOOLS`): the Christmas break
  (24 December to 7 January), the Easter break (Holy Monday to the Friday after Orthodox
  Easter), the summer (22 June to 31 August), 30 January (the Three Hierarchs) and
  17 November (the Polytechnic);
- a day of an optional ``calendar.csv`` of kind ``holiday`` or ``break``, for every
  Directorate or for one (a town's patron saint, a school closed for elections).

A ``calendar.csv`` row of kind ``workday`` opens a day the rules above close (a shorter
summer, a Saturday made a school day).  When rows disagree about a day, a Directorate's
own row decides over a row for every Directorate, a shorter span over a longer one, and a
later row over an earlier one; any row decides over the built-in rules.

A plan covers one or more Directorates: a day is a working day for it when it is one in
at least one of them (its schools on a local holiday are closed that day, see
:meth:`WorkCalendar.local_days_off`).

``calendar.csv``: one row per day or span, header first::

    date,to_date,directorate,kind,name
    2026-12-12,,Δ.Π.Ε. Κέρκυρας,holiday,Αγίου Σπυρίδωνα / Saint Spyridon
    2026-06-22,2026-06-30,,workday,summer courses / θερινά τμήματα

| column | required | meaning |
| --- | --- | --- |
| ``date`` | yes | the day (``YYYY-MM-DD``); the first day of a span |
| ``to_date`` | no | the last day of a span (included); empty: ``date`` alone |
| ``directorate`` | no | the Directorate it applies to (as ``schools.directorate``); empty: every one |
| ``kind`` | yes | ``holiday``, ``break`` or ``workday`` |
| ``name`` | no | shown in messages and reasons |

``absences.csv``: a technician away (leave, sick, training) from one day to another::

    technician_id,from,to,kind,note
    T03,2026-11-23,2026-11-27,leave,

An absent technician is left out of the plans of those days, and named in nothing else.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Final
from zoneinfo import ZoneInfo

from .cells import CellError, parse_choice, parse_date, suggestion
from .errors import InputError, InputIssue

__all__ = [
    "ABSENCES_FILE",
    "ABSENCE_COLUMNS",
    "ABSENCE_KINDS",
    "CALENDAR_COLUMNS",
    "CALENDAR_FILE",
    "DAY_KINDS",
    "GREEK_SCHOOLS",
    "TODAY_ENV",
    "Absence",
    "CalendarEntry",
    "DayOff",
    "NonWorkingDayError",
    "SchoolCalendar",
    "WorkCalendar",
    "absences_from_document",
    "absences_to_rows",
    "absent_on",
    "calendar_from_document",
    "calendar_to_rows",
    "date_problem",
    "orthodox_easter",
    "parse_absences",
    "parse_calendar",
    "read_absences",
    "read_calendar",
    "today",
]

CALENDAR_FILE: Final = "calendar.csv"
ABSENCES_FILE: Final = "absences.csv"
#: kinds of a ``calendar.csv`` row.
DAY_KINDS: Final = ("holiday", "break", "workday")
#: kinds of an absence.
ABSENCE_KINDS: Final = ("leave", "sick", "training")
#: the environment variable that sets the date taken for today (training, replays); unset: the clock.
TODAY_ENV: Final = "DROMOLOGIO_TODAY"
ATHENS: Final = ZoneInfo("Europe/Athens")

WEEKDAY_NAMES: Final = (
    ("Δευτέρα", "Monday"),
    ("Τρίτη", "Tuesday"),
    ("Τετάρτη", "Wednesday"),
    ("Πέμπτη", "Thursday"),
    ("Παρασκευή", "Friday"),
    ("Σάββατο", "Saturday"),
    ("Κυριακή", "Sunday"),
)


def today() -> date:
    """Today in Europe/Athens, or the date in ``DROMOLOGIO_TODAY`` when it is set (``YYYY-MM-DD``)."""
    fixed = os.environ.get(TODAY_ENV, "").strip()
    if fixed:
        try:
            return date.fromisoformat(fixed)
        except ValueError:
            raise ValueError(f"{TODAY_ENV}='{fixed}' is not a date; write it as YYYY-MM-DD") from None
    return datetime.now(ATHENS).date()


def orthodox_easter(year: int) -> date:
    """Orthodox Easter Sunday of ``year`` (Gregorian date)."""
    from dateutil.easter import EASTER_ORTHODOX, easter

    sunday: date = easter(year, EASTER_ORTHODOX)
    return sunday


def weekday_name(day: date) -> str:
    """``Σάββατο / Saturday``."""
    el, en = WEEKDAY_NAMES[day.weekday()]
    return f"{el} / {en}"


# --- the built-in school calendar ---------------------------------------------------------


@dataclass(frozen=True)
class SchoolCalendar:
    """The days schools are closed every year, besides weekends and public holidays.

    Spans are (month, day) pairs, both ends included; a span whose end comes before its
    start runs over the new year.  ``easter_break`` is (first, last) in days from Orthodox
    Easter Sunday.
    """

    christmas: tuple[tuple[int, int], tuple[int, int]] = ((12, 24), (1, 7))
    easter_break: tuple[int, int] = (-6, 5)
    summer: tuple[tuple[int, int], tuple[int, int]] = ((6, 22), (8, 31))
    #: (month, day, Greek name, English name)
    holidays: tuple[tuple[int, int, str, str], ...] = (
        (1, 30, "Τριών Ιεραρχών", "Three Hierarchs"),
        (11, 17, "Πολυτεχνείο", "Polytechnic uprising"),
    )

    def day_off(self, day: date) -> DayOff | None:
        for month, number, el, en in self.holidays:
            if (day.month, day.day) == (month, number):
                return DayOff(day, "holiday", f"σχολική αργία: {el}", f"school holiday: {en}")
        if _in_span(day, *self.christmas):
            return DayOff(day, "break", "διακοπές Χριστουγέννων", "Christmas break")
        easter = orthodox_easter(day.year)
        first, last = self.easter_break
        if easter + timedelta(days=first) <= day <= easter + timedelta(days=last):
            return DayOff(day, "break", "διακοπές Πάσχα", "Easter break")
        if _in_span(day, *self.summer):
            return DayOff(day, "break", "θερινές διακοπές", "summer break")
        return None


def _in_span(day: date, start: tuple[int, int], end: tuple[int, int]) -> bool:
    key = (day.month, day.day)
    if start <= end:
        return start <= key <= end
    return key >= start or key <= end


#: Greek schools: Christmas 24 Dec–7 Jan, Easter Holy Monday–Friday after Easter, summer 22 Jun–31 Aug.
GREEK_SCHOOLS: Final = SchoolCalendar()


@lru_cache(maxsize=256)
def _public_holidays(year: int) -> Mapping[date, tuple[str, str]]:
    """Greek public holidays of ``year``: day -> (Greek name, English name)."""
    import holidays

    greek = holidays.country_holidays("GR", years=year, language="el")
    english = holidays.country_holidays("GR", years=year, language="en_US")
    return {day: (str(greek.get(day)), str(english.get(day, greek.get(day)))) for day in sorted(greek)}


# --- rows of the calendar and absences ------------------------------------------------------


@dataclass(frozen=True)
class DayOff:
    """Why a day is not a working day: ``kind`` is weekend, holiday or break."""

    day: date
    kind: str
    name_el: str
    name_en: str
    #: the Directorate it applies to; empty: every one.
    directorate: str = ""

    @property
    def bilingual(self) -> str:
        """``αργία: Ημέρα του Όχι / holiday: Ohi Day`` (Greek, then English)."""
        return f"{self.name_el} / {self.name_en}"


@dataclass(frozen=True)
class CalendarEntry:
    """A ``calendar.csv`` row: a holiday, a break or a working day, for one Directorate or all."""

    start: date
    kind: str
    name: str = ""
    directorate: str = ""
    #: the last day (included); None: ``start`` alone.
    end: date | None = None

    def __post_init__(self) -> None:
        if self.kind not in DAY_KINDS:
            raise ValueError(f"kind '{self.kind}' is not one of {', '.join(DAY_KINDS)}")
        if self.end is None:
            object.__setattr__(self, "end", self.start)
        elif self.end < self.start:
            raise ValueError(f"to_date {self.end} is before date {self.start}")
        object.__setattr__(self, "directorate", self.directorate.strip())

    @property
    def last(self) -> date:
        return self.end or self.start

    @property
    def span_days(self) -> int:
        return (self.last - self.start).days + 1

    def covers(self, day: date) -> bool:
        return self.start <= day <= self.last

    def applies_to(self, directorate: str | None) -> bool:
        """A row for every Directorate applies everywhere; a Directorate's row only there."""
        return not self.directorate or self.directorate == directorate

    def day_off(self, day: date) -> DayOff | None:
        if self.kind == "workday":
            return None
        el, en = ("αργία", "holiday") if self.kind == "holiday" else ("διακοπές", "break")
        if self.name:
            el, en = f"{el}: {self.name}", f"{en}: {self.name}"
        if self.directorate and self.directorate not in self.name:
            el, en = f"{el} ({self.directorate})", f"{en} ({self.directorate})"
        return DayOff(day, self.kind, el, en, self.directorate)


@dataclass(frozen=True)
class Absence:
    """A technician away from ``start`` to ``end`` (both included): leave, sick or training."""

    technician_id: str
    start: date
    end: date
    kind: str = "leave"
    note: str = ""

    def __post_init__(self) -> None:
        if not self.technician_id or self.technician_id != self.technician_id.strip():
            raise ValueError("technician_id must be a non-empty id without surrounding spaces")
        if self.kind not in ABSENCE_KINDS:
            raise ValueError(f"kind '{self.kind}' is not one of {', '.join(ABSENCE_KINDS)}")
        if self.end < self.start:
            raise ValueError(f"to {self.end} is before from {self.start}")

    def covers(self, day: date) -> bool:
        return self.start <= day <= self.end


def absent_on(absences: Iterable[Absence], days: Iterable[date]) -> frozenset[str]:
    """Ids of the technicians away on any of ``days``."""
    wanted = list(days)
    return frozenset(a.technician_id for a in absences if any(a.covers(d) for d in wanted))


# --- the calendar ---------------------------------------------------------------------------


class NonWorkingDayError(ValueError):
    """A plan asked for a day that is not a working day (or is past); the message says why."""

    def __init__(self, message: str, day: date, next_working_day: date) -> None:
        super().__init__(message)
        self.day = day
        self.next_working_day = next_working_day


@dataclass(frozen=True)
class WorkCalendar:
    """Working days for field visits (see the module's text).

    ``entries`` are ``calendar.csv`` rows; ``school`` the built-in school closures (None:
    none); ``public_holidays`` the Greek public holidays of the ``holidays`` library;
    ``weekend`` the weekdays off (Monday = 0).
    """

    entries: tuple[CalendarEntry, ...] = ()
    school: SchoolCalendar | None = GREEK_SCHOOLS
    public_holidays: bool = True
    weekend: frozenset[int] = frozenset({5, 6})
    _ranked: tuple[tuple[int, int, int, CalendarEntry], ...] = field(
        default=(), init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        object.__setattr__(self, "entries", tuple(self.entries))
        object.__setattr__(self, "weekend", frozenset(self.weekend))
        # Decides first: a Directorate's own row, then the shorter span, then the later row.
        ranked = sorted(
            ((1 if e.directorate else 0, -e.span_days, index, e) for index, e in enumerate(self.entries)),
            key=lambda item: item[:3],
            reverse=True,
        )
        object.__setattr__(self, "_ranked", tuple(ranked))

    @classmethod
    def weekdays_only(cls) -> WorkCalendar:
        """Monday to Friday, nothing else closed (the calendar before holidays were known)."""
        return cls(school=None, public_holidays=False)

    # --- one Directorate -----------------------------------------------------------------

    def _day_off_in(self, day: date, directorate: str | None) -> DayOff | None:
        for _, _, _, entry in self._ranked:
            if entry.covers(day) and entry.applies_to(directorate):
                return entry.day_off(day)
        if day.weekday() in self.weekend:
            return DayOff(day, "weekend", "Σαββατοκύριακο", "weekend")
        if self.public_holidays:
            named = _public_holidays(day.year).get(day)
            if named is not None:
                return DayOff(day, "holiday", f"αργία: {named[0]}", f"public holiday: {named[1]}")
        if self.school is not None:
            return self.school.day_off(day)
        return None

    # --- a plan's Directorates -------------------------------------------------------------

    def day_off(self, day: date, directorates: Collection[str] = ()) -> DayOff | None:
        """Why ``day`` is not a working day for a plan of ``directorates``; None when it is one.

        With no Directorates only the rows for every Directorate count; with several, the day
        is a working day when it is one in at least one of them.
        """
        if not directorates:
            return self._day_off_in(day, None)
        reasons = [self._day_off_in(day, d) for d in sorted(set(directorates))]
        if any(r is None for r in reasons):
            return None
        return reasons[0]

    def is_working_day(self, day: date, directorates: Collection[str] = ()) -> bool:
        return self.day_off(day, directorates) is None

    def local_days_off(self, day: date, directorates: Collection[str]) -> dict[str, DayOff]:
        """The Directorates of a plan that are off on a day the plan works (their schools are closed)."""
        if not directorates or self.day_off(day, directorates) is not None:
            return {}
        found = {d: self._day_off_in(day, d) for d in sorted(set(directorates))}
        return {d: off for d, off in found.items() if off is not None}

    def next_working_day(
        self, day: date, directorates: Collection[str] = (), *, include: bool = False
    ) -> date:
        """The first working day after ``day`` (from ``day`` on with ``include``)."""
        current = day if include else day + timedelta(days=1)
        for _ in range(3 * 366):
            if self.is_working_day(current, directorates):
                return current
            current += timedelta(days=1)
        raise ValueError(f"no working day within three years of {day.isoformat()}: check the calendar")

    def working_days(
        self, first: date, count: int, directorates: Collection[str] = (), *, force: bool = False
    ) -> tuple[date, ...]:
        """``count`` working days from ``first`` on.

        ``first`` must be a working day itself (:class:`NonWorkingDayError` otherwise) unless
        ``force``: then it counts as given, and the days after it are working days.
        """
        if count < 1:
            raise ValueError("count must be at least 1")
        if not force:
            problem = date_problem(first, self, directorates, past=False)
            if problem is not None:
                raise NonWorkingDayError(problem, first, self.next_working_day(first, directorates))
        days = [first]
        while len(days) < count:
            days.append(self.next_working_day(days[-1], directorates))
        return tuple(days)

    def between(self, start: date, end: date, directorates: Collection[str] = ()) -> tuple[date, ...]:
        """The working days from ``start`` to ``end``, both included."""
        days: list[date] = []
        current = start
        while current <= end:
            if self.is_working_day(current, directorates):
                days.append(current)
            current += timedelta(days=1)
        return tuple(days)


def date_problem(
    day: date,
    calendar: WorkCalendar,
    directorates: Collection[str] = (),
    *,
    past: bool = True,
    now: date | None = None,
    force_hint: str = "",
) -> str | None:
    """Why a plan of ``day`` is refused, Greek first then English; None when it may be planned.

    A day is refused when it is not a working day, or (with ``past``) when it is before
    today (``now``, default :func:`today`).  The message names the day and the next
    working day; ``force_hint`` (e.g. ``--force``) is named as the way to plan it anyway.
    """
    off = calendar.day_off(day, directorates)
    current = (now or today()) if past else None
    is_past = current is not None and day < current
    if off is None and not is_past:
        return None
    el_day, en_day = WEEKDAY_NAMES[day.weekday()]
    if current is not None and is_past:
        after = calendar.next_working_day(current, directorates, include=True)
        el = f"Η {day.isoformat()} ({el_day}) έχει περάσει (σήμερα {current.isoformat()})"
        en = f"{day.isoformat()} ({en_day}) is in the past (today is {current.isoformat()})"
        if off is not None:
            el += f" και δεν είναι εργάσιμη ({off.name_el})"
            en += f" and not a working day ({off.name_en})"
    else:
        assert off is not None
        after = calendar.next_working_day(day, directorates)
        el = f"Η {day.isoformat()} ({el_day}) δεν είναι εργάσιμη: {off.name_el}"
        en = f"{day.isoformat()} ({en_day}) is not a working day: {off.name_en}"
    el_after, en_after = WEEKDAY_NAMES[after.weekday()]
    el += f"· επόμενη εργάσιμη: {after.isoformat()} ({el_after})"
    en += f"; next working day: {after.isoformat()} ({en_after})"
    if force_hint:
        el += f"· για σχεδιασμό παρ' όλα αυτά: {force_hint}"
        en += f"; to plan it anyway: {force_hint}"
    return f"{el}. / {en}."


# --- calendar.csv and absences.csv ------------------------------------------------------------

CALENDAR_COLUMNS: Final = ("date", "to_date", "directorate", "kind", "name")
ABSENCE_COLUMNS: Final = ("technician_id", "from", "to", "kind", "note")


def _rows(
    lines: Iterable[str], label: str, columns: Sequence[str], required: Sequence[str]
) -> tuple[list[tuple[int, dict[str, str]]], list[InputIssue]]:
    """The data rows of a CSV table as {column: cell} (blank rows skipped), or the issues of its header."""
    rows = list(csv.reader(lines))
    while rows and not any(cell.strip() for cell in rows[-1]):
        rows.pop()
    if not rows:
        return [], [
            InputIssue(
                label, None, None, None, "is empty", f"write the header row first: {','.join(columns)}"
            )
        ]
    header = [cell.strip().lstrip("\ufeff") for cell in rows[0]]
    issues = [
        InputIssue(label, 1, name, None, "required column is missing", f"add a '{name}' column")
        for name in required
        if name not in header
    ]
    issues += [
        InputIssue(
            label,
            1,
            name,
            name,
            "unknown column",
            f"use only {', '.join(columns)}{suggestion(name, columns)}",
        )
        for name in header
        if name and name not in columns
    ]
    if issues:
        return [], issues
    out: list[tuple[int, dict[str, str]]] = []
    for number, cells in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in cells):
            continue
        out.append(
            (number, {name: (cells[i].strip() if i < len(cells) else "") for i, name in enumerate(header)})
        )
    return out, []


def _document_rows(
    value: object, label: str, columns: Sequence[str], required: Sequence[str]
) -> tuple[list[tuple[int, dict[str, str]]], list[InputIssue]]:
    """The rows of a JSON document's table (a list of objects) as {column: text}, or its issues."""
    from .cells import scalar_text

    if not isinstance(value, list | tuple):
        return [], [
            InputIssue(
                label, None, None, None, "the table is not a list of rows", 'write [{"column": value, ...}]'
            )
        ]
    rows: list[tuple[int, dict[str, str]]] = []
    issues: list[InputIssue] = []
    for number, item in enumerate(value, start=1):
        if not isinstance(item, Mapping):
            issues.append(
                InputIssue(
                    label, number, None, None, "the row is not an object", 'write {"column": value, ...}'
                )
            )
            continue
        cells: dict[str, str] = {}
        for key, cell in item.items():
            name = str(key)
            if name not in columns:
                fix = f"use only {', '.join(columns)}{suggestion(name, columns)}"
                issues.append(InputIssue(label, number, name, None, "unknown column", fix))
                continue
            try:
                cells[name] = scalar_text(cell).strip()
            except CellError as error:
                issues.append(InputIssue(label, number, name, None, error.message, error.fix))
        issues += [
            InputIssue(label, number, name, None, "is missing", f"give '{name}'")
            for name in required
            if name not in cells
        ]
        rows.append((number, cells))
    return rows, issues


def parse_calendar(lines: Iterable[str], *, label: str = CALENDAR_FILE) -> tuple[CalendarEntry, ...]:
    """The rows of a ``calendar.csv`` table (header first); :class:`InputError` lists every bad cell."""
    rows, issues = _rows(lines, label, CALENDAR_COLUMNS, ("date", "kind"))
    return _calendar_entries(rows, issues, label)


def calendar_from_document(
    value: object, *, label: str = "problem.json:calendar"
) -> tuple[CalendarEntry, ...]:
    """The ``calendar`` table of a JSON document (a list of row objects with the columns of ``calendar.csv``)."""
    rows, issues = _document_rows(value, label, CALENDAR_COLUMNS, ("date", "kind"))
    return _calendar_entries(rows, issues, label)


def calendar_to_rows(entries: Iterable[CalendarEntry]) -> list[dict[str, str]]:
    """``calendar.csv`` rows of ``entries`` (the inverse of :func:`calendar_from_document`)."""
    return [
        {
            "date": e.start.isoformat(),
            "to_date": "" if e.last == e.start else e.last.isoformat(),
            "directorate": e.directorate,
            "kind": e.kind,
            "name": e.name,
        }
        for e in entries
    ]


def _calendar_entries(
    rows: list[tuple[int, dict[str, str]]], issues: list[InputIssue], label: str
) -> tuple[CalendarEntry, ...]:
    entries: list[CalendarEntry] = []
    for number, cells in rows:
        found = len(issues)
        values: dict[str, object] = {}
        for column, parse in (("date", parse_date), ("to_date", parse_date)):
            text = cells.get(column, "")
            if not text:
                if column == "date":
                    issues.append(
                        InputIssue(label, number, column, "", "is empty", "write the day, e.g. 2026-12-12")
                    )
                continue
            try:
                values[column] = parse(text)
            except CellError as error:
                issues.append(InputIssue(label, number, column, text, error.message, error.fix))
        kind = cells.get("kind", "")
        try:
            values["kind"] = parse_choice(kind, DAY_KINDS)
        except CellError as error:
            issues.append(InputIssue(label, number, "kind", kind, error.message, error.fix))
        if len(issues) > found:
            continue
        start = values["date"]
        end = values.get("to_date")
        assert isinstance(start, date) and (end is None or isinstance(end, date))
        if end is not None and end < start:
            issues.append(
                InputIssue(
                    label,
                    number,
                    "to_date",
                    cells["to_date"],
                    f"is before date {start.isoformat()}",
                    "write the last day of the span, on or after date",
                )
            )
            continue
        entries.append(
            CalendarEntry(
                start, str(values["kind"]), cells.get("name", ""), cells.get("directorate", ""), end
            )
        )
    if issues:
        raise InputError(issues)
    return tuple(entries)


def parse_absences(
    lines: Iterable[str], *, label: str = ABSENCES_FILE, technician_ids: Collection[str] | None = None
) -> tuple[Absence, ...]:
    """The rows of an ``absences.csv`` table (header first); :class:`InputError` lists every bad cell.

    With ``technician_ids``, a row naming another technician is an issue.
    """
    rows, issues = _rows(lines, label, ABSENCE_COLUMNS, ("technician_id", "from"))
    return _absences(rows, issues, label, technician_ids)


def absences_from_document(
    value: object, *, label: str = "problem.json:absences", technician_ids: Collection[str] | None = None
) -> tuple[Absence, ...]:
    """The ``absences`` table of a JSON document (row objects with the columns of ``absences.csv``)."""
    rows, issues = _document_rows(value, label, ABSENCE_COLUMNS, ("technician_id", "from"))
    return _absences(rows, issues, label, technician_ids)


def absences_to_rows(absences: Iterable[Absence]) -> list[dict[str, str]]:
    """``absences.csv`` rows of ``absences`` (the inverse of :func:`absences_from_document`)."""
    return [
        {
            "technician_id": a.technician_id,
            "from": a.start.isoformat(),
            "to": a.end.isoformat(),
            "kind": a.kind,
            "note": a.note,
        }
        for a in absences
    ]


def _absences(
    rows: list[tuple[int, dict[str, str]]],
    issues: list[InputIssue],
    label: str,
    technician_ids: Collection[str] | None,
) -> tuple[Absence, ...]:
    absences: list[Absence] = []
    for number, cells in rows:
        found = len(issues)
        ident = cells.get("technician_id", "")
        if not ident:
            issues.append(InputIssue(label, number, "technician_id", "", "is empty", "name the technician"))
        elif technician_ids is not None and ident not in technician_ids:
            issues.append(
                InputIssue(
                    label,
                    number,
                    "technician_id",
                    ident,
                    f"no technician '{ident}' in technicians.csv",
                    f"use a technician_id of technicians.csv{suggestion(ident, technician_ids)}",
                )
            )
        days: dict[str, date] = {}
        for column in ("from", "to"):
            text = cells.get(column, "")
            if not text:
                if column == "from":
                    issues.append(
                        InputIssue(
                            label, number, column, "", "is empty", "write the first day away, e.g. 2026-11-23"
                        )
                    )
                continue
            try:
                days[column] = parse_date(text)
            except CellError as error:
                issues.append(InputIssue(label, number, column, text, error.message, error.fix))
        kind = cells.get("kind", "") or "leave"
        try:
            kind = parse_choice(kind, ABSENCE_KINDS)
        except CellError as error:
            issues.append(InputIssue(label, number, "kind", kind, error.message, error.fix))
        if len(issues) > found:
            continue
        start = days["from"]
        end = days.get("to", start)
        if end < start:
            issues.append(
                InputIssue(
                    label,
                    number,
                    "to",
                    cells["to"],
                    f"is before from {start.isoformat()}",
                    "write the last day away, on or after from",
                )
            )
            continue
        absences.append(Absence(ident, start, end, kind, cells.get("note", "")))
    if issues:
        raise InputError(issues)
    return tuple(absences)


def _lines(path: Path, label: str) -> list[str]:
    try:
        return path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(
            [InputIssue(label, None, None, None, f"cannot be read: {error}", "save it as UTF-8 CSV")]
        ) from error


def read_calendar(path: Path | str) -> tuple[CalendarEntry, ...]:
    """A ``calendar.csv`` file (see :func:`parse_calendar`)."""
    path = Path(path)
    return parse_calendar(_lines(path, path.name), label=path.name)


def read_absences(path: Path | str, technician_ids: Collection[str] | None = None) -> tuple[Absence, ...]:
    """An ``absences.csv`` file (see :func:`parse_absences`)."""
    path = Path(path)
    return parse_absences(_lines(path, path.name), label=path.name, technician_ids=technician_ids)
