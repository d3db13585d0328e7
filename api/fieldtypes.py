"""The field types of requests and answers: vocabularies, patterns, days and local instants.

Instants are local times in Europe/Athens, as in the contract's files; times of day are
``HH:MM`` text in bodies and minutes after midnight in the tables and the domain.
"""

from __future__ import annotations

import datetime as dt
from datetime import datetime
from typing import Annotated, Literal
from zoneinfo import ZoneInfo

from pydantic import AfterValidator, PlainSerializer, WithJsonSchema

from dromologio.models.cells import FIRST_YEAR, LAST_YEAR

Skill = Literal["windows", "linux", "ltsp", "network", "hardware", "printer", "egov"]
Priority = Literal["urgent", "high", "normal", "low"]
BaseKind = Literal["keplinet", "partner", "substation"]
Terrain = Literal["plain", "semi_mountainous", "mountainous"]
Role = Literal["dispatcher", "partner", "planner", "admin"]
#: how a plan of several days looks ahead (``dromologio.dispatch.solve``'s ``horizon``).
Horizon = Literal["tours", "rolling"]
JobStatus = Literal["queued", "running", "done", "failed", "cancelled"]
TicketStatus = Literal["open", "done", "closed"]
VisitState = Literal["planned", "started", "done", "not_solved"]

#: a time of day from 00:00 to 24:00 (the end of the day).
HHMM = r"^(([01]?[0-9]|2[0-3]):[0-5][0-9]|24:00)$"
ID_PATTERN = r"^\S(.*\S)?$"
#: the largest random seed (the solver's seeds are 32-bit; databases store 64-bit integers).
SEED_MAX = 2**31 - 1

# --- dates and local times ------------------------------------------------------------
#
# Instants are local times in Europe/Athens without an offset, as in the contract's
# files (``2026-11-20T09:30``).  The schema says so with a pattern instead of the
# ``date-time`` format, which (RFC 3339) would require an offset.  A request may still
# send an offset: the instant is then converted to Athens time.

ATHENS = ZoneInfo("Europe/Athens")
#: the years a date may fall in, as the readers of the contract's files accept them.
MIN_YEAR = FIRST_YEAR
MAX_YEAR = LAST_YEAR
_YEAR = "(20[0-9]{2}|2100)"  # MIN_YEAR..MAX_YEAR
_DAY = "(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])"
_CLOCK = "([01][0-9]|2[0-3]):[0-5][0-9]"
#: what a request may send: minutes, optional seconds (and fraction), optional offset.
LOCAL_DATETIME_IN = rf"^{_YEAR}-{_DAY}T{_CLOCK}(:[0-5][0-9](\.[0-9]{{1,6}})?)?(Z|[+-]{_CLOCK})?$"
#: what a response holds: seconds, never an offset.
LOCAL_DATETIME_OUT = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}$"
DATE_PATTERN = rf"^{_YEAR}-{_DAY}$"


def _in_years(year: int) -> None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValueError(f"the year must be from {MIN_YEAR} to {MAX_YEAR}, not {year}")


def _local_instant(value: datetime) -> datetime:
    """A request's instant as naive Athens time, within the years the service plans."""
    _in_years(value.year)
    if value.tzinfo is not None:
        value = value.astimezone(ATHENS).replace(tzinfo=None)
        _in_years(value.year)
    return value


def _bounded_date(value: dt.date) -> dt.date:
    _in_years(value.year)
    return value


def _local_text(value: datetime) -> str:
    """A response's instant: naive Athens time to the second."""
    if value.tzinfo is not None:
        value = value.astimezone(ATHENS).replace(tzinfo=None)
    return value.isoformat(timespec="seconds")


#: a request's local instant (``2026-11-20T09:30``), years 2000 to 2100.
LocalDateTime = Annotated[
    datetime,
    AfterValidator(_local_instant),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": LOCAL_DATETIME_IN,
            "description": "local time, Europe/Athens, YYYY-MM-DDTHH:MM; an offset, if sent, is converted",
        }
    ),
]
#: a response's local instant (``2026-11-20T09:30:00``).
LocalDateTimeOut = Annotated[
    datetime,
    PlainSerializer(_local_text, return_type=str, when_used="json"),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": LOCAL_DATETIME_OUT,
            "description": "local time, Europe/Athens, no offset",
        }
    ),
]
#: a calendar day (``2026-11-23``), years 2000 to 2100.
Day = Annotated[
    dt.date,
    AfterValidator(_bounded_date),
    WithJsonSchema({"type": "string", "format": "date", "pattern": DATE_PATTERN}),
]


# --- text forms of times ---------------------------------------------------------------


def minutes(hhmm: str) -> int:
    """``08:15`` -> 495."""
    hours, mins = hhmm.split(":")
    return int(hours) * 60 + int(mins)


def hhmm(value: int) -> str:
    """495 -> ``08:15``."""
    return f"{value // 60:02d}:{value % 60:02d}"


def instant(value: datetime) -> str:
    """Minute precision, as the contract writes instants."""
    return value.isoformat(timespec="minutes")


def naive(value: datetime) -> datetime:
    """Instants are local and naive in the domain; an offset given by a client is dropped after conversion."""
    if value.tzinfo is None:
        return value.replace(second=0, microsecond=0)
    return value.astimezone(ATHENS).replace(tzinfo=None, second=0, microsecond=0)
