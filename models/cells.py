"""Parsers and formatters of single cells of the problem tables.

Every parser takes the text of a non-empty cell with surrounding spaces
already removed and returns the value, or raises :class:`CellError` with a
message naming the value found and a fix saying what to write instead.
Parsers never guess: a value is accepted only in one of the documented forms.

Formatters are the inverse, and give the canonical text of a value (what the
writers put in a cell).
"""

from __future__ import annotations

import math
import re
from collections.abc import Collection, Iterable
from datetime import date, datetime, time, timedelta
from difflib import get_close_matches

from .vocab import WEEKDAYS

TRUE_WORDS = ("true", "1", "yes")
FALSE_WORDS = ("false", "0", "no")

_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_DECIMAL_COMMA = re.compile(r"[+-]?\d+,\d+")
_TIME = re.compile(r"(\d{1,2}):(\d{2})(?::(\d{2}))?")
_INSTANT = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2})?")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")

#: dates and instants are accepted only in these years (a typo such as 0201 or 20266 is refused).
FIRST_YEAR = 2000
LAST_YEAR = 2100

#: the box Greece lies in (WGS84 degrees), islands included: Gavdos to Evros, Othonoi to Kastellorizo.
GREECE_LAT = (34.5, 42.0)
GREECE_LON = (19.0, 30.0)


class CellError(ValueError):
    """A cell that cannot be read: ``message`` says what is wrong, ``fix`` what to write."""

    def __init__(self, message: str, fix: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.fix = fix


def did_you_mean(value: str, choices: Iterable[str]) -> str | None:
    """The choice closest to ``value`` (ignoring case), if any is close enough."""
    by_lower: dict[str, str] = {}
    for choice in choices:
        by_lower.setdefault(choice.lower(), choice)
    wanted = value.lower()
    matches = get_close_matches(wanted, list(by_lower), n=1, cutoff=0.6)
    if matches:
        return by_lower[matches[0]]
    # an abbreviation or a longer spelling: 'lat' for 'latitude', 'Monday' for 'Mon'
    prefixed = [
        choice
        for lower, choice in by_lower.items()
        if min(len(lower), len(wanted)) >= 3 and (lower.startswith(wanted) or wanted.startswith(lower))
    ]
    return prefixed[0] if len(prefixed) == 1 else None


def suggestion(value: str, choices: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` or an empty string."""
    match = did_you_mean(value, choices)
    return f" (did you mean '{match}'?)" if match is not None and match != value else ""


# --- parsers -------------------------------------------------------------------


def parse_text(text: str) -> str:
    return text


def parse_number(text: str) -> float:
    """A decimal number with a dot: ``37.44``, ``-2``, ``1e3``."""
    if _NUMBER.fullmatch(text):
        value = float(text)
        if math.isfinite(value):
            return value
        raise CellError(f"'{text}' is too large a number", "write an ordinary decimal number")
    if _DECIMAL_COMMA.fullmatch(text):
        raise CellError(
            f"'{text}' is not a number", f"use a dot as the decimal separator: '{text.replace(',', '.')}'"
        )
    raise CellError(f"'{text}' is not a number", "write a decimal number such as 37.44")


def parse_latitude(text: str) -> float:
    value = parse_number(text)
    if not -90.0 <= value <= 90.0:
        raise CellError(
            f"latitude {text} is outside -90..90",
            "give WGS84 decimal degrees (Greece lies at about 34 to 42 north); check that lat and lon are not swapped",
        )
    return value


def parse_longitude(text: str) -> float:
    value = parse_number(text)
    if not -180.0 <= value <= 180.0:
        raise CellError(
            f"longitude {text} is outside -180..180",
            "give WGS84 decimal degrees (Greece lies at about 19 to 30 east)",
        )
    return value


def parse_positive(text: str) -> float:
    value = parse_number(text)
    if value <= 0:
        raise CellError(
            f"{text} is not more than 0", "write a positive number, or leave the cell empty for none"
        )
    return value


def parse_non_negative(text: str) -> float:
    value = parse_number(text)
    if value < 0:
        raise CellError(f"{text} is negative", "write 0 or a positive amount")
    return value


def parse_minutes(text: str, maximum: int) -> int:
    """A whole number of minutes in 1..maximum."""
    value = parse_number(text)
    if not value.is_integer():
        raise CellError(
            f"{text} is not a whole number of minutes", f"round it to whole minutes: {round(value)}"
        )
    if not 0 < value <= maximum:
        raise CellError(
            f"{text} minutes is not between 1 and {maximum}", f"write a whole number from 1 to {maximum}"
        )
    return int(value)


def parse_service_minutes(text: str) -> int:
    return parse_minutes(text, 24 * 60)


def parse_crossing_minutes(text: str) -> int:
    return parse_minutes(text, 48 * 60)


def parse_bool(text: str) -> bool:
    """``true/false``, ``1/0`` or ``yes/no``, in any case."""
    word = text.lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise CellError(
        f"'{text}' is not a yes/no value", "write true or false (1/0 and yes/no are also accepted)"
    )


def parse_time(text: str) -> int:
    """``HH:MM`` between 00:00 and 24:00 (``:00`` seconds tolerated), as minutes after midnight."""
    match = _TIME.fullmatch(text)
    if match is not None:
        hours, minutes, seconds = int(match[1]), int(match[2]), int(match[3] or 0)
        if seconds == 0 and minutes < 60 and (hours < 24 or (hours == 24 and minutes == 0)):
            return hours * 60 + minutes
    raise CellError(f"'{text}' is not a time of day", "write HH:MM between 00:00 and 24:00, e.g. 08:15")


def _check_year(text: str, year: int, example: str) -> None:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise CellError(
            f"'{text}' is in the year {year}, outside {FIRST_YEAR}..{LAST_YEAR}",
            f"write the full four-digit year, e.g. {example}",
        )


def parse_instant(text: str) -> datetime:
    """ISO 8601 local date and time: ``2026-11-23T09:40`` (a space for ``T`` and seconds accepted).

    The year must lie in ``FIRST_YEAR..LAST_YEAR``.
    """
    if _INSTANT.fullmatch(text):
        try:
            value = datetime.fromisoformat(text)
        except ValueError:
            pass
        else:
            _check_year(text, value.year, "2026-11-23T09:40")
            return value
    raise CellError(
        f"'{text}' is not a date and time",
        "write it year first, in local time without a time zone, e.g. 2026-11-23T09:40",
    )


def parse_date(text: str) -> date:
    """ISO 8601 date ``2026-11-23``, in the years ``FIRST_YEAR..LAST_YEAR``."""
    if _DATE.fullmatch(text):
        try:
            value = date.fromisoformat(text)
        except ValueError:
            pass
        else:
            _check_year(text, value.year, "2026-11-23")
            return value
    raise CellError(f"'{text}' is not a date", "write it year first, e.g. 2026-11-23")


def check_in_greece(lat: float, lon: float) -> tuple[str, str, str] | None:
    """``None`` when (lat, lon) lies in Greece, else (column to blame, message, fix).

    Coordinates that fit once swapped are reported as swapped.
    """
    lat_ok = GREECE_LAT[0] <= lat <= GREECE_LAT[1]
    lon_ok = GREECE_LON[0] <= lon <= GREECE_LON[1]
    if lat_ok and lon_ok:
        return None
    if GREECE_LAT[0] <= lon <= GREECE_LAT[1] and GREECE_LON[0] <= lat <= GREECE_LON[1]:
        return (
            "lat",
            f"lat {format_number(lat)} and lon {format_number(lon)} look swapped",
            f"swap them: lat {format_number(lon)}, lon {format_number(lat)}",
        )
    box = (
        f"Greece lies at lat {GREECE_LAT[0]:g}..{GREECE_LAT[1]:g} (north) "
        f"and lon {GREECE_LON[0]:g}..{GREECE_LON[1]:g} (east)"
    )
    if not lat_ok:
        return (
            "lat",
            f"latitude {format_number(lat)} is outside Greece",
            f"give WGS84 decimal degrees: {box}; check the sign and the decimal point",
        )
    return (
        "lon",
        f"longitude {format_number(lon)} is outside Greece",
        f"give WGS84 decimal degrees: {box}; check the sign and the decimal point",
    )


def parse_choice(text: str, choices: Collection[str]) -> str:
    """One word of a closed vocabulary, exactly as spelled there."""
    if text in choices:
        return text
    raise CellError(
        f"'{text}' is not one of {', '.join(choices)}",
        f"use one of those words{suggestion(text, choices)}",
    )


def parse_choice_list(text: str, choices: Collection[str]) -> frozenset[str]:
    """A ``;``-separated list of words of a closed vocabulary."""
    words = [w.strip() for w in text.split(";")]
    words = [w for w in words if w]
    unknown = [w for w in words if w not in choices]
    if not unknown and words:
        return frozenset(words)
    if not words:
        raise CellError(
            f"'{text}' names no words", f"write one or more of {', '.join(choices)}, separated by ';'"
        )
    hints = [(w, did_you_mean(w, choices)) for w in unknown]
    named = ", ".join(f"'{w}'" for w in unknown)
    verb = "is not one of" if len(unknown) == 1 else "are not among"
    fix = "use words of that list, separated by ';'"
    if any("," in w for w in unknown):
        fix = "separate the words with ';', not ','"
    elif len(unknown) == 1 and hints[0][1] is not None:
        fix = f"use one of those words (did you mean '{hints[0][1]}'?)"
    elif any(h is not None for _, h in hints):
        fix += " (did you mean " + ", ".join(f"'{h}' for '{w}'" for w, h in hints if h is not None) + "?)"
    raise CellError(f"{named} {verb} {', '.join(choices)}", fix)


def parse_days(text: str) -> frozenset[str]:
    """``daily`` or a ``;``-list of Mon..Sun, in any case; normalised to ``Mon``, ``Tue``, ..."""
    if text.lower() == "daily":
        return frozenset(WEEKDAYS)
    by_lower = {d.lower(): d for d in WEEKDAYS}
    words = [w.strip() for w in text.split(";")]
    words = [w for w in words if w]
    unknown = [w for w in words if w.lower() not in by_lower]
    if words and not unknown:
        return frozenset(by_lower[w.lower()] for w in words)
    hints = [h for h in (did_you_mean(w[:3], WEEKDAYS) for w in unknown) if h is not None]
    fix = f"write 'daily' or days from {';'.join(WEEKDAYS)} separated by ';'"
    if any("," in w for w in unknown):
        fix = "separate the days with ';', not ','"
    elif hints and len(hints) == len(unknown):
        fix += f" (did you mean {', '.join(repr(h) for h in hints)}?)"
    what = ", ".join(f"'{w}'" for w in unknown) if unknown else f"'{text}'"
    raise CellError(f"{what} {'is' if len(unknown) <= 1 else 'are'} not a weekday", fix)


# --- scalars from JSON documents and workbooks ---------------------------------


def scalar_text(value: object) -> str:
    """The cell text of a JSON or spreadsheet value; :class:`CellError` for lists and objects."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return format_bool(value)
    if isinstance(value, int | float):
        return format_number(value)
    if isinstance(value, datetime):
        return format_instant(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        text = f"{value.hour:02d}:{value.minute:02d}"
        return text if not value.second else f"{text}:{value.second:02d}"
    if isinstance(value, timedelta):
        minutes = round(value.total_seconds() / 60)
        return format_time(minutes) if 0 <= minutes <= 24 * 60 else str(value)
    raise CellError(f"{value!r} is not a single value", "write a text, a number or true/false")


# --- formatters ----------------------------------------------------------------


def format_number(value: float) -> str:
    """``37.44``; whole numbers without a decimal point (``60``)."""
    if isinstance(value, int):
        return str(value)
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(value)


def format_bool(value: bool) -> str:
    return "true" if value else "false"


def format_time(minutes: int) -> str:
    """Minutes after midnight as ``HH:MM`` (1440 is ``24:00``)."""
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def format_instant(value: datetime) -> str:
    """``2026-11-23T09:40`` (seconds only when not zero); the year always has four digits."""
    return value.isoformat(timespec="seconds" if value.second else "minutes")


def format_choice_list(words: Iterable[str], order: Iterable[str]) -> str:
    """``;``-joined, in vocabulary order."""
    chosen = set(words)
    known = [w for w in order if w in chosen]
    return ";".join(known + sorted(chosen - set(known)))


def format_days(days: Iterable[str]) -> str:
    """``daily`` when every weekday, else ``Mon;Wed;Fri``."""
    chosen = set(days)
    if chosen >= set(WEEKDAYS):
        return "daily"
    return format_choice_list(chosen, WEEKDAYS)
