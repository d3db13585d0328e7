"""Workload balance: each hour of work on the busiest technician's day costs ``balance_eur_per_hour``.

- encoding: ``balance_cost`` (cost units per second of service).  The OR-Tools model adds a
  "work" dimension of service times whose global span is charged at that rate, which
  spreads the visits over the technicians.
"""

from __future__ import annotations

from typing import Final

from .base import COST_UNITS_PER_EUR, Day, InstanceDraft, Rule

RULE_ID: Final = "balance"


def encode(day: Day, draft: InstanceDraft) -> None:
    draft.balance_cost = round(day.policy.balance_eur_per_hour * COST_UNITS_PER_EUR / 3600)


RULE: Final = Rule(
    RULE_ID,
    hard=False,
    title_el="Ισοκατανομή φόρτου: κόστος ανά ώρα εργασίας του πιο φορτωμένου τεχνικού",
    title_en="Workload balance: a cost per hour of work of the busiest technician",
    encode=encode,
    engine='"work" dimension of service times, global span cost coefficient balance_cost',
)
