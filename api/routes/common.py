"""Helpers shared by the routers."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime
from typing import Annotated, TypeVar

from fastapi import Query
from pydantic import ValidationError

from ..errors import ApiError

T = TypeVar("T")

#: the largest offset a list accepts: far beyond any table, and within every database's integers.
MAX_OFFSET = 1_000_000

Limit = Annotated[int, Query(ge=1, le=5000, description="most items to return")]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description="items to skip")]

_FIELD = re.compile(r"^([a-z_0-9]+)\b")


def now() -> datetime:
    return datetime.now().replace(microsecond=0)


def validated(build: Callable[[], T], *, prefix: str = "body") -> T:
    """Run a domain constructor; its ValueError (which names the field first) becomes a 422."""
    try:
        return build()
    except ValidationError as exc:
        errors = [(".".join([prefix, *(str(p) for p in e["loc"])]), e["msg"]) for e in exc.errors()]
        count = len(errors)
        raise ApiError(422, f"{count} field{'' if count == 1 else 's'} not valid", errors=errors) from exc
    except ValueError as exc:
        message = str(exc)
        match = _FIELD.match(message)
        field = f"{prefix}.{match.group(1)}" if match else prefix
        raise ApiError(422, message, errors=[(field, message)]) from exc


def day_range(first: date, last: date | None, *, what: str, field: str, first_name: str) -> tuple[date, date]:
    """The first and last day (included) of ``what``: the last is the first when absent, never before it (422)."""
    last = last or first
    if last < first:
        raise ApiError(
            422,
            f"the {what} ends ({last.isoformat()}) before it starts ({first.isoformat()})",
            errors=[(field, f"before {first_name}")],
        )
    return first, last
