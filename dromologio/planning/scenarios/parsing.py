"""The pieces every scenario change is made of: errors, value parsers, day selections, ``Change``.

A change reports a fault by raising :class:`ChangeError` with the fault alone; the caller
names the scenario and the change (:class:`ScenarioError` gathers every finding).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, ClassVar, Final

from dromologio.models import Problem
from dromologio.models.vocab import SKILLS

__all__ = [
    "Change",
    "ChangeError",
    "DaySelection",
    "ScenarioError",
    "as_list",
    "check_fields",
    "check_known",
    "km_between",
    "parse_clock",
    "parse_day",
    "parse_flag",
    "parse_mapping",
    "parse_number",
    "parse_skills",
    "parse_text",
    "parse_texts",
]

_EARTH_RADIUS_KM: Final = 6371.0


class ScenarioError(ValueError):
    """Scenarios that cannot be run; ``issues`` lists every finding, one line each."""

    def __init__(self, issues: Sequence[str]) -> None:
        super().__init__("\n".join(issues))
        self.issues = list(issues)


class ChangeError(ValueError):
    """One finding about one change (the caller adds the scenario and the change)."""


def km_between(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * _EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def check_fields(
    kind: str, data: Mapping[str, Any], known: Sequence[str], required: Sequence[str] = ()
) -> None:
    unknown = sorted(str(k) for k in data if k not in known)
    if unknown:
        raise ChangeError(f"unknown field(s) {', '.join(unknown)} for {kind}; known: {', '.join(known)}")
    missing = [k for k in required if k not in data]
    if missing:
        raise ChangeError(f"{kind} needs {', '.join(missing)}")


def parse_mapping(kind: str, value: Any) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise ChangeError(f"{kind} takes a mapping of fields, not {value!r}")
    return value


def parse_text(value: Any, name: str) -> str:
    if not isinstance(value, str | int) or isinstance(value, bool) or not str(value).strip():
        raise ChangeError(f"{name} must be a non-empty text, not {value!r}")
    return str(value).strip()


def parse_texts(value: Any, name: str) -> tuple[str, ...]:
    if isinstance(value, str):
        items: Iterable[Any] = [v for v in value.split(";") if v.strip()]
    elif isinstance(value, Sequence):
        items = value
    else:
        raise ChangeError(f"{name} must be a list (or a ';'-list), not {value!r}")
    return tuple(parse_text(v, name) for v in items)


def parse_number(value: Any, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ChangeError(f"{name} must be a number, not {value!r}")
    return float(value)


def parse_flag(value: Any, name: str) -> bool:
    if not isinstance(value, bool):
        raise ChangeError(f"{name} must be true or false, not {value!r}")
    return value


def parse_skills(value: Any, name: str) -> frozenset[str]:
    skills = frozenset(parse_texts(value, name))
    unknown = sorted(skills - set(SKILLS))
    if unknown:
        raise ChangeError(f"{name}: {', '.join(unknown)} not among the skills {', '.join(SKILLS)}")
    return skills


_TIME = re.compile(r"(\d{1,2}):(\d{2})")


def parse_clock(value: Any, name: str) -> int:
    match = _TIME.fullmatch(str(value).strip())
    if match is None or int(match[2]) >= 60 or int(match[1]) * 60 + int(match[2]) > 24 * 60:
        raise ChangeError(f"{name} must be a time HH:MM, not {value!r}")
    return int(match[1]) * 60 + int(match[2])


def parse_day(value: Any, name: str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise ChangeError(f"{name}: {value!r} is not a date YYYY-MM-DD") from None


def check_known(kind: str, value: str, known: Iterable[str]) -> str:
    names = sorted(known)
    if value not in names:
        shown = ", ".join(names[:12]) + (" ..." if len(names) > 12 else "")
        raise ChangeError(f"unknown {kind} '{value}' (known: {shown})")
    return value


@dataclass(frozen=True)
class DaySelection:
    """Calendar ``dates`` and/or working ``days`` of the horizon (1 = the first simulated day)."""

    dates: tuple[date, ...] = ()
    days: tuple[int, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "dates", tuple(sorted(set(self.dates))))
        object.__setattr__(self, "days", tuple(sorted(set(self.days))))
        if any(d < 1 for d in self.days):
            raise ChangeError("days are counted from 1 (the first simulated working day)")
        if not self.dates and not self.days:
            raise ChangeError("give the dates (YYYY-MM-DD or A..B) or the days (1, 2, ... or 'A..B')")

    @classmethod
    def parse(cls, data: Mapping[str, Any]) -> DaySelection:
        dates: list[date] = []
        for item in as_list(data.get("dates", ())):
            text = str(item).strip() if not isinstance(item, date) else ""
            if ".." in text:
                first, last = (parse_day(part, "dates") for part in text.split("..", 1))
                if last < first:
                    raise ChangeError(f"dates: the range {text} ends before it starts")
                dates += [first + timedelta(days=n) for n in range((last - first).days + 1)]
            else:
                dates.append(parse_day(item, "dates"))
        days: list[int] = []
        for item in as_list(data.get("days", ())):
            if isinstance(item, str) and ".." in item:
                first_s, last_s = item.split("..", 1)
                if not (first_s.strip().isdigit() and last_s.strip().isdigit()):
                    raise ChangeError(f"days: {item!r} is not a range of day numbers such as '3..5'")
                days += list(range(int(first_s), int(last_s) + 1))
            elif isinstance(item, int) and not isinstance(item, bool):
                days.append(item)
            else:
                raise ChangeError(f"days: {item!r} is not a day number (1 = first simulated day) or 'A..B'")
        return cls(tuple(dates), tuple(days))

    def resolve(self, horizon: Sequence[date]) -> frozenset[date]:
        """The dates of ``horizon`` selected (days past its end select nothing)."""
        chosen = set(self.dates) & set(horizon)
        chosen.update(horizon[d - 1] for d in self.days if d <= len(horizon))
        return frozenset(chosen)

    def describe(self) -> str:
        parts = ["days " + _runs(self.days, str)] if self.days else []
        if self.dates:
            parts.append(
                _runs([d.toordinal() for d in self.dates], lambda n: date.fromordinal(n).isoformat())
            )
        return "; ".join(parts)


def as_list(value: Any) -> list[Any]:
    if isinstance(value, str | int | date) and not isinstance(value, bool):
        return [value]
    if isinstance(value, Sequence):
        return list(value)
    raise ChangeError(f"expected a list, not {value!r}")


def _runs(numbers: Sequence[int], label: Callable[[int], str]) -> str:
    """Sorted numbers as runs: ``1–3, 5``."""
    runs: list[list[int]] = []
    for number in numbers:
        if runs and number == runs[-1][-1] + 1:
            runs[-1].append(number)
        else:
            runs.append([number])
    return ", ".join(label(r[0]) if len(r) == 1 else f"{label(r[0])} – {label(r[-1])}" for r in runs)


@dataclass(frozen=True)
class Change:
    """One change of a scenario.  Subclasses set ``kind`` and implement :meth:`apply`."""

    kind: ClassVar[str] = ""

    def apply(self, problem: Problem, baseline: Problem) -> Problem:
        """The problem with this change made (dated changes leave it as it is)."""
        return problem

    def describe(self) -> str:
        return self.kind
