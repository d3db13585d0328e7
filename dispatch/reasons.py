"""Why a ticket is not visited: the reason a dispatcher reads, Greek first and English second.

Each reason code and its text live with the rule that produces it, in
:mod:`dromologio.dispatch.rules` (``RULE_OF_REASON`` maps a code to its rule); this
module gathers them under one name, and keeps the one reason no rule gives: a problem
without technicians.
"""

from __future__ import annotations

from typing import Final

from .rules.base import Reason
from .rules.closure import CLOSED, closed
from .rules.drop_value import CAPACITY, NOT_WORTH, capacity, full_days, no_route, not_worth
from .rules.ferry import (
    NO_ROUND_TRIP,
    NO_SAILING,
    WATER,
    WEEKDAY_EL,
    WEEKDAY_EN,
    LastSailing,
    across_water,
    last_sailing_home,
    needs_two_days,
    no_round_trip,
    no_sailing,
)
from .rules.four_by_four import NO_4X4, no_4x4
from .rules.km_cap import KM_CAP, over_km_cap
from .rules.lock import LOCKED, locked, locked_to_unknown
from .rules.school_hours import HOURS, outside_hours
from .rules.shift import SHIFT, after_shift
from .rules.skill import NO_SKILL, no_skill

NO_TECHNICIANS: Final = "no_technicians"


def no_technicians() -> Reason:
    return Reason(NO_TECHNICIANS, "δεν υπάρχουν τεχνικοί / there are no technicians in the problem")


__all__ = [
    "CAPACITY",
    "CLOSED",
    "HOURS",
    "KM_CAP",
    "LOCKED",
    "NOT_WORTH",
    "NO_4X4",
    "NO_ROUND_TRIP",
    "NO_SAILING",
    "NO_SKILL",
    "NO_TECHNICIANS",
    "SHIFT",
    "WATER",
    "WEEKDAY_EL",
    "WEEKDAY_EN",
    "LastSailing",
    "Reason",
    "across_water",
    "after_shift",
    "capacity",
    "closed",
    "full_days",
    "last_sailing_home",
    "locked",
    "locked_to_unknown",
    "needs_two_days",
    "no_4x4",
    "no_round_trip",
    "no_route",
    "no_sailing",
    "no_skill",
    "no_technicians",
    "not_worth",
    "outside_hours",
    "over_km_cap",
]
