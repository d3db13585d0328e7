"""Schemas ⇄ domain objects ⇄ table rows.  Pure: no session, no I/O.

The fields of schools, bases, technicians and tickets are their entity specs
(:mod:`dromologio.api.specs`); what is here names the conversions the service uses.
Domain objects check themselves on construction, so every ``*_from_*``
function raises :class:`ValueError` (naming the field) on bad values, and
:class:`~dromologio.models.ProblemError` when the parts of a problem do not fit.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import Any, cast

from dromologio.models import Base, Policy, Problem, School, Ticket
from dromologio.models.service_columns import LEVEL, LEVEL_FLAGS, ticket_level

from . import schemas
from .entity import EntitySpec
from .specs import BASE, PORT, SAILING, SCHOOL, TECHNICIAN, TICKET
from .tables import BaseRow, PortRow, SailingRow, SchoolRow, TechnicianRow, TicketRow

# --- ids -------------------------------------------------------------------------------

_GREEK = dict(
    zip(
        "αβγδεζηθικλμνξοπρσςτυφχψω",
        [
            "a",
            "v",
            "g",
            "d",
            "e",
            "z",
            "i",
            "th",
            "i",
            "k",
            "l",
            "m",
            "n",
            "x",
            "o",
            "p",
            "r",
            "s",
            "s",
            "t",
            "y",
            "f",
            "ch",
            "ps",
            "o",
        ],
        strict=True,
    )
)


def slug(text: str) -> str:
    """A short Latin id for a Greek name: ``Δ.Π.Ε. Ιωαννίνων`` -> ``dpe-ioanninon``."""
    plain = "".join(c for c in unicodedata.normalize("NFD", text.lower()) if not unicodedata.combining(c))
    latin = "".join(_GREEK.get(c, c) for c in plain)
    words = [w for w in re.split(r"[^a-z0-9]+", latin.replace(".", "")) if w]
    return "-".join(words)[:64] or "region"


# --- domain objects and answers: by the entity specs --------------------------------------


def domain_objects(spec: EntitySpec, rows: Iterable[Any]) -> tuple[Any, ...]:
    """The domain objects of rows (raises ValueError naming the field)."""
    return tuple(spec.from_row(r) for r in rows)


def school_from_row(row: SchoolRow) -> School:
    return cast(School, SCHOOL.from_row(row))


def school_public(row: SchoolRow) -> schemas.SchoolPublic:
    return SCHOOL.answer(row, schemas.SchoolPublic)


def ticket_from_create(body: schemas.TicketCreate) -> Ticket:
    """The domain ticket of a create body (raises ValueError naming the field)."""
    return cast(Ticket, TICKET.from_row(TICKET.values(body)))


def ticket_values(ticket: Ticket) -> dict[str, Any]:
    """Row columns of an imported ticket: its file's ``level`` is the stored level, not an extra column."""
    values = TICKET.domain_values(ticket)
    extra = dict(values["extra"])
    if LEVEL in extra:
        given = extra.pop(LEVEL).strip()
        values["extra"] = extra
        if given:
            values["level"] = ticket_level(ticket)  # after the flags: the stored level is this one
    return values


def ticket_from_row(row: TicketRow) -> Ticket:
    """The domain ticket of a row, its stored level as the ``level`` column (when it agrees with the flags)."""
    ticket = cast(Ticket, TICKET.from_row(row))
    extra = {k: v for k, v in ticket.extra.items() if k != LEVEL}
    if LEVEL_FLAGS.get(row.level) == (bool(row.remote), bool(row.warranty)):
        extra[LEVEL] = row.level
    return replace(ticket, extra=extra)


def base_from_row(row: BaseRow | Mapping[str, Any]) -> Base:
    """The domain base, its Directorate in ``extra`` as ``bases.csv`` carries it (the solver's own-area rule)."""
    base = cast(Base, BASE.from_row(row))
    directorate = row["directorate"] if isinstance(row, Mapping) else row.directorate
    return replace(base, extra={**base.extra, "directorate": directorate})


def base_values(base: Base) -> dict[str, Any]:
    # The Directorate is a column of its own (BaseRow.directorate), not an extra.
    values = BASE.domain_values(base)
    return {**values, "extra": {k: v for k, v in base.extra.items() if k != "directorate"}}


def nearest_directorate(
    lat: float, lon: float, island: str, schools: Iterable[School | SchoolRow]
) -> str | None:
    """The Directorate of the nearest school on the same island (or mainland), if any."""
    best: tuple[float, str] | None = None
    for school in schools:
        if school.island != island:
            continue
        # Equirectangular distance: enough to rank schools a few km apart.
        dx = (school.lon - lon) * math.cos(math.radians((school.lat + lat) / 2))
        dy = school.lat - lat
        distance = dx * dx + dy * dy
        if best is None or distance < best[0]:
            best = (distance, school.directorate)
    return None if best is None else best[1]


def ticket_public(row: TicketRow, *, visible_technicians: frozenset[str] | None) -> schemas.TicketPublic:
    """The ticket as a caller sees it: a lock to a technician not in ``visible_technicians`` shows None.

    ``visible_technicians`` is required (None: the caller sees every technician), so no
    answer can show a lock by forgetting whose it is.
    """
    locked = row.locked_technician_id
    if visible_technicians is not None and locked not in visible_technicians:
        locked = None
    return TICKET.answer(row, schemas.TicketPublic, locked_technician_id=locked)


# --- policy ------------------------------------------------------------------------------


def policy_from_data(data: Mapping[str, Any] | None) -> Policy:
    return Policy.from_dict(data or {})


# --- whole problems ----------------------------------------------------------------------


def problem_from_rows(
    *,
    schools: Iterable[SchoolRow],
    bases: Iterable[BaseRow],
    technicians: Iterable[TechnicianRow],
    tickets: Iterable[TicketRow],
    ports: Iterable[PortRow],
    sailings: Iterable[SailingRow],
    policy: Mapping[str, Any] | None,
    name: str,
) -> Problem:
    """The domain problem of these rows (raises ProblemError when they do not fit together)."""
    return Problem(
        schools=domain_objects(SCHOOL, schools),
        bases=tuple(base_from_row(r) for r in bases),
        technicians=domain_objects(TECHNICIAN, technicians),
        tickets=tuple(ticket_from_row(r) for r in tickets),
        ports=domain_objects(PORT, ports),
        sailings=domain_objects(SAILING, sailings),
        policy=policy_from_data(policy),
        name=name,
    )


def issue_out(issue: Any) -> schemas.IssueOut:
    """An :class:`~dromologio.models.errors.InputIssue` as a response entry."""
    return schemas.IssueOut(
        file=issue.file,
        row=issue.row,
        column=issue.column,
        value=issue.value,
        message=issue.message,
        fix=issue.fix,
    )
