"""What leaving a ticket undone today costs: the drop penalty of its visit.

The formula belongs to the ``drop_value`` rule (:mod:`dromologio.dispatch.rules.drop_value`):
a ticket's own value (:func:`ticket_value_eur`: priority x age x due) plus the floor of
its priority tier under the policy's ``priority_mode`` (:func:`day_values`).  This module
keeps the names for callers.
"""

from __future__ import annotations

from .rules.drop_value import (
    MAX_VALUE_EUR,
    DayValues,
    day_cost_bound_eur,
    day_values,
    ticket_value_eur,
    tier_floors_eur,
)

__all__ = [
    "MAX_VALUE_EUR",
    "DayValues",
    "day_cost_bound_eur",
    "day_values",
    "ticket_value_eur",
    "tier_floors_eur",
]
