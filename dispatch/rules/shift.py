"""Shift: a route leaves its start no earlier than the shift starts and is back by its end, or
within the overtime the employer's policy allows, paid at its rate.

Overtime (``overtime_max_min_per_day``, ``overtime_max_min_per_week``, ``overtime_eur_per_hour``
in ``policy.json``, per employer): a route may end up to the day's overtime minutes after the
shift ends — to catch the last boat home, to finish a far visit — and each minute after the
shift's end costs the overtime rate.  With no overtime allowed (the default) the shift end is
hard.  The weekly limit counts the overtime planned on the plan's earlier days of the same
calendar week (:attr:`.base.Day.overtime_used_min`).

- pre-check: none of its own; the ``school_hours`` pre-check times the way back by
  :func:`latest_return_s` and, when the shift rather than the school's hours is what keeps a
  technician from the visit, gives this rule's reason, ``shift`` (:func:`after_shift`); the
  ``ferry`` rule keeps only sailings that arrive by :func:`latest_return_s`;
- encoding: ``vehicle_windows`` (shift start, and shift end plus the day's overtime, in seconds;
  re-planned from now, the start is when the technician is free where it is,
  :meth:`.base.Day.departure_s`, which starts a day that begins lodging away earlier by the
  policy's ``crossing_outside_shift_min``), ``vehicle_late_end`` (a route that ends lodging away
  may reach it that much later: :func:`latest_lodging_s`), ``vehicle_soft_end`` (the shift's end) and
  ``vehicle_overtime_cost`` (cost units per second after it) — the OR-Tools model bounds the
  "time" dimension at each vehicle's start and end by the windows and puts a soft upper bound
  on the end;
- checker: ``SHIFT`` (the end after the shift's end and the day's overtime), ``OVERTIME`` (the
  weekly limit, and the route's ``overtime_min``).
"""

from __future__ import annotations

from typing import Final

import numpy as np

from dromologio.models import School, Technician, Ticket, checker

from .base import COST_UNITS_PER_EUR, DAY_S, Day, InstanceDraft, Reason, Rule, hhmm

RULE_ID: Final = "shift"
SHIFT: Final = "shift"


def overtime_today_min(day: Day, technician: Technician) -> int:
    """Overtime minutes the technician's route may take today (daily limit, what the week has left)."""
    used = day.overtime_used_min.get(technician.technician_id, 0)
    return day.rules_for(technician).overtime_today_min(used)


def latest_return_s(day: Day, technician: Technician) -> int:
    """The latest the technician may be back today, in seconds: the shift's end plus today's overtime."""
    return min(DAY_S - 60, (technician.shift_end_min + overtime_today_min(day, technician)) * 60)


def latest_lodging_s(day: Day, technician: Technician) -> int:
    """The latest the technician may reach a night's lodging away: :func:`latest_return_s` plus the
    crossing a trip may make after the shift (the policy's ``crossing_outside_shift_min``)."""
    return min(DAY_S - 60, latest_return_s(day, technician) + day.crossing_outside_shift_s(technician))


def overtime_cost_per_s(day: Day, technician: Technician) -> int:
    """Cost units of one second of overtime, by the employer's ``overtime_eur_per_hour``."""
    return round(day.rules_for(technician).overtime_eur_per_hour * COST_UNITS_PER_EUR / 3600)


def after_shift(
    ticket: Ticket, school: School, back_s: int, shift_end_min: int, overtime_min: int = 0
) -> Reason:
    """The work fits the school's hours, but nobody could be back by the end of their shift
    (and the ``overtime_min`` allowed after it)."""
    back, ends = hhmm(back_s // 60), hhmm(shift_end_min)
    extra_el = f" και {overtime_min}' υπερωρία" if overtime_min else ""
    extra_en = f" and {overtime_min} min of overtime" if overtime_min else ""
    return Reason(
        SHIFT,
        f"η βάρδια τελειώνει: κανένας τεχνικός με {ticket.skill} δεν κάνει {ticket.service_minutes}' εργασίας "
        f"στο {school.name} και επιστρέφει στη βάση του πριν τελειώσει η βάρδια του (επιστροφή το νωρίτερο "
        f"{back}, η βάρδια τελειώνει {ends}{extra_el}) / the shift ends: no technician with skill "
        f"{ticket.skill} can do {ticket.service_minutes} min at {school.name} and be back at base before the "
        f"end of their shift (back at {back} at the earliest; the shift ends at {ends}{extra_en})",
    )


def encode(day: Day, draft: InstanceDraft) -> None:
    technicians = day.technicians
    draft.vehicle_windows = np.array(
        [(min(day.departure_s(t), latest_return_s(day, t)), latest_return_s(day, t)) for t in technicians],
        dtype=np.int64,
    ).reshape(-1, 2)
    if any(day.crossing_outside_shift_s(t) > 0 for t in technicians):
        # a route that ends lodging away (the ``lodging`` rule marks those nodes) may end later
        draft.vehicle_late_end = np.array([latest_lodging_s(day, t) for t in technicians], dtype=np.int64)
    if any(overtime_today_min(day, t) > 0 for t in technicians):
        draft.vehicle_soft_end = np.array([t.shift_end_min * 60 for t in technicians], dtype=np.int64)
        draft.vehicle_overtime_cost = np.array(
            [overtime_cost_per_s(day, t) for t in technicians], dtype=np.int64
        )


RULE: Final = Rule(
    RULE_ID,
    hard=True,
    title_el="Η διαδρομή ξεκινά και τελειώνει μέσα στη βάρδια (ή στην υπερωρία που επιτρέπεται)",
    title_en="A route starts and ends inside the shift (or the overtime allowed)",
    checker_rules=(checker.SHIFT, checker.OVERTIME),
    reason_codes=(SHIFT,),
    encode=encode,
    engine='"time" dimension: start and end cumuls bounded by vehicle_windows; a soft upper bound on the '
    "end at vehicle_soft_end, priced by vehicle_overtime_cost",
)
