"""Lunch break: a route with visits holds a break of ``lunch_break_min`` minutes inside the lunch window.

Policy (``policy.json``, per employer): ``lunch_break_min`` (0, the default: no break),
``lunch_window_start`` and ``lunch_window_end`` (``HH:MM``).  The break floats: it starts
anywhere in the window (within the technician's shift) and never overlaps work at a school,
a drive or a sailing; it may fall while the technician waits (for a school to open, for a
sailing), before it leaves its start or after it is back.  A technician whose shift overlaps
the window by less than the break needs none.  Re-planned from now (:mod:`dromologio.dispatch.live`), the break
starts no earlier than the technician is free; once the window has passed, none is planned; a
break already taken (begun before now) is none to plan: the live state keeps it and the splice puts
it back on the route.

- pre-check: none (a break never keeps a single visit out: the window is longer than the break);
- encoding: ``vehicle_break`` (per vehicle: earliest and latest start, length, in seconds;
  length 0 for a technician who needs no break; and a visit's setup as the guard after it) —
  the OR-Tools model gives each such vehicle a break interval of the length and the guard on
  the "time" dimension that no node's service overlaps, so that the setup of the visit after
  it stays clear too (at the price of up to one setup of waiting);
- checker: ``LUNCH_BREAK``.
"""

from __future__ import annotations

from typing import Final

import numpy as np

from dromologio.models import Technician, checker

from ..instance import VehicleBreak
from .base import Day, InstanceDraft, Rule

RULE_ID: Final = "lunch_break"


def break_of(day: Day, technician: Technician) -> VehicleBreak | None:
    """The technician's break today in seconds, with a visit's setup as its guard; None for none."""
    if day.start_points[technician.technician_id].break_taken:
        return None  # re-planned from now after the break: the published one stays on the route
    rules = day.rules_for(technician)
    span = rules.lunch_span_min(technician.shift_start_min, technician.shift_end_min)
    if span is None:
        return None
    length_s = rules.lunch_break_min * 60
    # Re-planned from now: the break is still ahead (what is done before now stays as it was).
    earliest, latest = max(span[0] * 60, day.departure_s(technician)), span[1] * 60 - length_s
    if earliest > latest:
        return None
    return VehicleBreak(earliest, latest, length_s, day.setup_s)


def encode(day: Day, draft: InstanceDraft) -> None:
    breaks = [break_of(day, t) for t in day.technicians]
    if not any(breaks):
        return
    draft.vehicle_break = np.array([b or (0, 0, 0, 0) for b in breaks], dtype=np.int64).reshape(-1, 4)


RULE: Final = Rule(
    RULE_ID,
    hard=True,
    title_el="Διάλειμμα για φαγητό σταθερής διάρκειας μέσα στο παράθυρο του μεσημεριού",
    title_en="A lunch break of fixed length inside the lunch window",
    checker_rules=(checker.LUNCH_BREAK,),
    encode=encode,
    engine='"time" dimension: one break interval per vehicle (SetBreakIntervalsOfVehicle) that no '
    "node's service or setup overlaps",
)
