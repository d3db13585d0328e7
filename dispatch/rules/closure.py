"""Closure: a school behind a closed road (snow, works) is not visited on the closed days.

A closure open to 4x4 vehicles still lets technicians with a 4x4 through (see
:mod:`dromologio.geo.closures`).  A ticket locked to a technician is not held back by
closures: the lock is the dispatcher's decision.  Closures are an extension of the
contract (``closures.csv``), so the plan checker does not see them.

- pre-check: no closure keeps the technician's vehicle from the school on the plan date;
  nobody gets through: ``closed``, with the first closure's words ("closed by snow on …");
- encoding: the ticket node's ``allowed_vehicles`` (the pre-check's candidates).
"""

from __future__ import annotations

from typing import Final

from dromologio.geo import Place
from dromologio.geo.closures import Closure, closed_on
from dromologio.models import School, Technician, Ticket

from .base import Day, Pool, Reason, Rule

RULE_ID: Final = "closure"
CLOSED: Final = "closed"


def closed(ticket: Ticket, school: School, described: str) -> Reason:
    return Reason(
        CLOSED,
        f"ο δρόμος προς {school.name} είναι κλειστός ({described}) / the road to {school.name} is {described}",
    )


def closure_for(day: Day, technician: Technician, ticket: Ticket) -> Closure | None:
    """The closure that keeps the technician's vehicle from the ticket's school today, if any."""
    if not day.closures:
        return None
    school = day.school_of(ticket)
    place = Place(school.lat, school.lon, school.island, school.terrain)
    profile = "4x4" if technician.has_4x4 else "car"
    return closed_on(day.closures, school.school_id, day.plan_date, place=place, profile=profile)


def admits(day: Day, technician: Technician, ticket: Ticket) -> bool:
    return ticket.ticket_id in day.locks or closure_for(day, technician, ticket) is None


def explain(day: Day, ticket: Ticket, pool: Pool) -> Reason:
    closure = next(c for t in pool if (c := closure_for(day, t, ticket)) is not None)
    return closed(ticket, day.school_of(ticket), closure.describe(day.plan_date))


RULE: Final = Rule(
    RULE_ID,
    hard=True,
    title_el="Κανείς δεν πηγαίνει από κλειστό δρόμο",
    title_en="Nobody is sent down a closed road",
    reason_codes=(CLOSED,),
    admits=admits,
    explain=explain,
)
