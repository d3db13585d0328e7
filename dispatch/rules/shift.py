"""Shift: a route leaves its start no earlier than the shift starts and is back by its end.

- pre-check: none of its own; the ``school_hours`` pre-check times the way back within the
  shift and, when the shift rather than the school's hours is what keeps a technician from
  the visit, gives this rule's reason, ``shift`` (:func:`after_shift`); the ``ferry`` rule
  keeps only sailings inside the shift;
- encoding: ``vehicle_windows`` (shift start and end, in seconds; re-planned from now, the
  start is when the technician is free where it is, :meth:`.base.Day.departure_s`) — the OR-Tools model
  bounds the "time" dimension at each vehicle's start and end by them;
- checker: ``SHIFT``.
"""

from __future__ import annotations

from typing import Final

import numpy as np

from dromologio.models import School, Ticket, checker

from .base import Day, InstanceDraft, Reason, Rule, hhmm

RULE_ID: Final = "shift"
SHIFT: Final = "shift"


def after_shift(ticket: Ticket, school: School, back_s: int, shift_end_min: int) -> Reason:
    """The work fits the school's hours, but nobody could be back by the end of their shift."""
    back, ends = hhmm(back_s // 60), hhmm(shift_end_min)
    return Reason(
        SHIFT,
        f"η βάρδια τελειώνει: κανένας τεχνικός με {ticket.skill} δεν κάνει {ticket.service_minutes}' εργασίας "
        f"στο {school.name} και επιστρέφει στη βάση του πριν τελειώσει η βάρδια του (επιστροφή το νωρίτερο "
        f"{back}, η βάρδια τελειώνει {ends}) / the shift ends: no technician with skill {ticket.skill} can do "
        f"{ticket.service_minutes} min at {school.name} and be back at base before the end of their shift "
        f"(back at {back} at the earliest; the shift ends at {ends})",
    )


def encode(day: Day, draft: InstanceDraft) -> None:
    draft.vehicle_windows = np.array(
        [(min(day.departure_s(t), t.shift_end_min * 60), t.shift_end_min * 60) for t in day.technicians],
        dtype=np.int64,
    ).reshape(-1, 2)


RULE: Final = Rule(
    RULE_ID,
    hard=True,
    title_el="Η διαδρομή ξεκινά και τελειώνει μέσα στη βάρδια",
    title_en="A route starts and ends inside the shift",
    checker_rules=(checker.SHIFT,),
    reason_codes=(SHIFT,),
    encode=encode,
    engine='"time" dimension: start and end cumuls bounded by vehicle_windows',
)
