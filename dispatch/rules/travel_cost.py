"""Travel cost: road km at the technician's rate and hours on the road at the policy's value.

- encoding: ``vehicle_distance_cost`` (cost units per metre: the technician's ``cost_per_km``,
  else the employer's rate for its ``vehicle``, else the employer's ``cost_per_km_eur``; see
  :func:`dromologio.dispatch.costs.km_rate`) and ``vehicle_time_cost`` (cost units per second
  of travel: ``time_value_eur_per_hour``).  The OR-Tools model prices every arc with them,
  one transit matrix per cost class.

Ferry fares are the ``ferry`` rule's, allowances the ``per_diem`` and ``lodging`` rules'.
"""

from __future__ import annotations

from typing import Final

import numpy as np

from ..costs import km_rate
from .base import COST_UNITS_PER_EUR, Day, InstanceDraft, Rule

RULE_ID: Final = "travel_cost"


def encode(day: Day, draft: InstanceDraft) -> None:
    cost_scale = COST_UNITS_PER_EUR / 1000.0  # per metre
    draft.vehicle_distance_cost = np.array([km_rate(day.problem, t) * cost_scale for t in day.technicians])
    draft.vehicle_time_cost = np.full(
        len(day.technicians), day.policy.time_value_eur_per_hour * COST_UNITS_PER_EUR / 3600
    )


RULE: Final = Rule(
    RULE_ID,
    hard=False,
    title_el="Κόστος μετακίνησης: km με την αποζημίωση του τεχνικού και ώρες δρόμου",
    title_en="Travel cost: km at the technician's rate and hours on the road",
    encode=encode,
    engine="arc costs: one transit matrix per cost class (RoutingInstance.vehicle_arc_cost)",
)
