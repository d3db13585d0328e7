"""Shift: a route leaves its start no earlier than the shift starts and is back by its end.

- pre-check: none of its own; the ``school_hours`` pre-check times the way back within the
  shift (its reason, ``hours``, names the shift) and the ``ferry`` rule keeps only
  sailings inside the shift;
- encoding: ``vehicle_windows`` (shift start and end, in seconds) — the OR-Tools model
  bounds the "time" dimension at each vehicle's start and end by them;
- checker: ``SHIFT``.
"""

from __future__ import annotations

from typing import Final

import numpy as np

from dromologio.models import checker

from .base import Day, InstanceDraft, Rule

RULE_ID: Final = "shift"


def encode(day: Day, draft: InstanceDraft) -> None:
    draft.vehicle_windows = np.array(
        [(t.shift_start_min * 60, t.shift_end_min * 60) for t in day.technicians], dtype=np.int64
    ).reshape(-1, 2)


RULE: Final = Rule(
    RULE_ID,
    hard=True,
    title_el="Η διαδρομή ξεκινά και τελειώνει μέσα στη βάρδια",
    title_en="A route starts and ends inside the shift",
    checker_rules=(checker.SHIFT,),
    encode=encode,
    engine='"time" dimension: start and end cumuls bounded by vehicle_windows',
)
