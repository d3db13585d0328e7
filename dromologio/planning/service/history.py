"""What the service report is computed from: ticket histories, the visits made and the routes' money.

Plain records, built by the callers (the API from its store, the command line from a
problem folder and plan files: :mod:`.sources`).  Instants are naive local times
(Europe/Athens), as everywhere in :mod:`dromologio.models`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

Area = Literal["island", "mountain", "mainland"]
AREAS: tuple[Area, ...] = ("island", "mountain", "mainland")
#: Greek first, English second.
AREA_TITLES: Mapping[str, str] = {
    "island": "νησιά / islands",
    "mountain": "ορεινές / mountain",
    "mainland": "πεδινές ηπειρωτικές / mainland",
}


def area_of(island: str, terrain: str) -> Area:
    """A school's area: on an island; else mountain (mountainous or semi-mountainous terrain); else mainland."""
    if island.strip():
        return "island"
    if terrain in ("mountainous", "semi_mountainous"):
        return "mountain"
    return "mainland"


@dataclass(frozen=True)
class Visit:
    """A technician's visit for a ticket: when it started and whether it solved the ticket."""

    technician_id: str
    employer: str
    start: datetime
    solved: bool


@dataclass(frozen=True)
class TicketHistory:
    """One ticket as the report needs it.

    ``visits`` in any order (the report sorts them); ``resolved_at`` is when it was solved
    (a visit done, or closed as solved at its level without a visit), None while unsolved
    or when it was withdrawn.
    """

    ticket_id: str
    school_id: str
    directorate: str
    area: Area
    priority: str
    category: str
    opened_at: datetime
    visits: tuple[Visit, ...] = ()
    resolved_at: datetime | None = None

    @property
    def first_visit(self) -> Visit | None:
        return min(self.visits, key=lambda v: v.start, default=None)


@dataclass(frozen=True)
class RouteMoney:
    """A route's km and euros, and its tickets by Directorate (to share it between them)."""

    day: str
    technician_id: str
    employer: str
    distance_km: float
    cost_eur: float
    tickets_by_directorate: Mapping[str, int] = field(default_factory=dict)
