"""Fairness: allowances spread across the technicians of one employer over a multi-day plan.

A plan of several days is solved day by day (:func:`dromologio.dispatch.solve.solve`), which
passes each technician's allowances of the earlier days (:class:`Allowances`, in
:attr:`.base.Day.allowances_so_far`).  A technician *ahead* of its employer's mean — over the
employer's technicians working today, a technician without allowances counting as zero — pays
a surcharge in the objective:

- ahead on allowance money (per diem + overnight): ``fairness_eur_per_allowance_eur`` per EUR of
  new allowance, on the far zone's entry (the same-day per diem of the ``per_diem`` rule) and on
  each of its lodging nodes (overnight + per diem of the ``lodging`` rule);
- ahead on nights away: ``fairness_eur_per_night`` on each of its lodging nodes.

Both keys come from the employer's policy (0 by default: no term).  The surcharge is a term of
the objective only; the routes' costs stay what is paid (:func:`dromologio.dispatch.costs.route_costs`).

- encoding: ``zone_entry_cost`` (per vehicle) and the lodging nodes' ``entry_cost``, raised after
  the ``per_diem`` and ``lodging`` rules wrote them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

from dromologio.models import Route

from .base import COST_UNITS_PER_EUR, Day, InstanceDraft, Rule

RULE_ID: Final = "fairness"
#: how far above the mean (EUR, nights) counts as ahead: rounding to cents is not a lead.
_AHEAD_EPSILON = 0.005


@dataclass(frozen=True)
class Allowances:
    """What a technician has earned away from home so far: allowance money (EUR) and nights."""

    allowance_eur: float = 0.0
    nights: int = 0

    def plus(self, route: Route) -> Allowances:
        """These and the route's: its per diem and overnight allowance, and its night away."""
        money = route.costs.get("per_diem_eur", 0.0) + route.costs.get("overnight_eur", 0.0)
        night = 1 if route.stops and route.stops[-1].lodging else 0
        return Allowances(self.allowance_eur + money, self.nights + night)


def ahead_of_employer(day: Day) -> list[tuple[bool, bool]]:
    """Per vehicle (technician of the day), whether it is ahead of its employer's mean on
    allowance money and on nights away."""
    so_far = day.allowances_so_far
    earned = [so_far.get(t.technician_id, Allowances()) for t in day.technicians]
    by_employer: dict[str, list[Allowances]] = defaultdict(list)
    for tech, mine in zip(day.technicians, earned, strict=True):
        by_employer[tech.employer].append(mine)
    mean: Mapping[str, tuple[float, float]] = {
        employer: (
            sum(a.allowance_eur for a in group) / len(group),
            sum(a.nights for a in group) / len(group),
        )
        for employer, group in by_employer.items()
    }
    ahead: list[tuple[bool, bool]] = []
    for tech, mine in zip(day.technicians, earned, strict=True):
        money, nights = mean[tech.employer]
        ahead.append((mine.allowance_eur > money + _AHEAD_EPSILON, mine.nights > nights + _AHEAD_EPSILON))
    return ahead


def encode(day: Day, draft: InstanceDraft) -> None:
    if not day.allowances_so_far:
        return
    lodgings = draft.of_kind("lodging")
    for vehicle, (money_ahead, nights_ahead) in enumerate(ahead_of_employer(day)):
        tech = day.technicians[vehicle]
        rules = day.rules_for(tech)
        per_eur = rules.fairness_eur_per_allowance_eur if money_ahead else 0.0
        per_night = rules.fairness_eur_per_night if nights_ahead else 0.0
        if per_eur <= 0 and per_night <= 0:
            continue
        if per_eur > 0 and draft.zone_entry_cost is not None:
            draft.zone_entry_cost[vehicle] += round(int(draft.zone_entry_cost[vehicle]) * per_eur)
        night_eur = per_eur * (rules.overnight_eur + rules.per_diem_eur) + per_night
        for node, info in lodgings:
            if info.vehicle == vehicle:
                draft.entry_cost[node] += round(night_eur * COST_UNITS_PER_EUR)


RULE: Final = Rule(
    RULE_ID,
    hard=False,
    title_el="Δίκαιη κατανομή ημερήσιας αποζημίωσης και διανυκτερεύσεων στους τεχνικούς κάθε εργοδότη",
    title_en="Allowances and nights away spread across the technicians of each employer",
    encode=encode,
    engine="arc costs: the raised zone entry cost and lodging entry costs (RoutingInstance.vehicle_arc_cost)",
)
