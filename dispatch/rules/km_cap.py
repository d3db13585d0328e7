"""Km cap: a route's road km stay within the technician's ``max_km_per_day``.

- pre-check: the round trip base → school → home by road is within the cap (a journey
  that crosses water is not decided here: its road km are capped in the solver); nobody's
  cap allows it: ``km_cap``, with the shortest round trip;
- encoding: ``vehicle_max_distance`` (metres; -1 = no cap).  The OR-Tools model adds a
  "distance" dimension with each vehicle's cap as its capacity, so a route of tickets that
  each pass the pre-check is cut where together they exceed the cap;
- checker: ``KM_CAP``.
"""

from __future__ import annotations

from typing import Final

import numpy as np

from dromologio.models import School, Technician, Ticket, checker

from .base import Day, InstanceDraft, Pool, Reason, Rule

RULE_ID: Final = "km_cap"
KM_CAP: Final = "km_cap"


def over_km_cap(ticket: Ticket, school: School, round_trip_km: float) -> Reason:
    return Reason(
        KM_CAP,
        f"η διαδρομή μέχρι το {school.name} και πίσω ({round_trip_km:.0f} km) ξεπερνά το ημερήσιο όριο km "
        f"κάθε τεχνικού με {ticket.skill} / the round trip to {school.name} ({round_trip_km:.0f} km) is over "
        f"the daily km cap of every technician with skill {ticket.skill}",
    )


def round_trip_km(day: Day, technician: Technician, ticket: Ticket) -> float:
    """Road km from the technician's start to the school and on home."""
    here = day.here(ticket)
    start = day.start_of[technician.technician_id]
    home = day.home_of[technician.technician_id]
    return (day.reach.road_m(start, here) + day.reach.road_m(here, home)) / 1000.0


def _crosses(day: Day, technician: Technician, ticket: Ticket) -> bool:
    return not day.reach.same_island(day.start_of[technician.technician_id], day.here(ticket))


def admits(day: Day, technician: Technician, ticket: Ticket) -> bool:
    if _crosses(day, technician, ticket):
        return True  # road km of a crossing day are capped inside the solver
    cap = technician.max_km_per_day
    return cap is None or round_trip_km(day, technician, ticket) <= cap


def explain(day: Day, ticket: Ticket, pool: Pool) -> Reason:
    shortest = min(
        (round_trip_km(day, t, ticket) for t in pool if not _crosses(day, t, ticket)), default=float("inf")
    )
    return over_km_cap(ticket, day.school_of(ticket), shortest)


def encode(day: Day, draft: InstanceDraft) -> None:
    draft.vehicle_max_distance = np.array(
        [round(t.max_km_per_day * 1000) if t.max_km_per_day is not None else -1 for t in day.technicians],
        dtype=np.int64,
    )


RULE: Final = Rule(
    RULE_ID,
    hard=True,
    title_el="Τα km της ημέρας μέσα στο όριο του τεχνικού",
    title_en="A day's km stay within the technician's cap",
    checker_rules=(checker.KM_CAP,),
    reason_codes=(KM_CAP,),
    admits=admits,
    explain=explain,
    encode=encode,
    engine='"distance" dimension, each vehicle\'s capacity its vehicle_max_distance',
)
